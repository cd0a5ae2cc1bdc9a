import { openStore } from '../../store/open.js';
import type { Command } from '../context.js';
import { scopesOutcome } from '../outcome.js';

/**
 * `rightsize prices`: refresh AWS (Price List API, spot price history, Spot Advisor), GCP (Cloud Billing Catalog) and
 * Azure (Retail Prices API) prices for the enabled clouds into the store, where analyze, serve, report and alerts lay
 * them over the bundled catalog. Each cloud fails alone. Exit 1 when no region could be refreshed.
 */
export const pricesCommand: Command = async (ctx) => {
  if (!ctx.config.aws.enabled && !ctx.config.gcp.enabled && !ctx.config.azure.enabled) {
    ctx.stderr.write('rightsize: no price source enabled: set aws.enabled, gcp.enabled or azure.enabled\n');
    return 2;
  }
  const { loadCatalog } = await import('../../catalog/load.js');
  const { refreshPrices } = await import('../../pipeline/refresh-prices.js');
  const store = await openStore(ctx.config, ctx.env);
  const { heartbeatMs, scopeMs } = ctx.config.timeouts;
  const startedMs = ctx.nowMs();
  // The clouds refresh at once, each region within timeouts.scopeMs: say so while waiting rather than look hung.
  const heartbeat = heartbeatMs > 0 ? setInterval(() => ctx.progress.note(`… still refreshing prices (${Math.round((ctx.nowMs() - startedMs) / 1000)} s; each region gives up after ${Math.round(scopeMs / 1000)} s)`), heartbeatMs) : undefined;
  heartbeat?.unref();
  try {
    const out = await ctx.progress.step(
      'Refreshed prices',
      () => refreshPrices({ config: ctx.config, catalog: loadCatalog(ctx.config.catalogDir), store, nowMs: ctx.nowMs() }),
      (o) => scopesOutcome(o.scopes, 'regions').words,
      (o) => (o.written.length === 0 ? 'failed' : scopesOutcome(o.scopes).outcome),
    );
    if (ctx.flags.json) ctx.stdout.write(`${JSON.stringify({ scopes: out.scopes, written: out.written.length })}\n`);
    else for (const s of out.scopes) ctx.stdout.write(`${s.cloud}/${s.account === 'prices' ? '' : `${s.account}/`}${s.region}: ${s.status}, ${s.instanceCount} types${s.message ? ` — ${s.message}` : ''}\n`);
    return out.written.length > 0 ? 0 : 1;
  } finally {
    clearInterval(heartbeat);
    await store.close();
  }
};
