import { describe, expect, it } from 'vitest';
import type { FocusCharge } from '../../../src/billing/focus/charge.js';
import { SpendAggregator } from '../../../src/billing/ledger/aggregate.js';
import { SpendRowSchema } from '../../../src/domain/spend.js';
import { compareSpendRows } from '../../../src/billing/ledger/order.js';
import fc from 'fast-check';

const SEP_1 = Date.UTC(2024, 8, 1);
const OCT_1 = Date.UTC(2024, 9, 1);
const H = 3_600_000;

function charge(over: Partial<FocusCharge> = {}): FocusCharge {
  return {
    billingPeriodStartMs: SEP_1, chargePeriodStartMs: SEP_1 + 5 * H, chargePeriodEndMs: SEP_1 + 6 * H,
    provider: 'AWS', billingAccountId: '111', subAccountId: '222', service: 'Amazon Elastic Compute Cloud', serviceCategory: 'Compute',
    region: 'us-east-1', resourceId: 'i-1', resourceName: '', resourceType: '', chargeCategory: 'Usage', chargeClass: '',
    pricingCategory: 'Standard', commitmentDiscountId: '', commitmentDiscountType: '', commitmentDiscountCategory: '', commitmentDiscountStatus: '',
    commitmentDiscountQuantity: 0, tagsJson: '{}', billingCurrency: 'USD', billedCost: 1, effectiveCost: 1, listCost: 1.5, contractedCost: 1.25,
    skuId: '', listUnitPrice: Number.NaN, contractedUnitPrice: Number.NaN, pricingQuantity: 1, pricingUnit: 'Hours', ...over,
  };
}

