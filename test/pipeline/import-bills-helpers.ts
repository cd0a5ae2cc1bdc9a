/**
 * Shared pieces of the importBills acceptance tests: the real FOCUS 1.0 sample split into sources, re-written as
 * CSV, gzip CSV or Parquet, summed independently (csv-parse + Number, never the importer's code), and a real SQLite
 * spend ledger in a temp directory (for each test, with the servers it started closed after it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { openSqliteSpendLedger, type SqliteSpendLedger } from '../../src/store/spend/sqlite-spend-ledger.js';
import { focus10Types, focusParquet, sampleRecords, toCsv } from '../billing/focus/sample-helpers.js';

export { toCsv };

/** The sample: header and string records as csv-parse reads them. */
export const SAMPLE = sampleRecords();
export const HEADER = SAMPLE.header;
const col = (name: string) => {
  const i = HEADER.indexOf(name);
  if (i < 0) throw new Error(`sample has no ${name} column`);
  return i;
};
export const cell = (r: readonly string[], name: string) => r[col(name)] ?? '';

/** Records of one provider (and, when given, one BillingPeriodStart month). */
export function recordsOf(provider: string, month?: string): string[][] {
  return SAMPLE.records.filter((r) => cell(r, 'ProviderName') === provider && (month === undefined || cell(r, 'BillingPeriodStart').startsWith(month)));
}

const DATE_COLUMNS = HEADER.filter((h) => focus10Types().get(h) === 'Date/Time');

/** The records moved `months` earlier: every Date/Time cell's year-month shifted (sample days are ≤ 30, so any month holds them). */
export function shiftMonths(records: readonly (readonly string[])[], months: number): string[][] {
  return records.map((r) => {
    const out = [...r];
    for (const name of DATE_COLUMNS) {
      const v = out[col(name)] ?? '';
      const m = /^(\d{4})-(\d{2})(.*)$/.exec(v);
      if (!m) continue;
      const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1 - months, 1));
      out[col(name)] = `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}${m[3]}`;
    }
    return out;
  });
}

/** Independent sums of records: BilledCost and EffectiveCost by Number(), and how many. */
export interface Sums {
  billed: number;
  effective: number;
  rows: number;
}

export function sumsOf(records: readonly (readonly string[])[]): Sums {
  const n = (v: string) => (v === '' || v.toUpperCase() === 'NULL' ? 0 : Number(v));
  return records.reduce((s, r) => ({ billed: s.billed + n(cell(r, 'BilledCost')), effective: s.effective + n(cell(r, 'EffectiveCost')), rows: s.rows + 1 }), { billed: 0, effective: 0, rows: 0 });
}

export function addSums(...all: Sums[]): Sums {
  return all.reduce((a, b) => ({ billed: a.billed + b.billed, effective: a.effective + b.effective, rows: a.rows + b.rows }), { billed: 0, effective: 0, rows: 0 });
}

/** Records as FOCUS 1.0 Parquet (hyparquet-writer): Decimal as DOUBLE, Date/Time as UTC micros, the rest UTF8. */
export const parquetOf = (records: readonly (readonly string[])[]) => focusParquet(HEADER, records, { rowGroupSize: 200 });

/** Records as CSV text (header included). */
export const csvOf = (records: readonly (readonly string[])[]) => toCsv(HEADER, records);

/** A real SQLite spend ledger in a fresh temp directory; `dispose` closes it and removes the directory. */
export function tempLedger(): { ledger: SqliteSpendLedger; dir: string; dispose(): Promise<void> } {
  const dir = mkdtempSync(path.join(tmpdir(), 'rightsize-import-bills-'));
  const ledger = openSqliteSpendLedger({ dataDir: path.join(dir, 'data') });
  return {
    ledger,
    dir,
    async dispose() {
      await ledger.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A fresh tempLedger for each test of the calling file (beforeEach), disposed after it (afterEach) once the test's
 * `closers` (servers it started) have run, in order. `ledger` and `dir` are the running test's.
 */
export function tempLedgerPerTest(): { readonly ledger: SqliteSpendLedger; readonly dir: string; closers: (() => Promise<void>)[] } {
  let t: ReturnType<typeof tempLedger> | undefined;
  const closers: (() => Promise<void>)[] = [];
  beforeEach(() => {
    t = tempLedger();
    closers.length = 0;
  });
  afterEach(async () => {
    for (const close of closers) await close();
    await t?.dispose();
  });
  const current = () => {
    if (!t) throw new Error('tempLedgerPerTest: used outside a test');
    return t;
  };
  return {
    get ledger() {
      return current().ledger;
    },
    get dir() {
      return current().dir;
    },
    closers,
  };
}

/** Sums of the ledger's rows per dataset: billed, effective, FOCUS rows folded (rowCount) and ledger lines. */
export async function ledgerTotals(ledger: SqliteSpendLedger): Promise<Map<string, Sums & { lines: number }>> {
  const out = new Map<string, Sums & { lines: number }>();
  for (const r of await ledger.rowsBetween('2000-01-01', '2099-12-31')) {
    const t = out.get(r.datasetId) ?? { billed: 0, effective: 0, rows: 0, lines: 0 };
    t.billed += r.billedCostUsd;
    t.effective += r.effectiveCostUsd;
    t.rows += r.rowCount;
    t.lines += 1;
    out.set(r.datasetId, t);
  }
  return out;
}

/** Any HTTP request at all fails the test: a server standing where an export must not be read from. */
export async function startTripwireServer() {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.writeHead(500).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, close: () => new Promise<void>((r) => server.close(() => r())) };
}
