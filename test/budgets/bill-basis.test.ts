import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFocusExport, importSpendRows } from '../../src/billing/import.js';
import { localBillingSource } from '../../src/billing/local-source.js';
import { checkBudgets } from '../../src/budgets/check.js';
import { budgetStatuses, type BudgetStatusDetail } from '../../src/budgets/evaluate.js';
import { storedBudgetStatusSource } from '../../src/budgets/stored-status.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { BudgetSchema, type BudgetConfig } from '../../src/config.js';
import type { SpendRow } from '../../src/domain/spend.js';
import type { Snapshot } from '../../src/domain/snapshot.js';
import { usd } from '../../src/report/format.js';
import { AZ_SUB, type BillWorld, billWorlds, type Charge, DATA, dayOf, focusCsv, HEADER_1_0, PAYER, PROD, type Rec, readCsv, SP_ARN, VM_A, VM_B } from '../billing/focus-csv.js';
import { makeSnapshot } from '../helpers/fixtures-snapshot.js';
import { startSlackServer } from '../helpers/slack-server.js';
import { HOSTILE_CORPUS } from '../report/hostile.js';

/*
 * Budgets on the bill (basis amortized | billed), end to end: FOCUS CSV files written here (test/billing/focus-csv.ts,
 * the real FOCUS 1.0 sample's header), imported through importFocusExport + localBillingSource into a SQLite spend
 * ledger, evaluated by budgetStatuses / checkBudgets / storedBudgetStatusSource. Every expected figure is computed
 * here from the CSV text (csv-parse, Number, sums).
 */

const catalog = loadCatalog();
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Friday 20 Nov 2026 12:00 UTC; the bill is complete through 18 Nov (a day and a half behind). */
const NOW = Date.UTC(2026, 10, 20, 12);
const MONTH_START = '2026-11-01';
const PERIOD_END_MS = Date.UTC(2026, 11, 1);

// ---------------------------------------------------------------------------------------------------------------
// The bill

const arnOf = (id: string) => `arn:aws:ec2:us-east-1:${PROD}:instance/${id}`;
const dayN = (n: number, month = '2026-11') => `${month}-${String(n).padStart(2, '0')}`;

/**
 * November 2026 through day `lastDay`: a savings plan bought on day 1 (BilledCost 300, EffectiveCost 0) amortized
 * over VM A's hours (BilledCost 0, EffectiveCost > 0), an on-demand VM B with a negotiated rate and a rising cost,
 * S3 in another account, an Azure VM (daily charge periods, the `/subscriptions/` account spelling of real exports),
 * a credit, and an unused-commitment row. `extra` adds to every day's AWS cost (a later, higher bill).
 */
