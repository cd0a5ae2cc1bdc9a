import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFocusExport } from '../../src/billing/import.js';
import { localBillingSource } from '../../src/billing/local-source.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { ConfigSchema } from '../../src/config.js';
import type { Snapshot } from '../../src/domain/snapshot.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { usd } from '../../src/report/format.js';
import { buildWeeklyReport, buildWeeklyReportData } from '../../src/report/weekly.js';
import { AZ_SUB, type BillWorld, billWorlds, type Charge, DATA, dayOf, focusCsv, HEADER_1_2, PAYER, PROD, type Rec, readCsv, SP_ARN, VM_A, VM_B } from '../billing/focus-csv.js';
import { makeSnapshot } from '../helpers/fixtures-snapshot.js';
import { HOSTILE_CORPUS } from './hostile.js';

/*
 * The weekly report's "From the bill" section, end to end: a FOCUS 1.2 CSV written here (test/billing/focus-csv.ts:
 * the real sample's header with the 1.2 columns, absent values as the sample's literal NULL), imported through
 * importFocusExport + localBillingSource into a SQLite spend ledger beside a store with one snapshot, and the report
 * built by buildWeeklyReportData / buildWeeklyReport. Every expected figure is computed here from the CSV text with
 * csv-parse and Number.
 */

const catalog = loadCatalog();
const config = ConfigSchema.parse({});
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Monday 23 Nov 2026 08:00 UTC: the window is 16 Nov 08:00 → now; the bill is complete through 21 Nov. */
const NOW = Date.UTC(2026, 10, 23, 8);
const WEEK = { from: '2026-11-16', to: '2026-11-21' };
/** The same number of days (6) before it. */
const PREV = { from: '2026-11-10', to: '2026-11-15' };

// ---------------------------------------------------------------------------------------------------------------
// The bill: 2–21 Nov 2026

const VM_C = 'i-0ccc000000000003';
const HOSTILE_SERVICE = HOSTILE_CORPUS[5] as string; // <script>…</script>
const HOSTILE_ACCOUNT = HOSTILE_CORPUS[6] as string; // <img src=x onerror=…>
const dayN = (n: number) => `2026-11-${String(n).padStart(2, '0')}`;

/**
 * VM A's hours covered by a savings plan (bought on 2 Nov: BilledCost 300, EffectiveCost 0), the plan's unused part
 * each day, VM B on demand at a negotiated rate (ContractedCost 80 % of ListCost), S3 in another account, an Azure VM
 * (daily rows), and a service and an account whose names are hostile markup.
 */
