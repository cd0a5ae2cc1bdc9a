import type { CloudCollector } from '../../collectors/run.js';
import { openSqliteStore } from '../../store/sqlite/sqlite-store.js';
import type { Command } from '../context.js';

/**
 * `rightsize collect`: every enabled cloud's scopes from the config → one snapshot in the store, with a status per
 * scope. Collector modules (and their SDKs) are loaded only here. Exit 1 when no scope succeeded.
 */
export const collectCommand: Command = async (ctx) => {
  const { collectAll, awsCollector, azureCollector, gcpCollector } = await import('../../collectors/run.js');
  const collectors: CloudCollector[] = [];
  if (ctx.config.aws.enabled) collectors.push(await awsCollector(ctx.config.aws));
  if (ctx.config.azure.enabled) {
    const { loadCatalog } = await import('../../catalog/load.js');
    const catalog = loadCatalog(ctx.config.catalogDir);
    collectors.push(await azureCollector(ctx.config.azure, (size) => catalog.type('azure', size)?.memoryGiB));
  }
  if (ctx.config.gcp.enabled) collectors.push(await gcpCollector(ctx.config.gcp));
  if (collectors.length === 0) {
    ctx.stderr.write('rightsize: no collector enabled: set aws.enabled, gcp.enabled or azure.enabled to true in the config\n');
    return 2;
  }
  let done = 0;
  const snapshot = await ctx.progress.step(
    'Collected',
    () =>
      collectAll({
        nowMs: ctx.nowMs(),
        lookbackDays: ctx.config.engine.lookbackDays,
        collectors,
        onScopeDone: (s) => {
          done++;
          ctx.stderr.write(`  [${done}] ${s.cloud}/${s.account}/${s.region}: ${s.status} (${s.instanceCount} instances)${s.message ? ` — ${s.message}` : ''}\n`);
        },
      }),
    (s) => `${s.instances.length} instances, ${s.series.length} series, ${s.scopes.filter((x) => x.status === 'ok').length}/${s.scopes.length} scopes ok`,
  );
  const prom = ctx.config.prometheus;
  if (prom.enabled && prom.url) {
    const { collectPrometheusGpu } = await import('../../collectors/prometheus/collect.js');
    const auth = prom.auth && 'bearerTokenEnv' in prom.auth ? { bearerToken: ctx.env[prom.auth.bearerTokenEnv] ?? '' } : prom.auth ? { username: ctx.env[prom.auth.usernameEnv] ?? '', password: ctx.env[prom.auth.passwordEnv] ?? '' } : undefined;
    try {
      const gpu = await ctx.progress.step('Collected GPU metrics from Prometheus', () => collectPrometheusGpu({ baseUrl: prom.url as string, hostLabels: prom.hostLabels, ...(auth ? { auth } : {}) }, snapshot.instances, { startMs: snapshot.windowStartMs, endMs: snapshot.windowEndMs }), (r) => `${r.series.length / 2} instances matched, ${r.unmatchedHosts.length} hosts unmatched`);
      const replaced = new Set(gpu.series.map((s) => `${s.instanceId}|${s.metric}`));
      snapshot.series = [...snapshot.series.filter((s) => !replaced.has(`${s.instanceId}|${s.metric}`)), ...gpu.series];
      (snapshot.sources ??= []).push({ kind: 'prometheus', endpoint: new URL(prom.url).host, status: 'ok', instancesMatched: gpu.series.length / 2, ...(gpu.unmatchedHosts.length ? { message: `unmatched hosts: ${gpu.unmatchedHosts.slice(0, 10).join(', ')}` } : {}) });
    } catch (err) {
      const { statusOfError } = await import('../../collectors/collector.js');
      (snapshot.sources ??= []).push({ kind: 'prometheus', endpoint: new URL(prom.url).host, status: statusOfError(err), message: (err as Error).message, instancesMatched: 0 });
    }
  }
  const store = openSqliteStore({ dataDir: ctx.config.dataDir, retentionDays: ctx.config.retentionDays });
  try {
    await ctx.progress.step('Stored snapshot', () => store.writeSnapshot(snapshot), () => snapshot.id);
  } finally {
    await store.close();
  }
  ctx.stdout.write(`${JSON.stringify({ snapshot: snapshot.id, instances: snapshot.instances.length, scopes: snapshot.scopes })}\n`);
  return snapshot.scopes.some((s) => s.status === 'ok') ? 0 : 1;
};
