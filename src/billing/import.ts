import { SPEND_KEY_FIELDS, SPEND_SUM_FIELDS, type ProblemSummary, type SpendImport, type SpendRow } from '../domain/spend.js';
import type { SpendLedger } from '../store/spend/spend-ledger.js';
import { readFocusObject, mergeReports } from './focus/read.js';
import type { FocusReadReport } from './focus/read.js';
import { SpendAggregator } from './ledger/aggregate.js';
import { compareSpendRows } from './ledger/order.js';
import type { BillingSource } from './source.js';

/** How one billing period of one dataset went: imported (with its record) or failed (the ledger kept what it had). */
export type PeriodOutcome =
  | { status: 'imported'; record: SpendImport }
  | { status: 'failed'; datasetId: string; billingPeriod?: string; files: string[]; error: string };

export interface ImportOptions {
  exchangeRatesToUsd: Record<string, number>;
  nowMs: number;
  /** Newest billing periods to import (the layout's order); all when absent. */
  periods?: number;
  signal?: AbortSignal;
  onProgress?: (line: string) => void;
}

/**
 * Imports a FOCUS export: each billing period's current files are read (streamed, validated), aggregated to daily
 * ledger lines and written with `replacePeriod`, so re-importing a rewritten export replaces, never adds. Where the
 * layout names the period (a folder per period), everything its files hold is that period's; otherwise the rows'
 * BillingPeriodStart decides. A period whose files cannot be read (a missing required column, an unreadable object)
 * fails alone: the ledger keeps its previous import of that period and the other periods still land.
 */
