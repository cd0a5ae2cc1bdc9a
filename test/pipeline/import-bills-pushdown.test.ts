import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LEDGER_SQL_COLUMNS, ledgerSql } from '../../src/billing/ledger/sql.js';
import { ConfigSchema, loadConfig } from '../../src/config.js';
import { importBills } from '../../src/pipeline/import-bills.js';
import { startAwsJsonServer, type JsonReply, type JsonRequest } from '../helpers/billing/aws-json-server.js';
import { startTripwireServer, tempLedgerPerTest } from './import-bills-helpers.js';

// Pushdown: the bill is aggregated where it lives (Athena, BigQuery); the servers answer each month's query with that
// month's ledger records, as the real engines would for the month filter in the SQL.
const NOW = Date.UTC(2024, 9, 6, 12); // 2024-10-06: periodsPerRun 2 → 2024-10 and 2024-09
const ENV = { AWS_ACCESS_KEY_ID: 'AKIDLOCALTEST', AWS_SECRET_ACCESS_KEY: 'local-secret', AWS_REGION: 'us-east-1' };

type Cells = (string | null)[];
/** Ledger records as the engines return them: every value text, SQL NULL as null. Column order: LEDGER_SQL_COLUMNS. */
const rec = (period: string, day: string, account: string, service: string, billed: string, effective: string, rows: string, resource: string | null = null): Cells => [
  period, day, 'AWS', '999999999999', account, service, 'Compute', 'us-east-1', resource, 'Usage', 'Standard', null, null, null, null, '{"team":"ml"}',
  billed, effective, billed, billed, '0', rows,
];
const BY_MONTH: Record<string, Cells[]> = {
  '2024-09': [
    rec('2024-09', '2024-09-01', '111111111111', 'Amazon Elastic Compute Cloud', '12.5', '10.25', '24', 'i-0abc'),
    rec('2024-09', '2024-09-02', '111111111111', 'Amazon Elastic Compute Cloud', '13.75', '11', '24', 'i-0abc'),
    rec('2024-09', '2024-09-02', '222222222222', 'Amazon Simple Storage Service', '0.125', '0.125', '3'),
  ],
  '2024-10': [rec('2024-10', '2024-10-01', '111111111111', 'Amazon Elastic Compute Cloud', '14', '11.5', '24', 'i-0abc')],
};
const col = (name: (typeof LEDGER_SQL_COLUMNS)[number]) => LEDGER_SQL_COLUMNS.indexOf(name);
const servedBilled = (cells: Cells[]) => cells.reduce((s, c) => s + Number(c[col('billed_cost_usd')]), 0);

/** The month a ledger query filters on: `<month expression> = 'YYYY-MM'`. */
const monthOf = (sql: string) => /(?:date_format\("billingperiodstart", '%Y-%m'\)|FORMAT_TIMESTAMP\('%Y-%m', `BillingPeriodStart`, 'UTC'\)) = '(\d{4}-\d{2})'/.exec(sql)?.[1];

/** Athena (AWS JSON 1.1) answering each query with its month's records; 3 GiB scanned per query. */
async function startMonthlyAthena() {
  const queries: string[] = [];
  const handle = (req: JsonRequest): JsonReply => {
    const id = String(req.body['QueryExecutionId'] ?? '');
    const sql = queries[Number(id.slice(2))];
    switch (req.operation) {
      case 'StartQueryExecution':
        queries.push(String(req.body['QueryString']));
        return { body: { QueryExecutionId: `q-${queries.length - 1}` } };
      case 'GetQueryExecution':
        if (sql === undefined) throw new Error(`unknown query ${id}`);
        return { body: { QueryExecution: { QueryExecutionId: id, Status: { State: 'SUCCEEDED' }, Statistics: { DataScannedInBytes: 3 * 2 ** 30 } } } };
      case 'GetQueryResults': {
        if (sql === undefined) throw new Error(`unknown query ${id}`);
        const month = monthOf(sql);
        if (!month) throw new Error('query has no month filter');
        const header = { Data: LEDGER_SQL_COLUMNS.map((c) => ({ VarCharValue: c })) };
        const rows = (BY_MONTH[month] ?? []).map((r) => ({ Data: r.map((v) => (v === null ? {} : { VarCharValue: v })) }));
        return { body: { ResultSet: { Rows: [header, ...rows], ResultSetMetadata: { ColumnInfo: LEDGER_SQL_COLUMNS.map((Name) => ({ Name, Type: 'varchar' })) } } } };
      }
      default:
        throw new Error(`operation ${req.operation} not expected`);
    }
  };
  return { ...(await startAwsJsonServer('AmazonAthena', handle)), queries };
}

