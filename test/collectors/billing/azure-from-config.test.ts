import { afterEach, describe, expect, it } from 'vitest';
import { costManagementFromConfig } from '../../../src/collectors/azure/billing/from-config.js';
import { ConfigSchema } from '../../../src/config.js';
import { startAzureCostWireServer } from '../../helpers/billing/azure-cost-wire-server.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe('costManagementFromConfig', () => {
  it('queries the configured endpoint over the end-exclusive range as inclusive days', async () => {
    const columns = [{ name: 'Cost', type: 'Number' }, { name: 'UsageDate', type: 'Number' }, { name: 'ServiceName', type: 'String' }, { name: 'ResourceLocation', type: 'String' }, { name: 'Currency', type: 'String' }];
    const server = await startAzureCostWireServer({ query: { ActualCost: { columns, rows: [[4, 20240831, 'Storage', 'eastus', 'USD']] }, AmortizedCost: { columns, rows: [[3, 20240831, 'Storage', 'eastus', 'USD']] } } });
    close = server.close;
    const config = ConfigSchema.parse({ billing: { costApis: { azureCostManagement: { scopes: ['/subscriptions/s1'], endpoint: server.url } } } });
    const out = await costManagementFromConfig('/subscriptions/s1', { start: '2024-08-01', end: '2024-09-01' }, { config, env: {}, credential: { getToken: async () => ({ token: 't', expiresOnTimestamp: Date.now() + 60_000 }) } });
    expect(server.requests[0]?.body['timePeriod']).toEqual({ from: '2024-08-01T00:00:00+00:00', to: '2024-08-31T23:59:59+00:00' });
    expect(out).toMatchObject({ calls: 2, estimatedCostUsd: 0 });
    expect(out.rows.map((r) => [r.day, r.account, r.billedCostUsd, r.effectiveCostUsd])).toEqual([['2024-08-31', 's1', 4, 3]]);
  });
});
