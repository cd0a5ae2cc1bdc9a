import { afterEach, describe, expect, it } from 'vitest';
import { bigQueryFromConfig } from '../../../src/collectors/gcp/billing/from-config.js';
import { ConfigSchema } from '../../../src/config.js';
import { startBigQueryWireServer } from '../../helpers/billing/gcp-bigquery-wire-server.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe('bigQueryFromConfig', () => {
  it('runs the SQL in the configured project and location and returns records with the cost estimate', async () => {
    const server = await startBigQueryWireServer({ projectId: 'bill-p', fields: [{ name: 'n', type: 'INT64' }], rows: [['1'], ['2'], ['3']], pageSize: 2, totalBytesProcessed: String(2 ** 39) });
    close = server.close;
    const config = ConfigSchema.parse({ billing: { bigquery: { projectId: 'bill-p', view: 'bill-p.billing.focus_v1', location: 'EU', endpoint: server.url } } });
    const out = await bigQueryFromConfig('SELECT n FROM x', { config, env: {} });
    expect(out.records).toEqual([{ n: '1' }, { n: '2' }, { n: '3' }]);
    // Half a TiB processed on demand: 0.5 × 6.25 USD.
    expect(out.estimatedCostUsd).toBe(3.125);
    expect(out.calls).toBe(2);
    expect(server.requests[0]?.body).toMatchObject({ query: 'SELECT n FROM x', location: 'EU', useLegacySql: false });
    expect(server.requests[0]?.authorization).toBeUndefined();
  });
});
