/**
 * Test helpers for the FOCUS reader: the real FOCUS 1.0 sample parsed independently (csv-parse + Number, not the
 * reader's code), re-written as CSV or Parquet, and summed per provider and per UTC day.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { FocusCharge } from '../../../src/billing/focus/charge.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const SAMPLE_CSV = path.join(root, 'test/fixtures/billing/focus-1.0-sample-1000rows.csv');
export const VALIDATOR_PARQUET = path.join(root, 'test/fixtures/billing/focus_validator-sample.parquet');
export const AZURE_12_SCHEMA = path.join(root, 'test/fixtures/billing/azure-export-schema-focuscost_1.2.json');

/** The sample as header + string records, straight from csv-parse. */
export function sampleRecords(): { header: string[]; records: string[][] } {
  const all = parse(readFileSync(SAMPLE_CSV), { bom: true }) as string[][];
  const [header, ...records] = all;
  if (!header) throw new Error('sample has no header');
  return { header, records };
}

/** Each FOCUS 1.0 column's data type from the spec table (data/focus/focus-columns-1.0.csv), read here independently. */
export function focus10Types(): Map<string, string> {
  const rows = parse(readFileSync(path.join(root, 'data/focus/focus-columns-1.0.csv')), { columns: true }) as { column: string; data_type: string }[];
  return new Map(rows.map((r) => [r.column, r.data_type]));
}

/** RFC 4180 CSV with every field quoted. */
export function toCsv(header: readonly string[], records: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => cells.map((c) => `"${c.replaceAll('"', '""')}"`).join(',');
  return [line(header), ...records.map(line)].join('\r\n') + '\r\n';
}

const isNull = (cell: string) => cell === '' || cell.toUpperCase() === 'NULL';
/** `2024-09-18 22:00:00` (UTC, no zone) → epoch ms, by Date.parse of the ISO form. */
export const sampleTimeMs = (cell: string) => Date.parse(`${cell.replace(' ', 'T')}Z`);

/**
 * The sample as Parquet written by hyparquet-writer: Decimal columns as DOUBLE, Date/Time as INT64 TIMESTAMP
 * (micros, UTC), the rest as UTF8 strings; nulls as Parquet nulls. `tagsAsMap` writes Tags as `map<string,string>`
 * (AWS's FOCUS export type).
 */
export function sampleParquet(options: { rowGroupSize: number; tagsAsMap: boolean }): Uint8Array {
  const { header, records } = sampleRecords();
  return focusParquet(header, records, options);
}

/**
 * FOCUS 1.0 string records (header + rows, as csv-parse reads them) as Parquet written by hyparquet-writer, typed by
 * the spec table as sampleParquet describes: empty and `NULL` cells become Parquet nulls; `tagsAsMap` (default false)
 * writes Tags as `map<string,string>`, otherwise as a UTF8 string.
 */
export function focusParquet(header: readonly string[], records: readonly (readonly string[])[], options: { rowGroupSize: number; tagsAsMap?: boolean }): Uint8Array {
  const types = focus10Types();
  const schema: Record<string, unknown>[] = [{ name: 'root', num_children: header.length }];
  const columnData = header.map((name, c) => {
    const type = types.get(name) ?? 'String';
    const cells = records.map((r) => r[c] ?? '');
    if (name === 'Tags' && options.tagsAsMap) {
      schema.push(
        { name, converted_type: 'MAP', repetition_type: 'OPTIONAL', num_children: 1 },
        { name: 'key_value', repetition_type: 'REPEATED', num_children: 2 },
        { name: 'key', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
        { name: 'value', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
      );
      const data = cells.map((v) => (isNull(v) ? null : Object.fromEntries(Object.entries(JSON.parse(v) as Record<string, unknown>).map(([k, x]) => [k, String(x)]))));
      return { name, data };
    }
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
  // The writer's types are structural; the schema above is plain parquet-format SchemaElements.
  return new Uint8Array(parquetWriteBuffer({ columnData, schema: schema as never, rowGroupSize: options.rowGroupSize }));
}

export interface Totals { billed: Map<string, number>; effective: Map<string, number> }

function add(m: Map<string, number>, k: string, v: number) {
  m.set(k, (m.get(k) ?? 0) + v);
}

/** BilledCost and EffectiveCost summed per `provider` and per `day:YYYY-MM-DD` of ChargePeriodStart, from the CSV cells. */
export function independentTotals(header: readonly string[], records: readonly (readonly string[])[]): Totals {
  const col = (name: string) => header.indexOf(name);
  const [p, s, b, e] = [col('ProviderName'), col('ChargePeriodStart'), col('BilledCost'), col('EffectiveCost')];
  const totals: Totals = { billed: new Map(), effective: new Map() };
  for (const r of records) {
    const keys = [`provider:${r[p]}`, `day:${(r[s] ?? '').slice(0, 10)}`];
    for (const k of keys) {
      add(totals.billed, k, Number(r[b]));
      add(totals.effective, k, Number(r[e]));
    }
  }
  return totals;
}

/** The same sums over the reader's charges. */
export function chargeTotals(charges: readonly FocusCharge[]): Totals {
  const totals: Totals = { billed: new Map(), effective: new Map() };
  for (const c of charges) {
    const keys = [`provider:${c.provider}`, `day:${new Date(c.chargePeriodStartMs).toISOString().slice(0, 10)}`];
    for (const k of keys) {
      add(totals.billed, k, c.billedCost);
      add(totals.effective, k, c.effectiveCost);
    }
  }
  return totals;
}

/** Relative difference, treating two values within 1e-15 of zero as equal. */
export function relDiff(a: number, b: number): number {
  const scale = Math.max(Math.abs(a), Math.abs(b));
  return scale < 1e-15 ? 0 : Math.abs(a - b) / scale;
}
