import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { ScopeStatus } from '../../../domain/snapshot.js';
import { CollectError } from '../../collector.js';
import { requestSignal } from '../../deadline.js';
import { failureOf } from '../../failure.js';

/**
 * BigQuery on-demand query price: USD 6.25 per TiB scanned (cloud.google.com/bigquery/pricing, "On-demand compute
 * pricing"; the first TiB a month is free, and each table referenced bills at least 10 MiB). An estimate: projects
 * on capacity (slot) pricing pay nothing per byte.
 */
export const ON_DEMAND_USD_PER_TIB = 6.25;
const TIB = 2 ** 40;

/** A named query parameter: a scalar (typed STRING, INT64, FLOAT64 or BOOL by its JS type) or an explicit type. */
export type BigQueryParam = string | number | boolean | { type: 'DATE' | 'TIMESTAMP' | 'STRING' | 'INT64' | 'NUMERIC'; value: string };

export interface BigQueryRowsInput {
  projectId: string;
  /** GoogleSQL; named parameters as `@name`. */
  sql: string;
  params?: Record<string, BigQueryParam>;
  /** Where the dataset lives (`US`, `EU`, `europe-west1`, …); needed outside the US and EU multi-regions. */
  location?: string;
  /** Bounds one HTTP request. */
  timeoutMs: number;
  /** Bounds the whole query: waiting for the job and reading every page. */
  deadlineMs: number;
  /** Refuse (without charge) a query that would bill more bytes than this. */
  maximumBytesBilled?: number;
  /** Rows per page. */
  pageSize?: number;
  signal?: AbortSignal;
  /** API endpoint (default https://bigquery.googleapis.com); an http URL is a local test server. */
  endpoint?: string;
  /** Anything with google-auth-library's `getRequestHeaders`. Default: Application Default Credentials. */
  authClient?: { getRequestHeaders(url?: string): Promise<Headers | Record<string, string>> };
  /** Pause between polls of a job that is not complete (default 1000 ms; the server also long-polls). */
  pollIntervalMs?: number;
  /** First wait before retrying rateLimitExceeded, backendError, 429 or 5xx (doubles each time; 3 retries). Default 500 ms. */
  retryDelayMs?: number;
}

export interface BigQueryJobStats {
  jobId: string;
  location?: string;
  totalBytesProcessed: number;
  totalBytesBilled?: number;
  cacheHit: boolean;
  /** Bytes billed (or processed) × USD 6.25/TiB. */
  estimatedCostUsd: number;
  /** HTTP calls made: jobs.query, polls and pages. */
  calls: number;
}

/** Rows as records of column name → value (BigQuery's REST rows are strings or null; nested values are their JSON). */
export interface BigQueryRowStream extends AsyncIterable<Record<string, string | null>> {
  /** Set once the job is complete (after the first row, or the end of an empty result). */
  readonly stats: BigQueryJobStats | undefined;
}

const FieldSchema = z.object({ name: z.string(), type: z.string().optional() }).passthrough();
const ResponseSchema = z.object({
  jobReference: z.object({ projectId: z.string(), jobId: z.string(), location: z.string().optional() }).optional(),
  jobComplete: z.boolean().optional(),
  schema: z.object({ fields: z.array(FieldSchema) }).optional(),
  rows: z.array(z.object({ f: z.array(z.object({ v: z.unknown() })) })).optional(),
  pageToken: z.string().optional(),
  totalRows: z.string().optional(),
  totalBytesProcessed: z.string().optional(),
  totalBytesBilled: z.string().optional(),
  cacheHit: z.boolean().optional(),
});
type Response = z.infer<typeof ResponseSchema>;
const ErrorBodySchema = z.object({ error: z.object({ code: z.number().optional(), message: z.string().optional(), status: z.string().optional(), errors: z.array(z.object({ reason: z.string().optional(), message: z.string().optional() })).optional() }) });

