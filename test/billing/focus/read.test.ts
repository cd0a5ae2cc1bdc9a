import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { FocusCharge } from '../../../src/billing/focus/charge.js';
import { FocusSchemaError, type FocusReadReport, mergeReports, readFocusObject } from '../../../src/billing/focus/read.js';
import { localBillingObject } from '../../../src/billing/local-source.js';
import type { BillingObject } from '../../../src/billing/source.js';
import { chargeTotals, independentTotals, relDiff, SAMPLE_CSV, sampleParquet, sampleRecords, type Totals, toCsv, VALIDATOR_PARQUET } from './sample-helpers.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'rightsize-focus-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** An in-memory object that counts its ranged reads (to show Parquet is read by row group, not whole). */
function memoryObject(name: string, bytes: Uint8Array): BillingObject & { ranges: [number, number][] } {
  const ranges: [number, number][] = [];
  return {
    name, sizeBytes: bytes.length, ranges,
    readRange: async (start, end) => {
      ranges.push([start, end]);
      return bytes.slice(start, end);
    },
    stream: async () => Readable.from([Buffer.from(bytes)]),
  };
}

async function readAll(obj: BillingObject, batchRows?: number): Promise<{ charges: FocusCharge[]; report: FocusReadReport; batchSizes: number[] }> {
  const read = readFocusObject(obj, batchRows === undefined ? {} : { batchRows });
  const charges: FocusCharge[] = [];
  const batchSizes: number[] = [];
  for await (const batch of read.batches) {
    batchSizes.push(batch.length);
    charges.push(...batch);
  }
  return { charges, report: read.report(), batchSizes };
}

function expectTotalsEqual(actual: Totals, expected: Totals) {
  for (const basis of ['billed', 'effective'] as const) {
    expect([...actual[basis].keys()].sort()).toEqual([...expected[basis].keys()].sort());
    for (const [k, v] of expected[basis]) expect(relDiff(actual[basis].get(k) ?? Number.NaN, v), `${basis} ${k}`).toBeLessThanOrEqual(1e-9);
  }
}

const count = <T>(xs: readonly T[], key: (x: T) => string) => xs.reduce((m, x) => m.set(key(x), (m.get(key(x)) ?? 0) + 1), new Map<string, number>());

