import path from 'node:path';
import type { Catalog } from '../../catalog/catalog.js';
import { analyzeStored } from '../../pipeline/analyze-run.js';
import { instanceHourlyCostUsd } from '../../engine/cost.js';
import { RightsizeError } from '../../errors.js';
import type { AnalysisResults, Store } from '../../store/store.js';
import { openStore } from '../../store/open.js';
import type { SpendLedger } from '../../store/spend/spend-ledger.js';
import { openSpendLedger } from '../../store/spend/open.js';
import type { Command, CommandContext } from '../context.js';
import { findingsCsv } from '../findings.js';
import { renderSummary } from '../summary.js';

/** Runs the engine over one stored snapshot and writes its results back, replacing earlier ones (idempotent). */
export async function analyzeAndStore(ctx: CommandContext, store: Store, catalog: Catalog, snapshotId: string, nowMs: number, ledger?: SpendLedger): Promise<AnalysisResults> {
  const meta = await store.getSnapshotMeta(snapshotId);
  if (!meta) throw new RightsizeError(`snapshot ${snapshotId} not found in the store`);
  const bar = ctx.progress.bar('Analyzing', meta.instanceCount);
  return ctx.progress.step(
    'Analyzed snapshot',
    async () => {
      const r = await analyzeStored({ store, catalog, settings: ctx.config.engine, snapshotId, nowMs, onInstance: () => bar.tick(), ...(ledger ? { bill: { ledger, billing: ctx.config.billing } } : {}) });
      bar.done();
      return r;
    },
    (r) => `${r.recommendations.length} recommendations, ${r.skips.length} skipped, ${r.plans.length} purchase plans`,
  );
}

/** Prints the summary table (or JSON with --json) for analyzed results. */
export async function printAnalysis(ctx: CommandContext, store: Store, catalog: Catalog, results: AnalysisResults): Promise<void> {
  const meta = await store.getSnapshotMeta(results.snapshotId);
  if (!meta) throw new RightsizeError(`snapshot ${results.snapshotId} not found in the store`);
  const instances = await store.instances(results.snapshotId);
  const hoursPerMonth = ctx.config.engine.hoursPerMonth;
  const monthlyCostUsdByInstance = new Map<string, number>();
  for (const instance of instances) {
    const hourly = instanceHourlyCostUsd(instance, catalog);
    if (hourly !== undefined) monthlyCostUsdByInstance.set(instance.id, hourly * hoursPerMonth);
  }
  if (ctx.flags.json) {
    ctx.stdout.write(`${JSON.stringify({ snapshot: meta, recommendations: results.recommendations, plans: results.plans, skips: results.skips })}\n`);
    return;
  }
  if (ctx.flags.output === 'csv') {
    ctx.stdout.write(findingsCsv(results.recommendations, instances));
    return;
  }
  ctx.stdout.write(renderSummary({ meta, instances, monthlyCostUsdByInstance, ...results, width: ctx.width }));
}

/** Says so when the newest collection failed whole: the analysis is of the last good snapshot, not of that run. */
async function warnIfLastRunFailed(ctx: CommandContext, store: Store, snapshotId: string, finishedAt: string): Promise<void> {
  const { latestFailedRun } = await import('../../pipeline/failed-runs.js');
  const failed = await latestFailedRun(store);
  if (failed && failed.startedAt > finishedAt) ctx.stderr.write(`rightsize: the last collection (${failed.id}) failed in every scope; analyzing the last good snapshot, ${snapshotId}\n`);
}

/** Says where to find data when the store has no snapshot (the demo keeps its own store under `<dataDir>/demo`). */
export function noSnapshotError(dataDir: string): RightsizeError {
  return new RightsizeError(`no snapshot in ${dataDir}: run "rightsize collect" first (or "rightsize demo", then RIGHTSIZE_DATA_DIR=${path.join(dataDir, 'demo')} for the demo's store)`);
}

/** `rightsize analyze [--snapshot ID]`: analyze the latest (or given) snapshot in the configured store. */
export const analyzeCommand: Command = async (ctx) => {
  const { loadCatalogWithRefreshedPrices } = await import('../../catalog/load.js');
  const store = await openStore(ctx.config, ctx.env);
  const catalog = await ctx.progress.step('Loaded catalogs', () => loadCatalogWithRefreshedPrices(ctx.config.catalogDir, store, (m) => ctx.stderr.write(`rightsize: ignoring refreshed prices: ${m}\n`)));
  try {
    const latest = ctx.flags.snapshot ? undefined : await store.latestSnapshot();
    const snapshotId = ctx.flags.snapshot ?? latest?.id;
    if (!snapshotId) throw noSnapshotError(ctx.config.dataDir);
    if (latest) await warnIfLastRunFailed(ctx, store, latest.id, latest.finishedAt);
    const ledger = await openSpendLedger(ctx.config, ctx.env);
    try {
      const results = await analyzeAndStore(ctx, store, catalog, snapshotId, ctx.nowMs(), ledger);
      await printAnalysis(ctx, store, catalog, results);
    } finally {
      await ledger.close();
    }
    return 0;
  } finally {
    await store.close();
  }
};
