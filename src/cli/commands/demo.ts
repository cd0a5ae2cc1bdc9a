import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { importFocusExport } from '../../billing/import.js';
import { localBillingSource } from '../../billing/local-source.js';
import { demoBillCsv } from '../../demo/bill.js';
import { openSqliteSpendLedger } from '../../store/spend/sqlite-spend-ledger.js';
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
  const ledger = openSqliteSpendLedger({ dataDir });
  try {
    const history = demoHistorySnapshots({ seed: config.demo.seed, nowMs, current: fleet });
    await progress.step(
      'Stored snapshots',
      async () => {
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
    const billDir = path.join(dataDir, 'bill');
    await progress.step(
      'Imported the demo bill',
      async () => {
        // Synthetic FOCUS rows from the demo fleet's days (src/demo/bill.ts), through the same import as a real bill.
        const bill = demoBillCsv(history.filter((s) => Date.parse(s.finishedAt) < Math.floor(nowMs / 86_400_000) * 86_400_000), catalog);
        mkdirSync(billDir, { recursive: true });
        writeFileSync(path.join(billDir, 'focus-demo.csv.gz'), gzipSync(bill.csv));
        const out = await importFocusExport(await localBillingSource(billDir), ledger, { exchangeRatesToUsd: config.billing.exchangeRatesToUsd, nowMs });
        const failed = out.find((o) => o.status === 'failed');
        if (failed && failed.status === 'failed') throw new Error(`demo bill: ${failed.error}`);
        return bill;
      },
      (b) => `${b.rows.toLocaleString('en-US')} FOCUS rows over ${b.days} days from ${path.join(billDir, 'focus-demo.csv.gz')} (synthetic: list prices from the catalog, a 12 % AWS / 8 % Azure negotiated rate, one savings plan)`,
    );
    const analysis = await analyzeAndStore(ctx, store, catalog, fleet.id, nowMs, ledger);
    await printAnalysis(ctx, store, catalog, analysis);
    // The demo shows a budget even with none configured: one over the whole demo fleet, no Slack channel.
    const demoConfig = ctx.config.budgets.length > 0 ? ctx.config : { ...ctx.config, budgets: [BudgetSchema.parse({ name: 'demo-fleet', amountUsd: 450_000 })] };
    const reportFile = await writeReportFiles(ctx, store, catalog, demoConfig, dataDir, undefined, ledger);
    (ctx.flags.json || ctx.flags.output ? ctx.stderr : ctx.stdout).write(`\n${paragraph(`Weekly report: ${reportFile} (open it in a browser; .md and .json beside it)`, ctx.width)}\n`);
    if (!ctx.flags.serve) return 0;
    await serveApi({ ...ctx, config: demoConfig }, store, catalog, ledger);
    return 0;
  } finally {
    await ledger.close();
    await store.close();
  }
};