function novemberCharges(): Charge[] {
  const out: Charge[] = [];
  const aws = { provider: 'AWS' as const, billingAccountId: PAYER, region: 'us-east-1' };
  const sp = { id: SP_ARN, type: 'Savings Plan', category: 'Spend' };
  out.push({ ...aws, day: dayN(2), subAccountId: PROD, service: 'AWS Savings Plans', serviceCategory: 'Compute', resourceId: SP_ARN, chargeCategory: 'Purchase', chargeFrequency: 'One-Time', billed: 300, effective: 0, list: 0, contracted: 0, cd: sp });
  for (let d = 2; d <= 21; d++) {
    const day = dayN(d);
    for (let h = 0; h < 24; h += 6) {
      out.push({ ...aws, day, hour: h, hours: 6, subAccountId: PROD, service: 'Amazon Elastic Compute Cloud', serviceCategory: 'Compute', resourceId: `arn:aws:ec2:us-east-1:${PROD}:instance/${VM_A}`, chargeCategory: 'Usage', pricingCategory: 'Committed', billed: 0, effective: 1.5 + d / 16, list: 2.5, contracted: 2.5, cd: { ...sp, status: 'Used', quantity: 1.5 + d / 16 }, tags: { team: 'web' } });
    }
    out.push({ ...aws, day, hour: 23, subAccountId: PROD, service: 'AWS Savings Plans', serviceCategory: 'Compute', resourceId: SP_ARN, chargeCategory: 'Usage', pricingCategory: 'Committed', billed: 0, effective: 0.75, list: 0, contracted: 0, cd: { ...sp, status: 'Unused', quantity: 0.75 } });
    out.push({ ...aws, day, hour: 2, hours: 22, subAccountId: PROD, service: 'Amazon Elastic Compute Cloud', serviceCategory: 'Compute', resourceId: VM_B, chargeCategory: 'Usage', billed: 4 + d / 4, effective: 4 + d / 4, list: (4 + d / 4) * 1.25, contracted: 4 + d / 4, tags: { team: 'data' } });
    out.push({ ...aws, day, hour: 1, subAccountId: DATA, service: 'Amazon Simple Storage Service', serviceCategory: 'Storage', region: 'us-west-2', chargeCategory: 'Usage', billed: 2.5, effective: 2.5, list: 2.5, contracted: 2.5 });
    out.push({ provider: 'Microsoft', billingAccountId: '/providers/Microsoft.Billing/billingAccounts/8611537', subAccountId: `/subscriptions/${AZ_SUB}`, day, hours: 24, service: 'Virtual Machines', serviceCategory: 'Compute', region: 'eastus', resourceId: `/subscriptions/${AZ_SUB}/resourcegroups/web/providers/microsoft.compute/virtualmachines/web-1`, chargeCategory: 'Usage', billed: 3.25, effective: 3.25, list: 3.25, contracted: 3.25 });
    out.push({ ...aws, day, hour: 4, subAccountId: HOSTILE_ACCOUNT, service: HOSTILE_SERVICE, serviceCategory: 'Other', region: 'us-east-1', chargeCategory: 'Usage', billed: 1 + (d % 3), effective: 1 + (d % 3), list: 2 + (d % 3), contracted: 1 + (d % 3) });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Independent arithmetic over the CSV text

const num = (v: string | undefined) => (v === undefined || v === 'NULL' || v === '' ? 0 : Number(v));
const inRange = (r: Rec, range: { from: string; to: string }) => dayOf(r) >= range.from && dayOf(r) <= range.to;
const eff = (r: Rec) => num(r['EffectiveCost']);
const sum = (rs: readonly Rec[], f: (r: Rec) => number) => rs.reduce((a, r) => a + f(r), 0);
const r1 = (x: number) => Math.round(x * 10) / 10;
const expectUsd = (actual: number | undefined, expected: number) => expect(Math.abs((actual ?? Number.NaN) - expected)).toBeLessThanOrEqual(0.0051);

// ---------------------------------------------------------------------------------------------------------------
// The world

/** makeSnapshot's fleet, its three aws instances renamed to VM A, VM B (both billed) and VM C (running, not billed). */
function fleet(): Snapshot {
  const snap = makeSnapshot('w1', NOW - 2 * HOUR_MS, 9, 24);
  const rename = new Map([[0, VM_A], [3, VM_B], [6, VM_C]].map(([n, id]) => [snap.instances[n as number]?.id as string, id as string]));
  snap.instances = snap.instances.map((i) => (rename.has(i.id) ? { ...i, id: rename.get(i.id) as string, account: PROD, state: 'running' as const } : i));
  snap.series = snap.series.map((s) => (rename.has(s.instanceId) ? { ...s, instanceId: rename.get(s.instanceId) as string } : s));
  return snap;
}

const newWorld = billWorlds('rightsize-bill-section-');
const world = () => newWorld(fleet());

async function importBill(w: BillWorld, charges: readonly Charge[]): Promise<{ recs: Rec[]; text: string; datasetId: string }> {
  const { billDir } = w;
  const text = focusCsv(charges, { header: HEADER_1_2, nullCell: 'NULL', subAccountName: () => 'an account' });
  writeFileSync(path.join(billDir, 'focus-2026-11.csv'), text);
  const source = await localBillingSource(billDir);
  const outcomes = await importFocusExport(source, w.ledger, { exchangeRatesToUsd: { USD: 1 }, nowMs: NOW - HOUR_MS });
  expect(outcomes.map((o) => (o.status === 'imported' ? [o.record.billingPeriod, o.record.focusVersion] : o.error))).toEqual([['2026-11', '1.2']]);
  return { recs: readCsv(text), text, datasetId: source.datasetId };
}

// ---------------------------------------------------------------------------------------------------------------

describe('the weekly report\'s bill section', () => {
  it('states the week\'s bill: amortized and billed totals, the days before, services, reconciliation, negotiated rates, commitments', async () => {
    const w = await world();
    const { recs, text, datasetId } = await importBill(w, novemberCharges());
    const report = await buildWeeklyReportData({ store: w.store, catalog, config, nowMs: NOW, ledger: w.ledger });
    const bill = report.bill;
    expect(bill).not.toBeNull();
    if (!bill) return;

    expect(bill.basis).toBe('amortized');
    expect(bill.datasets).toEqual([datasetId]);
    // The last row is the Azure VM's 21 Nov, ending 22 Nov 00:00: complete through 21 Nov.
    expect(bill.dataThroughDay).toBe('2026-11-21');
    expect([bill.fromDay, bill.toDay]).toEqual([WEEK.from, WEEK.to]);

    const week = recs.filter((r) => inRange(r, WEEK));
    const prev = recs.filter((r) => inRange(r, PREV));
    const actual = sum(week, eff);
    const previous = sum(prev, eff);
    expectUsd(bill.actualUsd, actual);
    expectUsd(bill.billedUsd, sum(week, (r) => num(r['BilledCost'])));
    expect(bill.billedUsd).not.toBe(bill.actualUsd); // VM A is paid by the plan: billed 0, amortized > 0
    expectUsd(bill.previousUsd, previous);
    expect(bill.changePct).toBe(r1((100 * (actual - previous)) / previous));
    expect(bill.daily.map((d) => d.day)).toEqual(['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20', '2026-11-21']);
    for (const d of bill.daily) expectUsd(d.actualUsd, sum(week.filter((r) => dayOf(r) === d.day), eff));

    // By (provider, service), largest first, with the same service's cost in the days before.
    const services = new Map<string, { provider: string; service: string; costUsd: number; previousUsd: number }>();
    for (const [rows, field] of [[week, 'costUsd'], [prev, 'previousUsd']] as const) {
      for (const r of rows) {
        const key = `${r['ProviderName']}|${r['ServiceName']}`;
        const s = services.get(key) ?? { provider: r['ProviderName'] as string, service: r['ServiceName'] as string, costUsd: 0, previousUsd: 0 };
        s[field] += eff(r);
        services.set(key, s);
      }
    }
    const expectedServices = [...services.values()].sort((a, b) => b.costUsd - a.costUsd);
    expect(bill.byService.map((s) => [s.provider, s.service])).toEqual(expectedServices.map((s) => [s.provider, s.service]));
    bill.byService.forEach((s, i) => {
      expectUsd(s.costUsd, expectedServices[i]?.costUsd as number);
      expectUsd(s.previousUsd, expectedServices[i]?.previousUsd as number);
    });

    // Reconciliation: the rows whose ResourceId is an inventory instance (VM A by its ARN, VM B by its bare id).
    const isInventory = (r: Rec) => r['ResourceId'] === VM_B || (r['ResourceId'] ?? '').endsWith(`:instance/${VM_A}`);
    const explained = sum(week.filter(isInventory), eff);
    expect(explained).toBeGreaterThan(0);
    expectUsd(bill.reconciliation.billUsd, actual);
    expectUsd(bill.reconciliation.explainedByInstancesUsd, explained);
    expect(bill.reconciliation.explainedPct).toBe(r1((100 * explained) / actual));
    // VM C runs in a billed account with no line in the bill.
    expect(bill.reconciliation.unmatchedInstances).toBe(1);

    // Negotiated rates: Usage rows with a list price and a reported contracted cost, per (provider, account).
    const rates = new Map<string, { provider: string; account: string; list: number; contracted: number }>();
    for (const r of week) {
      if (r['ChargeCategory'] !== 'Usage' || num(r['ListCost']) === 0 || r['PricingCategory'] === 'Dynamic') continue;
      if (num(r['ContractedCost']) === 0) continue;
      const account = (r['SubAccountId'] || r['BillingAccountId']) as string;
      const a = rates.get(`${r['ProviderName']}|${account}`) ?? { provider: r['ProviderName'] as string, account, list: 0, contracted: 0 };
      a.list += num(r['ListCost']);
      a.contracted += num(r['ContractedCost']);
      rates.set(`${r['ProviderName']}|${account}`, a);
    }
    const expectedRates = [...rates.values()].sort((a, b) => b.list - a.list).slice(0, 5);
    expect(bill.negotiated.map((n) => [n.provider, n.account, n.discountPct])).toEqual(expectedRates.map((a) => [a.provider, a.account, r1((1 - a.contracted / a.list) * 100)]));
    bill.negotiated.forEach((n, i) => {
      expectUsd(n.listUsd, expectedRates[i]?.list as number);
      expectUsd(n.contractedUsd, expectedRates[i]?.contracted as number);
    });
    // Sanity of the scenario: VM B's 20 % off list shows in PROD's blended rate, and the hostile account's too.
    expect(bill.negotiated.find((n) => n.account === PROD)?.discountPct).toBeGreaterThan(0);
    expect(bill.negotiated.find((n) => n.account === HOSTILE_ACCOUNT)?.discountPct).toBeGreaterThan(0);

    // Commitment utilization over the week: Used vs Unused EffectiveCost of the plan's Usage rows.
    const spRows = week.filter((r) => r['CommitmentDiscountId'] === SP_ARN && r['ChargeCategory'] === 'Usage');
    const used = sum(spRows.filter((r) => r['CommitmentDiscountStatus'] === 'Used'), eff);
    const unused = sum(spRows.filter((r) => r['CommitmentDiscountStatus'] === 'Unused'), eff);
    const coveredOnDemand = sum(spRows.filter((r) => r['CommitmentDiscountStatus'] === 'Used'), (r) => num(r['ContractedCost']));
    expect(bill.commitments).toHaveLength(1);
    expect(bill.commitments[0]).toMatchObject({ id: SP_ARN, type: 'Savings Plan', account: PROD, utilizationPct: r1((100 * used) / (used + unused)) });
    expectUsd(bill.commitments[0]?.unusedCostUsd, unused);
    expectUsd(bill.commitments[0]?.netSavingsUsd, coveredOnDemand - used - unused);

    // Every row writes some NULL (the sample's spelling): repaired, counted once per row.
    const rowsWithNull = text.trim().split('\n').slice(1).filter((l) => l.split(',').includes('NULL')).length;
    expect(rowsWithNull).toBe(recs.length);
    expect(bill.problems).toEqual({ rejectedRows: 0, repairedRows: rowsWithNull });
  });

  it('is null without an import, and the report says how to get one', async () => {
    const w = await world();
    const built = await buildWeeklyReport({ store: w.store, catalog, config, nowMs: NOW, ledger: w.ledger });
    expect(built.report.bill).toBeNull();
    expect(built.html).toContain('<h2>From the bill</h2><p class="note">No bill imported');
    expect(built.markdown).toContain('## From the bill');
    expect(JSON.stringify(built.slackSummary)).not.toContain('Actual spend (bill');
    // Without a ledger at all, the same.
    expect((await buildWeeklyReportData({ store: w.store, catalog, config, nowMs: NOW })).bill).toBeNull();
  });

  it('HTML, Markdown and Slack show the section, with a hostile service name and account id escaped', async () => {
    const w = await world();
    await importBill(w, novemberCharges());
    const built = await buildWeeklyReport({ store: w.store, catalog, config, nowMs: NOW, ledger: w.ledger, link: 'https://rightsize.example/r' });
    const bill = built.report.bill;
    if (!bill) throw new Error('expected a bill section');
    expect(bill.byService.some((s) => s.service === HOSTILE_SERVICE)).toBe(true);
    expect(bill.negotiated.some((n) => n.account === HOSTILE_ACCOUNT)).toBe(true);

    // HTML: the section with its figures; the markup arrives as text.
    const section = built.html.slice(built.html.indexOf('<h2>From the bill</h2>'));
    expect(section).toContain(usd(bill.actualUsd));
    expect(section).toContain('<h3>By service (amortized, USD)</h3>');
    expect(section).toContain('<h3>Negotiated rates (contracted vs list)</h3>');
    expect(section).toContain('<h3>Commitments owned (utilization)</h3>');
    expect(built.html).not.toContain('<script>document.title');
    expect(built.html).not.toContain('<img src=x');
    expect(section).toContain('&lt;script&gt;document.title=&quot;pwned&quot;;window.__pwned=1&lt;/script&gt;');
    expect(section).toContain('&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;');

    // Markdown: the same section; the markup is escaped, and adds neither lines nor table cells.
    expect(built.markdown).toContain('## From the bill');
    expect(built.markdown).toContain(usd(bill.actualUsd).replace('$', '\\$'));
    expect(built.markdown).not.toMatch(/(^|[^\\])<script>/);
    expect(built.markdown).not.toMatch(/(^|[^\\])<img/);
    const benignReport = { ...built.report, bill: { ...bill, byService: bill.byService.map((s) => ({ ...s, service: s.service === HOSTILE_SERVICE ? 'x' : s.service })), negotiated: bill.negotiated.map((n) => ({ ...n, account: n.account === HOSTILE_ACCOUNT ? 'x' : n.account })) } };
    const shape = (md: string) => md.split('\n').map((l) => (l.match(/(?<!\\)\|/g) ?? []).length);
    expect(shape(built.markdown)).toEqual(shape(renderMarkdown(benignReport)));

    // Slack: the bill's line with its figures; nothing from the bill's text fields is live.
    const slack = JSON.stringify(built.slackSummary);
    expect(slack).toContain(`*Actual spend (bill, amortized) ${WEEK.from} … ${WEEK.to}* ${usd(bill.actualUsd)}`);
    expect(slack).toContain(`instances explain ${bill.reconciliation.explainedPct?.toFixed(1)}% of the bill`);
    expect(slack).not.toContain('<script');
    expect(slack).not.toContain('<img');
  });
});
