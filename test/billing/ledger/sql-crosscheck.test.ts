import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { readFocusObject } from '../../../src/billing/focus/read.js';
import { localBillingObject } from '../../../src/billing/local-source.js';
import { SpendAggregator } from '../../../src/billing/ledger/aggregate.js';
import { compareSpendRows } from '../../../src/billing/ledger/order.js';
import { ledgerSql, spendRowFromSqlRecord } from '../../../src/billing/ledger/sql.js';
import type { SpendRow } from '../../../src/domain/spend.js';

const SAMPLE = fileURLToPath(new URL('../../fixtures/billing/focus-1.0-sample-1000rows.csv', import.meta.url));

async function jsLedger(): Promise<{ periods: Map<string, SpendRow[]>; rowsAccepted: number }> {
  const read = readFocusObject(await localBillingObject(SAMPLE));
  const agg = new SpendAggregator({});
  for await (const batch of read.batches) agg.add(batch);
  expect(agg.problems()).toEqual([]);
  return { periods: agg.byBillingPeriod(), rowsAccepted: read.report().rowsAccepted };
}

async function duckLedger(sql: string): Promise<Map<string, SpendRow[]>> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    const out = new Map<string, SpendRow[]>();
    for (const rec of (await conn.runAndReadAll(sql)).getRowObjectsJS()) {
      const { billingPeriod, row } = spendRowFromSqlRecord(rec);
      out.set(billingPeriod, [...(out.get(billingPeriod) ?? []), row]);
    }
    for (const rows of out.values()) rows.sort(compareSpendRows);
    return out;
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

const csvFrom = (path: string) => `read_csv('${path}', header = true, nullstr = 'NULL', auto_detect = true)`;

/** Per-provider sums straight from the CSV text, with nothing of the code under test. */
function independentTotals(): Map<string, { billed: number; effective: number; rows: number }> {
  const records = parse(readFileSync(SAMPLE), { columns: true }) as Record<string, string>[];
  const totals = new Map<string, { billed: number; effective: number; rows: number }>();
  for (const r of records) {
    const t = totals.get(r['ProviderName'] as string) ?? { billed: 0, effective: 0, rows: 0 };
    t.billed += Number(r['BilledCost']);
    t.effective += Number(r['EffectiveCost']);
    t.rows++;
    totals.set(r['ProviderName'] as string, t);
  }
  return totals;
}

