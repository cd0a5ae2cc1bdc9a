import { openStore } from '../../store/open.js';
import type { Command } from '../context.js';
import { scopeLine, scopesOutcome } from '../outcome.js';

/**
 * `rightsize collect`: every enabled cloud's scopes from the config → one snapshot in the store, with a status per
 * scope. Collector modules (and their SDKs) are loaded only here. Exit 1 when no scope succeeded: that run is kept
 * as a failed run and never becomes the snapshot analyze, report, alerts and the API read.
 */
export const collectCommand: Command = async (ctx) => {
  const { collectAll } = await import('../../collectors/run.js');
  const { buildCollectors } = await import('../../collectors/from-config.js');
  const { addPrometheusGpu } = await import('../../collectors/prometheus/enrich.js');
  const { storeCollection } = await import('../../pipeline/failed-runs.js');
  const { loadCatalog } = await import('../../catalog/load.js');
  const collectors = Object.values(await buildCollectors(ctx.config, loadCatalog(ctx.config.catalogDir), ctx.env));
  if (collectors.length === 0) {
    ctx.stderr.write('rightsize: no collector enabled: set aws.enabled, gcp.enabled or azure.enabled to true in the config\n');
    return 2;
  }
  const timeouts = ctx.config.timeouts;
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
        scopeTimeoutMs: timeouts.scopeMs,
        heartbeatMs: timeouts.heartbeatMs,
        onHeartbeat: (running) => {
          bar?.done();
          const longest = [...running].sort((a, b) => b.elapsedMs - a.elapsedMs);
          const names = longest.slice(0, 3).map((r) => `${r.scope.cloud}/${r.scope.account}/${r.scope.region} ${Math.round(r.elapsedMs / 1000)} s`);
          ctx.progress.note(`… still waiting on ${running.length} scope${running.length > 1 ? 's' : ''} (${names.join(', ')}${running.length > 3 ? ', …' : ''}; each gives up after ${Math.round(timeouts.scopeMs / 1000)} s)`);
          bar?.tick(0);
        },
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
          ctx.stderr.write(`  [${done}/${total}] ${scopeLine(s)}\n`);
          bar?.tick();
        },
      }),
    (s) => `${s.instances.length} instances, ${s.series.length} series, ${scopesOutcome(s.scopes).words}`,
    (s) => scopesOutcome(s.scopes).outcome,
  );
  // Listing failures have no scope of their own to report as they finish: show them now.
  for (const s of snapshot.scopes.filter((x) => x.account === '*' && x.region === '*' && x.status !== 'ok')) ctx.stderr.write(`  ${scopeLine(s)}\n`);
  if (ctx.config.prometheus.enabled) {
    await ctx.progress.step(
      'Collected GPU metrics from Prometheus',
      () => addPrometheusGpu(snapshot, ctx.config.prometheus, ctx.env, timeouts),
      () => snapshot.sources?.map((s) => `${s.endpoint}: ${s.status}, ${s.instancesMatched} instances matched${s.message ? ` — ${s.message}` : ''}`).join('; ') ?? '',
      () => (snapshot.sources?.every((s) => s.status === 'ok') ? 'ok' : 'partial'),
    );
  }
  const store = await openStore(ctx.config, ctx.env);
  let storedAs: Awaited<ReturnType<typeof storeCollection>>;
  try {
    storedAs = await ctx.progress.step(
      'Stored',
      () => storeCollection(store, snapshot),
      (as) => (as === 'snapshot' ? `snapshot ${snapshot.id}` : `failed run ${snapshot.id} (every scope failed: the latest snapshot is unchanged)`),
      (as) => (as === 'snapshot' ? 'ok' : 'failed'),
    );
  } finally {
    await store.close();
  }
  ctx.stdout.write(`${JSON.stringify({ snapshot: snapshot.id, storedAs, instances: snapshot.instances.length, scopes: snapshot.scopes })}\n`);
  return storedAs === 'snapshot' ? 0 : 1;
};