function novemberCharges(lastDay: number, extra = 0): Charge[] {
  const out: Charge[] = [];
  const aws = { provider: 'AWS' as const, billingAccountId: PAYER, region: 'us-east-1' };
  const sp = { id: SP_ARN, type: 'Savings Plan', category: 'Spend' };
  out.push({ ...aws, day: dayN(1), subAccountId: PROD, service: 'AWS Savings Plans', serviceCategory: 'Compute', resourceId: SP_ARN, chargeCategory: 'Purchase', chargeFrequency: 'One-Time', billed: 300, effective: 0, list: 0, contracted: 0, cd: sp });
  for (let d = 1; d <= lastDay; d++) {
    const day = dayN(d);
    // VM A: 24 hourly rows whose day sums to 6 + d/4 amortized, covered by the plan.
    for (let h = 0; h < 24; h++) {
      out.push({ ...aws, day, hour: h, subAccountId: PROD, service: 'Amazon Elastic Compute Cloud', serviceCategory: 'Compute', resourceId: arnOf(VM_A), chargeCategory: 'Usage', pricingCategory: 'Committed', billed: 0, effective: (6 + d / 4) / 24, list: (10 + d / 2) / 24, contracted: (10 + d / 2) / 24, cd: { ...sp, status: 'Used' }, tags: { team: 'web', env: 'prod' } });
    }
    out.push({ ...aws, day, hour: 3, subAccountId: PROD, service: 'Amazon Elastic Compute Cloud', serviceCategory: 'Compute', resourceId: VM_B, chargeCategory: 'Usage', hours: 1, billed: 4 + d / 2 + extra, effective: 4 + d / 2 + extra, list: 5 + d / 2 + extra, contracted: 4 + d / 2 + extra, tags: { team: 'data' } });
    out.push({ ...aws, day, hour: 5, subAccountId: DATA, service: 'Amazon Simple Storage Service', serviceCategory: 'Storage', region: 'us-west-2', chargeCategory: 'Usage', billed: 2.5, effective: 2.5, list: 2.5, contracted: 2.5 });
    out.push({ provider: 'Microsoft', billingAccountId: '/providers/Microsoft.Billing/billingAccounts/8611537', subAccountId: `/subscriptions/${AZ_SUB}`, day, hours: 24, service: 'Virtual Machines', serviceCategory: 'Compute', region: 'eastus', resourceId: `/subscriptions/${AZ_SUB}/resourcegroups/web/providers/microsoft.compute/virtualmachines/web-1`, chargeCategory: 'Usage', billed: 3, effective: 3, list: 3, contracted: 3, tags: { team: 'web' } });
    if (d === 10) out.push({ ...aws, day, subAccountId: PROD, service: 'Amazon Elastic Compute Cloud', serviceCategory: 'Compute', chargeCategory: 'Credit', chargeFrequency: 'One-Time', billed: -5, effective: -5, list: 0, contracted: 0 });
    if (d === lastDay) out.push({ ...aws, day, hour: 23, subAccountId: PROD, service: 'AWS Savings Plans', serviceCategory: 'Compute', resourceId: SP_ARN, chargeCategory: 'Usage', pricingCategory: 'Committed', billed: 0, effective: 1.5, list: 0, contracted: 0, cd: { ...sp, status: 'Unused' } });
  }
  return out;
}

/** The end of October (another billing period, in the same file): never in a November budget. */
function octoberCharges(): Charge[] {
  return [30, 31].map((d) => ({ provider: 'AWS' as const, billingAccountId: PAYER, region: 'us-east-1', day: dayN(d, '2026-10'), subAccountId: PROD, service: 'Amazon Elastic Compute Cloud', serviceCategory: 'Compute', resourceId: VM_B, chargeCategory: 'Usage' as const, billed: 100, effective: 100, list: 100, contracted: 100, tags: { team: 'web' } }));
}

// ---------------------------------------------------------------------------------------------------------------
// Independent arithmetic over the CSV text

