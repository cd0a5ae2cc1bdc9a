import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BigQueryWireOptions {
  projectId: string;
  fields: { name: string; type: string }[];
  /** Cell values (strings or null, as the REST API sends them). */
  rows: (string | null)[][];
  pageSize: number;
  /** getQueryResults answers `jobComplete: false` this many times before the first page. */
  pendingPolls?: number;
  totalBytesProcessed: string;
  totalBytesBilled?: string;
  /** Answer jobs.query with this HTTP error (an ErrorProto in `error.errors`). */
  queryError?: { status: number; reason: string; message: string; times?: number };
}

/**
 * A local BigQuery v2 REST endpoint for `jobs.query` (POST /bigquery/v2/projects/<p>/queries) and
 * `jobs.getQueryResults` (GET …/queries/<jobId>?pageToken=&location=), with the QueryResponse /
 * GetQueryResultsResponse shapes of the discovery document (test/fixtures/billing/bigquery-v2-jobs-query-excerpt.json):
 * rows as `{ f: [{ v }] }`, `schema.fields`, `jobReference`, `totalBytesProcessed` as a string.
 */
export async function startBigQueryWireServer(options: BigQueryWireOptions) {
  const unexpected: string[] = [];
  const requests: { method: string; path: string; search: URLSearchParams; body: Record<string, unknown>; authorization: string | undefined }[] = [];
  let polls = 0;
  let failures = 0;
  const jobId = 'job_abc123';
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    requests.push({ method: req.method ?? '', path: url.pathname, search: url.searchParams, body, authorization: req.headers.authorization });
    const send = (status: number, b: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
      res.end(JSON.stringify(b));
    };
    const jobReference = { projectId: options.projectId, jobId, location: 'US' };
    const pageAt = (start: number) => ({
      kind: 'bigquery#getQueryResultsResponse', jobReference, jobComplete: true, cacheHit: false,
      schema: { fields: options.fields.map((f) => ({ ...f, mode: 'NULLABLE' })) },
      totalRows: String(options.rows.length), totalBytesProcessed: options.totalBytesProcessed, ...(options.totalBytesBilled ? { totalBytesBilled: options.totalBytesBilled } : {}),
      rows: options.rows.slice(start, start + options.pageSize).map((r) => ({ f: r.map((v) => ({ v })) })),
      ...(start + options.pageSize < options.rows.length ? { pageToken: `page-${start + options.pageSize}` } : {}),
    });
    const base = `/bigquery/v2/projects/${options.projectId}/queries`;
    if (req.method === 'POST' && url.pathname === base) {
      if (options.queryError && failures < (options.queryError.times ?? Infinity)) {
        failures++;
        const { status, reason, message } = options.queryError;
        return send(status, { error: { code: status, message, errors: [{ message, domain: 'global', reason }], status: status === 403 ? 'PERMISSION_DENIED' : status === 429 ? 'RESOURCE_EXHAUSTED' : 'INVALID_ARGUMENT' } });
      }
      if ((options.pendingPolls ?? 0) > 0) return send(200, { kind: 'bigquery#queryResponse', jobReference, jobComplete: false });
      return send(200, { ...pageAt(0), kind: 'bigquery#queryResponse' });
    }
    if (req.method === 'GET' && url.pathname === `${base}/${jobId}`) {
      const token = url.searchParams.get('pageToken');
      if (!token && polls < (options.pendingPolls ?? 0)) {
        polls++;
        if (polls < (options.pendingPolls ?? 0)) return send(200, { kind: 'bigquery#getQueryResultsResponse', jobReference, jobComplete: false });
        return send(200, pageAt(0));
      }
      return send(200, pageAt(token ? Number(token.slice('page-'.length)) : 0));
    }
    unexpected.push(`${req.method} ${url.pathname}${url.search}`);
    send(400, { error: { code: 400, message: 'unexpected request', errors: [{ reason: 'invalid', message: 'unexpected' }] } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, unexpected, requests, jobId, close: () => new Promise<void>((r) => server.close(() => r())) };
}
