import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SpendImport, SpendRow } from '../../src/domain/spend.js';
import type { SpendLedger, SpendLedgerRow } from '../../src/store/spend/spend-ledger.js';

export type ClosableLedger = SpendLedger & { close(): Promise<void> };

/** One row with every field set to something distinguishable; amounts are awkward doubles on purpose. */
export function spendRow(day: string, over: Partial<SpendRow> = {}): SpendRow {
  return {
    day,
    provider: 'AWS',
    cloud: 'aws',
    billingAccountId: '999988887777',
    account: '111122223333',
    service: 'Amazon Elastic Compute Cloud',
    serviceCategory: 'Compute',
    region: 'us-east-1',
    resourceId: 'i-0abc',
    chargeCategory: 'Usage',
    pricingCategory: 'Standard',
    commitmentDiscountId: '',
    commitmentDiscountType: '',
    commitmentDiscountCategory: '',
    commitmentDiscountStatus: '',
    tagsJson: '{"team":"ml"}',
    billedCostUsd: 0.1 + 0.2,
    effectiveCostUsd: 1 / 3,
    listCostUsd: 123456.789012345,
    contractedCostUsd: 5e-324,
    commitmentDiscountQuantity: 0,
    rowCount: 3,
    ...over,
  };
}

export function spendImport(datasetId: string, billingPeriod: string, importedAtMs: number, over: Partial<SpendImport> = {}): SpendImport {
  return {
    datasetId,
    billingPeriod,
    via: 'focus-csv',
    focusVersion: '1.0',
    bases: ['billed', 'amortized'],
    files: [`${datasetId}/${billingPeriod}/part-0.csv`],
    rowsRead: 10,
    rowsAccepted: 9,
    ledgerRows: 2,
    problems: [],
    importedAtMs,
    ...over,
  };
}

const strip = (rows: SpendLedgerRow[]) => rows.map(({ datasetId, ...row }) => ({ datasetId, row }));

/**
 * The behaviour every SpendLedger must have. `make` returns a fresh, empty ledger and a cleanup. Run by
 * spend-ledger-sqlite.test.ts and spend-ledger-dynamodb.test.ts.
 */
