import type { ProblemSummary } from '../../domain/spend.js';
import type { BillingObject } from '../source.js';
import type { FocusCharge } from './charge.js';
import type { FocusVersion } from './columns.js';
import { readCsvBatches } from './csv.js';
import { detectFormat, type DetectedFormat } from './format.js';
import { LEDGER_SKIPPED_COLUMNS, readParquetBatches } from './parquet.js';
import { mergeProblems } from './problems.js';
import { ReadTally } from './tally.js';

export { FocusSchemaError } from './errors.js';
export type { FocusVersion } from './columns.js';

export interface ReadFocusOptions {
  signal?: AbortSignal;
  /** Most charges per batch (default 8192): bounds the memory a consumer holds at once. */
  batchRows?: number;
  /**
   * `ledger`: skip the Parquet columns the spend ledger does not use (LEDGER_SKIPPED_COLUMNS come back empty, NaN
   * for numbers), a quarter less to decode; `all` (default) reads every column a FocusCharge has.
   */
  fields?: 'all' | 'ledger';
}

/** How one object read: counts, problems and what the header said. Complete once the batches are exhausted. */
export interface FocusReadReport {
  file: string;
  format: 'csv' | 'parquet';
  compression: 'none' | 'gzip';
  focusVersion: FocusVersion;
  rowsRead: number;
  rowsAccepted: number;
  problems: ProblemSummary[];
  /** Columns FOCUS 1.0–1.2 does not define, other than `x_` custom columns (e.g. the FOCUS sample's `Id`). */
  extraColumns: string[];
  /** Latest ChargePeriodEnd of an accepted row (epoch ms): the file is complete up to here. */
  dataThroughMs?: number;
  /** YYYY-MM of every BillingPeriodStart seen in accepted rows, sorted. */
  billingPeriods: string[];
}

export const DEFAULT_BATCH_ROWS = 8192;

/**
 * Streams the validated charges of one CSV, gzip CSV or Parquet object in batches. Rows that break a FOCUS rule
 * are counted in the report (rejected or repaired, with examples); a file-level problem (not CSV/Parquet, a
 * mandatory column missing) throws FocusSchemaError from the iteration. `report()` is complete once the iterator is done.
 * @example
 * const read = readFocusObject(obj);
 * for await (const batch of read.batches) aggregator.add(batch);
 * console.log(read.report().rowsAccepted);
 */
export function readFocusObject(obj: BillingObject, options: ReadFocusOptions = {}): { batches: AsyncIterable<FocusCharge[]>; report(): FocusReadReport } {
  const batchRows = Math.max(1, Math.floor(options.batchRows ?? DEFAULT_BATCH_ROWS));
  const { signal } = options;
  const tally = new ReadTally(obj.name);
  let detected: DetectedFormat = { format: obj.name.toLowerCase().endsWith('.parquet') ? 'parquet' : 'csv', compression: /\.gz$/i.test(obj.name) ? 'gzip' : 'none' };

  async function* batches(): AsyncGenerator<FocusCharge[]> {
    signal?.throwIfAborted();
    detected = await detectFormat(obj, signal);
    if (detected.format === 'parquet') {
      yield* readParquetBatches(obj, tally, batchRows, signal, options.fields === 'ledger' ? LEDGER_SKIPPED_COLUMNS : undefined);
    } else {
      yield* readCsvBatches(await obj.stream(signal), detected.compression === 'gzip', tally, batchRows, signal);
    }
  }

  return {
    batches: { [Symbol.asyncIterator]: () => batches() },
    report: () => ({
      file: obj.name,
      format: detected.format,
      compression: detected.compression,
      focusVersion: tally.version,
      rowsRead: tally.rowsRead,
      rowsAccepted: tally.rowsAccepted,
      problems: tally.problems.summaries(),
      extraColumns: [...tally.extraColumns],
      ...(Number.isFinite(tally.maxChargePeriodEndMs) ? { dataThroughMs: tally.maxChargePeriodEndMs } : {}),
      billingPeriods: tally.billingPeriods(),
    }),
  };
}

/** Several objects' reports as one (an import of a billing period that spans files). */
export type MergedFocusReport = Omit<FocusReadReport, 'file' | 'format' | 'compression' | 'focusVersion'> & {
  files: string[];
  formats: FocusReadReport['format'][];
  /** The one version all files share, else the versions seen joined with `+` (`1.0+1.2`); '' for no files. */
  focusVersion: string;
};

/** Sums reports: counts added, problems summed per kind with ≤5 examples, latest dataThrough, union of periods. */
export function mergeReports(reports: readonly FocusReadReport[]): MergedFocusReport {
  const through = reports.map((r) => r.dataThroughMs).filter((t): t is number => t !== undefined);
  const sortedUnique = <T extends string>(xs: T[]) => [...new Set(xs)].sort();
  return {
    files: reports.map((r) => r.file),
    formats: sortedUnique(reports.map((r) => r.format)),
    focusVersion: sortedUnique(reports.map((r) => r.focusVersion)).join('+'),
    rowsRead: reports.reduce((s, r) => s + r.rowsRead, 0),
    rowsAccepted: reports.reduce((s, r) => s + r.rowsAccepted, 0),
    problems: mergeProblems(reports.map((r) => r.problems)),
    extraColumns: sortedUnique(reports.flatMap((r) => r.extraColumns)),
    ...(through.length > 0 ? { dataThroughMs: Math.max(...through) } : {}),
    billingPeriods: sortedUnique(reports.flatMap((r) => r.billingPeriods)),
  };
}
