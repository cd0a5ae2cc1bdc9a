import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importSpendRows } from '../../src/billing/import.js';
import { loadCatalog } from '../../src/catalog/load.js';
import type { SnapshotMeta } from '../../src/domain/snapshot.js';
import type { SpendRow } from '../../src/domain/spend.js';
import { analyzeSnapshot } from '../../src/engine/analyze.js';
import { EngineSettingsSchema } from '../../src/engine/settings.js';
import { billPricing } from '../../src/pipeline/bill-pricing.js';
import { openSqliteSpendLedger, type SqliteSpendLedger } from '../../src/store/spend/sqlite-spend-ledger.js';
import { instance, series, WINDOW_END_MS, WINDOW_START_MS } from '../engine/helpers.js';

const catalog = loadCatalog();
const settings = EngineSettingsSchema.parse({});
const ACCOUNT = '111111111111';
const REGION = 'us-east-1';
const SP = 'arn:aws:savingsplans::111111111111:savingsplan/sp-0001';
const arn = (id: string) => `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/${id}`;
const od = (type: string) => catalog.onDemandHourlyUsd('aws', REGION, type) as number;

const meta: SnapshotMeta = { id: 'snap', source: 'demo', startedAt: '2026-11-16T00:00:00Z', finishedAt: '2026-11-16T00:00:00Z', windowStartMs: WINDOW_START_MS, windowEndMs: WINDOW_END_MS, scopes: [], instanceCount: 2 };
// i-a idles at 4 % CPU (a shrink), i-b is busy: both m5.xlarge in one account with a 20 % negotiated discount.
const instances = [instance({ id: 'i-a', type: 'm5.xlarge', account: ACCOUNT }), instance({ id: 'i-b', type: 'm5.xlarge', account: ACCOUNT })];
const groups = [
  { instanceId: 'i-a', series: [series('i-a', 'cpu', 4), series('i-a', 'mem', 10)] },
  { instanceId: 'i-b', series: [series('i-b', 'cpu', (h) => 40 + (h % 24)), series('i-b', 'mem', 50)] },
];

function row(over: Partial<SpendRow> & Pick<SpendRow, 'day'>): SpendRow {
  return {
    provider: 'AWS', cloud: 'aws', billingAccountId: ACCOUNT, account: ACCOUNT, service: 'Amazon Elastic Compute Cloud', serviceCategory: 'Compute', region: REGION, resourceId: '',
    chargeCategory: 'Usage', pricingCategory: 'Standard', commitmentDiscountId: '', commitmentDiscountType: '', commitmentDiscountCategory: '', commitmentDiscountStatus: '', tagsJson: '{}',
    billedCostUsd: 0, effectiveCostUsd: 0, listCostUsd: 0, contractedCostUsd: 0, commitmentDiscountQuantity: 0, rowCount: 24, ...over,
  };
}

/** The bill of the 30 days before the window's end: i-b on demand at 80 % of list, i-a covered by a savings plan (60 % of list) that also idles $0.05/h. */
function bill(): SpendRow[] {
  const rows: SpendRow[] = [];
  for (let d = 1; d <= 30; d++) {
    const day = new Date(WINDOW_END_MS - d * 86_400_000).toISOString().slice(0, 10);
    const list = od('m5.xlarge') * 24;
    rows.push(row({ day, resourceId: arn('i-b'), billedCostUsd: 0.8 * list, effectiveCostUsd: 0.8 * list, listCostUsd: list, contractedCostUsd: 0.8 * list }));
    rows.push(row({ day, resourceId: arn('i-a'), pricingCategory: 'Committed', commitmentDiscountId: SP, commitmentDiscountType: 'Savings Plan', commitmentDiscountCategory: 'Spend', commitmentDiscountStatus: 'Used', billedCostUsd: 0, effectiveCostUsd: 0.6 * list, listCostUsd: list, contractedCostUsd: 0.8 * list }));
    rows.push(row({ day, resourceId: SP, pricingCategory: 'Committed', commitmentDiscountId: SP, commitmentDiscountType: 'Savings Plan', commitmentDiscountCategory: 'Spend', commitmentDiscountStatus: 'Unused', billedCostUsd: 0, effectiveCostUsd: 0.05 * 24, listCostUsd: 0, contractedCostUsd: 0 }));
  }
  return rows;
}

