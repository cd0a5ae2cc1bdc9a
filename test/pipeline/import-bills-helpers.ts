/**
 * Shared pieces of the importBills acceptance tests: the real FOCUS 1.0 sample split into sources, re-written as
 * CSV, gzip CSV or Parquet, summed independently (csv-parse + Number, never the importer's code), and a real SQLite
 * spend ledger in a temp directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { openSqliteSpendLedger, type SqliteSpendLedger } from '../../src/store/spend/sqlite-spend-ledger.js';
import { focus10Types, sampleRecords, sampleTimeMs, toCsv } from '../billing/focus/sample-helpers.js';

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

const isNull = (v: string) => v === '' || v.toUpperCase() === 'NULL';

/** Records as FOCUS 1.0 Parquet (hyparquet-writer): Decimal as DOUBLE, Date/Time as UTC micros, the rest UTF8. */
export function parquetOf(records: readonly (readonly string[])[]): Uint8Array {
  const types = focus10Types();
  const schema: Record<string, unknown>[] = [{ name: 'root', num_children: HEADER.length }];
  const columnData = HEADER.map((name, c) => {
    const type = types.get(name) ?? 'String';
    const cells = records.map((r) => r[c] ?? '');
    if (type === 'Decimal') {
      schema.push({ name, type: 'DOUBLE', repetition_type: 'OPTIONAL' });
      return { name, data: cells.map((v) => (isNull(v) ? null : Number(v))) };
    }
    if (type === 'Date/Time') {
      schema.push({ name, type: 'INT64', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' }, repetition_type: 'OPTIONAL' });
      return { name, data: cells.map((v) => (isNull(v) ? null : new Date(sampleTimeMs(v)))) };
    }
    schema.push({ name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' });
    return { name, data: cells.map((v) => (isNull(v) ? null : v)) };
  });
  return new Uint8Array(parquetWriteBuffer({ columnData, schema: schema as never, rowGroupSize: 200 }));
}

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
