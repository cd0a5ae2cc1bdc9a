import path from 'node:path';
import { loadCatalog } from '../../catalog/load.js';
import { generateDemoFleet, demoHistorySnapshots } from '../../demo/fleet.js';
import { openSqliteStore } from '../../store/index.js';
import type { Command } from '../context.js';
import { analyzeAndStore, printAnalysis } from './analyze.js';
import { BudgetSchema } from '../../config.js';
import { writeReportFiles } from './report.js';
import { paragraph } from '../format.js';
import { serveApi } from './serve.js';

/**
 * `rightsize demo` (what `npm start` runs): bundled catalogs + a deterministic demo fleet in an embedded
 * store under `<dataDir>/demo`, analyzed, summarized, then served until Ctrl-C (`--no-serve` exits).
 */
export const demoCommand: Command = async (ctx) => {
  const { config, progress } = ctx;
  const nowMs = ctx.nowMs();
  const catalog = await progress.step('Loaded bundled catalogs', () => loadCatalog(config.catalogDir), (c) => `${c.types('aws').length} AWS, ${c.types('gcp').length} GCP, ${c.types('azure').length} Azure types`);
  const fleet = await progress.step(
    'Generated demo fleet',
    () => generateDemoFleet({ seed: config.demo.seed, nowMs, instanceCount: config.demo.instanceCount }),
    (s) => `${s.instances.length} instances, ${s.series.length} hourly series over ${Math.round((s.windowEndMs - s.windowStartMs) / 86_400_000)} days`,
  );
  const dataDir = path.join(config.dataDir, 'demo');
  const store = openSqliteStore({ dataDir, retentionDays: config.retentionDays });
  try {
    await progress.step(
      'Stored snapshots',
      async () => {
        const history = demoHistorySnapshots({ seed: config.demo.seed, nowMs, current: fleet });
        let written = 0;
        for (const snapshot of [...history, fleet]) {
          if (await store.getSnapshotMeta(snapshot.id)) continue; // same seed and hour: already there
          await store.writeSnapshot(snapshot);
          written += 1;
        }
        return written;
      },
      (n) => `${n} written to ${path.join(dataDir, 'rightsize.db')}`,
    );
    const analysis = await analyzeAndStore(ctx, store, catalog, fleet.id, nowMs);
    await printAnalysis(ctx, store, catalog, analysis);
    // The demo shows a budget even with none configured: one over the whole demo fleet, no Slack channel.
    const demoConfig = ctx.config.budgets.length > 0 ? ctx.config : { ...ctx.config, budgets: [BudgetSchema.parse({ name: 'demo-fleet', amountUsd: 450_000 })] };
    const reportFile = await writeReportFiles(ctx, store, catalog, demoConfig, dataDir);
    (ctx.flags.json || ctx.flags.output ? ctx.stderr : ctx.stdout).write(`\n${paragraph(`Weekly report: ${reportFile} (open it in a browser; .md and .json beside it)`, ctx.width)}\n`);
    if (!ctx.flags.serve) return 0;
    await serveApi({ ...ctx, config: demoConfig }, store, catalog);
    return 0;
  } finally {
    await store.close();
  }
};
