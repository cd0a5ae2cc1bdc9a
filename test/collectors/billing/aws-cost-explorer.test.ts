import { afterEach, describe, expect, it } from 'vitest';
import { billingClients } from '../../../src/collectors/aws/billing/clients.js';
import { costExplorerSavingsPlansUtilization } from '../../../src/collectors/aws/billing/cost-explorer-commitments.js';
import { costExplorerForecast, costExplorerSpend } from '../../../src/collectors/aws/billing/cost-explorer.js';
import { type CeDay, type CeServerOptions, startCeServer } from '../../helpers/billing/aws-ce-server.js';
import { LOCAL_AWS } from '../../helpers/billing/aws-json-server.js';

const fast = { connectMs: 500, requestMs: 5_000 };
let servers: Awaited<ReturnType<typeof startCeServer>>[] = [];
afterEach(async () => {
  for (const s of servers) {
    expect(s.unexpected).toEqual([]);
    await s.close();
  }
  servers = [];
});
async function ce(options: CeServerOptions, maxAttempts = 3) {
  const server = await startCeServer(options);
  servers.push(server);
  const client = billingClients({ timeouts: fast, credentials: LOCAL_AWS.credentials, endpoints: { ce: server.url }, maxAttempts }).ce;
  return { server, client };
}

const A = '111111111111';
const B = '222222222222';
const g = (account: string, service: string, unblended: string, amortized: string) => ({ keys: [account, service], amounts: { UnblendedCost: unblended, AmortizedCost: amortized } });
// Three days of two accounts; a Savings Plan makes amortized differ from unblended on EC2; day 3 is still estimated.
const DAYS: CeDay[] = [
  { day: '2026-11-01', groups: [g(A, 'Amazon Elastic Compute Cloud - Compute', '10.5', '7.25'), g(A, 'Amazon Simple Storage Service', '0.4200000001', '0.4200000001'), g(B, 'Amazon Elastic Compute Cloud - Compute', '3', '3'), g(B, 'Tax', '1.1', '1.1')] },
  { day: '2026-11-02', groups: [g(A, 'Amazon Elastic Compute Cloud - Compute', '10.5', '7.25'), g(A, 'Savings Plans for AWS Compute usage', '24', '0'), g(B, 'Amazon Elastic Compute Cloud - Compute', '2.75', '2.75')] },
  { day: '2026-11-03', estimated: true, groups: [g(A, 'Amazon Elastic Compute Cloud - Compute', '4.125', '2.5'), g(B, 'AWS Support (Business)', '0', '0')] },
];
const EXPECT = { start: '2026-11-01', end: '2026-11-04', metrics: ['UnblendedCost', 'AmortizedCost'], groupBy: ['LINKED_ACCOUNT', 'SERVICE'] };
// Independent of the code: the served amounts summed here.
const served = (metric: string) => DAYS.flatMap((d) => d.groups).reduce((s, x) => s + Number(x.amounts[metric as 'UnblendedCost']), 0);
const GROUPS = DAYS.reduce((n, d) => n + d.groups.length, 0);

