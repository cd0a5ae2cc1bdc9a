import { afterEach, describe, expect, it } from 'vitest';
import { bigQueryRows, ON_DEMAND_USD_PER_TIB } from '../../../src/collectors/gcp/billing/bigquery.js';
import { startBigQueryWireServer } from '../../helpers/billing/gcp-bigquery-wire-server.js';

const authClient = { getRequestHeaders: async () => ({ authorization: 'Bearer test-token' }) };
const fields = [{ name: 'day', type: 'DATE' }, { name: 'service', type: 'STRING' }, { name: 'billed', type: 'NUMERIC' }];
const rows: (string | null)[][] = [
  ['2024-08-01', 'Compute Engine', '10.5'],
  ['2024-08-01', 'Cloud Storage', '2.25'],
  ['2024-08-02', 'Compute Engine', '11.75'],
  ['2024-08-02', null, '0.5'],
  ['2024-08-03', 'BigQuery', '3'],
];

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe('bigQueryRows', () => {
  it('waits for a pending job, reads every page, and reports bytes and the on-demand estimate', async () => {
    const server = await startBigQueryWireServer({ projectId: 'billing-proj', fields, rows, pageSize: 3, pendingPolls: 2, totalBytesProcessed: String(3 * 2 ** 40), totalBytesBilled: String(2 * 2 ** 40) });
    close = server.close;
    const stream = bigQueryRows({
      projectId: 'billing-proj', sql: 'SELECT day, service, billed FROM `p.d.t` WHERE day >= @from', params: { from: { type: 'DATE', value: '2024-08-01' }, limit: 10, service: 'x' },
      location: 'US', timeoutMs: 5000, deadlineMs: 30_000, pageSize: 3, endpoint: server.url, authClient, pollIntervalMs: 0,
    });
    expect(stream.stats).toBeUndefined();
    const out: Record<string, string | null>[] = [];
    for await (const r of stream) out.push(r);
    expect(out).toHaveLength(5);
    expect(out[3]).toEqual({ day: '2024-08-02', service: null, billed: '0.5' });
    expect(out.reduce((s, r) => s + Number(r['billed']), 0)).toBeCloseTo(10.5 + 2.25 + 11.75 + 0.5 + 3, 9);
    // jobs.query + 2 polls (one still pending, one complete with page 1) + page 2.
    expect(server.requests.map((r) => `${r.method} ${r.search.get('pageToken') ?? ''}`)).toEqual(['POST ', 'GET ', 'GET ', 'GET page-3']);
    expect(server.requests.every((r) => r.authorization === 'Bearer test-token')).toBe(true);
    expect(server.requests.slice(1).every((r) => r.path === `/bigquery/v2/projects/billing-proj/queries/${server.jobId}` && r.search.get('location') === 'US')).toBe(true);
    expect(server.requests[0]?.body).toMatchObject({
      useLegacySql: false, location: 'US', maxResults: 3, parameterMode: 'NAMED',
      queryParameters: [
        { name: 'from', parameterType: { type: 'DATE' }, parameterValue: { value: '2024-08-01' } },
        { name: 'limit', parameterType: { type: 'INT64' }, parameterValue: { value: '10' } },
        { name: 'service', parameterType: { type: 'STRING' }, parameterValue: { value: 'x' } },
      ],
    });
    // Billed bytes (2 TiB) win over processed bytes (3 TiB): 2 × 6.25 = 12.5 USD.
    expect(stream.stats).toEqual({ jobId: server.jobId, location: 'US', totalBytesProcessed: 3 * 2 ** 40, totalBytesBilled: 2 * 2 ** 40, cacheHit: false, estimatedCostUsd: 12.5, calls: 4 });
    expect(ON_DEMAND_USD_PER_TIB).toBe(6.25);
    expect(server.unexpected).toEqual([]);
  });

  it('maps accessDenied to auth-failed with the roles to grant', async () => {
    const server = await startBigQueryWireServer({ projectId: 'p', fields, rows, pageSize: 10, totalBytesProcessed: '0', queryError: { status: 403, reason: 'accessDenied', message: 'Access Denied: Project p: User does not have bigquery.jobs.create permission in project p.' } });
    close = server.close;
    const read = async () => {
      for await (const _ of bigQueryRows({ projectId: 'p', sql: 'SELECT 1', timeoutMs: 5000, deadlineMs: 30_000, endpoint: server.url, authClient })) void _;
    };
    await expect(read()).rejects.toMatchObject({ status: 'auth-failed', message: expect.stringMatching(/^bigquery jobs\.query p: HTTP 403: accessDenied: Access Denied.*roles\/bigquery\.jobUser/) });
  });

  it('retries rateLimitExceeded a bounded number of times, then reports throttled', async () => {
    const server = await startBigQueryWireServer({ projectId: 'p', fields, rows, pageSize: 10, totalBytesProcessed: '0', queryError: { status: 403, reason: 'rateLimitExceeded', message: 'Exceeded rate limits: too many api requests per user per method' } });
    close = server.close;
    const read = async () => {
      for await (const _ of bigQueryRows({ projectId: 'p', sql: 'SELECT 1', timeoutMs: 5000, deadlineMs: 30_000, endpoint: server.url, authClient, retryDelayMs: 1 })) void _;
    };
    await expect(read()).rejects.toMatchObject({ status: 'throttled', message: expect.stringContaining('rateLimitExceeded') });
    expect(server.requests).toHaveLength(4);
  });

  it('recovers when a rate limit clears within the retries', async () => {
    const server = await startBigQueryWireServer({ projectId: 'p', fields, rows: rows.slice(0, 1), pageSize: 10, totalBytesProcessed: '1048576', queryError: { status: 403, reason: 'rateLimitExceeded', message: 'Exceeded rate limits', times: 1 } });
    close = server.close;
    const stream = bigQueryRows({ projectId: 'p', sql: 'SELECT 1', timeoutMs: 5000, deadlineMs: 30_000, endpoint: server.url, authClient, retryDelayMs: 1 });
    const out = [];
    for await (const r of stream) out.push(r);
    expect(out).toEqual([{ day: '2024-08-01', service: 'Compute Engine', billed: '10.5' }]);
    // 1 MiB processed, none billed reported: 2^20 / 2^40 × 6.25 USD.
    expect(stream.stats?.estimatedCostUsd).toBeCloseTo(6.25 / 2 ** 20, 15);
    expect(stream.stats?.calls).toBe(2);
  });
});