/** BigQuery jobs.query answering complete at once with the month's records; 2^38 bytes (¼ TiB) processed per query. */
async function startMonthlyBigQuery(projectId: string) {
  const queries: string[] = [];
  const unexpected: string[] = [];
  const server = createServer(async (req, res) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const send = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.method !== 'POST' || req.url !== `/bigquery/v2/projects/${projectId}/queries`) {
      unexpected.push(`${req.method} ${req.url}`);
      return send(400, { error: { code: 400, message: 'unexpected' } });
    }
    const sql = String((JSON.parse(raw) as { query?: string }).query);
    queries.push(sql);
    const month = monthOf(sql);
    if (!month) {
      unexpected.push('query has no month filter');
      return send(400, { error: { code: 400, message: 'no month' } });
    }
    send(200, {
      kind: 'bigquery#queryResponse', jobReference: { projectId, jobId: `job_${queries.length}`, location: 'US' }, jobComplete: true,
      schema: { fields: LEDGER_SQL_COLUMNS.map((name) => ({ name, type: 'STRING', mode: 'NULLABLE' })) },
      rows: (BY_MONTH[month] ?? []).map((r) => ({ f: r.map((v) => ({ v })) })), totalRows: String(BY_MONTH[month]?.length ?? 0), totalBytesProcessed: String(2 ** 38),
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, queries, unexpected, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const t = tempLedgerPerTest();
const { closers } = t;

/** The ledger's rows of one dataset as comparable tuples. */
async function ledgerTuples(datasetId: string) {
  const rows = (await t.ledger.rowsBetween('2000-01-01', '2099-12-31')).filter((r) => r.datasetId === datasetId);
  return rows.map((r) => [r.day, r.account, r.service, r.resourceId, r.tagsJson, r.billedCostUsd, r.effectiveCostUsd, r.rowCount]).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}
const servedTuples = (cells: Cells[]) =>
  cells.map((c) => [c[col('day')], c[col('account')], c[col('service')], c[col('resource_id')] ?? '', c[col('tags_json')], Number(c[col('billed_cost_usd')]), Number(c[col('effective_cost_usd')]), Number(c[col('row_count')])]).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe('importBills pushdown', () => {
  it('Athena: one ledger query per month of periodsPerRun, its rows land, and the S3 export is not read', async () => {
    const athena = await startMonthlyAthena();
    const s3 = await startTripwireServer();
    closers.push(athena.close, s3.close);
    const config = ConfigSchema.parse({
      dataDir: path.join(t.dir, 'data'),
      billing: {
        exports: [{ uri: 's3://billing/exports/focus-export' }],
        endpoints: { s3: s3.url, s3ForcePathStyle: true },
        athena: { database: 'cur', table: 'focus', workGroup: 'finops', outputLocation: 's3://athena-results/rightsize/', endpoint: athena.url },
      },
    });
    const out = await importBills({ config, ledger: t.ledger, env: ENV, nowMs: NOW });

    expect(athena.queries).toHaveLength(2);
    for (const [i, month] of ['2024-10', '2024-09'].entries()) {
      const sql = athena.queries[i]!;
      expect(sql).toBe(ledgerSql({ dialect: 'athena', from: '"cur"."focus"', focusVersion: '1.2', billingPeriod: month, exchangeRatesToUsd: { USD: 1 } }));
      expect(sql).toContain(`date_format("billingperiodstart", '%Y-%m') = '${month}'`);
      expect(sql).toContain('FROM "cur"."focus"');
      expect(sql).toMatch(/GROUP BY/);
    }
    const starts = athena.calls('StartQueryExecution');
    expect(starts.map((r) => [r.body['WorkGroup'], (r.body['QueryExecutionContext'] as { Database?: string }).Database, (r.body['ResultConfiguration'] as { OutputLocation?: string }).OutputLocation]))
      .toEqual([['finops', 'cur', 's3://athena-results/rightsize/'], ['finops', 'cur', 's3://athena-results/rightsize/']]);

    const [s3Source, athenaSource] = out.sources;
    expect(s3Source).toMatchObject({ source: 's3://billing/exports/focus-export', status: 'ok', periods: [] });
    expect(s3Source?.note).toMatch(/Athena/);
    expect(s3.requests).toEqual([]);
    // Each query scanned 3 GiB: 3 × 2^30 / 2^40 × USD 5 per TB.
    const perQueryUsd = ((3 * 2 ** 30) / 2 ** 40) * 5;
    expect(athenaSource).toMatchObject({ source: 'athena:cur.focus', status: 'ok', calls: 2 });
    expect(athenaSource?.estimatedCostUsd).toBeCloseTo(2 * perQueryUsd, 12);
    expect(out.estimatedApiCostUsd).toBe(Math.round(2 * perQueryUsd * 100) / 100);
    expect(athenaSource?.periods.map((p) => (p.status === 'imported' ? [p.record.billingPeriod, p.record.via, p.record.rowsAccepted, p.record.ledgerRows] : p.error))).toEqual([
      ['2024-10', 'athena', 24, 1],
      ['2024-09', 'athena', 51, 3],
    ]);
    expect(out).toMatchObject({ imported: 2, failed: 0 });
    expect(await ledgerTuples('athena:cur.focus')).toEqual(servedTuples([...BY_MONTH['2024-09']!, ...BY_MONTH['2024-10']!]));
    const billed = (await t.ledger.rowsBetween('2024-09-01', '2024-09-30')).reduce((s, r) => s + r.billedCostUsd, 0);
    expect(billed).toBeCloseTo(servedBilled(BY_MONTH['2024-09']!), 12);
    expect(athena.unexpected).toEqual([]);
  });

  it('BigQuery: one ledger query per month against the view, its rows land', async () => {
    const bq = await startMonthlyBigQuery('bill-p');
    closers.push(bq.close);
    // Through a config file, as the CLI and the Lambda read it.
    const file = path.join(t.dir, 'rightsize.config.json');
    writeFileSync(file, JSON.stringify({ dataDir: path.join(t.dir, 'data'), billing: { bigquery: { projectId: 'bill-p', view: 'bill-p.billing.focus_v1', endpoint: bq.url } } }));
    const config = loadConfig({ configPath: file, cwd: t.dir, env: {} });
    const out = await importBills({ config, ledger: t.ledger, env: {}, nowMs: NOW });

    expect(bq.queries).toHaveLength(2);
    for (const [i, month] of ['2024-10', '2024-09'].entries()) {
      const sql = bq.queries[i]!;
      expect(sql).toBe(ledgerSql({ dialect: 'bigquery', from: '`bill-p.billing.focus_v1`', focusVersion: '1.0', billingPeriod: month, exchangeRatesToUsd: { USD: 1 } }));
      expect(sql).toContain(`FORMAT_TIMESTAMP('%Y-%m', \`BillingPeriodStart\`, 'UTC') = '${month}'`);
      expect(sql).toMatch(/GROUP BY/);
    }
    // ¼ TiB processed per query at USD 6.25 per TiB on demand.
    expect(out.sources).toMatchObject([{ source: 'bigquery:bill-p.billing.focus_v1', status: 'ok', estimatedCostUsd: 2 * 6.25 * 0.25 }]);
    expect(out).toMatchObject({ imported: 2, failed: 0, estimatedApiCostUsd: 3.13 });
    expect(await ledgerTuples('bigquery:bill-p.billing.focus_v1')).toEqual(servedTuples([...BY_MONTH['2024-09']!, ...BY_MONTH['2024-10']!]));
    const imports = await t.ledger.listImports();
    expect(imports.map((i) => [i.datasetId, i.billingPeriod, i.via]).sort()).toEqual([
      ['bigquery:bill-p.billing.focus_v1', '2024-09', 'bigquery'],
      ['bigquery:bill-p.billing.focus_v1', '2024-10', 'bigquery'],
    ]);
    expect(bq.unexpected).toEqual([]);
  });

  it('a month the engine answers empty still claims its period: a bill rewritten to nothing clears it', async () => {
    const athena = await startMonthlyAthena();
    closers.push(athena.close);
    const config = ConfigSchema.parse({ dataDir: path.join(t.dir, 'data'), billing: { athena: { database: 'cur', table: 'focus', endpoint: athena.url }, periodsPerRun: 3 } });
    const out = await importBills({ config, ledger: t.ledger, env: ENV, nowMs: NOW });
    // 2024-08 has no records on the server: imported with no rows.
    expect(out.sources[0]?.periods.map((p) => (p.status === 'imported' ? [p.record.billingPeriod, p.record.ledgerRows] : p.error))).toEqual([['2024-10', 1], ['2024-09', 3], ['2024-08', 0]]);
    expect(athena.queries.map(monthOf)).toEqual(['2024-10', '2024-09', '2024-08']);
  });
});