describe('costExplorerSpend (GetCostAndUsage over the JSON 1.1 wire)', () => {
  it('folds every page into daily rows per account × service, and counts the paid requests', async () => {
    const { server, client } = await ce({ expect: EXPECT, days: DAYS, groupsPerPage: 2, accountNames: { [A]: 'prod', [B]: 'dev' } });
    const out = await costExplorerSpend({ client, start: '2026-11-01', end: '2026-11-04' });
    const pages = Math.ceil(GROUPS / 2);
    expect(pages).toBe(5);
    expect(out.calls).toBe(pages);
    expect(server.calls('GetCostAndUsage')).toHaveLength(pages);
    expect(out.estimatedCostUsd).toBeCloseTo(0.05, 10);
    expect(out.rows).toHaveLength(GROUPS);
    expect(out.rows.reduce((s, r) => s + r.rowCount, 0)).toBe(GROUPS);
    expect(out.rows.reduce((s, r) => s + r.billedCostUsd, 0)).toBeCloseTo(served('UnblendedCost'), 9);
    expect(out.rows.reduce((s, r) => s + r.effectiveCostUsd, 0)).toBeCloseTo(served('AmortizedCost'), 9);
    // By hand: 10.5+0.42+3+1.1 + 10.5+24+2.75 + 4.125+0 = 56.395…; amortized 7.25+0.42+3+1.1 + 7.25+0+2.75 + 2.5 = 24.27…
    expect(served('UnblendedCost')).toBeCloseTo(56.3950000001, 9);
    expect(served('AmortizedCost')).toBeCloseTo(24.2700000001, 9);
    const ec2 = out.rows.find((r) => r.day === '2026-11-01' && r.account === A && r.service.includes('Compute'));
    expect(ec2).toMatchObject({ provider: 'AWS', cloud: 'aws', billedCostUsd: 10.5, effectiveCostUsd: 7.25, chargeCategory: 'Usage', region: '', billingAccountId: '', tagsJson: '{}', rowCount: 1 });
    expect(out.rows.find((r) => r.service === 'Tax')).toMatchObject({ chargeCategory: 'Tax', account: B, billedCostUsd: 1.1 });
    expect(out.provisionalDays).toEqual(['2026-11-03']);
    expect(out.accountNames).toEqual({ [A]: 'prod', [B]: 'dev' });
    // Every follow-up request carried the token of the page before.
    expect(server.calls('GetCostAndUsage').map((r) => r.body['NextPageToken'] ?? null)).toEqual([null, 'page-2', 'page-4', 'page-6', 'page-8']);
  });

  it('a region view with net metrics: NoRegion is empty, amounts are the net ones', async () => {
    const days: CeDay[] = [{ day: '2026-11-01', groups: [{ keys: [A, 'us-east-1'], amounts: { NetUnblendedCost: '9.5', NetAmortizedCost: '6' } }, { keys: [A, 'NoRegion'], amounts: { NetUnblendedCost: '1.1', NetAmortizedCost: '1.1' } }] }];
    const { client } = await ce({ expect: { ...EXPECT, end: '2026-11-02', metrics: ['NetUnblendedCost', 'NetAmortizedCost'], groupBy: ['LINKED_ACCOUNT', 'REGION'] }, days });
    const out = await costExplorerSpend({ client, start: '2026-11-01', end: '2026-11-02', groupBy: ['LINKED_ACCOUNT', 'REGION'], net: true });
    expect(out.rows.map((r) => [r.region, r.service, r.billedCostUsd, r.effectiveCostUsd])).toEqual([['us-east-1', '', 9.5, 6], ['', '', 1.1, 1.1]]);
    expect(out.calls).toBe(1);
  });

  it('throttling (400 LimitExceededException) is retried by the SDK, then succeeds; throttled attempts are not counted as paid', async () => {
    const { server, client } = await ce({ expect: EXPECT, days: DAYS, throttleFirst: { count: 2, error: 'LimitExceededException' } }, 3);
    const out = await costExplorerSpend({ client, start: '2026-11-01', end: '2026-11-04' });
    expect(server.calls('GetCostAndUsage')).toHaveLength(3);
    expect(out.calls).toBe(1);
    expect(out.rows.reduce((s, r) => s + r.billedCostUsd, 0)).toBeCloseTo(served('UnblendedCost'), 9);
  });

  it('still throttled after the retries: a throttled error', async () => {
    const { server, client } = await ce({ expect: EXPECT, days: DAYS, throttleFirst: { count: 5, error: 'ThrottlingException' } }, 2);
    await expect(costExplorerSpend({ client, start: '2026-11-01', end: '2026-11-04' })).rejects.toMatchObject({ kind: 'throttled', status: 'throttled', message: expect.stringContaining('aws ce:GetCostAndUsage 2026-11-01..2026-11-04: ThrottlingException') });
    expect(server.calls('GetCostAndUsage')).toHaveLength(2);
  });

  it.each([
    ['AccessDeniedException', 'access-denied', 'auth-failed', 'grant ce:GetCostAndUsage'],
    ['DataUnavailableException', 'data-unavailable', 'no-data', 'Cost Explorer has no data'],
    ['BillExpirationException', 'bill-expired', 'invalid-config', 'shorten it'],
  ])('%s is a named error', async (error, kind, status, hint) => {
    const { client } = await ce({ expect: EXPECT, days: DAYS, failWith: { status: 400, error, message: 'User: arn:aws:iam::111111111111:user/ci is not authorized to perform: ce:GetCostAndUsage' } });
    const err = await costExplorerSpend({ client, start: '2026-11-01', end: '2026-11-04' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind, status });
    expect((err as Error).message).toContain(`aws ce:GetCostAndUsage 2026-11-01..2026-11-04: ${error}`);
    expect((err as Error).message).toContain(hint);
  });

  it('an amount in another currency is refused, not summed as USD; bad dates are refused before any call', async () => {
    const { client } = await ce({ expect: { ...EXPECT, end: '2026-11-02' }, days: [{ day: '2026-11-01', groups: [{ ...g(A, 'X', '5', '5'), unit: 'EUR' }] }] });
    await expect(costExplorerSpend({ client, start: '2026-11-01', end: '2026-11-02' })).rejects.toMatchObject({ kind: 'bad-response', message: expect.stringContaining('amount in EUR, not USD') });
    await expect(costExplorerSpend({ client, start: '2026-11-04', end: '2026-11-01' })).rejects.toMatchObject({ kind: 'invalid-input' });
  });

  it('an aborted signal stops the pagination', async () => {
    const { client } = await ce({ expect: EXPECT, days: DAYS, groupsPerPage: 1 });
    const controller = new AbortController();
    controller.abort(new Error('import deadline'));
    await expect(costExplorerSpend({ client, start: '2026-11-01', end: '2026-11-04', signal: controller.signal })).rejects.toThrow();
  });
});

