import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { querySpend } from '../../src/billing/query.js';
import { ConfigSchema } from '../../src/config.js';
import { importBills } from '../../src/pipeline/import-bills.js';
import { startCeServer, type CeDay } from '../helpers/billing/aws-ce-server.js';
import { startAzureCostWireServer } from '../helpers/billing/azure-cost-wire-server.js';
import { cell, csvOf, SAMPLE, sumsOf, tempLedgerPerTest } from './import-bills-helpers.js';

const NOW = Date.UTC(2024, 9, 6, 12); // 2024-10-06
const ENV = { AWS_ACCESS_KEY_ID: 'AKIDLOCALTEST', AWS_SECRET_ACCESS_KEY: 'local-secret', AWS_REGION: 'eu-west-1' };
// lookbackDays 10 from 2024-10-06 reaches 2024-09-26: whole months from 2024-09-01, through today (end exclusive: tomorrow).
const RANGE = { start: '2024-09-01', end: '2024-10-07' };
const CE_EXPECT = { ...RANGE, metrics: ['UnblendedCost', 'AmortizedCost'], groupBy: ['LINKED_ACCOUNT', 'SERVICE'] };

// 11353890204 is in the FOCUS sample on 2024-09-12 and -13; 123456789012 is not in it at all.
const FOCUS_ACCOUNT = '11353890204';
const CE_DAYS: CeDay[] = [
  { day: '2024-09-12', groups: [
    { keys: [FOCUS_ACCOUNT, 'Amazon Elastic Compute Cloud - Compute'], amounts: { UnblendedCost: '999', AmortizedCost: '990' } },
    { keys: ['123456789012', 'Amazon Elastic Compute Cloud - Compute'], amounts: { UnblendedCost: '40.5', AmortizedCost: '38' } },
    { keys: ['123456789012', 'Amazon Simple Storage Service'], amounts: { UnblendedCost: '1.25', AmortizedCost: '1.25' } },
  ] },
  { day: '2024-09-13', groups: [
    { keys: [FOCUS_ACCOUNT, 'Amazon Elastic Compute Cloud - Compute'], amounts: { UnblendedCost: '888', AmortizedCost: '880' } },
    { keys: ['123456789012', 'Amazon Elastic Compute Cloud - Compute'], amounts: { UnblendedCost: '41', AmortizedCost: '39' } },
  ] },
];
const SUB = '0000000a-0000-4000-8000-0000000000a1';
const AZ_COLUMNS = [{ name: 'Cost', type: 'Number' }, { name: 'UsageDate', type: 'Number' }, { name: 'ServiceName', type: 'String' }, { name: 'ResourceLocation', type: 'String' }, { name: 'Currency', type: 'String' }];

const t = tempLedgerPerTest();
const { closers } = t;

