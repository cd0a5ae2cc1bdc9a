import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFocusExport, importSpendRows } from '../../src/billing/import.js';
import { localBillingSource } from '../../src/billing/local-source.js';
import { dimensionsFor, querySpend, rowsForQuery, type SpendQuery } from '../../src/billing/query.js';
import type { SpendRow } from '../../src/domain/spend.js';
import { openSqliteSpendLedger, type SqliteSpendLedger } from '../../src/store/spend/sqlite-spend-ledger.js';

const SAMPLE = path.resolve(import.meta.dirname, '../fixtures/billing/focus-1.0-sample-1000rows.csv');
let dir: string;
let ledger: SqliteSpendLedger;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'rs-grouped-'));
  ledger = openSqliteSpendLedger({ dataDir: dir });
  await importFocusExport(await localBillingSource(SAMPLE), ledger, { exchangeRatesToUsd: { USD: 1 }, nowMs: Date.UTC(2024, 9, 5) });
  // A cost API covering one of the sample's AWS accounts on the same days (shadowed) and one account the file lacks.
  const api = (account: string, day: string, usd: number): SpendRow => ({
    day, provider: 'AWS', cloud: 'aws', billingAccountId: '', account, service: 'Amazon Elastic Compute Cloud', serviceCategory: '', region: '', resourceId: '', chargeCategory: 'Usage',
    pricingCategory: '', commitmentDiscountId: '', commitmentDiscountType: '', commitmentDiscountCategory: '', commitmentDiscountStatus: '', tagsJson: '{}',
    billedCostUsd: usd, effectiveCostUsd: usd * 0.9, listCostUsd: 0, contractedCostUsd: 0, commitmentDiscountQuantity: 0, rowCount: 1,
  });
  const aws = (await ledger.rowsBetween('2024-09-01', '2024-09-30')).find((r) => r.provider === 'AWS') as SpendRow;
  await importSpendRows(ledger, { datasetId: 'aws-cost-explorer:default', via: 'aws-cost-explorer', bases: ['billed', 'amortized'], nowMs: Date.UTC(2024, 9, 6), rows: [api(aws.account, aws.day, 500), api('000000000042', '2024-09-10', 7), api('000000000042', '2024-09-11', 8)] });
});
afterAll(async () => {
  await ledger.close();
  rmSync(dir, { recursive: true, force: true });
});

const QUERIES: Omit<SpendQuery, 'basis'>[] = [
  { fromDay: '2024-09-01', toDay: '2024-09-30', groupBy: ['day'] },
  { fromDay: '2024-09-01', toDay: '2024-09-30', groupBy: ['provider', 'service'] },
  { fromDay: '2024-09-01', toDay: '2024-09-30', groupBy: ['cloud', 'account'] },
  { fromDay: '2024-09-01', toDay: '2024-09-30', groupBy: ['region', 'chargeCategory'] },
  { fromDay: '2024-09-01', toDay: '2024-09-30', groupBy: ['resource'] },
  { fromDay: '2024-09-01', toDay: '2024-09-30', groupBy: ['tag:environment', 'month'] },
  { fromDay: '2024-09-05', toDay: '2024-09-20', groupBy: ['service'], filter: { cloud: 'aws', region: 'us-east-1' } },
  { fromDay: '2024-09-01', toDay: '2024-09-30', groupBy: ['day'], filter: { tags: { environment: 'prod' } } },
  { fromDay: '2024-09-01', toDay: '2024-09-30', groupBy: ['account'], filter: { provider: 'aws', service: 'Amazon Elastic Compute Cloud' } },
];

describe('queries over rows the store grouped', () => {
  for (const basis of ['amortized', 'billed'] as const) {
    for (const base of QUERIES) {
      const q: SpendQuery = { ...base, basis };
      it(`${basis} by ${q.groupBy.join(',')}${q.filter ? ` where ${JSON.stringify(q.filter)}` : ''}: the same answer as over every row`, async () => {
        const imports = await ledger.listImports();
        const all = await ledger.rowsBetween(q.fromDay, q.toDay);
        const grouped = await rowsForQuery(ledger, q);
        const full = querySpend(all, imports, q);
        const fast = querySpend(grouped, imports, q);
        expect(fast.groups.map((g) => g.key)).toEqual(full.groups.map((g) => g.key));
        fast.groups.forEach((g, i) => {
          const f = full.groups[i]!;
          for (const k of ['costUsd', 'listCostUsd', 'contractedCostUsd'] as const) expect(Math.abs(g[k] - f[k])).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(f[k])));
          expect(g.rowCount).toBe(f.rowCount);
        });
        expect(Math.abs(fast.totalUsd - full.totalUsd)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(full.totalUsd)));
        expect(fast.datasetsUsed).toEqual(full.datasetsUsed);
        expect(fast.datasetsShadowed).toEqual(full.datasetsShadowed);
        expect(fast.dataThroughDay).toEqual(full.dataThroughDay);
        // Fewer rows unless the query reads the resource, which is most of what makes a ledger line.
        if (!q.groupBy.includes('resource')) expect(grouped.length).toBeLessThan(all.length);
      });
    }
  }

  it('covers what makes grouping risky: a shadowed dataset beside a counted one, a tag that is there', async () => {
    const imports = await ledger.listImports();
    const q: SpendQuery = { fromDay: '2024-09-01', toDay: '2024-09-30', basis: 'billed', groupBy: ['tag:environment'] };
    const r = querySpend(await rowsForQuery(ledger, q), imports, q);
    expect(r.datasetsShadowed.map((s) => s.datasetId)).toEqual(['aws-cost-explorer:default']);
    expect(r.datasetsUsed).toContain('aws-cost-explorer:default'); // its account the file lacks still counts
    expect(r.groups.map((g) => g.key['tag:environment'])).toContain('prod');
  });

  it('keeps exactly the dimensions a query reads', () => {
    expect(dimensionsFor({ groupBy: ['day', 'cloud', 'account', 'provider', 'month', 'chargeCategory'] })).toEqual([]);
    expect(dimensionsFor({ groupBy: ['resource', 'tag:team'], filter: { service: 'S3', region: 'eu-west-1', tags: { a: 'b' } } }).sort()).toEqual(['region', 'resourceId', 'service', 'tagsJson']);
  });
});