describe('the real FOCUS 1.0 sample (1000 rows)', async () => {
  const { header, records } = sampleRecords();
  const expected = independentTotals(header, records);
  const csv = await readAll(await localBillingObject(SAMPLE_CSV));

  it('reads every row as a FOCUS 1.0 CSV with the extra Id column', () => {
    expect(csv.report).toMatchObject({ format: 'csv', compression: 'none', focusVersion: '1.0', rowsRead: 1000, rowsAccepted: 1000, extraColumns: ['Id'], billingPeriods: ['2024-09', '2024-10'] });
    expect(csv.charges).toHaveLength(1000);
    // Latest ChargePeriodEnd in the file, found by scanning the cells.
    const endCol = header.indexOf('ChargePeriodEnd');
    const latest = records.map((r) => r[endCol] ?? '').sort().at(-1) ?? '';
    expect(csv.report.dataThroughMs).toBe(Date.parse(`${latest.replace(' ', 'T')}Z`));
  });

  it('sums BilledCost and EffectiveCost per provider and per UTC day like an independent parse', () => {
    expectTotalsEqual(chargeTotals(csv.charges), expected);
    expect(expected.billed.get('provider:AWS')).toBeGreaterThan(0);
    expect([...expected.billed.keys()].filter((k) => k.startsWith('provider:')).sort()).toEqual(['provider:AWS', 'provider:Microsoft', 'provider:Oracle']);
  });

  it('counts charge categories, providers and Savings Plan rows as the sample README says', () => {
    expect(Object.fromEntries(count(csv.charges, (c) => c.chargeCategory))).toEqual({ Usage: 997, Adjustment: 2, Credit: 1 });
    expect(Object.fromEntries(count(csv.charges, (c) => c.provider))).toEqual({ AWS: 942, Microsoft: 51, Oracle: 7 });
    expect(csv.charges.filter((c) => c.commitmentDiscountType === 'Savings Plan')).toHaveLength(4);
    expect(Object.fromEntries(count(csv.charges, (c) => c.pricingCategory))).toEqual({ Standard: 988, Committed: 4, Other: 1, '': 7 });
  });

  it('reads NULL text as null: 7 null ContractedCost → 0, null Tags → {}, every row counted once as null-string', () => {
    const cc = header.indexOf('ContractedCost');
    const nullRows = records.flatMap((r, i) => (r[cc] === 'NULL' ? [i] : []));
    expect(nullRows).toHaveLength(7);
    for (const i of nullRows) expect(csv.charges[i]?.contractedCost).toBe(0);
    const tagsCol = header.indexOf('Tags');
    expect(csv.charges.filter((c) => c.tagsJson === '{}')).toHaveLength(records.filter((r) => r[tagsCol] === 'NULL').length);
    // ChargeClass is NULL on all 1000 rows: 1000 rows repaired, counted per row, not per cell.
    expect(csv.report.problems).toEqual([expect.objectContaining({ kind: 'null-string', effect: 'repaired', count: 1000 })]);
    expect(csv.report.problems[0]?.examples).toHaveLength(5);
    expect(csv.report.problems[0]?.examples[0]).toMatchObject({ file: SAMPLE_CSV, row: 1, value: 'NULL' });
  });

  it('writes tags canonically: keys sorted, values as strings', () => {
    const tagsCol = header.indexOf('Tags');
    const i = records.findIndex((r) => (r[tagsCol] ?? '').startsWith('{"application"'));
    expect(i).toBeGreaterThanOrEqual(0);
    const raw = JSON.parse(records[i]?.[tagsCol] ?? '') as Record<string, string>;
    const sortedKeys = Object.keys(raw).sort();
    expect(Object.keys(JSON.parse(csv.charges[i]?.tagsJson ?? '') as object)).toEqual(sortedKeys);
    expect(csv.charges[i]?.tagsJson).toBe(JSON.stringify(Object.fromEntries(sortedKeys.map((k) => [k, raw[k]]))));
  });

  it('reads the same charges from the gzipped sample (detected by magic bytes)', async () => {
    const gz = path.join(tmp, 'sample.csv.gz');
    writeFileSync(gz, gzipSync(readFileSync(SAMPLE_CSV)));
    const read = await readAll(await localBillingObject(gz));
    expect(read.report).toMatchObject({ format: 'csv', compression: 'gzip', rowsRead: 1000, rowsAccepted: 1000 });
    expect(read.charges).toEqual(csv.charges);
    // A gzip file named like plain CSV is still gunzipped.
    const disguised = await readAll(memoryObject('export.csv', gzipSync(readFileSync(SAMPLE_CSV))));
    expect(disguised.charges).toEqual(csv.charges);
  });

  for (const tagsAsMap of [false, true]) {
    it(`reads the sample written as Parquet (typed columns, Tags as ${tagsAsMap ? 'map<string,string>' : 'JSON text'}) in 4 row groups`, async () => {
      const obj = memoryObject('sample.parquet', sampleParquet({ rowGroupSize: 300, tagsAsMap }));
      const read = await readAll(obj, 250);
      expect(read.report).toMatchObject({ format: 'parquet', focusVersion: '1.0', rowsRead: 1000, rowsAccepted: 1000, extraColumns: ['Id'], billingPeriods: ['2024-09', '2024-10'] });
      // Row groups of 300, 300, 300, 100, each cut into batches of ≤ 250.
      expect(read.batchSizes).toEqual([250, 50, 250, 50, 250, 50, 100]);
      expectTotalsEqual(chargeTotals(read.charges), expected);
      // Typed Parquet gives the same charges as the CSV text, field by field (Parquet has real nulls: no NULL text).
      expect(read.charges).toEqual(csv.charges);
      expect(read.report.problems).toEqual([]);
      // The magic bytes, the footer (hyparquet's first fetch takes up to 512 KiB: the whole of this small file), then
      // the column chunks of each row group as it is read.
      expect(obj.ranges.length).toBeGreaterThanOrEqual(2 + 4);
    });
  }

  it('counts injected bad rows under their kind, names row and column, and keeps every other row', async () => {
    const bad = records.map((r) => [...r]);
    const col = (name: string) => header.indexOf(name);
    const set = (row: number, name: string, value: string) => {
      (bad[row - 1] as string[])[col(name)] = value;
    };
    set(10, 'ChargePeriodStart', '2024-13-45 00:00:00');
    set(20, 'BilledCost', '12,50');
    set(30, 'ChargeCategory', 'Refund');
    set(40, 'BilledCost', 'NULL');
    const start41 = records[49]?.[col('ChargePeriodStart')] ?? '';
    set(50, 'ChargePeriodEnd', new Date(sampleMs(start41) - 3_600_000).toISOString().replace('T', ' ').slice(0, 19));
    set(60, 'Tags', '["not", "an object"]');
    set(70, 'ChargeCategory', 'usage'); // Google's FOCUS view writes lower case: normalized, not rejected
    const read = await readAll(memoryObject('bad.csv', Buffer.from(toCsv(header, bad))));
    expect(read.report.rowsRead).toBe(1000);
    expect(read.report.rowsAccepted).toBe(995);
    const byKind = Object.fromEntries(read.report.problems.map((p) => [`${p.kind}/${p.effect}`, p]));
    const example = (key: string) => byKind[key]?.examples[0];
    expect(byKind['bad-date/rejected']?.count).toBe(1);
    expect(example('bad-date/rejected')).toMatchObject({ file: 'bad.csv', row: 10, column: 'ChargePeriodStart', value: '2024-13-45 00:00:00' });
    expect(byKind['bad-number/rejected']?.count).toBe(1);
    expect(example('bad-number/rejected')).toMatchObject({ row: 20, column: 'BilledCost', value: '12,50' });
    expect(byKind['unknown-charge-category/rejected']?.count).toBe(1);
    expect(example('unknown-charge-category/rejected')).toMatchObject({ row: 30, column: 'ChargeCategory', value: 'Refund' });
    expect(byKind['missing-required/rejected']?.count).toBe(1);
    expect(example('missing-required/rejected')).toMatchObject({ row: 40, column: 'BilledCost', value: 'NULL' });
    expect(byKind['period-order/rejected']?.count).toBe(1);
    expect(example('period-order/rejected')).toMatchObject({ row: 50, column: 'ChargePeriodEnd' });
    expect(byKind['bad-value/repaired']?.count).toBe(1);
    expect(example('bad-value/repaired')).toMatchObject({ row: 60, column: 'Tags', value: '["not", "an object"]' });
    for (const p of read.report.problems) for (const e of p.examples) expect(e.message.length).toBeGreaterThan(0);
    // Every surviving row is the clean read's row (row 60 with its tags repaired to {}).
    const rejected = new Set([10, 20, 30, 40, 50]);
    const expectedCharges = csv.charges.flatMap((c, i) => (rejected.has(i + 1) ? [] : [i + 1 === 60 ? { ...c, tagsJson: '{}' } : c]));
    expect(read.charges).toEqual(expectedCharges);
  });
});