describe('SpendAggregator', () => {
  it('sums the hours of one resource into one row per UTC day and keeps other dimensions apart', () => {
    const agg = new SpendAggregator({});
    agg.add([
      charge({ chargePeriodStartMs: SEP_1 + 0 * H, billedCost: 0.1, effectiveCost: 0.08 }),
      charge({ chargePeriodStartMs: SEP_1 + 23 * H, billedCost: 0.2, effectiveCost: 0.16 }),
      // 2024-09-02T00:00Z is the next day.
      charge({ chargePeriodStartMs: SEP_1 + 24 * H, billedCost: 0.4, effectiveCost: 0.32 }),
      charge({ resourceId: 'i-2', billedCost: 3, effectiveCost: 3 }),
      charge({ tagsJson: '{"env":"prod"}', billedCost: 5, effectiveCost: 5 }),
    ]);
    agg.add([charge({ chargePeriodStartMs: SEP_1 + 12 * H, billedCost: 0.7, effectiveCost: 0.5, commitmentDiscountQuantity: 2 })]);
    const rows = agg.byBillingPeriod().get('2024-09') ?? [];
    expect(agg.rowsAdded).toBe(6);
    expect(agg.rowsAccepted).toBe(6);
    expect(rows.map((r) => [r.day, r.resourceId, r.tagsJson, r.rowCount])).toEqual([
      ['2024-09-01', 'i-1', '{"env":"prod"}', 1],
      ['2024-09-01', 'i-1', '{}', 3],
      ['2024-09-01', 'i-2', '{}', 1],
      ['2024-09-02', 'i-1', '{}', 1],
    ]);
    const day1 = rows[1];
    expect(day1?.billedCostUsd).toBeCloseTo(0.1 + 0.2 + 0.7, 12);
    expect(day1?.effectiveCostUsd).toBeCloseTo(0.08 + 0.16 + 0.5, 12);
    expect(day1?.listCostUsd).toBe(4.5);
    expect(day1?.contractedCostUsd).toBe(3.75);
    expect(day1?.commitmentDiscountQuantity).toBe(2);
    expect(day1?.cloud).toBe('aws');
    expect(day1?.account).toBe('222');
    for (const r of rows) expect(SpendRowSchema.parse(r)).toEqual(r);
  });

  it('lands a monthly fee on the first day of its charge period and splits by billing period', () => {
    const agg = new SpendAggregator({});
    agg.add([
      charge({ chargeCategory: 'Purchase', chargePeriodStartMs: SEP_1, chargePeriodEndMs: OCT_1, billedCost: 720, effectiveCost: 0, pricingCategory: '' }),
      // A correction billed in October for a September hour: the October period, the September day.
      charge({ billingPeriodStartMs: OCT_1, chargePeriodStartMs: SEP_1 + 30 * H, chargeCategory: 'Adjustment', billedCost: -2, effectiveCost: -2 }),
    ]);
    const ledger = agg.byBillingPeriod();
    expect([...ledger.keys()]).toEqual(['2024-09', '2024-10']);
    expect(ledger.get('2024-09')?.map((r) => [r.day, r.chargeCategory, r.billedCostUsd])).toEqual([['2024-09-01', 'Purchase', 720]]);
    expect(ledger.get('2024-10')?.map((r) => [r.day, r.chargeCategory, r.billedCostUsd])).toEqual([['2024-09-02', 'Adjustment', -2]]);
  });

  it('uses the billing account when the sub-account is null and leaves non-cloud providers without a cloud', () => {
    const agg = new SpendAggregator({});
    agg.add([charge({ provider: 'Oracle', subAccountId: '', billingAccountId: 'ocid1.tenancy' }), charge({ provider: 'Microsoft' })]);
    const rows = agg.byBillingPeriod().get('2024-09') ?? [];
    expect(rows.map((r) => [r.provider, r.account, r.cloud])).toEqual([['Microsoft', '222', 'azure'], ['Oracle', 'ocid1.tenancy', undefined]]);
    expect('cloud' in (rows[1] ?? {})).toBe(false);
  });

  it('converts a EUR row at its rate, and rejects it as currency-unconverted without one', () => {
    const eur = charge({ billingCurrency: 'EUR', billedCost: 10, effectiveCost: 8, listCost: 12, contractedCost: 11 });
    const withRate = new SpendAggregator({ exchangeRatesToUsd: { USD: 1, EUR: 1.1 } });
    withRate.add([charge({ billedCost: 1, effectiveCost: 1 }), eur]);
    const [row] = withRate.byBillingPeriod().get('2024-09') ?? [];
    expect(row?.billedCostUsd).toBeCloseTo(1 + 11, 12);
    expect(row?.effectiveCostUsd).toBeCloseTo(1 + 8.8, 12);
    expect(row?.listCostUsd).toBeCloseTo(1.5 + 13.2, 12);
    expect(row?.rowCount).toBe(2);
    expect(withRate.problems()).toEqual([]);

    const noRate = new SpendAggregator({ objectName: 'bill.csv' });
    noRate.add([charge(), eur, charge({ billingCurrency: '' })]);
    expect(noRate.rowsAdded).toBe(3);
    expect(noRate.rowsAccepted).toBe(1);
    expect(noRate.byBillingPeriod().get('2024-09')?.map((r) => [r.billedCostUsd, r.rowCount])).toEqual([[1, 1]]);
    const [problem] = noRate.problems();
    expect(problem).toMatchObject({ kind: 'currency-unconverted', effect: 'rejected', count: 2 });
    expect(problem?.examples.map((e) => [e.file, e.row, e.column, e.value])).toEqual([['bill.csv', 2, 'BillingCurrency', 'EUR'], ['bill.csv', 3, 'BillingCurrency', '']]);
  });

  it('keeps more than 65,536 distinct resources apart (ids span two key characters) and grows past its first capacity', () => {
    const agg = new SpendAggregator({});
    const batch: FocusCharge[] = [];
    for (let i = 0; i < 70_000; i++) batch.push(charge({ resourceId: `r-${i}`, billedCost: i }));
    agg.add(batch);
    agg.add([charge({ resourceId: 'r-65537', billedCost: 0.5 })]);
    const rows = agg.byBillingPeriod().get('2024-09') ?? [];
    expect(rows).toHaveLength(70_000);
    const r = rows.find((x) => x.resourceId === 'r-65537');
    expect(r?.billedCostUsd).toBe(65_537.5);
    expect(r?.rowCount).toBe(2);
    expect(rows.find((x) => x.resourceId === 'r-1')?.billedCostUsd).toBe(1);
    expect(rows.reduce((s, x) => s + x.billedCostUsd, 0)).toBe((69_999 * 70_000) / 2 + 0.5);
  });

  it('puts every period\'s rows in compareSpendRows order, whatever order the charges came in (property)', () => {
    // Values that sort differently by code unit than by locale or length: case, accents, digits, the empty string.
    const text = fc.constantFrom('', 'a', 'B', 'b', 'é', 'Z', '10', '9', 'ab', 'a b', 'ø');
    const arb = fc.array(
      fc.record({
        day: fc.integer({ min: 0, max: 40 }), period: fc.integer({ min: 0, max: 1 }), provider: fc.constantFrom('AWS', 'Microsoft', 'oracle'),
        account: text, service: text, region: text, resourceId: text, chargeCategory: fc.constantFrom('Usage', 'Purchase', 'Tax', 'Credit', 'Adjustment'),
        pricingCategory: text, commitmentDiscountId: text, tagsJson: fc.constantFrom('{}', '{"a":"1"}', '{"B":"x"}'), billedCost: fc.integer({ min: -5, max: 5 }),
      }),
      { minLength: 1, maxLength: 200 },
    );
    fc.assert(
      fc.property(arb, (rows) => {
        const agg = new SpendAggregator();
        agg.add(rows.map((r) => charge({
          billingPeriodStartMs: Date.UTC(2026, 9 + r.period, 1), chargePeriodStartMs: Date.UTC(2026, 9, 1) + r.day * 86_400_000, chargePeriodEndMs: Date.UTC(2026, 9, 1) + r.day * 86_400_000 + 3_600_000,
          provider: r.provider, subAccountId: r.account, service: r.service, region: r.region, resourceId: r.resourceId, chargeCategory: r.chargeCategory as FocusCharge['chargeCategory'],
          pricingCategory: r.pricingCategory, commitmentDiscountId: r.commitmentDiscountId, tagsJson: r.tagsJson, billedCost: r.billedCost, effectiveCost: r.billedCost,
        })));
        const periods = [...agg.byBillingPeriod().entries()];
        expect(periods.map(([p]) => p)).toEqual([...periods.map(([p]) => p)].sort());
        let total = 0;
        for (const [, out] of periods) {
          for (let i = 1; i < out.length; i++) expect(compareSpendRows(out[i - 1]!, out[i]!)).toBeLessThan(0);
          total += out.reduce((n, r) => n + r.rowCount, 0);
        }
        expect(total).toBe(rows.length);
      }),
      { numRuns: 200 },
    );
  });
});