describe('costExplorerForecast (GetCostForecast)', () => {
  it('returns the total and each day with its prediction interval', async () => {
    const days = [{ day: '2026-12-01', mean: '40.5', low: '30', high: '51.25' }, { day: '2026-12-02', mean: '41.25', low: '31', high: '52' }];
    const { client } = await ce({ expect: EXPECT, days: [], forecast: { expect: { start: '2026-12-01', end: '2026-12-03', metric: 'AMORTIZED_COST', granularity: 'DAILY' }, total: '81.75', days } });
    const out = await costExplorerForecast({ client, start: '2026-12-01', end: '2026-12-03' });
    expect(out).toEqual({ totalUsd: 81.75, byDay: [{ day: '2026-12-01', meanUsd: 40.5, lowUsd: 30, highUsd: 51.25 }, { day: '2026-12-02', meanUsd: 41.25, lowUsd: 31, highUsd: 52 }], calls: 1, estimatedCostUsd: 0.01 });
    expect(out.byDay.reduce((s, d) => s + d.meanUsd, 0)).toBe(40.5 + 41.25);
  });
});

describe('costExplorerSavingsPlansUtilization (GetSavingsPlansUtilization)', () => {
  it('reads the commitment used and unused per day and in total', async () => {
    const days = [{ day: '2026-11-01', total: '24', used: '18' }, { day: '2026-11-02', total: '24', used: '24' }];
    const { client } = await ce({ expect: EXPECT, days: [], savingsPlans: { expect: { start: '2026-11-01', end: '2026-11-03', granularity: 'DAILY' }, days } });
    const out = await costExplorerSavingsPlansUtilization({ client, start: '2026-11-01', end: '2026-11-03' });
    // 48 committed, 42 used: 6 unused, 87.5 %.
    expect(out.total).toEqual({ commitmentUsd: 48, usedUsd: 42, unusedUsd: 6, utilizationPct: 87.5, netSavingsUsd: 12.5, onDemandEquivalentUsd: 54.5 });
    expect(out.byPeriod.map((p) => [p.start, p.unusedUsd, p.utilizationPct])).toEqual([['2026-11-01', 6, 75], ['2026-11-02', 0, 100]]);
    expect(out.calls).toBe(1);
  });

  it('no Savings Plans: DataUnavailableException is data-unavailable', async () => {
    const { client } = await ce({ expect: EXPECT, days: [], failWith: { status: 400, error: 'DataUnavailableException', message: 'Data is not available' } });
    await expect(costExplorerSavingsPlansUtilization({ client, start: '2026-11-01', end: '2026-11-03' })).rejects.toMatchObject({ kind: 'data-unavailable', status: 'no-data' });
  });
});