describe('ledger SQL (DuckDB) against the JS aggregation, on the real FOCUS 1.0 sample', () => {
  it('gives the same ledger rows, amounts within 1e-9', async () => {
    const js = await jsLedger();
    const sql = await duckLedger(ledgerSql({ dialect: 'duckdb', focusVersion: '1.0', from: csvFrom(SAMPLE) }));
    expect([...sql.keys()]).toEqual([...js.periods.keys()]);
    expect([...js.periods.keys()]).toEqual(['2024-09', '2024-10']);
    let ledgerRows = 0;
    for (const [period, jsRows] of js.periods) {
      const sqlRows = sql.get(period) ?? [];
      expect(sqlRows.length).toBe(jsRows.length);
      ledgerRows += jsRows.length;
      jsRows.forEach((j, i) => {
        const s = sqlRows[i] as SpendRow;
        const { billedCostUsd, effectiveCostUsd, listCostUsd, contractedCostUsd, commitmentDiscountQuantity, ...jKey } = j;
        const { billedCostUsd: sb, effectiveCostUsd: se, listCostUsd: sl, contractedCostUsd: sc, commitmentDiscountQuantity: sq, ...sKey } = s;
        expect(sKey).toEqual(jKey);
        for (const [a, b] of [[billedCostUsd, sb], [effectiveCostUsd, se], [listCostUsd, sl], [contractedCostUsd, sc], [commitmentDiscountQuantity, sq]] as const) {
          expect(Math.abs(a - b)).toBeLessThan(1e-9);
        }
      });
    }
    // 1,000 sample rows fold into fewer ledger lines (several hours of one resource on one day).
    expect(ledgerRows).toBe(996);
    expect(js.rowsAccepted).toBe(1000);
  });

  it('pins per-provider billed and effective totals computed straight from the CSV', async () => {
    const expected = independentTotals();
    expect([...expected.keys()].sort()).toEqual(['AWS', 'Microsoft', 'Oracle']);
    expect(expected.get('AWS')?.rows).toBe(942);
    const js = await jsLedger();
    const sql = await duckLedger(ledgerSql({ dialect: 'duckdb', focusVersion: '1.0', from: csvFrom(SAMPLE) }));
    for (const ledger of [js.periods, sql]) {
      const rows = [...ledger.values()].flat();
      for (const [provider, t] of expected) {
        const mine = rows.filter((r) => r.provider === provider);
        expect(Math.abs(mine.reduce((s, r) => s + r.billedCostUsd, 0) - t.billed)).toBeLessThan(1e-9);
        expect(Math.abs(mine.reduce((s, r) => s + r.effectiveCostUsd, 0) - t.effective)).toBeLessThan(1e-9);
        expect(mine.reduce((s, r) => s + r.rowCount, 0)).toBe(t.rows);
      }
    }
    // The figures themselves, as the CSV gives them (sums of its decimal text).
    expect(expected.get('AWS')?.billed).toBeCloseTo(18.0066386184, 9);
    expect(expected.get('Microsoft')?.billed).toBeCloseTo(1.97651418586, 9);
    expect(expected.get('Oracle')?.billed).toBeCloseTo(0.53707392473, 9);
    expect(expected.get('AWS')?.effective).toBeCloseTo(13, 9);
  });

  it('converts a EUR row at its rate and leaves it out without one, in SQL as in JS', async () => {
    const [header, dataRow] = readFileSync(SAMPLE, 'utf8').split('\n') as [string, string];
    // The sample's first row (AWS SQS, 8e-7 USD billed) and a copy billed 100 EUR.
    const eurRow = dataRow.replace('"USD"', '"EUR"').replace('0.00000080000', '100.0');
    const dir = mkdtempSync(path.join(tmpdir(), 'ledger-eur-'));
    const file = path.join(dir, 'eur.csv');
    writeFileSync(file, `${header}\n${dataRow}\n${eurRow}\n`);
    try {

    const billedBy = (rows: SpendRow[]) => rows.reduce((s, r) => s + r.billedCostUsd, 0);
    // With a rate: 100 EUR × 1.1 + 8e-7 USD.
    const withRate = await duckLedger(ledgerSql({ dialect: 'duckdb', focusVersion: '1.0', from: csvFrom(file), exchangeRatesToUsd: { USD: 1, EUR: 1.1 } }));
    expect(billedBy(withRate.get('2024-09') ?? [])).toBeCloseTo(110.0000008, 9);
    const agg = new SpendAggregator({ exchangeRatesToUsd: { USD: 1, EUR: 1.1 } });
    const read = readFocusObject(await localBillingObject(file));
    for await (const batch of read.batches) agg.add(batch);
    expect(billedBy(agg.byBillingPeriod().get('2024-09') ?? [])).toBeCloseTo(110.0000008, 9);

    // Without: the EUR row is out of both, and the JS side says so.
    const without = await duckLedger(ledgerSql({ dialect: 'duckdb', focusVersion: '1.0', from: csvFrom(file) }));
    expect(billedBy(without.get('2024-09') ?? [])).toBeCloseTo(0.0000008, 12);
    const agg2 = new SpendAggregator({ objectName: file });
    const read2 = readFocusObject(await localBillingObject(file));
    for await (const batch of read2.batches) agg2.add(batch);
    expect(billedBy(agg2.byBillingPeriod().get('2024-09') ?? [])).toBeCloseTo(0.0000008, 12);
    expect(agg2.problems()).toMatchObject([{ kind: 'currency-unconverted', effect: 'rejected', count: 1, examples: [{ file, row: 2, value: 'EUR' }] }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