export async function importFocusExport(source: BillingSource, ledger: SpendLedger, options: ImportOptions): Promise<PeriodOutcome[]> {
  const all = await source.periods(options.signal);
  const chosen = options.periods === undefined ? all : newestFirst(all).slice(0, options.periods);
  const outcomes: PeriodOutcome[] = [];
  for (const group of chosen) {
    const files = group.objects.map((o) => o.name);
    try {
      const aggregator = new SpendAggregator({ exchangeRatesToUsd: options.exchangeRatesToUsd });
      const reports: FocusReadReport[] = [];
      for (const object of group.objects) {
        options.signal?.throwIfAborted();
        const read = readFocusObject(object, { fields: 'ledger', ...(options.signal ? { signal: options.signal } : {}) });
        for await (const batch of read.batches) aggregator.add(batch);
        const report = read.report();
        reports.push(report);
        options.onProgress?.(`${object.name}: FOCUS ${report.focusVersion} ${report.format}, ${report.rowsAccepted} of ${report.rowsRead} rows accepted`);
      }
      const merged = mergeReports(reports);
      const { byPeriod, notes } = group.billingPeriod ? claimedByFolder(group.billingPeriod, aggregator.byBillingPeriod()) : { byPeriod: aggregator.byBillingPeriod(), notes: [] };
      if (group.note) notes.unshift(group.note);
      if (byPeriod.size === 0) {
        // Nothing to file under any period: say why rather than report nothing.
        const problems = [...merged.problems, ...aggregator.problems()].filter((p) => p.effect === 'rejected');
        throw new Error(merged.rowsRead === 0 ? 'the files hold no rows' : `all ${merged.rowsRead} rows were rejected (${problems.map((p) => `${p.count} × ${p.kind}${p.examples[0] ? `: ${p.examples[0].message}` : ''}`).join('; ')})`);
      }
      for (const [billingPeriod, rows] of [...byPeriod.entries()].sort(([a], [b]) => a.localeCompare(b))) {
        const record = importRecord({
          datasetId: source.datasetId, billingPeriod, via: reports.some((r) => r.format === 'parquet') ? 'focus-parquet' : 'focus-csv',
          focusVersion: merged.focusVersion, bases: ['billed', 'amortized'], files, rows,
          // Accepted: this period's rows; read and problems: the files' (a file may hold several periods).
          rowsRead: merged.rowsRead, rowsAccepted: rows.reduce((n, r) => n + r.rowCount, 0), problems: [...merged.problems, ...aggregator.problems()],
          nowMs: options.nowMs, ...(periodThroughMs(merged.dataThroughMs, rows) !== undefined ? { dataThroughMs: periodThroughMs(merged.dataThroughMs, rows) as number } : {}), ...(notes.length > 0 ? { notes } : {}),
        });
        await ledger.replacePeriod(record, rows);
        outcomes.push({ status: 'imported', record });
      }
    } catch (err) {
      outcomes.push({ status: 'failed', datasetId: source.datasetId, ...(group.billingPeriod ? { billingPeriod: group.billingPeriod } : {}), files, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return outcomes;
}

/**
 * Writes rows a cost API or a pushed-down query returned, one `replacePeriod` per month they cover; a month the
 * answer covers only in part (the window's first and last) is replaced by what was asked, so the caller asks for
 * whole months or accepts that the ledger holds the part.
 */
export async function importSpendRows(ledger: SpendLedger, input: { datasetId: string; via: SpendImport['via']; bases: SpendImport['bases']; rows: readonly (SpendRow & { billingPeriod?: string })[]; nowMs: number; files?: string[]; problems?: ProblemSummary[]; emptyPeriods?: string[] }): Promise<PeriodOutcome[]> {
  const byPeriod = new Map<string, SpendRow[]>();
  // Periods the query asked for claim their place even when the answer is empty (a bill rewritten to nothing).
  for (const p of input.emptyPeriods ?? []) byPeriod.set(p, []);
  for (const r of input.rows) {
    const { billingPeriod, ...row } = r;
    const key = billingPeriod ?? r.day.slice(0, 7);
    const list = byPeriod.get(key) ?? [];
    list.push(row);
    byPeriod.set(key, list);
  }
  const outcomes: PeriodOutcome[] = [];
  for (const [billingPeriod, rows] of [...byPeriod.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const rowCount = rows.reduce((n, r) => n + r.rowCount, 0);
    const record = importRecord({ datasetId: input.datasetId, billingPeriod, via: input.via, bases: input.bases, files: input.files ?? [], rows, rowsRead: rowCount, rowsAccepted: rowCount, problems: input.problems ?? [], nowMs: input.nowMs });
    await ledger.replacePeriod(record, rows);
    outcomes.push({ status: 'imported', record });
  }
  return outcomes;
}

function importRecord(input: {
  datasetId: string; billingPeriod: string; via: SpendImport['via']; focusVersion?: string; bases: SpendImport['bases']; files: string[]; rows: readonly SpendRow[];
  rowsRead: number; rowsAccepted: number; problems: ProblemSummary[]; nowMs: number; dataThroughMs?: number; notes?: string[];
}): SpendImport {
  let firstDay: string | undefined;
  let lastDay: string | undefined;
  for (const r of input.rows) {
    if (firstDay === undefined || r.day < firstDay) firstDay = r.day;
    if (lastDay === undefined || r.day > lastDay) lastDay = r.day;
  }
  // Without ChargePeriodEnd (cost APIs), the bill is complete through the end of its last day.
  const dataThroughMs = input.dataThroughMs ?? (lastDay ? Date.parse(`${lastDay}T00:00:00Z`) + 86_400_000 : undefined);
  return {
    datasetId: input.datasetId, billingPeriod: input.billingPeriod, via: input.via, ...(input.focusVersion ? { focusVersion: input.focusVersion } : {}), bases: input.bases,
    files: input.files, rowsRead: input.rowsRead, rowsAccepted: input.rowsAccepted, ledgerRows: input.rows.length, problems: input.problems, importedAtMs: input.nowMs,
    ...(dataThroughMs !== undefined ? { dataThroughMs } : {}), ...(firstDay ? { firstDay } : {}), ...(lastDay ? { lastDay } : {}), ...(input.notes ? { notes: input.notes } : {}),
  };
}

/**
 * The rows of files a layout files under one period (an S3 `BILLING_PERIOD=` folder, a Blob date range, a GCS path),
 * as that one period: the folder is what `replacePeriod` replaces, so it claims the period even when empty (an export
 * rewritten to nothing clears it), and a row billed to another period (a late charge with the next BillingPeriodStart)
 * stays with its folder, folded into the same ledger lines. Writing it under its own period would replace that
 * period's whole import, imported from its own folder, with this one row.
 */
function claimedByFolder(period: string, byPeriod: Map<string, SpendRow[]>): { byPeriod: Map<string, SpendRow[]>; notes: string[] } {
  const notes: string[] = [];
  const lines = new Map<string, SpendRow>();
  for (const [billedTo, rows] of byPeriod) {
    if (billedTo !== period) {
      const n = rows.reduce((sum, r) => sum + r.rowCount, 0);
      notes.push(`${n} ${n === 1 ? 'row' : 'rows'} billed to ${billedTo} (BillingPeriodStart) kept with ${period}, the period whose files hold ${n === 1 ? 'it' : 'them'}`);
    }
    for (const row of rows) {
      const key = SPEND_KEY_FIELDS.map((f) => row[f]).join('\u0000');
      const have = lines.get(key);
      if (!have) lines.set(key, { ...row });
      else for (const f of SPEND_SUM_FIELDS) have[f] += row[f];
    }
  }
  return { byPeriod: new Map([[period, [...lines.values()].sort(compareSpendRows)]]), notes };
}

function newestFirst<T extends { billingPeriod?: string }>(groups: readonly T[]): T[] {
  return [...groups].sort((a, b) => (b.billingPeriod ?? '9999').localeCompare(a.billingPeriod ?? '9999'));
}

/** A period's freshness: the files' latest ChargePeriodEnd, but no later than the end of the period's own last day. */
function periodThroughMs(filesThroughMs: number | undefined, rows: readonly SpendRow[]): number | undefined {
  if (filesThroughMs === undefined) return undefined;
  let lastDay = '';
  for (const r of rows) if (r.day > lastDay) lastDay = r.day;
  return lastDay === '' ? filesThroughMs : Math.min(filesThroughMs, Date.parse(`${lastDay}T00:00:00Z`) + 86_400_000);
}