const cloudOf = (r: Rec) => (r['ProviderName'] === 'AWS' ? 'aws' : r['ProviderName'] === 'Microsoft' ? 'azure' : undefined);
const bareAccount = (a: string) => a.replace(/^\/subscriptions\//i, '').toLowerCase();

interface Scope { cloud?: string; account?: string; region?: string; tags?: Record<string, string> }
function inScope(r: Rec, s: Scope): boolean {
  if (s.cloud && cloudOf(r) !== s.cloud) return false;
  if (s.account && bareAccount(r['SubAccountId'] || r['BillingAccountId'] || '') !== bareAccount(s.account)) return false;
  if (s.region && r['RegionId'] !== s.region) return false;
  const tags = r['Tags'] ? (JSON.parse(r['Tags']) as Record<string, string>) : {};
  return Object.entries(s.tags ?? {}).every(([k, v]) => tags[k] === v);
}
const costOf = (r: Rec, basis: 'billed' | 'amortized') => Number(basis === 'billed' ? r['BilledCost'] : r['EffectiveCost']);

/** Daily totals of the scope, 1 Nov through `toDay`, in the basis (0 for days without rows). */
function dailyByHand(recs: readonly Rec[], scope: Scope, basis: 'billed' | 'amortized', toDay: string): number[] {
  const out: number[] = [];
  for (let ms = Date.parse(`${MONTH_START}T00:00:00Z`); ms <= Date.parse(`${toDay}T00:00:00Z`); ms += DAY_MS) {
    const day = new Date(ms).toISOString().slice(0, 10);
    out.push(recs.filter((r) => dayOf(r) === day && inScope(r, scope)).reduce((a, r) => a + costOf(r, basis), 0));
  }
  return out;
}

/**
 * The forecast rule of src/engine/ledger.ts forecastPeriodEnd, written again from its description: run rate = actual
 * + last day × days left; trend = actual + the least-squares line over the daily totals, summed over the days left
 * (whole days here); the larger of the two.
 */
function forecastByHand(actual: number, daily: readonly number[], daysLeft: number): { runRate: number; trend: number; forecast: number } {
  const runRate = actual + (daily.at(-1) ?? 0) * daysLeft;
  let trend = runRate;
  const n = daily.length;
  if (n >= 3) {
    let sx = 0, sy = 0, sxx = 0, sxy = 0;
    daily.forEach((y, x) => {
      sx += x;
      sy += y;
      sxx += x * x;
      sxy += x * y;
    });
    const slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
    const intercept = (sy - slope * sx) / n;
    let future = 0;
    if (Number.isInteger(daysLeft)) for (let k = n; k < n + daysLeft; k++) future += intercept + slope * k;
    else {
      // Day k spans [k − ½, k + ½] on the line's axis: the days left are the line's area from n − ½ on.
      const [a, b] = [n - 0.5, n - 0.5 + daysLeft];
      future = intercept * (b - a) + (slope * (b * b - a * a)) / 2;
    }
    trend = actual + Math.max(0, future);
  }
  return { runRate, trend, forecast: Math.max(runRate, trend) };
}

/** Statuses round to cents; sums here do not. */
const expectUsd = (actual: number | undefined, expected: number) => expect(Math.abs((actual ?? Number.NaN) - expected)).toBeLessThanOrEqual(0.0051);

// ---------------------------------------------------------------------------------------------------------------
// The world: a store with one snapshot (its instance 0 is VM A of the bill), a ledger in the same data dir.

/** makeSnapshot's fleet with instance 0 (aws) renamed to the bill's VM A in the bill's account. */
function fleet(): Snapshot {
  const snap = makeSnapshot('s1', Date.UTC(2026, 10, 1), 12);
  const old = snap.instances[0]?.id as string;
  snap.instances = snap.instances.map((i) => (i.id === old ? { ...i, id: VM_A, account: PROD } : i));
  snap.series = snap.series.map((s) => (s.instanceId === old ? { ...s, instanceId: VM_A } : s));
  return snap;
}

const newWorld = billWorlds('rightsize-bill-basis-');
const world = () => newWorld(fleet());

/** Writes `charges` as the export's one CSV (replacing what was there) and imports the directory; returns the CSV's rows. */
async function importBill(w: BillWorld, charges: readonly Charge[], importedAtMs: number): Promise<Rec[]> {
  const text = focusCsv(charges, { header: HEADER_1_0, nullCell: '' });
  writeFileSync(path.join(w.billDir, 'focus-2026.csv'), text);
  const outcomes = await importFocusExport(await localBillingSource(w.billDir), w.ledger, { exchangeRatesToUsd: { USD: 1 }, nowMs: importedAtMs });
  expect(outcomes.length).toBeGreaterThan(0);
  expect(outcomes.map((o) => o.status)).toEqual(outcomes.map(() => 'imported'));
  return readCsv(text);
}

const budget = (b: Record<string, unknown>): BudgetConfig => BudgetSchema.parse(b);
const statusesOf = (w: BillWorld, budgets: readonly BudgetConfig[], ledger: boolean | undefined = true) =>
  budgetStatuses({ store: w.store, catalog, budgets, nowMs: NOW, ...(ledger ? { ledger: w.ledger } : {}) });

// ---------------------------------------------------------------------------------------------------------------

describe('budget status on the bill', () => {
  it('amortized counts EffectiveCost and billed counts BilledCost, through the bill\'s last day, with the forecast rule on the bill\'s own days', async () => {
    const w = await world();
    const recs = await importBill(w, [...octoberCharges(), ...novemberCharges(18)], NOW - 6 * HOUR_MS);
    const thresholds = [{ pct: 50, kind: 'actual' }, { pct: 80, kind: 'actual' }, { pct: 100, kind: 'forecast' }];
    const budgets = [
      budget({ name: 'amortized', amountUsd: 800, basis: 'amortized', thresholds }),
      budget({ name: 'billed', amountUsd: 800, basis: 'billed', thresholds }),
      budget({ name: 'modeled', amountUsd: 800, basis: 'modeled', thresholds }),
    ];
    const [amortized, billed, modeled] = (await statusesOf(w, budgets)) as [BudgetStatusDetail, BudgetStatusDetail, BudgetStatusDetail];
    const asOfMs = Date.UTC(2026, 10, 19); // the bill's last day is 18 Nov: complete up to 19 Nov 00:00
    const daysLeft = (PERIOD_END_MS - asOfMs) / DAY_MS;
    for (const [status, basis] of [[amortized, 'amortized'], [billed, 'billed']] as const) {
      const daily = dailyByHand(recs, {}, basis, '2026-11-18');
      expect(daily).toHaveLength(18);
      const actual = recs.filter((r) => dayOf(r) >= MONTH_START && dayOf(r) <= '2026-11-18').reduce((a, r) => a + costOf(r, basis), 0);
      expect(daily.reduce((a, b) => a + b, 0)).toBeCloseTo(actual, 9);
      const f = forecastByHand(actual, daily, daysLeft);
      expect(status.basis).toBe(basis);
      expect(status.requestedBasis).toBe(basis);
      expect(status.basisNote).toBeUndefined();
      expectUsd(status.actualUsd, actual);
      expectUsd(status.runRateForecastUsd, f.runRate);
      expectUsd(status.trendForecastUsd, f.trend);
      expectUsd(status.forecastUsd, f.forecast);
      expect(status.billDataThrough).toBe('2026-11-19T00:00:00.000Z');
      // The modeled estimate stays beside it: the modeled basis' own figures.
      expect(status.modeled).toEqual({ actualUsd: modeled.actualUsd, forecastUsd: modeled.forecastUsd });
      const crossed = thresholds.filter((t) => (t.kind === 'actual' ? actual : f.forecast) >= (t.pct / 100) * 800);
      expect(status.thresholdsCrossed).toEqual(crossed);
      expect(status.sources[0]).toContain('complete through 2026-11-18 (1 day behind)');
    }
    // The purchase makes the two bases differ: 300 billed on day 1, spread as EffectiveCost over VM A's hours.
    const day1 = recs.filter((r) => dayOf(r) === '2026-11-01');
    expect(day1.reduce((a, r) => a + costOf(r, 'billed'), 0) - day1.reduce((a, r) => a + costOf(r, 'amortized'), 0)).toBeCloseTo(300 - (6 + 1 / 4), 9);
    expect(amortized.actualUsd).not.toBe(billed.actualUsd);
    // Sanity of the scenario: each basis crosses something, and not the same set.
    expect(amortized.thresholdsCrossed.length).toBeGreaterThan(0);
    expect(billed.thresholdsCrossed).not.toEqual(amortized.thresholdsCrossed);
    // Drivers are the bill's resources by cost in the basis: VM B, then VM A (by EffectiveCost; the inventory knows
    // it, so it is named by its inventory id and type); on the billed basis VM A costs nothing (the plan paid for it
    // up front) and the purchase leads.
    const costOfResource = (id: string, basis: 'billed' | 'amortized') => recs.filter((r) => r['ResourceId'] === id && dayOf(r) >= MONTH_START).reduce((a, r) => a + costOf(r, basis), 0);
    expect(amortized.topDrivers.slice(0, 2).map((d) => [d.instanceId, d.type])).toEqual([[VM_B, 'Amazon Elastic Compute Cloud'], [VM_A, 'm5.large']]);
    expectUsd(amortized.topDrivers[0]?.usd, costOfResource(VM_B, 'amortized'));
    expectUsd(amortized.topDrivers[1]?.usd, costOfResource(arnOf(VM_A), 'amortized'));
    expect(billed.topDrivers[0]?.instanceId).toBe(SP_ARN);
    expectUsd(billed.topDrivers[0]?.usd, costOfResource(SP_ARN, 'billed'));
    expect(billed.topDrivers.find((d) => d.instanceId === VM_A)?.usd ?? 0).toBe(0);
    // Modeled ignores the bill.
    expect(modeled.basis).toBe('modeled');
    expect(modeled.billDataThrough).toBeUndefined();
    expect(modeled.modeled).toBeUndefined();
  });

  it('a last day the export holds only in part counts in actual spend, and the forecast runs on complete days from where the data ends', async () => {
    const w = await world();
    // Through 18 Nov, then 19 Nov's first 12 hours of VM A and VM B's charge (an export refreshed at noon).
    const partial = novemberCharges(19).filter((c) => c.day !== '2026-11-19' || (c.resourceId === arnOf(VM_A) && (c.hour ?? 0) < 12) || c.resourceId === VM_B);
    const recs = await importBill(w, partial, NOW - 6 * HOUR_MS);
    expect(recs.map((r) => Date.parse(`${r['ChargePeriodEnd']}Z`)).reduce((a, b) => Math.max(a, b))).toBe(Date.UTC(2026, 10, 19, 12));
    const [s] = (await statusesOf(w, [budget({ name: 'all', amountUsd: 1000, basis: 'amortized' })])) as [BudgetStatusDetail];
    const actual = recs.filter((r) => dayOf(r) >= MONTH_START).reduce((a, r) => a + costOf(r, 'amortized'), 0);
    const daily = dailyByHand(recs, {}, 'amortized', '2026-11-18');
    const f = forecastByHand(actual, daily, (PERIOD_END_MS - Date.UTC(2026, 10, 19, 12)) / DAY_MS);
    expectUsd(s.actualUsd, actual);
    expect(s.billDataThrough).toBe('2026-11-19T12:00:00.000Z');
    expectUsd(s.runRateForecastUsd, f.runRate);
    expectUsd(s.trendForecastUsd, f.trend);
    expectUsd(s.forecastUsd, f.forecast);
    expect(s.sources[0]).toContain('complete through 2026-11-19 12:00 UTC (1 day behind)');
  });

  it('scope filters (cloud, account, tags, region) select the bill\'s rows; Azure accounts match in their bare form', async () => {
    const w = await world();
    const recs = await importBill(w, [...octoberCharges(), ...novemberCharges(18)], NOW - 6 * HOUR_MS);
    const scopes: Record<string, Scope> = {
      aws: { cloud: 'aws' },
      prod: { cloud: 'aws', account: PROD },
      web: { tags: { team: 'web' } },
      'web-prod': { tags: { team: 'web', env: 'prod' } },
      'us-west-2': { region: 'us-west-2' },
      azure: { cloud: 'azure' },
      // The inventory (and so a budget's scope) holds the bare subscription id; the bill says /subscriptions/<id>.
      'azure-sub': { cloud: 'azure', account: AZ_SUB },
    };
    const budgets = Object.entries(scopes).flatMap(([name, scope]) => (['amortized', 'billed'] as const).map((basis) => budget({ name: `${name}-${basis}`, amountUsd: 1000, basis, scope })));
    const statuses = await statusesOf(w, budgets);
    for (const s of statuses) {
      const [name, basis] = [s.name.slice(0, s.name.lastIndexOf('-')), s.name.slice(s.name.lastIndexOf('-') + 1) as 'amortized' | 'billed'];
      const scope = scopes[name] as Scope;
      const actual = recs.filter((r) => dayOf(r) >= MONTH_START && inScope(r, scope)).reduce((a, r) => a + costOf(r, basis), 0);
      // VM A (the only team=web env=prod row) is paid by the plan: $0 billed, yet a bill status, not a fallback.
      if (s.name !== 'web-prod-billed') expect(actual, s.name).not.toBe(0);
      expect(s.basis, s.name).toBe(basis);
      expectUsd(s.actualUsd, actual);
      const f = forecastByHand(actual, dailyByHand(recs, scope, basis, '2026-11-18'), 12);
      expectUsd(s.forecastUsd, f.forecast);
    }
    // The tag scopes differ from each other and from the whole bill: filters did something.
    const byName = new Map(statuses.map((s) => [s.name, s.actualUsd]));
    expect(new Set([byName.get('aws-amortized'), byName.get('prod-amortized'), byName.get('web-amortized'), byName.get('web-prod-amortized')]).size).toBe(4);
  });

  it('a scope the bill does not cover, or no import at all, falls back to modeled and says why; basis modeled ignores the bill', async () => {
    const w = await world();
    const amortized = budget({ name: 'all', amountUsd: 1000, basis: 'amortized' });
    const nowhere = budget({ name: 'nowhere', amountUsd: 1000, basis: 'billed', scope: { account: '555555555555' } });
    const modeledOnly = budget({ name: 'modeled', amountUsd: 1000, basis: 'modeled' });
    const modeledTwin = budget({ name: 'all', amountUsd: 1000, basis: 'modeled' });
    const [twin] = (await statusesOf(w, [modeledTwin], false)) as [BudgetStatusDetail];
    // No import yet, with a ledger and without one.
    for (const withLedger of [true, false]) {
      const [s] = (await statusesOf(w, [amortized], withLedger)) as [BudgetStatusDetail];
      expect(s.basis).toBe('modeled');
      expect(s.requestedBasis).toBe('amortized');
      expect(s.basisNote).toMatch(/no bill imported yet/);
      expect(s.actualUsd).toBe(twin.actualUsd);
      expect(s.forecastUsd).toBe(twin.forecastUsd);
      expect(s.billDataThrough).toBeUndefined();
    }
    await importBill(w, novemberCharges(18), NOW - 6 * HOUR_MS);
    const [all, none, mod] = (await statusesOf(w, [amortized, nowhere, modeledOnly])) as [BudgetStatusDetail, BudgetStatusDetail, BudgetStatusDetail];
    expect(all.basis).toBe('amortized');
    expect(none.basis).toBe('modeled');
    expect(none.requestedBasis).toBe('billed');
    expect(none.basisNote).toMatch(/has no billed cost in 2026-11-01…2026-11-20/);
    expect(mod.basis).toBe('modeled');
    expect(mod.requestedBasis).toBe('modeled');
    expect(mod.basisNote).toBeUndefined();
    expect(mod.actualUsd).toBe(twin.actualUsd);
    expect(mod.reconciliation).toBeUndefined();
  });

  it('reconciliation: the share of the scope\'s bill on inventory instances, not counted twice when Cost Explorer covers the same days', async () => {
    const w = await world();
    const recs = await importBill(w, novemberCharges(18), NOW - 6 * HOUR_MS);
    const b = budget({ name: 'prod', amountUsd: 1000, basis: 'amortized', scope: { cloud: 'aws', account: PROD } });
    const inMonth = recs.filter((r) => dayOf(r) >= MONTH_START && inScope(r, { cloud: 'aws', account: PROD }));
    const total = inMonth.reduce((a, r) => a + costOf(r, 'amortized'), 0);
    // VM A (arn form in the bill) is instance 0 of the inventory; VM B is not in the inventory.
    const explained = inMonth.filter((r) => r['ResourceId'] === arnOf(VM_A)).reduce((a, r) => a + costOf(r, 'amortized'), 0);
    const check = async () => {
      const [s] = (await statusesOf(w, [b])) as [BudgetStatusDetail];
      expectUsd(s.actualUsd, total);
      expectUsd(s.reconciliation?.billUsd, total);
      expectUsd(s.reconciliation?.explainedByInstancesUsd, explained);
      expect(s.reconciliation?.explainedPct).toBe(Math.round((1000 * explained) / total) / 10);
      expect(s.reconciliation?.modeledUsd).toBe(s.modeled?.actualUsd);
    };
    await check();
    // A Cost Explorer summary of the same account and days: the FOCUS export wins, in the total and the reconciliation.
    const summary: SpendRow[] = [];
    for (let d = 1; d <= 18; d++) {
      summary.push({
        day: dayN(d), provider: 'AWS', cloud: 'aws', billingAccountId: PAYER, account: PROD, service: 'Amazon Elastic Compute Cloud', serviceCategory: 'Compute', region: 'us-east-1',
        resourceId: arnOf(VM_A), chargeCategory: 'Usage', pricingCategory: '', commitmentDiscountId: '', commitmentDiscountType: '', commitmentDiscountCategory: '', commitmentDiscountStatus: '',
        tagsJson: '{}', billedCostUsd: 50, effectiveCostUsd: 50, listCostUsd: 50, contractedCostUsd: 50, commitmentDiscountQuantity: 0, rowCount: 1,
      });
    }
    await importSpendRows(w.ledger, { datasetId: `aws-cost-explorer:${PAYER}`, via: 'aws-cost-explorer', bases: ['billed', 'amortized'], rows: summary, nowMs: NOW - HOUR_MS });
    await check();
  });
});

describe('alerts on the bill', () => {
  it('sends the highest crossed threshold once per channel, nothing on a rerun, and the next threshold once when a new import crosses it', async () => {
    const w = await world();
    const slack = await startSlackServer();
    try {
      // A hostile service name in the bill reaches the drivers list: it must arrive escaped.
      const hostile = HOSTILE_CORPUS[0] as string;
      const hostileRow = (lastDay: number): Charge => ({ provider: 'AWS', billingAccountId: PAYER, region: 'us-east-1', day: dayN(lastDay), subAccountId: PROD, service: hostile, serviceCategory: 'Other', chargeCategory: 'Usage', billed: 90, effective: 90, list: 90, contracted: 90 });
      const b = budget({
        name: 'prod', amountUsd: 1000, basis: 'amortized', scope: { cloud: 'aws', account: PROD },
        thresholds: [{ pct: 10, kind: 'actual' }, { pct: 20, kind: 'actual' }, { pct: 40, kind: 'actual' }],
        channels: [{ slackWebhook: { env: 'HOOK_A' } }, { slackWebhook: { env: 'HOOK_B' } }],
      });
      const hooks: Record<string, string> = { HOOK_A: slack.url('/a'), HOOK_B: slack.url('/b') };
      const run = (nowMs: number) => checkBudgets({ store: w.store, catalog, budgets: [b], resolveWebhook: async (ref) => ('env' in ref ? hooks[ref.env] : undefined), nowMs, claimant: 'test', ledger: w.ledger });
      const scope = { cloud: 'aws', account: PROD };
      const actualOf = (recs: Rec[]) => recs.filter((r) => dayOf(r) >= MONTH_START && inScope(r, scope)).reduce((a, r) => a + costOf(r, 'amortized'), 0);

      // First bill, through 10 Nov: between 20 % and 40 %.
      const first = await importBill(w, [...novemberCharges(10), hostileRow(10)], NOW - 6 * HOUR_MS);
      const firstUsd = actualOf(first);
      expect(firstUsd).toBeGreaterThanOrEqual(200);
      expect(firstUsd).toBeLessThan(400);
      const one = await run(NOW);
      expect(one.result.sent.sort()).toEqual(['budget-alert:prod:2026-11:actual:20:env:HOOK_A', 'budget-alert:prod:2026-11:actual:20:env:HOOK_B']);
      expect(one.result.superseded.sort()).toEqual(['budget-alert:prod:2026-11:actual:10:env:HOOK_A', 'budget-alert:prod:2026-11:actual:10:env:HOOK_B']);
      expect(slack.requests.map((r) => r.path).sort()).toEqual(['/a', '/b']);
      const [status] = one.statuses as [BudgetStatusDetail];
      expectUsd(status.actualUsd, firstUsd);
      expect(status.channels.map((c) => c.state)).toEqual(['ok', 'ok']);

      // The message says the basis, how fresh the bill is, and the modeled figure beside it.
      const text = JSON.stringify(slack.requests[0]?.body);
      const [modeledTwin] = (await statusesOf(w, [{ ...b, basis: 'modeled' }])) as [BudgetStatusDetail];
      expect(status.modeled).toEqual({ actualUsd: modeledTwin.actualUsd, forecastUsd: modeledTwin.forecastUsd });
      // (The bill covers 10 Nov whole; billDataThrough is the instant after it, 11 Nov 00:00.)
      expect(text).toMatch(/\*Actual \(amortized, bill through 2026-11-1[01]\)\*\\n/);
      expect(text).toContain(`${usd(status.actualUsd)} (${Math.round(status.actualUsd / 10)}%)`);
      expect(text).toContain(`*Modeled (inventory × list)*\\n${usd(modeledTwin.actualUsd)} actual, ${usd(modeledTwin.forecastUsd)} forecast`);
      expect(text).toContain('FOCUS EffectiveCost');
      expect(text).not.toContain('<!channel>');
      expect(text).not.toContain('<https://evil.example|click>');
      expect(text).toContain('&lt;!channel&gt;');

      // Rerun with the same bill: nothing sent.
      const two = await run(NOW + HOUR_MS);
      expect(two.result.sent).toEqual([]);
      expect(two.result.alreadySent.length).toBeGreaterThan(0);
      expect(slack.requests).toHaveLength(2);

      // A newer, rewritten export through 18 Nov with more spend: past 40 %, sent once per channel.
      const second = await importBill(w, [...novemberCharges(18, 5), hostileRow(18)], NOW + 2 * HOUR_MS);
      expect(actualOf(second)).toBeGreaterThanOrEqual(400);
      const three = await run(NOW + 3 * HOUR_MS);
      expect(three.result.sent.sort()).toEqual(['budget-alert:prod:2026-11:actual:40:env:HOOK_A', 'budget-alert:prod:2026-11:actual:40:env:HOOK_B']);
      expectUsd(three.statuses[0]?.actualUsd, actualOf(second));
      expect(slack.requests).toHaveLength(4);
      expect((await run(NOW + 4 * HOUR_MS)).result.sent).toEqual([]);
      expect(slack.requests).toHaveLength(4);
    } finally {
      await slack.close();
    }
  });
});

describe('stored budget status', () => {
  it('is recomputed when a new bill import lands, with the same snapshot', async () => {
    const w = await world();
    const b = budget({ name: 'all', amountUsd: 1000, basis: 'amortized' });
    const source = storedBudgetStatusSource({ store: w.store, catalog, budgets: [b], nowMs: () => NOW, ledger: w.ledger });
    const sumOf = (recs: Rec[]) => recs.filter((r) => dayOf(r) >= MONTH_START).reduce((a, r) => a + costOf(r, 'amortized'), 0);

    const before = await source.list();
    expect(before[0]?.basis).toBe('modeled');
    const first = await importBill(w, novemberCharges(10), NOW - 6 * HOUR_MS);
    const afterFirst = await source.list();
    expect(afterFirst[0]?.basis).toBe('amortized');
    expectUsd(afterFirst[0]?.actualUsd, sumOf(first));
    // Served again (nothing changed): the same figures.
    expect((await source.list())[0]?.actualUsd).toBe(afterFirst[0]?.actualUsd);

    const second = await importBill(w, novemberCharges(18), NOW - 2 * HOUR_MS);
    expect(sumOf(second)).not.toBeCloseTo(sumOf(first), 2);
    const afterSecond = await source.get('all');
    expectUsd(afterSecond?.actualUsd, sumOf(second));
    expect(afterSecond?.billDataThrough).toBe('2026-11-19T00:00:00.000Z');
  });
});
