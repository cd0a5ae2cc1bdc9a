import type { Config } from '../../config.js';
import type { Snapshot } from '../../domain/snapshot.js';
import { DEFAULT_TIMEOUTS, type Timeouts } from '../deadline.js';

/**
 * Adds DCGM GPU series from Prometheus (when configured) to a collected snapshot, replacing cloud GPU series of the
 * same instances, and records how it went in `snapshot.sources`. Never throws: a failing Prometheus is a status.
 */
export async function addPrometheusGpu(snapshot: Snapshot, config: Config['prometheus'], env: Record<string, string | undefined>, timeouts: Timeouts = DEFAULT_TIMEOUTS): Promise<void> {
  if (!config.enabled || !config.url) return;
  const { collectPrometheusGpu } = await import('./collect.js');
  const { statusOfError } = await import('../collector.js');
  const { withDeadline } = await import('../deadline.js');
  const endpoint = new URL(config.url).host;
  const auth = config.auth && 'bearerTokenEnv' in config.auth ? { bearerToken: env[config.auth.bearerTokenEnv] ?? '' } : config.auth ? { username: env[config.auth.usernameEnv] ?? '', password: env[config.auth.passwordEnv] ?? '' } : undefined;
  try {
    const url = config.url;
    const gpu = await withDeadline(`prometheus ${endpoint}`, timeouts.scopeMs, (signal) =>
      collectPrometheusGpu({ baseUrl: url, hostLabels: config.hostLabels, requestTimeoutMs: timeouts.requestMs, signal, ...(auth ? { auth } : {}) }, snapshot.instances, { startMs: snapshot.windowStartMs, endMs: snapshot.windowEndMs }),
    );
    const replaced = new Set(gpu.series.map((s) => `${s.instanceId}|${s.metric}`));
    snapshot.series = [...snapshot.series.filter((s) => !replaced.has(`${s.instanceId}|${s.metric}`)), ...gpu.series];
    const matched = new Set(gpu.series.map((s) => s.instanceId)).size;
    (snapshot.sources ??= []).push({ kind: 'prometheus', endpoint, status: 'ok', instancesMatched: matched, ...(gpu.unmatchedHosts.length ? { message: `unmatched hosts: ${gpu.unmatchedHosts.slice(0, 10).join(', ')}` } : {}) });
  } catch (err) {
    (snapshot.sources ??= []).push({ kind: 'prometheus', endpoint, status: statusOfError(err), message: (err as Error).message, instancesMatched: 0 });
  }
}
