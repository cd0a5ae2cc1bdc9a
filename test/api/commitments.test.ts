import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.js';
import { importSpendRows } from '../../src/billing/import.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { hashToken } from '../../src/config.js';
import type { SpendRow } from '../../src/domain/spend.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { openSqliteSpendLedger } from '../../src/store/spend/sqlite-spend-ledger.js';

const TOKEN = 'commitments-test-token-0123456789';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const NOW = Date.UTC(2026, 10, 21, 9);
const ACCOUNT = '111111111111';
const SP = 'arn:aws:savingsplans::111111111111:savingsplan/sp-1';

function row(over: Partial<SpendRow> & Pick<SpendRow, 'day'>): SpendRow {
  return {
    provider: 'AWS', cloud: 'aws', billingAccountId: ACCOUNT, account: ACCOUNT, service: 'Amazon Elastic Compute Cloud', serviceCategory: 'Compute', region: 'us-east-1', resourceId: '',
    chargeCategory: 'Usage', pricingCategory: 'Standard', commitmentDiscountId: '', commitmentDiscountType: '', commitmentDiscountCategory: '', commitmentDiscountStatus: '', tagsJson: '{}',
    billedCostUsd: 0, effectiveCostUsd: 0, listCostUsd: 0, contractedCostUsd: 0, commitmentDiscountQuantity: 0, rowCount: 1, ...over,
  };
}
const used = (day: string, effective: number, contracted: number) =>
  row({ day, resourceId: 'i-0a', pricingCategory: 'Committed', commitmentDiscountId: SP, commitmentDiscountType: 'Savings Plan', commitmentDiscountCategory: 'Spend', commitmentDiscountStatus: 'Used', effectiveCostUsd: effective, contractedCostUsd: contracted, listCostUsd: contracted });
const unused = (day: string, effective: number) =>
  row({ day, resourceId: SP, pricingCategory: 'Committed', commitmentDiscountId: SP, commitmentDiscountType: 'Savings Plan', commitmentDiscountCategory: 'Spend', commitmentDiscountStatus: 'Unused', effectiveCostUsd: effective });
const onDemand = (day: string, cost: number) => row({ day, resourceId: 'i-0b', billedCostUsd: cost, effectiveCostUsd: cost, contractedCostUsd: cost, listCostUsd: cost });

let dir: string;
let app: ReturnType<typeof createApp>;
let bare: ReturnType<typeof createApp>;
const closers: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'rightsize-api-commitments-'));
  const store = openSqliteStore({ dataDir: dir });
  const ledger = openSqliteSpendLedger({ dataDir: dir });
  closers.push(() => ledger.close(), () => store.close());
  // Nov 18–20: the plan applies 6 of effective (8 on-demand) a day and idles 2; i-0b runs 4 a day on demand.
  const rows = ['2026-11-18', '2026-11-19', '2026-11-20'].flatMap((d) => [used(d, 6, 8), unused(d, 2), onDemand(d, 4)]);
  await importSpendRows(ledger, { datasetId: 'file:///bill', via: 'focus-csv', bases: ['billed', 'amortized'], rows, nowMs: NOW });
  // Cost Explorer for the same account and days: shadowed, so its EC2 line must not count as eligible usage.
  await importSpendRows(ledger, { datasetId: 'aws-cost-explorer:default', via: 'aws-cost-explorer', bases: ['billed', 'amortized'], rows: [onDemand('2026-11-19', 100)], nowMs: NOW + 1 });
  const catalog = loadCatalog();
  const common = { store, catalog, advise: () => [], auth: { tokenSha256: [hashToken(TOKEN)] }, nowMs: () => NOW };
  app = createApp({ ...common, ledger });
  bare = createApp(common);
});
afterAll(async () => {
  for (const c of closers) await c();
  rmSync(dir, { recursive: true, force: true });
});

describe('GET /v1/commitments', () => {
  it('gives each commitment\'s utilization and each service\'s coverage, by hand', async () => {
    const res = await app.request('/v1/commitments?from=2026-11-18&to=2026-11-20', { headers: AUTH });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { utilization: { commitmentId: string; usedCostUsd: number; unusedCostUsd: number; utilizationPct: number; coveredOnDemandUsd: number; netSavingsUsd: number }[]; coverage: { service: string; eligibleOnDemandUsd: number; coveredOnDemandUsd: number; coveragePct: number }[] };
    expect(body.utilization).toHaveLength(1);
    const u = body.utilization[0]!;
    // Used 3 × 6 = 18, unused 3 × 2 = 6: 75 %; it covered 3 × 8 = 24 of on-demand, so it saved 24 − 24 = 0 net.
    expect(u).toMatchObject({ commitmentId: SP, usedCostUsd: 18, unusedCostUsd: 6, utilizationPct: 75, coveredOnDemandUsd: 24, netSavingsUsd: 0 });
    // Eligible EC2 usage: 24 covered + 12 on demand (the shadowed Cost Explorer line not counted): 66.7 % covered.
    const ec2 = body.coverage.find((c) => c.service === 'Amazon Elastic Compute Cloud')!;
    expect(ec2.eligibleOnDemandUsd).toBeCloseTo(36, 9);
    expect(ec2.coveredOnDemandUsd).toBeCloseTo(24, 9);
    expect(ec2.coveragePct).toBeCloseTo((24 / 36) * 100, 9);
  });

  it('defaults to the 30 days up to yesterday', async () => {
    const body = (await (await app.request('/v1/commitments', { headers: AUTH })).json()) as { from: string; to: string; utilization: unknown[] };
    expect(body).toMatchObject({ from: '2026-10-22', to: '2026-11-20' }); // 30 days, both ends counted
    expect(body.utilization).toHaveLength(1);
  });

  it('answers bad ranges with problem+json naming the field, and 404 without a ledger', async () => {
    for (const [query, field] of [['from=2026-11-20&to=2026-11-18', 'query.from'], ['to=2026-02-30', 'query.to'], ['from=2025-01-01&to=2026-11-20', 'query.to'], ['bogus=1', 'bogus']] as const) {
      const res = await app.request(`/v1/commitments?${query}`, { headers: AUTH });
      expect(res.status, query).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const body = (await res.json()) as { errors?: { path: string }[] };
      expect(body.errors?.some((e) => e.path.includes(field)), `${query}: ${JSON.stringify(body.errors)}`).toBe(true);
    }
    expect((await bare.request('/v1/commitments', { headers: AUTH })).status).toBe(404);
    expect((await app.request('/v1/commitments')).status).toBe(401);
  });
});
