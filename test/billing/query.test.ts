import { describe, expect, it } from 'vitest';
import type { SpendImport, SpendRow } from '../../src/domain/spend.js';
import type { SpendLedgerRow } from '../../src/store/spend/spend-ledger.js';
import { dailyTotals, querySpend, type SpendQuery } from '../../src/billing/query.js';

/** Amounts are binary-exact (integers, halves), so the sums below are exact and compared with toBe. */
function row(datasetId: string, day: string, over: Partial<SpendRow>): SpendLedgerRow {
  return {
    datasetId, day, provider: 'AWS', billingAccountId: 'payer', account: '111', service: 'EC2', serviceCategory: 'Compute', region: 'us-east-1',
    resourceId: '', chargeCategory: 'Usage', pricingCategory: 'Standard', commitmentDiscountId: '', commitmentDiscountType: '',
    commitmentDiscountCategory: '', commitmentDiscountStatus: '', tagsJson: '{}', billedCostUsd: 0, effectiveCostUsd: 0, listCostUsd: 0,
    contractedCostUsd: 0, commitmentDiscountQuantity: 0, rowCount: 1, ...over,
  };
}

function imp(datasetId: string, via: SpendImport['via'], importedAtMs: number, over: Partial<SpendImport> = {}): SpendImport {
  return { datasetId, billingPeriod: '2026-03', via, bases: ['billed', 'amortized'], files: [], rowsRead: 0, rowsAccepted: 0, ledgerRows: 0, problems: [], importedAtMs, ...over };
}

const FOCUS = 's3://bill/focus';
const CE = 'aws-cost-explorer:111';
const AZ_OLD = 'azure://a1';
const AZ_NEW = 'azure://a2';
const ORACLE = 'oci://o';

const ROWS: SpendLedgerRow[] = [
  // The AWS FOCUS export: accounts 111 and 444.
  row(FOCUS, '2026-03-01', { cloud: 'aws', billedCostUsd: 10, effectiveCostUsd: 8, listCostUsd: 12, contractedCostUsd: 9, tagsJson: '{"team":"ml"}', rowCount: 2 }),
  row(FOCUS, '2026-03-02', { cloud: 'aws', service: 'S3', billedCostUsd: 4, effectiveCostUsd: 4, listCostUsd: 5, contractedCostUsd: 4 }),
  row(FOCUS, '2026-03-10', { cloud: 'aws', billedCostUsd: 6, effectiveCostUsd: 7, listCostUsd: 8, contractedCostUsd: 6.5, tagsJson: '{"team":"web"}', rowCount: 3 }),
  row(FOCUS, '2026-03-02', { cloud: 'aws', account: '444', billedCostUsd: 100, effectiveCostUsd: 50, listCostUsd: 120, contractedCostUsd: 100, tagsJson: '{"env":"prod","team":"ml"}', rowCount: 5 }),
  row(FOCUS, '2026-03-03', { cloud: 'aws', account: '444', chargeCategory: 'Purchase', billedCostUsd: 300, effectiveCostUsd: 0 }),
  row(FOCUS, '2026-02-28', { cloud: 'aws', billedCostUsd: 1000, effectiveCostUsd: 1000 }), // outside every query below
  // Cost Explorer for account 111 (newer, but a cost API) and 777 (which the export lacks). Its provider spelling differs.
  row(CE, '2026-03-01', { provider: 'Amazon Web Services', cloud: 'aws', billedCostUsd: 11, effectiveCostUsd: 9, listCostUsd: 11, contractedCostUsd: 11 }),
  row(CE, '2026-03-10', { provider: 'Amazon Web Services', cloud: 'aws', billedCostUsd: 5, effectiveCostUsd: 5, listCostUsd: 5, contractedCostUsd: 5 }),
  row(CE, '2026-03-11', { provider: 'Amazon Web Services', cloud: 'aws', billedCostUsd: 2, effectiveCostUsd: 1.5, listCostUsd: 2, contractedCostUsd: 2 }),
  row(CE, '2026-03-12', { provider: 'Amazon Web Services', cloud: 'aws', billedCostUsd: 3, effectiveCostUsd: 2.5, listCostUsd: 3, contractedCostUsd: 3 }),
  row(CE, '2026-03-05', { provider: 'Amazon Web Services', cloud: 'aws', account: '777', billedCostUsd: 20, effectiveCostUsd: 20, listCostUsd: 20, contractedCostUsd: 20 }),
  // Two FOCUS exports of one Azure subscription: the newer wins on the day both cover.
  row(AZ_OLD, '2026-03-05', { provider: 'Microsoft', cloud: 'azure', account: 'sub-1', service: 'VM', billedCostUsd: 40, effectiveCostUsd: 40 }),
  row(AZ_NEW, '2026-03-05', { provider: 'Microsoft', cloud: 'azure', account: 'sub-1', service: 'VM', billedCostUsd: 42, effectiveCostUsd: 41 }),
  row(AZ_NEW, '2026-03-06', { provider: 'Microsoft', cloud: 'azure', account: 'sub-1', service: 'VM', billedCostUsd: 1, effectiveCostUsd: 1 }),
  // A provider Rightsize has no cloud for, from a source that only knows billed cost.
  row(ORACLE, '2026-03-04', { provider: 'Oracle', account: 'tenancy', service: 'Compute', billedCostUsd: 7, effectiveCostUsd: 7 }),
];