const sampleMs = (cell: string) => Date.parse(`${cell.replace(' ', 'T')}Z`);

describe('file-level problems', () => {
  it('rejects the pre-1.0 validator Parquet sample, naming the missing mandatory columns', async () => {
    const read = readFocusObject(await localBillingObject(VALIDATOR_PARQUET));
    const err = await (async () => {
      for await (const _ of read.batches) { /* drain */ }
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FocusSchemaError);
    const schemaError = err as FocusSchemaError;
    expect(schemaError.message).toContain(VALIDATOR_PARQUET);
    expect(schemaError.message).toContain('BilledCost');
    expect(schemaError.missingColumns).toEqual(expect.arrayContaining(['BilledCost', 'EffectiveCost', 'ChargePeriodStart', 'ProviderName']));
    expect(schemaError.missingColumns).toHaveLength(21); // InvoiceIssuer, ResourceID, ChargeType match none of the 21 mandatory columns
  });

  it('rejects a .parquet that is not Parquet and binary junk, by magic bytes', async () => {
    const drain = async (obj: BillingObject) => {
      for await (const _ of readFocusObject(obj).batches) { /* drain */ }
    };
    await expect(drain(memoryObject('x.parquet', Buffer.from('a,b\n1,2\n')))).rejects.toThrow(/x\.parquet: named \.parquet but does not start with PAR1/);
    await expect(drain(memoryObject('x.bin', new Uint8Array([0, 1, 2, 3, 4])))).rejects.toBeInstanceOf(FocusSchemaError);
    await expect(drain(memoryObject('empty.csv', new Uint8Array()))).rejects.toThrow(/empty\.csv: empty file/);
  });
});

describe('mergeReports', () => {
  it('sums counts and problems per kind, keeps at most 5 examples, the latest dataThrough and every period', () => {
    const base = { format: 'csv' as const, compression: 'none' as const, focusVersion: '1.0' as const, extraColumns: [] };
    const example = (file: string, row: number) => ({ file, row, column: 'BilledCost', value: 'x', message: 'm' });
    const a: FocusReadReport = { ...base, file: 'a', rowsRead: 10, rowsAccepted: 7, dataThroughMs: 100, billingPeriods: ['2024-09'],
      problems: [{ kind: 'bad-number', effect: 'rejected', count: 3, examples: [1, 2, 3].map((r) => example('a', r)) }] };
    const b: FocusReadReport = { ...base, file: 'b', focusVersion: '1.2', rowsRead: 5, rowsAccepted: 1, dataThroughMs: 300, billingPeriods: ['2024-10', '2024-09'], extraColumns: ['Id'],
      problems: [{ kind: 'bad-number', effect: 'rejected', count: 4, examples: [1, 2, 3, 4].map((r) => example('b', r)) }] };
    const m = mergeReports([a, b]);
    expect(m).toMatchObject({ files: ['a', 'b'], focusVersion: '1.0+1.2', rowsRead: 15, rowsAccepted: 8, dataThroughMs: 300, billingPeriods: ['2024-09', '2024-10'], extraColumns: ['Id'] });
    expect(m.problems).toHaveLength(1);
    expect(m.problems[0]?.count).toBe(7);
    expect(m.problems[0]?.examples.map((e) => `${e.file}${e.row}`)).toEqual(['a1', 'a2', 'a3', 'b1', 'b2']);
    expect(mergeReports([])).toMatchObject({ rowsRead: 0, focusVersion: '', billingPeriods: [] });
  });
});