describe('importBills from the cost APIs', () => {
  it('Cost Explorer and Azure Cost Management land their rows; the API cost is pages × USD 0.01', async () => {
    // 5 groups, 2 per page: 3 pages.
    const ce = await startCeServer({ expect: CE_EXPECT, days: CE_DAYS, groupsPerPage: 2 });
    const az = await startAzureCostWireServer({
      pageSize: 1,
      query: {
        ActualCost: { columns: AZ_COLUMNS, rows: [[4.5, 20240912, 'Storage', 'eastus', 'USD'], [2.25, 20240913, 'Virtual Machines', 'eastus', 'USD']] },
        AmortizedCost: { columns: AZ_COLUMNS, rows: [[4, 20240912, 'Storage', 'eastus', 'USD'], [2, 20240913, 'Virtual Machines', 'eastus', 'USD']] },
      },
    });
    closers.push(ce.close, az.close);
    const config = ConfigSchema.parse({
      dataDir: path.join(t.dir, 'data'),
      billing: { costApis: { lookbackDays: 10, awsCostExplorer: { enabled: true, endpoint: ce.url }, azureCostManagement: { scopes: [`/subscriptions/${SUB}`], endpoint: az.url } } },
    });
    const out = await importBills({ config, ledger: t.ledger, env: ENV, nowMs: NOW });

    const pages = ce.calls('GetCostAndUsage').length;
    expect(pages).toBe(3);
    expect(out.sources.map((s) => [s.source, s.status, s.calls, s.estimatedCostUsd])).toEqual([
      ['aws-cost-explorer', 'ok', 3, 0.03],
      // ActualCost and AmortizedCost, two pages each; the API is not charged.
      [`azure-cost-management:/subscriptions/${SUB}`, 'ok', 4, 0],
    ]);
    expect(out.estimatedApiCostUsd).toBe(pages * 0.01);
    // Each source claims both months it was asked for; October has no rows yet.
    const ledgerLines = (i: number) => out.sources[i]?.periods.map((p) => (p.status === 'imported' ? [p.record.billingPeriod, p.record.ledgerRows] : p.error));
    expect(ledgerLines(0)).toEqual([['2024-09', 5], ['2024-10', 0]]);
    expect(ledgerLines(1)).toEqual([['2024-09', 2], ['2024-10', 0]]);
    expect(out).toMatchObject({ imported: 4, failed: 0 });

    const rows = await t.ledger.rowsBetween('2024-09-01', '2024-09-30');
    const ceRows = rows.filter((r) => r.datasetId === 'aws-cost-explorer:default');
    const want = CE_DAYS.flatMap((d) => d.groups.map((g) => [d.day, g.keys[0], g.keys[1], Number(g.amounts['UnblendedCost']), Number(g.amounts['AmortizedCost'])]));
    expect(ceRows.map((r) => [r.day, r.account, r.service, r.billedCostUsd, r.effectiveCostUsd]).sort()).toEqual(want.sort());
    const azRows = rows.filter((r) => r.datasetId === `azure-cost-management:/subscriptions/${SUB}`);
    expect(azRows.map((r) => [r.day, r.account, r.service, r.region, r.billedCostUsd, r.effectiveCostUsd]).sort()).toEqual([
      ['2024-09-12', SUB, 'Storage', 'eastus', 4.5, 4],
      ['2024-09-13', SUB, 'Virtual Machines', 'eastus', 2.25, 2],
    ]);
    // Azure was asked for the same whole days, its end inclusive.
    expect(az.requests[0]?.body['timePeriod']).toEqual({ from: '2024-09-01T00:00:00+00:00', to: '2024-10-06T23:59:59+00:00' });
    expect(ce.unexpected).toEqual([]);
    expect(az.unexpected).toEqual([]);
  });

  it('a FOCUS export and Cost Explorer on the same account and days: the FOCUS one counts, Cost Explorer is shadowed', async () => {
    const ce = await startCeServer({ expect: CE_EXPECT, days: CE_DAYS });
    closers.push(ce.close);
    const dir = path.join(t.dir, 'focus');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'sample.csv'), csvOf(SAMPLE.records));
    const config = ConfigSchema.parse({
      dataDir: path.join(t.dir, 'data'),
      billing: { exports: [{ uri: dir }], costApis: { lookbackDays: 10, awsCostExplorer: { enabled: true, endpoint: ce.url } } },
    });
    const out = await importBills({ config, ledger: t.ledger, env: ENV, nowMs: NOW });
    expect(out.sources.map((s) => [s.source, s.status])).toEqual([[dir, 'ok'], ['aws-cost-explorer', 'ok']]);

    const rows = await t.ledger.rowsBetween('2024-09-01', '2024-09-30');
    const imports = await t.ledger.listImports();
    const q = querySpend(rows, imports, { fromDay: '2024-09-01', toDay: '2024-09-30', basis: 'billed', groupBy: ['account'], filter: { cloud: 'aws' } });
    const byAccount = new Map(q.groups.map((g) => [g.key['account'], g.costUsd]));
    // The FOCUS account: the export's own sum over the month, none of Cost Explorer's 999 + 888.
    const focus = sumsOf(SAMPLE.records.filter((r) => cell(r, 'SubAccountId') === FOCUS_ACCOUNT && cell(r, 'ChargePeriodStart').startsWith('2024-09')));
    expect(byAccount.get(FOCUS_ACCOUNT)).toBeCloseTo(focus.billed, 6);
    // The account only Cost Explorer knows still counts, from Cost Explorer.
    expect(byAccount.get('123456789012')).toBeCloseTo(40.5 + 1.25 + 41, 9);
    expect(q.datasetsUsed).toEqual(['aws-cost-explorer:default', `file://${dir}`]);
    expect(q.datasetsShadowed.map((s) => s.datasetId)).toEqual(['aws-cost-explorer:default']);
    // The whole AWS total is the export's AWS rows plus the uncovered account.
    const awsFocus = sumsOf(SAMPLE.records.filter((r) => cell(r, 'ProviderName') === 'AWS'));
    expect(q.totalUsd).toBeCloseTo(awsFocus.billed + 40.5 + 1.25 + 41, 6);
  });

  it('a month Cost Explorer now answers empty is cleared, not left with the previous answer', async () => {
    const config = (endpoint: string) => ConfigSchema.parse({ dataDir: path.join(t.dir, 'data'), billing: { costApis: { lookbackDays: 10, awsCostExplorer: { enabled: true, endpoint } } } });
    const full = await startCeServer({ expect: CE_EXPECT, days: CE_DAYS });
    closers.push(full.close);
    await importBills({ config: config(full.url), ledger: t.ledger, env: ENV, nowMs: NOW });
    expect((await t.ledger.rowsBetween('2024-09-01', '2024-09-30')).length).toBe(5);

    const empty = await startCeServer({ expect: CE_EXPECT, days: [] });
    closers.push(empty.close);
    const out = await importBills({ config: config(empty.url), ledger: t.ledger, env: ENV, nowMs: NOW + 3_600_000 });
    expect(out).toMatchObject({ imported: 2, failed: 0 });
    expect(await t.ledger.rowsBetween('2024-09-01', '2024-09-30')).toEqual([]);
  });
});
