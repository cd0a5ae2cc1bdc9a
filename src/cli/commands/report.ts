import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Catalog } from '../../catalog/catalog.js';
import type { Config } from '../../config.js';
import { RightsizeError } from '../../errors.js';
import { writeWeeklyReport } from '../../report/weekly.js';
import { openStore } from '../../store/open.js';
import { openSpendLedger } from '../../store/spend/open.js';
import type { SpendLedger } from '../../store/spend/spend-ledger.js';
import { noSnapshotError } from './analyze.js';
import type { Store } from '../../store/store.js';
import type { Command, CommandContext } from '../context.js';

/**
 * Builds and stores the weekly report, writes the three files to `<dir>/reports/weekly-<isoWeek>.{html,md,json}`
 * and returns the HTML path. Without `isoWeek`, the 7 days before now.
 */
export async function writeReportFiles(ctx: CommandContext, store: Store, catalog: Catalog, config: Config, dir: string, isoWeek?: string, ledger?: SpendLedger): Promise<string> {
  const link = config.server.publicBaseUrl ? `${config.server.publicBaseUrl}/v1/reports/weekly/latest?format=html` : undefined;
  const out = await ctx.progress.step('Wrote weekly report', () => writeWeeklyReport({ store, catalog, config, nowMs: ctx.nowMs(), ...(isoWeek ? { isoWeek } : {}), ...(link ? { link } : {}), ...(ledger ? { ledger } : {}) }), (r) => r.isoWeek);
  const reportsDir = path.join(dir, 'reports');
  mkdirSync(reportsDir, { recursive: true });
  const base = path.join(reportsDir, `weekly-${out.isoWeek}`);
  writeFileSync(`${base}.html`, out.html);
  writeFileSync(`${base}.md`, out.markdown);
  writeFileSync(`${base}.json`, out.json);
  return `${base}.html`;
}

/** `rightsize report [<isoWeek>] [--out <dir>]`: the weekly report for the configured store. */
export const reportCommand: Command = async (ctx, positionals) => {
  const isoWeek = positionals[0];
  if (isoWeek !== undefined && !/^\d{4}-W\d{2}$/.test(isoWeek)) throw new RightsizeError(`rightsize report: week ${JSON.stringify(isoWeek)} must look like 2026-W47`);
  const { loadCatalogWithRefreshedPrices } = await import('../../catalog/load.js');
  const store = await openStore(ctx.config, ctx.env);
  const catalog = await ctx.progress.step('Loaded catalogs', () => loadCatalogWithRefreshedPrices(ctx.config.catalogDir, store, (m) => ctx.stderr.write(`rightsize: ignoring refreshed prices: ${m}\n`)));
  try {
    if (isoWeek === undefined && !(await store.latestSnapshot())) throw noSnapshotError(ctx.config.dataDir);
    const ledger = await openSpendLedger(ctx.config, ctx.env);
    const file = await writeReportFiles(ctx, store, catalog, ctx.config, ctx.flags.out ?? ctx.config.dataDir, isoWeek, ledger).finally(() => ledger.close());
    const base = file.slice(0, -'.html'.length);
    ctx.stdout.write(ctx.flags.json ? `${JSON.stringify({ html: file, markdown: `${base}.md`, json: `${base}.json` })}\n` : `Weekly report: ${file} (also .md and .json)\n`);
    return 0;
  } finally {
    await store.close();
  }
};