let dir: string;
let ledger: SqliteSpendLedger;
beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'rs-bill-pricing-'));
  ledger = openSqliteSpendLedger({ dataDir: dir });
  await importSpendRows(ledger, { datasetId: 'file:///bill.csv', via: 'focus-csv', bases: ['billed', 'amortized'], rows: bill(), nowMs: WINDOW_END_MS });
});
afterEach(async () => {
  await ledger.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('prices and commitments from the bill', () => {
  it('prices the account at its negotiated rate: candidates too, other accounts and clouds at list', async () => {
    const priced = await billPricing({ ledger, meta, instances, catalog, billing: { negotiatedPrices: true, ownedCommitments: true } });
    expect(priced.factors.map((f) => [f.instanceType, f.source, Number(f.factor.toFixed(6))])).toEqual([['m5.xlarge', 'instances', 0.8]]);
    const own = priced.catalogFor!(instances[0]!);
    expect(own.onDemandHourlyUsd('aws', REGION, 'm5.xlarge')).toBeCloseTo(0.8 * od('m5.xlarge'), 10);
    // A type the account does not run yet (a right-sizing candidate) gets the account's rate as well.
    expect(own.onDemandHourlyUsd('aws', REGION, 'm5.large')).toBeCloseTo(0.8 * od('m5.large'), 10);
    expect(own.onDemandHourlyUsd('gcp', 'us-central1', 'n2-standard-4')).toBe(catalog.onDemandHourlyUsd('gcp', 'us-central1', 'n2-standard-4'));
    const stranger = priced.catalogFor!(instance({ id: 'i-z', type: 'm5.xlarge', account: '222222222222' }));
    expect(stranger.onDemandHourlyUsd('aws', REGION, 'm5.xlarge')).toBe(od('m5.xlarge'));
  });

  it('states savings in the account\'s own dollars: the shrink saves 80 % of what list prices say', async () => {
    const priced = await billPricing({ ledger, meta, instances, catalog, billing: { negotiatedPrices: true, ownedCommitments: false } });
    const atList = await analyzeSnapshot({ meta, instances, seriesByInstance: groups, catalog, settings, nowMs: WINDOW_END_MS });
    const atContract = await analyzeSnapshot({ meta, instances, seriesByInstance: groups, catalog, settings, nowMs: WINDOW_END_MS, catalogFor: priced.catalogFor! });
    const list = atList.recommendations.find((r) => r.instanceId === 'i-a');
    const contract = atContract.recommendations.find((r) => r.instanceId === 'i-a');
    expect(list?.recommendedType).toBe(contract?.recommendedType);
    expect(list!.monthlySavingsUsd).toBeGreaterThan(0);
    // Both sides of the saving scale by 0.8; each side is rounded to cents.
    expect(contract!.monthlySavingsUsd).toBeCloseTo(0.8 * list!.monthlySavingsUsd, 1);
    expect(contract!.monthlyCostNow.onDemandUsd).toBeCloseTo(0.8 * od('m5.xlarge') * settings.hoursPerMonth, 1);
  });

  it('adds the bill\'s savings plan to the pool it covered, with the cost and coverage the bill shows', async () => {
    const priced = await billPricing({ ledger, meta, instances, catalog, billing: { negotiatedPrices: false, ownedCommitments: true } });
    expect(priced.billCommitments).toHaveLength(1);
    const c = priced.billCommitments![0]!;
    // By hand, per hour of the 30 days: it covered i-a's contracted cost (0.8 × list) and cost 0.6 × list + the idle 0.05.
    expect(c.pool).toBe('aws:ri:us-east-1:m5');
    expect(c.commitmentId).toBe(SP);
    expect(c.onDemandUsdPerHour).toBeCloseTo(0.8 * od('m5.xlarge'), 9);
    expect(c.commitUsdPerHour).toBeCloseTo(0.6 * od('m5.xlarge') + 0.05, 9);
    const results = await analyzeSnapshot({ meta, instances, seriesByInstance: groups, catalog, settings, nowMs: WINDOW_END_MS, billCommitments: priced.billCommitments! });
    const plan = results.plans.find((p) => p.pool === 'aws:ri:us-east-1:m5');
    expect(plan?.evidence['owned']).toMatchObject({ reservations: [SP], count: 1, onDemandUsdPerHour: Math.round(0.8 * od('m5.xlarge') * 100) / 100 });
  });

  it('counts an inventory reservation and its bill line once', async () => {
    const riId = '4a5b6c7d-0000-1111-2222-333344445555';
    const withRi = { ...meta, commitments: [{ cloud: 'aws' as const, account: ACCOUNT, region: REGION, kind: 'ri' as const, id: riId, instanceType: 'm5.xlarge', count: 1, effectiveHourlyUsd: 0.1 }] };
    const fromBill = [{ pool: 'aws:ri:us-east-1:m5', commitmentId: `arn:aws:ec2:${REGION}:${ACCOUNT}:reserved-instances/${riId}`, onDemandUsdPerHour: 0.15, commitUsdPerHour: 0.09 }];
    const results = await analyzeSnapshot({ meta: withRi, instances, seriesByInstance: groups, catalog, settings, nowMs: WINDOW_END_MS, billCommitments: fromBill });
    const owned = results.plans.find((p) => p.pool === 'aws:ri:us-east-1:m5')?.evidence['owned'] as { reservations: string[]; count: number };
    expect(owned.reservations).toEqual([riId]);
    expect(owned.count).toBe(1);
  });

  it('changes nothing without a bill for the window', async () => {
    const empty = openSqliteSpendLedger({ dataDir: mkdtempSync(path.join(tmpdir(), 'rs-bill-pricing-empty-')) });
    const priced = await billPricing({ ledger: empty, meta, instances, catalog, billing: { negotiatedPrices: true, ownedCommitments: true } });
    await empty.close();
    expect(priced).toEqual({ factors: [], notes: [] });
  });

  it('prices a type the account does not run at the list-weighted rate of the types it does, whatever instance asks first', async () => {
    const dir2 = mkdtempSync(path.join(tmpdir(), 'rs-bill-pricing-mixed-'));
    const mixed = openSqliteSpendLedger({ dataDir: dir2 });
    try {
      const day = new Date(WINDOW_END_MS - 86_400_000).toISOString().slice(0, 10);
      const listA = od('m5.xlarge') * 24;
      const listC = od('c5.xlarge') * 24;
      await importSpendRows(mixed, {
        datasetId: 'file:///mixed.csv', via: 'focus-csv', bases: ['billed', 'amortized'], nowMs: WINDOW_END_MS,
        rows: [
          row({ day, resourceId: arn('i-a'), billedCostUsd: 0.8 * listA, effectiveCostUsd: 0.8 * listA, listCostUsd: listA, contractedCostUsd: 0.8 * listA }),
          row({ day, resourceId: arn('i-c'), billedCostUsd: 0.9 * listC, effectiveCostUsd: 0.9 * listC, listCostUsd: listC, contractedCostUsd: 0.9 * listC }),
        ],
      });
      const fleet = [instance({ id: 'i-a', type: 'm5.xlarge', account: ACCOUNT }), instance({ id: 'i-c', type: 'c5.xlarge', account: ACCOUNT })];
      const expected = (0.8 * listA + 0.9 * listC) / (listA + listC);
      for (const first of [fleet, [...fleet].reverse()]) {
        const priced = await billPricing({ ledger: mixed, meta, instances: first, catalog, billing: { negotiatedPrices: true, ownedCommitments: false } });
        const c = priced.catalogFor!(first[0]!);
        expect(c.onDemandHourlyUsd('aws', REGION, 'm5.xlarge')).toBeCloseTo(0.8 * od('m5.xlarge'), 10);
        expect(c.onDemandHourlyUsd('aws', REGION, 'c5.xlarge')).toBeCloseTo(0.9 * od('c5.xlarge'), 10);
        expect(c.onDemandHourlyUsd('aws', REGION, 'r5.large')).toBeCloseTo(expected * (catalog.onDemandHourlyUsd('aws', REGION, 'r5.large') as number), 10);
      }
    } finally {
      await mixed.close();
      rmSync(dir2, { recursive: true, force: true });
    }
  });
});