const IMPORTS: SpendImport[] = [
  imp(FOCUS, 'focus-csv', 1000, { dataThroughMs: Date.UTC(2026, 2, 11) }), // ChargePeriodEnd 03-11T00:00Z: complete through 03-10
  imp(CE, 'aws-cost-explorer', 5000, { dataThroughMs: Date.UTC(2026, 2, 13) }),
  imp(AZ_OLD, 'focus-parquet', 1000, { lastDay: '2026-03-05' }),
  imp(AZ_NEW, 'focus-parquet', 2000, { lastDay: '2026-03-06' }),
  imp(ORACLE, 'focus-csv', 1500, { bases: ['billed'] }),
];

const MARCH = { fromDay: '2026-03-01', toDay: '2026-03-31' } as const;

function q(over: Partial<SpendQuery>): SpendQuery {
  return { ...MARCH, basis: 'billed', groupBy: [], ...over };
}

describe('querySpend', () => {
  it('billed by cloud: the FOCUS export shadows Cost Explorer on the account-days both cover, the newer Azure export wins', () => {
    const out = querySpend(ROWS, IMPORTS, q({ groupBy: ['cloud'] }));
    // aws: FOCUS 10+4+6+100+300 = 420, plus Cost Explorer where the export is silent (111 on 03-11, 03-12; 777) 2+3+20 = 25.
    // azure: the newer export 42+1. Oracle: no cloud, 7.
    expect(out.groups.map((g) => [g.key, g.costUsd])).toEqual([[{ cloud: 'aws' }, 445], [{ cloud: 'azure' }, 43], [{ cloud: '' }, 7]]);
    expect(out.totalUsd).toBe(495);
    expect(out.datasetsUsed).toEqual([CE, AZ_NEW, ORACLE, FOCUS]);
    expect(out.datasetsShadowed).toEqual([
      { datasetId: CE, reason: `2 account-day(s) 2026-03-01..2026-03-10 taken from ${FOCUS} (focus-csv): a FOCUS export beats a cost API` },
      { datasetId: AZ_OLD, reason: `1 account-day(s) 2026-03-05..2026-03-05 taken from ${AZ_NEW} (focus-parquet): imported more recently` },
    ]);
    // Earliest completeness of the datasets used: Oracle has no record of it, so its last row day, 03-04.
    expect(out.dataThroughDay).toBe('2026-03-04');
  });

  it('amortized uses EffectiveCost and leaves out a billed-only source, saying why', () => {
    const out = querySpend(ROWS, IMPORTS, q({ basis: 'amortized', groupBy: ['cloud'] }));
    // aws: 8+4+7+50+0 = 69 from the export, 1.5+2.5+20 = 24 from Cost Explorer. azure: 41+1.
    expect(out.groups.map((g) => [g.key['cloud'], g.costUsd])).toEqual([['aws', 93], ['azure', 42]]);
    expect(out.totalUsd).toBe(135);
    expect(out.datasetsShadowed.find((s) => s.datasetId === ORACLE)?.reason).toBe('cannot answer amortized cost (its import gives billed); 2026-03-04..2026-03-04 left out');
    expect(out.datasetsUsed).not.toContain(ORACLE);
  });

  it('sums list and contracted cost and FOCUS row counts beside the basis', () => {
    const [aws] = querySpend(ROWS, IMPORTS, q({ filter: { cloud: 'aws' } })).groups;
    // list: 12+5+8+120+0 (export) + 2+3+20 (Cost Explorer); contracted: 9+4+6.5+100+0 + 2+3+20; rows: 2+1+3+5+1 + 1+1+1.
    expect(aws).toEqual({ key: {}, costUsd: 445, listCostUsd: 170, contractedCostUsd: 144.5, rowCount: 15 });
  });

  it('groups by a tag and service, sorted by cost then key', () => {
    const out = querySpend(ROWS, IMPORTS, q({ groupBy: ['tag:team', 'service'], filter: { cloud: 'aws' } }));
    // untagged EC2: the purchase 300 + Cost Explorer 2+3+20; ml EC2: 10+100; web EC2: 6; untagged S3: 4.
    expect(out.groups.map((g) => [g.key['tag:team'], g.key['service'], g.costUsd])).toEqual([['', 'EC2', 325], ['ml', 'EC2', 110], ['web', 'EC2', 6], ['', 'S3', 4]]);
    expect(out.dataThroughDay).toBe('2026-03-10'); // min(export 03-10, Cost Explorer 03-12)
  });

  it('filters by tags; shadowed datasets are reported only if the filter would have shown them', () => {
    const out = querySpend(ROWS, IMPORTS, q({ basis: 'amortized', groupBy: ['account'], filter: { tags: { team: 'ml' } } }));
    expect(out.groups.map((g) => [g.key['account'], g.costUsd])).toEqual([['444', 50], ['111', 8]]);
    expect(out.totalUsd).toBe(58);
    expect(out.datasetsUsed).toEqual([FOCUS]);
    expect(out.datasetsShadowed).toEqual([]);
    const both = querySpend(ROWS, IMPORTS, q({ filter: { tags: { team: 'ml', env: 'prod' } } }));
    expect(both.totalUsd).toBe(100);
  });

  it('filters by provider (any case), account, service and region; groups by month, day, resource, charge category', () => {
    expect(querySpend(ROWS, IMPORTS, q({ filter: { provider: 'microsoft' } })).totalUsd).toBe(43);
    expect(querySpend(ROWS, IMPORTS, q({ filter: { account: '444' }, groupBy: ['chargeCategory'] })).groups.map((g) => [g.key['chargeCategory'], g.costUsd])).toEqual([['Purchase', 300], ['Usage', 100]]);
    expect(querySpend(ROWS, IMPORTS, q({ filter: { service: 'S3', region: 'us-east-1' } })).totalUsd).toBe(4);
    expect(querySpend(ROWS, IMPORTS, q({ filter: { region: 'eu-west-1' } })).groups).toEqual([]);
    const months = querySpend(ROWS, IMPORTS, { fromDay: '2026-02-01', toDay: '2026-03-31', basis: 'billed', groupBy: ['month'], filter: { account: '111' } });
    // February: the export's 1000 (no Cost Explorer row there). March: 10+4+6 (export) + 2+3 (Cost Explorer).
    expect(months.groups.map((g) => [g.key['month'], g.costUsd])).toEqual([['2026-02', 1000], ['2026-03', 25]]);
    const days = querySpend(ROWS, IMPORTS, q({ groupBy: ['day', 'resource'], filter: { cloud: 'azure' } }));
    expect(days.groups).toEqual([
      { key: { day: '2026-03-05', resource: '' }, costUsd: 42, listCostUsd: 0, contractedCostUsd: 0, rowCount: 1 },
      { key: { day: '2026-03-06', resource: '' }, costUsd: 1, listCostUsd: 0, contractedCostUsd: 0, rowCount: 1 },
    ]);
  });

  it('breaks cost ties by key and keeps inclusive day bounds', () => {
    const rows = ['b', 'a', 'c'].map((acct, i) => row(FOCUS, i === 2 ? '2026-04-01' : '2026-03-31', { account: acct, billedCostUsd: 5 }));
    const out = querySpend(rows, IMPORTS, q({ groupBy: ['account'] }));
    expect(out.groups.map((g) => g.key['account'])).toEqual(['a', 'b']);
    expect(querySpend(rows, IMPORTS, q({ fromDay: '2026-03-31', toDay: '2026-03-31' })).totalUsd).toBe(10);
  });

  it('ranks a dataset without an import record below any that has one', () => {
    const rows = [row('orphan', '2026-03-01', { billedCostUsd: 1 }), row(CE, '2026-03-01', { billedCostUsd: 2 })];
    const out = querySpend(rows, IMPORTS, q({}));
    expect(out.totalUsd).toBe(2);
    expect(out.datasetsShadowed.map((s) => s.datasetId)).toEqual(['orphan']);
  });
});

describe('dailyTotals', () => {
  it('gives every day through the last with data, zeros between, with the same precedence', () => {
    const days = dailyTotals(ROWS, IMPORTS, { ...MARCH, basis: 'billed', filter: { cloud: 'aws' } });
    expect(days).toEqual([
      { day: '2026-03-01', costUsd: 10 },
      { day: '2026-03-02', costUsd: 104 },
      { day: '2026-03-03', costUsd: 300 },
      { day: '2026-03-04', costUsd: 0 },
      { day: '2026-03-05', costUsd: 20 },
      { day: '2026-03-06', costUsd: 0 },
      { day: '2026-03-07', costUsd: 0 },
      { day: '2026-03-08', costUsd: 0 },
      { day: '2026-03-09', costUsd: 0 },
      { day: '2026-03-10', costUsd: 6 },
      { day: '2026-03-11', costUsd: 2 },
      { day: '2026-03-12', costUsd: 3 },
    ]);
    expect(dailyTotals([], IMPORTS, { ...MARCH, basis: 'billed' })).toEqual([]);
  });
});