export function runSpendLedgerContract(name: string, make: () => Promise<{ ledger: ClosableLedger; cleanup: () => Promise<void> }>): void {
  describe(`SpendLedger contract: ${name}`, () => {
    let ledger: ClosableLedger;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      ({ ledger, cleanup } = await make());
    });
    afterEach(async () => {
      await ledger.close();
      await cleanup();
    });

    it('round-trips rows exactly: every field, awkward doubles, a row without a cloud, negative credits', async () => {
      const rows = [
        spendRow('2026-03-01'),
        spendRow('2026-03-02', { provider: 'Oracle', tagsJson: '{}', chargeCategory: 'Credit', billedCostUsd: -12.345678901234567, effectiveCostUsd: -0.000001, commitmentDiscountQuantity: 2.5, rowCount: 1 }),
        spendRow('2026-03-02', { commitmentDiscountId: 'arn:aws:savingsplans::1:sp/x', commitmentDiscountType: 'Compute Savings Plans', commitmentDiscountCategory: 'Spend', commitmentDiscountStatus: 'Unused', pricingCategory: 'Committed', listCostUsd: Number.MAX_SAFE_INTEGER / 7 }),
      ];
      delete (rows[1] as Partial<SpendRow>).cloud;
      await ledger.replacePeriod(spendImport('ds-a', '2026-03', 1000), rows);
      const got = await ledger.rowsBetween('2026-03-01', '2026-03-31');
      expect(got).toEqual(rows.map((r) => ({ ...r, datasetId: 'ds-a' })));
      expect(got[1]).not.toHaveProperty('cloud');
      expect(got[0]!.billedCostUsd).toBe(0.30000000000000004);
      expect(got[0]!.contractedCostUsd).toBe(5e-324);
    });

    it('replace is idempotent: the same import twice leaves the same rows, once', async () => {
      const rows = [spendRow('2026-03-01'), spendRow('2026-03-05', { resourceId: 'i-2' })];
      await ledger.replacePeriod(spendImport('ds-a', '2026-03', 1000), rows);
      await ledger.replacePeriod(spendImport('ds-a', '2026-03', 1000), rows);
      expect(strip(await ledger.rowsBetween('2026-01-01', '2026-12-31'))).toEqual(rows.map((row) => ({ datasetId: 'ds-a', row })));
      expect(await ledger.listImports()).toHaveLength(1);
    });

    it('replacing a period removes rows the new import lacks and leaves other periods and datasets alone', async () => {
      await ledger.replacePeriod(spendImport('ds-a', '2026-03', 1000), [spendRow('2026-03-01', { resourceId: 'gone' }), spendRow('2026-03-02', { resourceId: 'kept' })]);
      await ledger.replacePeriod(spendImport('ds-a', '2026-04', 1001), [spendRow('2026-04-01', { resourceId: 'april' })]);
      await ledger.replacePeriod(spendImport('ds-b', '2026-03', 1002), [spendRow('2026-03-01', { resourceId: 'other-dataset' })]);
      await ledger.replacePeriod(spendImport('ds-a', '2026-03', 2000, { ledgerRows: 1 }), [spendRow('2026-03-02', { resourceId: 'kept', billedCostUsd: 7 })]);
      const got = await ledger.rowsBetween('2026-03-01', '2026-04-30');
      expect(got.map((r) => [r.datasetId, r.day, r.resourceId, r.billedCostUsd])).toEqual([
        ['ds-b', '2026-03-01', 'other-dataset', 0.1 + 0.2],
        ['ds-a', '2026-03-02', 'kept', 7],
        ['ds-a', '2026-04-01', 'april', 0.1 + 0.2],
      ]);
      const march = (await ledger.listImports()).find((i) => i.datasetId === 'ds-a' && i.billingPeriod === '2026-03');
      expect(march?.importedAtMs).toBe(2000);
      expect(march?.ledgerRows).toBe(1);
    });

    it('an import with no rows empties its period but keeps the record', async () => {
      await ledger.replacePeriod(spendImport('ds-a', '2026-03', 1000), [spendRow('2026-03-01')]);
      await ledger.replacePeriod(spendImport('ds-a', '2026-03', 2000, { ledgerRows: 0 }), []);
      expect(await ledger.rowsBetween('2026-03-01', '2026-03-31')).toEqual([]);
      expect((await ledger.listImports()).map((i) => i.importedAtMs)).toEqual([2000]);
    });

    it('rowsBetween bounds are inclusive on both ends, and ordered by day then dataset', async () => {
      const days = ['2026-02-28', '2026-03-01', '2026-03-15', '2026-03-31', '2026-04-01'];
      await ledger.replacePeriod(spendImport('ds-b', '2026-03', 1000), days.map((d) => spendRow(d, { resourceId: `b-${d}` })));
      await ledger.replacePeriod(spendImport('ds-a', '2026-03', 1001), days.map((d) => spendRow(d, { resourceId: `a-${d}` })));
      const got = await ledger.rowsBetween('2026-03-01', '2026-03-31');
      expect(got.map((r) => r.resourceId)).toEqual(['a-2026-03-01', 'b-2026-03-01', 'a-2026-03-15', 'b-2026-03-15', 'a-2026-03-31', 'b-2026-03-31']);
      expect((await ledger.rowsBetween('2026-03-31', '2026-03-31')).map((r) => r.resourceId)).toEqual(['a-2026-03-31', 'b-2026-03-31']);
      expect(await ledger.rowsBetween('2026-05-01', '2026-05-31')).toEqual([]);
      expect(await ledger.rowsBetween('2026-03-31', '2026-03-01')).toEqual([]);
    });

    it('lists imports newest first with their problems intact', async () => {
      const problems: SpendImport['problems'] = [
        { kind: 'bad-number', effect: 'rejected', count: 2, examples: [{ file: 'f.csv', row: 7, column: 'BilledCost', value: 'abc', message: 'not a number' }] },
        { kind: 'null-string', effect: 'repaired', count: 40, examples: [] },
      ];
      const a = spendImport('ds-a', '2026-03', 3000, { problems, dataThroughMs: Date.UTC(2026, 3, 1), firstDay: '2026-03-01', lastDay: '2026-03-31' });
      const b = spendImport('ds-b', '2026-03', 1000, { via: 'aws-cost-explorer', bases: ['billed'], files: [] });
      const c = spendImport('ds-a', '2026-02', 2000);
      delete (b as Partial<SpendImport>).focusVersion;
      for (const meta of [a, b, c]) await ledger.replacePeriod(meta, [spendRow(`${meta.billingPeriod}-01`)]);
      expect(await ledger.listImports()).toEqual([a, c, b]);
    });

    it('deletePeriod removes rows and record, and says whether there was one', async () => {
      await ledger.replacePeriod(spendImport('ds-a', '2026-03', 1000), [spendRow('2026-03-01')]);
      await ledger.replacePeriod(spendImport('ds-a', '2026-04', 1001), [spendRow('2026-04-01')]);
      expect(await ledger.deletePeriod('ds-a', '2026-03')).toBe(true);
      expect(await ledger.deletePeriod('ds-a', '2026-03')).toBe(false);
      expect(await ledger.deletePeriod('ds-zzz', '2026-04')).toBe(false);
      expect((await ledger.rowsBetween('2026-01-01', '2026-12-31')).map((r) => r.day)).toEqual(['2026-04-01']);
      expect((await ledger.listImports()).map((i) => i.billingPeriod)).toEqual(['2026-04']);
    });

    it('refuses an import record it could not read back, and keeps the period as it was', async () => {
      await ledger.replacePeriod(spendImport('ds-a', '2026-03', 1000), [spendRow('2026-03-01', { resourceId: 'old' })]);
      const bad = spendImport('ds-a', '2026-03', 2000, { bases: [] });
      await expect(ledger.replacePeriod(bad, [spendRow('2026-03-02')])).rejects.toThrow('spend ledger: import record ds-a 2026-03: bases');
      expect((await ledger.rowsBetween('2026-03-01', '2026-03-31')).map((r) => r.resourceId)).toEqual(['old']);
    });

    it('keeps dataset ids with URL characters and # apart', async () => {
      await ledger.replacePeriod(spendImport('s3://bill/exports#x', '2026-03', 1000), [spendRow('2026-03-01', { resourceId: 'one' })]);
      await ledger.replacePeriod(spendImport('s3://bill/exports', '2026-03', 1001), [spendRow('2026-03-01', { resourceId: 'two' })]);
      const got = await ledger.rowsBetween('2026-03-01', '2026-03-01');
      expect(got.map((r) => [r.datasetId, r.resourceId])).toEqual([['s3://bill/exports', 'two'], ['s3://bill/exports#x', 'one']]);
    });
  });
}