/** ErrorProto reasons (cloud.google.com/bigquery/docs/error-messages) → named failures; the rest are `error`. */
const REASONS: Record<string, Exclude<ScopeStatus, 'ok'>> = {
  accessDenied: 'auth-failed', forbidden: 'auth-failed', unauthorized: 'auth-failed', authError: 'auth-failed',
  rateLimitExceeded: 'throttled', quotaExceeded: 'throttled', jobRateLimitExceeded: 'throttled',
  timeout: 'timeout', invalidQuery: 'error', notFound: 'error', backendError: 'error', internalError: 'error',
};
const RETRIED = new Set(['rateLimitExceeded', 'backendError', 'internalError']);

function queryParameter(name: string, p: BigQueryParam) {
  const [type, value] = typeof p === 'object' ? [p.type, p.value] : typeof p === 'boolean' ? ['BOOL', String(p)] : typeof p === 'number' ? [Number.isInteger(p) ? 'INT64' : 'FLOAT64', String(p)] : ['STRING', p];
  return { name, parameterType: { type }, parameterValue: { value } };
}

/**
 * Runs a GoogleSQL query with the BigQuery REST API: `jobs.query`, then `jobs.getQueryResults` while the job is
 * not complete and while pages remain, yielding rows as records. Errors are the API's ErrorProto reasons mapped to
 * named failures (accessDenied → auth-failed, rateLimitExceeded → throttled, after bounded retries).
 * @example for await (const row of bigQueryRows({ projectId: 'p', sql: 'SELECT 1 AS x', timeoutMs: 30_000, deadlineMs: 300_000 })) …
 */
