import { openStore } from '../../store/open.js';
import type { Command } from '../context.js';

/**
 * `rightsize collect`: every enabled cloud's scopes from the config → one snapshot in the store, with a status per
 * scope. Collector modules (and their SDKs) are loaded only here. Exit 1 when no scope succeeded.
 */
export const collectCommand: Command = async (ctx) => {
  const { collectAll } = await import('../../collectors/run.js');
  const { buildCollectors } = await import('../../collectors/from-config.js');
  const { addPrometheusGpu } = await import('../../collectors/prometheus/enrich.js');
  const { loadCatalog } = await import('../../catalog/load.js');
  const collectors = Object.values(await buildCollectors(ctx.config, loadCatalog(ctx.config.catalogDir), ctx.env));
  if (collectors.length === 0) {
    ctx.stderr.write('rightsize: no collector enabled: set aws.enabled, gcp.enabled or azure.enabled to true in the config\n');
    return 2;
  }
  let done = 0;
  let bar: ReturnType<typeof ctx.progress.bar> | undefined;
  let total = 0;
  const snapshot = await ctx.progress.step(
    'Collected',
    () =>
      collectAll({
        nowMs: ctx.nowMs(),
        lookbackDays: ctx.config.engine.lookbackDays,
        collectors,
        onPlanned: (scopes) => {
          total = scopes.length;
          const perCloud = new Map<string, number>();
          for (const s of scopes) perCloud.set(s.cloud, (perCloud.get(s.cloud) ?? 0) + 1);
          const byCloud = [...perCloud].map(([cloud, n]) => `${cloud} ${n}`);
          ctx.stderr.write(`  collecting ${total} scopes (${byCloud.join(', ')})\n`);
          bar = ctx.progress.bar('Collecting', total);
        },
        onScopeDone: (s) => {
          done++;
          // Each scope's outcome is a line (cleared past the bar on a terminal); the bar redraws below it.
          bar?.done();
          ctx.stderr.write(`  [${done}/${total}] ${s.cloud}/${s.account}/${s.region}: ${s.status} (${s.instanceCount} instances)${s.message ? ` — ${s.message}` : ''}\n`);
          bar?.tick();
        },
      }),
    (s) => `${s.instances.length} instances, ${s.series.length} series, ${s.scopes.filter((x) => x.status === 'ok').length}/${s.scopes.length} scopes ok`,
  );
  if (ctx.config.prometheus.enabled) {
    await ctx.progress.step('Collected GPU metrics from Prometheus', () => addPrometheusGpu(snapshot, ctx.config.prometheus, ctx.env), () => snapshot.sources?.map((s) => `${s.endpoint}: ${s.status}, ${s.instancesMatched} instances matched`).join('; ') ?? '');
  }
  const store = await openStore(ctx.config, ctx.env);
  try {
    await ctx.progress.step('Stored snapshot', () => store.writeSnapshot(snapshot), () => snapshot.id);
  } finally {
    await store.close();
  }
  ctx.stdout.write(`${JSON.stringify({ snapshot: snapshot.id, instances: snapshot.instances.length, scopes: snapshot.scopes })}\n`);
  return snapshot.scopes.some((s) => s.status === 'ok') ? 0 : 1;
};
