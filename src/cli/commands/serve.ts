import type { Catalog } from '../../catalog/catalog.js';
import { storedBudgetStatusSource } from '../../budgets/stored-status.js';
import { adviseInstances } from '../../engine/advice.js';
import { openStore } from '../../store/open.js';
import type { Store } from '../../store/store.js';
import { openSpendLedger } from '../../store/spend/open.js';
import type { SpendLedger } from '../../store/spend/spend-ledger.js';
import type { Command, CommandContext } from '../context.js';

/** Serves the API over `store` until SIGINT/SIGTERM. */
export async function serveApi(ctx: CommandContext, store: Store, catalog: Catalog, ledger?: SpendLedger): Promise<void> {
  const { config } = ctx;
  // Loaded on demand so `demo --no-serve` and `analyze` never pay for the HTTP stack.
  const { createApp } = await import('../../api/app.js');
  const { serve } = await import('../../api/serve.js');
  const noTokens = config.auth.tokenSha256.length === 0;
  const app = createApp({
    store,
    catalog,
    advise: (request) => adviseInstances(request, catalog, config.engine),
    settings: config.engine,
    budgets: storedBudgetStatusSource({ store, catalog, budgets: config.budgets, nowMs: ctx.nowMs, ...(ledger ? { ledger } : {}) }),
    ...(ledger ? { ledger } : {}),
    nowMs: ctx.nowMs,
    responseCacheBytes: config.server.responseCacheBytes,
    // A local run with no token configured serves openly on loopback only; say so loudly.
    auth: noTokens ? { disabled: true } : { tokenSha256: config.auth.tokenSha256 },
    cors: { origins: config.server.corsOrigins },
    bodyLimitBytes: config.server.bodyLimitBytes,
    ...(config.server.publicBaseUrl ? { publicBaseUrl: config.server.publicBaseUrl } : {}),
  });
  const host = config.server.host;
  if (noTokens && host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') {
    throw new Error(`server.host: refusing to serve without API tokens on ${host}; set RIGHTSIZE_API_TOKENS or bind to 127.0.0.1`);
  }
  const server = await serve({ app, host, port: ctx.flags.port ?? config.server.port });
  ctx.stdout.write(`\nAPI listening on ${server.url} — try ${server.url}/docs and ${server.url}/v1/recommendations?limit=5${noTokens ? ' (no API tokens configured: auth disabled on loopback)' : ''}\nPress Ctrl-C to stop.\n`);
  await ctx.untilSignal();
  await server.close();
}

/** `rightsize serve`: the API over the configured store. */
export const serveCommand: Command = async (ctx) => {
  const { loadCatalogWithRefreshedPrices } = await import('../../catalog/load.js');
  const store = await openStore(ctx.config, ctx.env);
  const ledger = await openSpendLedger(ctx.config, ctx.env);
  const catalog = await ctx.progress.step('Loaded catalogs', () => loadCatalogWithRefreshedPrices(ctx.config.catalogDir, store, (m) => ctx.stderr.write(`rightsize: ignoring refreshed prices: ${m}\n`)));
  try {
    await serveApi(ctx, store, catalog, ledger);
    return 0;
  } finally {
    await ledger.close();
    await store.close();
  }
};