export function bigQueryRows(input: BigQueryRowsInput): BigQueryRowStream {
  let stats: BigQueryJobStats | undefined;
  return {
    get stats() {
      return stats;
    },
    async *[Symbol.asyncIterator]() {
      const endpoint = (input.endpoint ?? 'https://bigquery.googleapis.com').replace(/\/$/, '');
      const deadlineAt = Date.now() + input.deadlineMs;
      // The deadline's own timer (not AbortSignal.timeout inside AbortSignal.any: Node may collect that one unfired).
      const deadline = new AbortController();
      const timer = setTimeout(() => deadline.abort(new CollectError('timeout', `bigquery ${input.projectId}: not done within ${input.deadlineMs} ms (deadlineMs)`)), input.deadlineMs);
      timer.unref();
      const scope = input.signal ? AbortSignal.any([input.signal, deadline.signal]) : deadline.signal;
      try {
        const auth = input.authClient ?? (await defaultAuth());
        let calls = 0;
        const what = (op: string) => `bigquery ${op} ${input.projectId}`;
        const call = async (op: string, url: string, init: { method: 'GET' | 'POST'; body?: unknown }): Promise<Response> => {
          for (let attempt = 0; ; attempt++) {
            if (Date.now() >= deadlineAt) throw new CollectError('timeout', `${what(op)}: not done within ${input.deadlineMs} ms (deadlineMs)`);
            let res: globalThis.Response;
            let text: string;
            try {
              const headers = new Headers(await auth.getRequestHeaders(url));
              headers.set('content-type', 'application/json');
              calls++;
              res = await fetch(url, { method: init.method, headers, ...(init.body ? { body: JSON.stringify(init.body) } : {}), signal: requestSignal(input.timeoutMs, scope) });
              text = await res.text();
            } catch (err) {
              const f = failureOf('gcp', what(op), err);
              throw new CollectError(f.status, f.message, { cause: err });
            }
            let body: unknown;
            try {
              body = JSON.parse(text);
            } catch (err) {
              throw new CollectError('parse-error', `${what(op)}: HTTP ${res.status} (not JSON)`, { cause: err });
            }
            if (res.ok) {
              const parsed = ResponseSchema.safeParse(body);
              if (!parsed.success) throw new CollectError('parse-error', `${what(op)}: ${parsed.error.issues[0]?.path.join('.') || '(root)'}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
              return parsed.data;
            }
            const e = ErrorBodySchema.safeParse(body);
            const reason = e.success ? (e.data.error.errors?.[0]?.reason ?? '') : '';
            const message = e.success ? (e.data.error.message ?? '') : '';
            if ((RETRIED.has(reason) || res.status === 429 || res.status >= 500) && attempt < 3) {
              await new Promise((r) => setTimeout(r, Math.min((input.retryDelayMs ?? 500) * 2 ** attempt, Math.max(0, deadlineAt - Date.now()))));
              continue;
            }
            const status = REASONS[reason] ?? (res.status === 401 || res.status === 403 ? 'auth-failed' : res.status === 429 ? 'throttled' : 'error');
            const hint = status === 'auth-failed' ? ' — grant roles/bigquery.jobUser on the project and roles/bigquery.dataViewer on the billing dataset' : '';
            throw new CollectError(status, `${what(op)}: HTTP ${res.status}${reason ? `: ${reason}` : ''}${message ? `: ${message.split('\n')[0]}` : ''}${hint}`);
          }
        };

        const base = `${endpoint}/bigquery/v2/projects/${encodeURIComponent(input.projectId)}/queries`;
        const params = Object.entries(input.params ?? {});
        let page = await call('jobs.query', base, {
          method: 'POST',
          body: {
            query: input.sql, useLegacySql: false, requestId: randomUUID(), timeoutMs: Math.min(10_000, input.timeoutMs),
            ...(input.location ? { location: input.location } : {}),
            ...(input.pageSize ? { maxResults: input.pageSize } : {}),
            ...(input.maximumBytesBilled !== undefined ? { maximumBytesBilled: String(input.maximumBytesBilled) } : {}),
            ...(params.length ? { parameterMode: 'NAMED', queryParameters: params.map(([n, v]) => queryParameter(n, v)) } : {}),
          },
        });
        const job = page.jobReference;
        const results = (pageToken?: string) => {
          if (!job) throw new CollectError('parse-error', `${what('jobs.query')}: no jobReference to read further results with`);
          const q = new URLSearchParams({ timeoutMs: String(Math.min(10_000, input.timeoutMs)) });
          if (job.location ?? input.location) q.set('location', (job.location ?? input.location) as string);
          if (pageToken) q.set('pageToken', pageToken);
          if (input.pageSize) q.set('maxResults', String(input.pageSize));
          return call('jobs.getQueryResults', `${base}/${encodeURIComponent(job.jobId)}?${q.toString()}`, { method: 'GET' });
        };
        while (page.jobComplete === false) {
          await new Promise((r) => setTimeout(r, Math.min(input.pollIntervalMs ?? 1000, Math.max(0, deadlineAt - Date.now()))));
          page = await results();
        }
        const fields = page.schema?.fields.map((f) => f.name) ?? [];
        const bytes = Number(page.totalBytesProcessed ?? 0);
        const billed = page.totalBytesBilled !== undefined ? Number(page.totalBytesBilled) : undefined;
        stats = { jobId: job?.jobId ?? '', ...(job?.location ? { location: job.location } : {}), totalBytesProcessed: bytes, ...(billed !== undefined ? { totalBytesBilled: billed } : {}), cacheHit: page.cacheHit ?? false, estimatedCostUsd: ((billed ?? bytes) / TIB) * ON_DEMAND_USD_PER_TIB, calls };
        for (;;) {
          for (const row of page.rows ?? []) {
            const record: Record<string, string | null> = {};
            fields.forEach((name, i) => {
              const v = row.f[i]?.v;
              record[name] = v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v);
            });
            yield record;
          }
          if (!page.pageToken) break;
          page = await results(page.pageToken);
          stats = { ...stats, calls };
        }
        stats = { ...stats, calls };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

async function defaultAuth(): Promise<{ getRequestHeaders(url?: string): Promise<Headers | Record<string, string>> }> {
  const { GoogleAuth } = await import('google-auth-library');
  return new GoogleAuth({ scopes: ['https://www.googleapis.com/auth/cloud-platform.read-only'] }) as never;
}
