import type { Catalog } from '../catalog/catalog.js';
import type { Config } from '../config.js';
import type { Cloud } from '../domain/cloud.js';
import type { Snapshot } from '../domain/snapshot.js';
import type { CloudCollector } from './run.js';

/**
 * The collector of each enabled cloud, by cloud. Each cloud's module and SDK is imported only when that cloud is
 * enabled, so a function collecting AWS never loads the GCP client.
 */
export async function buildCollectors(config: Config, catalog: Catalog, env: Record<string, string | undefined>, only?: Cloud): Promise<Partial<Record<Cloud, CloudCollector>>> {
  const out: Partial<Record<Cloud, CloudCollector>> = {};
  const wanted = (cloud: Cloud) => config[cloud].enabled && (only === undefined || only === cloud);
  if (wanted('aws')) out.aws = await (await import('./aws/collector.js')).awsCollector(config.aws, env);
  if (wanted('azure')) out.azure = await (await import('./azure/collector.js')).azureCollector(config.azure, (size) => catalog.type('azure', size)?.memoryGiB);
  if (wanted('gcp')) out.gcp = await (await import('./gcp/collector.js')).gcpCollector(config.gcp);
  return out;
}

/**
 * Adds DCGM GPU series from Prometheus (when configured) to a collected snapshot, replacing cloud GPU series of the
 * same instances, and records how it went in `snapshot.sources`. Never throws: a failing Prometheus is a status.
 */
export async function addPrometheusGpu(snapshot: Snapshot, config: Config['prometheus'], env: Record<string, string | undefined>): Promise<void> {
  if (!config.enabled || !config.url) return;
  const { collectPrometheusGpu } = await import('./prometheus/collect.js');
  const { statusOfError } = await import('./collector.js');
  const endpoint = new URL(config.url).host;
  const auth = config.auth && 'bearerTokenEnv' in config.auth ? { bearerToken: env[config.auth.bearerTokenEnv] ?? '' } : config.auth ? { username: env[config.auth.usernameEnv] ?? '', password: env[config.auth.passwordEnv] ?? '' } : undefined;
  try {
    const gpu = await collectPrometheusGpu({ baseUrl: config.url, hostLabels: config.hostLabels, ...(auth ? { auth } : {}) }, snapshot.instances, { startMs: snapshot.windowStartMs, endMs: snapshot.windowEndMs });
    const replaced = new Set(gpu.series.map((s) => `${s.instanceId}|${s.metric}`));
    snapshot.series = [...snapshot.series.filter((s) => !replaced.has(`${s.instanceId}|${s.metric}`)), ...gpu.series];
    const matched = new Set(gpu.series.map((s) => s.instanceId)).size;
    (snapshot.sources ??= []).push({ kind: 'prometheus', endpoint, status: 'ok', instancesMatched: matched, ...(gpu.unmatchedHosts.length ? { message: `unmatched hosts: ${gpu.unmatchedHosts.slice(0, 10).join(', ')}` } : {}) });
  } catch (err) {
    (snapshot.sources ??= []).push({ kind: 'prometheus', endpoint, status: statusOfError(err), message: (err as Error).message, instancesMatched: 0 });
  }
}
