import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { forecastAzureCosts, queryAzureCosts } from '../../../src/collectors/azure/billing/cost-management.js';
import { retryAfterMs } from '../../../src/collectors/azure/billing/arm-post.js';
import { startAzureCostWireServer } from '../../helpers/billing/azure-cost-wire-server.js';

const SUB = '00000000-0000-0000-0000-000000000000';
const credential = { getToken: async () => ({ token: 'test-token', expiresOnTimestamp: Date.now() + 3_600_000 }) };
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../fixtures/billing/${name}`, import.meta.url), 'utf8')) as { responses: { 200: { body: Record<string, unknown> } } };
// Column names and types as the spec's examples answer them (PreTaxCost, UsageDate numbers, Currency).
const columns = [
  { name: 'PreTaxCost', type: 'Number' }, { name: 'UsageDate', type: 'Number' }, { name: 'ServiceName', type: 'String' }, { name: 'ResourceLocation', type: 'String' }, { name: 'Currency', type: 'String' },
];
const actual: [number, number, string, string, string][] = [
  [10.5, 20240801, 'Virtual Machines', 'eastus', 'USD'],
  [2.25, 20240801, 'Storage', 'eastus', 'USD'],
  [1200, 20240802, 'Reservations', 'eastus', 'USD'],
  [11.75, 20240802, 'Virtual Machines', 'eastus', 'USD'],
  [3, 20240802, 'Bandwidth', 'westeurope', 'EUR'],
];
const amortized: [number, number, string, string, string][] = [
  [49.5, 20240801, 'Virtual Machines', 'eastus', 'USD'],
  [2.25, 20240801, 'Storage', 'eastus', 'USD'],
  [51, 20240802, 'Virtual Machines', 'eastus', 'USD'],
  [3, 20240802, 'Bandwidth', 'westeurope', 'EUR'],
];

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe('queryAzureCosts', () => {
  it('queries ActualCost and AmortizedCost daily, follows nextLink, waits out a 429 and merges both bases by day, service and region', async () => {
    const server = await startAzureCostWireServer({
      query: { ActualCost: { columns, rows: actual }, AmortizedCost: { columns, rows: amortized } },
      pageSize: 2,
      throttle: { times: 1, headers: { 'retry-after': '3', 'x-ms-ratelimit-microsoft.costmanagement-qpu-retry-after': '7' } },
    });
    close = server.close;
    const waits: number[] = [];
    const out = await queryAzureCosts({ scope: `/subscriptions/${SUB}`, fromDay: '2024-08-01', toDay: '2024-08-02' }, { endpoint: server.url, credential, sleep: async (ms) => void waits.push(ms) });
    expect(waits).toEqual([7000]);
    // 1 throttled + 3 pages of ActualCost (5 rows, 2 a page) + 2 pages of AmortizedCost (4 rows).
    expect(out.calls).toBe(6);
    expect(server.unexpected).toEqual([]);
    expect(server.requests.every((r) => r.authorization === 'Bearer test-token')).toBe(true);
    expect(server.requests.every((r) => r.path === `/subscriptions/${SUB}/providers/Microsoft.CostManagement/query` && r.search.includes('api-version=2024-08-01'))).toBe(true);
    expect(server.requests[0]?.body).toEqual({
      type: 'ActualCost', timeframe: 'Custom', timePeriod: { from: '2024-08-01T00:00:00+00:00', to: '2024-08-02T23:59:59+00:00' },
      dataset: { granularity: 'Daily', aggregation: { totalCost: { name: 'Cost', function: 'Sum' } }, grouping: [{ type: 'Dimension', name: 'ServiceName' }, { type: 'Dimension', name: 'ResourceLocation' }] },
    });
    expect(server.requests.at(-1)?.body['type']).toBe('AmortizedCost');

    const usd = (rows: typeof actual) => rows.filter((r) => r[4] === 'USD').reduce((s, r) => s + r[0], 0);
    const billed = out.rows.reduce((s, r) => s + r.billedCostUsd, 0);
    const effective = out.rows.reduce((s, r) => s + r.effectiveCostUsd, 0);
    expect(billed).toBeCloseTo(usd(actual), 9); // 1224.5
    expect(billed).toBeCloseTo(1224.5, 9);
    expect(effective).toBeCloseTo(usd(amortized), 9); // 102.75
    expect(out.nonUsd).toEqual({ EUR: 3 });
    const vm2 = out.rows.find((r) => r.day === '2024-08-02' && r.service === 'Virtual Machines');
    expect(vm2).toMatchObject({ provider: 'Microsoft', cloud: 'azure', account: SUB, region: 'eastus', chargeCategory: 'Usage', billedCostUsd: 11.75, effectiveCostUsd: 51, rowCount: 2 });
    // The reservation purchase is billed on its day and has no amortized row.
    expect(out.rows.find((r) => r.service === 'Reservations')).toMatchObject({ billedCostUsd: 1200, effectiveCostUsd: 0, rowCount: 1 });
    expect(out.rows).toHaveLength(4);
  });

  it('groups a billing account by subscription and service', async () => {
    const cols = [{ name: 'Cost', type: 'Number' }, { name: 'UsageDate', type: 'Number' }, { name: 'SubscriptionId', type: 'String' }, { name: 'ServiceName', type: 'String' }, { name: 'Currency', type: 'String' }];
    const server = await startAzureCostWireServer({ query: { ActualCost: { columns: cols, rows: [[5, 20240801, 'sub-a', 'Storage', 'USD'], [7, 20240801, 'sub-b', 'Storage', 'USD']] } } });
    close = server.close;
    const out = await queryAzureCosts({ scope: 'providers/Microsoft.Billing/billingAccounts/12345:6789', fromDay: '2024-08-01', toDay: '2024-08-01' }, { endpoint: server.url, credential });
    expect(server.requests[0]?.body['dataset']).toMatchObject({ grouping: [{ type: 'Dimension', name: 'SubscriptionId' }, { type: 'Dimension', name: 'ServiceName' }] });
    expect(out.rows.map((r) => [r.billingAccountId, r.account, r.billedCostUsd])).toEqual([['12345:6789', 'sub-a', 5], ['12345:6789', 'sub-b', 7]]);
  });

  it('gives up after the bounded retries with a throttled failure, and names refusals', async () => {
    const server = await startAzureCostWireServer({ throttle: { times: 10, headers: { 'retry-after': '1' } } });
    close = server.close;
    await expect(queryAzureCosts({ scope: `subscriptions/${SUB}`, fromDay: '2024-08-01', toDay: '2024-08-02' }, { endpoint: server.url, credential, maxRetries: 2, sleep: async () => {} }))
      .rejects.toMatchObject({ status: 'throttled', message: expect.stringContaining(`Cost Management Query ActualCost subscriptions/${SUB}: HTTP 429 after 3 attempts`) });
    expect(server.requests).toHaveLength(3);
    const denied = await startAzureCostWireServer({ fail: { status: 403, code: 'AuthorizationFailed', message: 'does not have authorization to perform action Microsoft.CostManagement/query/action' } });
    const closeDenied = denied.close;
    try {
      await expect(queryAzureCosts({ scope: `subscriptions/${SUB}`, fromDay: '2024-08-01', toDay: '2024-08-02' }, { endpoint: denied.url, credential }))
        .rejects.toMatchObject({ status: 'auth-failed', message: expect.stringMatching(/HTTP 403: AuthorizationFailed: does not have.*Cost Management Reader/) });
    } finally {
      await closeDenied();
    }
  });

  it('rejects a table without a cost column, naming what it got', async () => {
    const server = await startAzureCostWireServer({ query: { ActualCost: { columns: [{ name: 'UsageDate', type: 'Number' }], rows: [[20240801]] } } });
    close = server.close;
    await expect(queryAzureCosts({ scope: `subscriptions/${SUB}`, fromDay: '2024-08-01', toDay: '2024-08-01' }, { endpoint: server.url, credential }))
      .rejects.toMatchObject({ status: 'parse-error', message: expect.stringContaining('got UsageDate') });
  });
});

describe('forecastAzureCosts', () => {
  it('reads the documented forecast answer, follows its nextLink to the local endpoint and sums by day and status', async () => {
    const documented = fixture('azure-BillingAccountForecast.json').responses[200].body;
    const rows = (documented['properties'] as { rows: [number, number, string, string][] }).rows;
    const second = { properties: { nextLink: null, columns: (documented['properties'] as { columns: unknown }).columns, rows: [[40, 20180330, 'Actual', 'USD']] } };
    const server = await startAzureCostWireServer({ forecastPages: [documented, second] });
    close = server.close;
    const f = await forecastAzureCosts({ scope: 'providers/Microsoft.Billing/billingAccounts/12345:6789', fromDay: '2018-03-01', toDay: '2018-04-30' }, { endpoint: server.url, credential });
    const forecastSum = rows.reduce((s, r) => s + r[0], 0);
    expect(f.forecastUsd).toBeCloseTo(forecastSum, 9);
    expect(f.forecastUsd).toBeCloseTo(2.10333307059661 + 218.68795741935486 + 0.14384913581657052 + 0.009865586851323632, 9);
    expect(f.actualUsd).toBe(40);
    expect(f.totalUsd).toBeCloseTo(forecastSum + 40, 9);
    expect(f.byDay.map((d) => [d.day, d.status])).toEqual([['2018-03-30', 'Actual'], ['2018-03-31', 'Forecast'], ['2018-04-01', 'Forecast'], ['2018-04-29', 'Forecast']]);
    expect(f.byDay[1]?.costUsd).toBeCloseTo(2.10333307059661 + 218.68795741935486, 9);
    expect(f.calls).toBe(2);
    // The documented nextLink names management.azure.com and /Forecast: it went to the local server with its skiptoken.
    expect(server.requests[1]?.path).toBe('/providers/Microsoft.Billing/billingAccounts/12345:6789/providers/Microsoft.CostManagement/Forecast');
    expect(server.requests[1]?.search).toContain('$skiptoken=AQAAAA%3D%3D');
    expect(server.requests[0]?.body).toMatchObject({ type: 'ActualCost', timeframe: 'Custom', includeActualCost: true, dataset: { granularity: 'Daily' } });
    expect(server.unexpected).toEqual([]);
  });
});

describe('retryAfterMs', () => {
  it('takes the longest of the standard and the Cost Management headers', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': '2', 'x-ms-ratelimit-microsoft.costmanagement-entity-retry-after': '30' }))).toBe(30_000);
    expect(retryAfterMs(new Headers({ 'x-ms-ratelimit-microsoft.costmanagement-qpu-retry-after': '5' }))).toBe(5000);
    expect(retryAfterMs(new Headers({}))).toBeUndefined();
  });
});
