import { afterEach, describe, expect, it } from 'vitest';
import { athenaQuery, athenaScanCostUsd } from '../../../src/collectors/aws/billing/athena.js';
import { billingClients } from '../../../src/collectors/aws/billing/clients.js';
import { type AthenaServerOptions, startAthenaServer } from '../../helpers/billing/aws-athena-server.js';
import { LOCAL_AWS } from '../../helpers/billing/aws-json-server.js';

let servers: Awaited<ReturnType<typeof startAthenaServer>>[] = [];
afterEach(async () => {
  for (const s of servers) {
    expect(s.unexpected).toEqual([]);
    await s.close();
  }
  servers = [];
});
async function athena(options: AthenaServerOptions) {
  const server = await startAthenaServer(options);
  servers.push(server);
  const client = billingClients({ timeouts: { connectMs: 500, requestMs: 5_000 }, credentials: LOCAL_AWS.credentials, endpoints: { athena: server.url }, maxAttempts: 2 }).athena;
  return { server, client };
}

const SQL = "SELECT date(ChargePeriodStart) AS day, ServiceName, sum(BilledCost) AS billed FROM focus WHERE BILLING_PERIOD = '2026-11' GROUP BY 1, 2";
const COLUMNS = ['day', 'ServiceName', 'billed'];
const ROWS: (string | null)[][] = [
  ['2026-11-01', 'Amazon EC2', '10.5'],
  ['2026-11-01', null, '0.25'],
  ['2026-11-02', 'Amazon S3', '3.75'],
  ['2026-11-02', 'Amazon EC2', null],
  ['2026-11-03', 'Amazon EC2', '7'],
];

async function drain<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('athenaQuery: the SQL is pushed down, the rows come back', () => {
  it('QUEUED → RUNNING → SUCCEEDED, then every page; header skipped, nulls kept, stats and cost reported', async () => {
    const scanned = 123_456_789;
    const { server, client } = await athena({ states: ['QUEUED', 'RUNNING', 'RUNNING', 'SUCCEEDED'], columns: COLUMNS, rows: ROWS, pageSize: 2, dataScannedBytes: scanned });
    const q = athenaQuery({ client, sql: SQL, workGroup: 'finops', database: 'billing', deadlineMs: 60_000, pollMs: 5 });
    const rows = await drain(q);
    expect(server.sql).toEqual([SQL]);
    const start = server.calls('StartQueryExecution')[0]!.body;
    expect(start).toMatchObject({ WorkGroup: 'finops', QueryExecutionContext: { Database: 'billing' } });
    expect(server.polls()).toBe(4);
    // 1 header + 5 rows at 2 a page: 3 pages.
    expect(server.calls('GetQueryResults')).toHaveLength(3);
    expect(rows).toEqual(ROWS.map((r) => ({ day: r[0], ServiceName: r[1], billed: r[2] })));
    expect(q.columns).toEqual(COLUMNS);
    // 123,456,789 bytes → 118 MiB (rounded up) → 118 / 2^20 TiB × USD 5.
    expect(q.stats).toEqual({ queryExecutionId: 'q-0001', dataScannedBytes: scanned, estimatedCostUsd: (118 / 1_048_576) * 5, engineExecutionMs: 1234, polls: 4 });
    expect(server.stopped()).toBe(false);
  });

  it('a tiny scan is billed at the 10 MB minimum', () => {
    expect(athenaScanCostUsd(0)).toBe((10 / 1_048_576) * 5);
    expect(athenaScanCostUsd(11 * 2 ** 20 + 1)).toBe((12 / 1_048_576) * 5);
    expect(athenaScanCostUsd(2 ** 40)).toBe(5);
  });

  it('FAILED is a named error with Athena’s reason', async () => {
    const { client } = await athena({ states: ['QUEUED', 'FAILED'], stateChangeReason: "TABLE_NOT_FOUND: line 1:75: Table 'awsdatacatalog.billing.focus' does not exist", columns: COLUMNS, rows: [] });
    await expect(drain(athenaQuery({ client, sql: SQL, deadlineMs: 60_000, pollMs: 5 }))).rejects.toMatchObject({
      kind: 'query-failed', status: 'error', message: "aws athena query q-0001 FAILED: TABLE_NOT_FOUND: line 1:75: Table 'awsdatacatalog.billing.focus' does not exist",
    });
  });

  it('CANCELLED (by someone else) is a named error too', async () => {
    const { client } = await athena({ states: ['RUNNING', 'CANCELLED'], stateChangeReason: 'Query cancelled by user', columns: COLUMNS, rows: [] });
    await expect(drain(athenaQuery({ client, sql: SQL, deadlineMs: 60_000, pollMs: 5 }))).rejects.toMatchObject({ kind: 'query-cancelled', message: expect.stringContaining('CANCELLED: Query cancelled by user') });
  });

  it('past the deadline the query is stopped and the error says so', async () => {
    const { server, client } = await athena({ states: ['QUEUED', 'RUNNING'], columns: COLUMNS, rows: [] });
    await expect(drain(athenaQuery({ client, sql: SQL, deadlineMs: 100, pollMs: 10 }))).rejects.toMatchObject({ kind: 'deadline', status: 'timeout', message: expect.stringContaining('(deadlineMs); stopped it') });
    expect(server.calls('StopQueryExecution')).toHaveLength(1);
    expect(server.calls('GetQueryResults')).toHaveLength(0);
  });

  it('an aborted signal stops a running query', async () => {
    const { server, client } = await athena({ states: ['RUNNING'], columns: COLUMNS, rows: [] });
    const controller = new AbortController();
    const q = athenaQuery({ client, sql: SQL, deadlineMs: 60_000, pollMs: 10, signal: controller.signal });
    const done = drain(q).catch((e: unknown) => e);
    while (server.polls() < 2) await new Promise((r) => setTimeout(r, 5));
    controller.abort(new Error('import deadline'));
    expect(await done).toBeInstanceOf(Error);
    expect(server.calls('StopQueryExecution')).toHaveLength(1);
  });

  it('a query is iterated once', async () => {
    const { client } = await athena({ states: ['SUCCEEDED'], columns: COLUMNS, rows: ROWS.slice(0, 1) });
    const q = athenaQuery({ client, sql: SQL, deadlineMs: 60_000, pollMs: 5 });
    expect(await drain(q)).toHaveLength(1);
    expect(() => q[Symbol.asyncIterator]()).toThrow('iterate once');
  });
});
