import { type AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand, StopQueryExecutionCommand } from '@aws-sdk/client-athena';
import { z } from 'zod';
import { formatZodError } from '../../../errors.js';
import { AwsBillingError, billingErrorOf } from './errors.js';

/**
 * Athena (SQL engine) price: USD 5 per TB scanned, bytes rounded up to the megabyte, 10 MB minimum per query; DDL
 * and failed queries are free, cancelled ones pay for what they scanned (aws.amazon.com/athena/pricing, as
 * summarised by athena.guide "Athena Basics: Pricing Model" and rcpedia.stanford.edu/services/athena; looked up
 * 2026-11-30). TB and MB are taken as 2^40 and 2^20 bytes: an estimate either way.
 */
export const ATHENA_USD_PER_TB = 5;
const MB = 2 ** 20;
const TB = 2 ** 40;
export const ATHENA_MIN_BILLED_BYTES = 10 * MB;

/** The estimated Athena charge of one query that scanned `bytes`. */
export function athenaScanCostUsd(bytes: number): number {
  const billed = Math.max(Math.ceil(bytes / MB) * MB, ATHENA_MIN_BILLED_BYTES);
  return (billed / TB) * ATHENA_USD_PER_TB;
}

/** Options of {@link athenaQuery}. */
export interface AthenaQueryInput {
  client: AthenaClient;
  /** One SQL statement (Trino dialect), e.g. a GROUP BY over a CUR 2.0 / FOCUS table: the aggregation runs in Athena. */
  sql: string;
  workGroup?: string;
  database?: string;
  /** Data catalog; default AwsDataCatalog (Glue). */
  catalog?: string;
  /** s3://… for the result files, unless the workgroup enforces its own. */
  outputLocation?: string;
  /** First wait between status polls, ms (default 500); grows ×1.5 per poll up to 5 s. */
  pollMs?: number;
  /** Longest the query may take from start to its last result page, ms: past it the query is stopped. */
  deadlineMs: number;
  signal?: AbortSignal;
}

/** What one query cost and took. */
export interface AthenaQueryStats {
  queryExecutionId: string;
  dataScannedBytes: number;
  /** {@link athenaScanCostUsd} of dataScannedBytes. */
  estimatedCostUsd: number;
  engineExecutionMs?: number;
  /** GetQueryExecution calls made. */
  polls: number;
}

/** The rows of a query, each a column name → cell (null for SQL NULL); `stats` and `columns` once the query has succeeded. */
export interface AthenaQuery extends AsyncIterable<Record<string, string | null>> {
  readonly stats: AthenaQueryStats | undefined;
  readonly columns: string[];
}

const ExecutionSchema = z.object({
  QueryExecution: z.object({
    Status: z.object({
      State: z.enum(['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED']),
      StateChangeReason: z.string().optional(),
      AthenaError: z.object({ ErrorMessage: z.string().optional() }).optional(),
    }),
    Statistics: z.object({ DataScannedInBytes: z.number().nonnegative().optional(), EngineExecutionTimeInMillis: z.number().optional() }).optional(),
  }),
});

const ResultsSchema = z.object({
  ResultSet: z.object({
    // A cell without VarCharValue is SQL NULL (Athena's result set format).
    Rows: z.array(z.object({ Data: z.array(z.object({ VarCharValue: z.string().optional() })).default([]) })).default([]),
    ResultSetMetadata: z.object({ ColumnInfo: z.array(z.object({ Name: z.string() })) }),
  }),
  NextToken: z.string().min(1).optional(),
});

function parse<T extends z.ZodType>(operation: string, schema: T, out: unknown): z.infer<T> {
  const parsed = schema.safeParse(out);
  if (!parsed.success) throw new AwsBillingError('bad-response', 'parse-error', `aws ${formatZodError(operation, parsed.error)}`);
  return parsed.data;
}

/** Waits `ms`, or rejects with the signal's reason when it fires first. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Pushes `sql` down to Athena and yields its result rows: StartQueryExecution, GetQueryExecution polled with backoff
 * until SUCCEEDED (FAILED and CANCELLED are named errors carrying Athena's StateChangeReason), then GetQueryResults
 * page by page (the header row Athena puts first on the first page is skipped; cells are mapped by
 * ResultSetMetadata.ColumnInfo). Past `deadlineMs`, or when `signal` aborts, a running query is stopped
 * (StopQueryExecution) so it stops scanning, and the iteration fails. Iterate once.
 * Needs athena:StartQueryExecution, GetQueryExecution, GetQueryResults, StopQueryExecution; glue:GetDatabase,
 * GetTable, GetPartitions on the table; s3:GetObject/ListBucket on its data; s3:PutObject/GetObject on the results.
 * @example for await (const row of athenaQuery({ client, sql, workGroup: 'finops', deadlineMs: 300_000 })) …
 */
export function athenaQuery(input: AthenaQueryInput): AthenaQuery {
  let stats: AthenaQueryStats | undefined;
  let columns: string[] = [];
  let started = false;
  const opts = input.signal ? { abortSignal: input.signal } : {};

  async function* run(): AsyncGenerator<Record<string, string | null>> {
    const startedAtMs = Date.now();
    const pastDeadline = () => Date.now() - startedAtMs >= input.deadlineMs;
    let id: string;
    try {
      const out = await input.client.send(
        new StartQueryExecutionCommand({
          QueryString: input.sql,
          ...(input.workGroup ? { WorkGroup: input.workGroup } : {}),
          ...(input.database || input.catalog ? { QueryExecutionContext: { ...(input.database ? { Database: input.database } : {}), ...(input.catalog ? { Catalog: input.catalog } : {}) } } : {}),
          ...(input.outputLocation ? { ResultConfiguration: { OutputLocation: input.outputLocation } } : {}),
        }),
        opts,
      );
      id = parse('athena:StartQueryExecution', z.object({ QueryExecutionId: z.string().min(1) }), out).QueryExecutionId;
    } catch (err) {
      throw billingErrorOf(`athena:StartQueryExecution${input.workGroup ? ` (workgroup ${input.workGroup})` : ''}`, err, 'athena:StartQueryExecution');
    }

    // Stops a query still running so that it stops scanning (and costing); best effort, its own failure is not the error.
    const stop = async () => {
      await input.client.send(new StopQueryExecutionCommand({ QueryExecutionId: id }), { abortSignal: AbortSignal.timeout(10_000) }).catch(() => undefined);
    };

    let delayMs = input.pollMs ?? 500;
    const maxDelayMs = Math.max(5_000, delayMs);
    let polls = 0;
    let execution: z.infer<typeof ExecutionSchema>['QueryExecution'];
    for (;;) {
      try {
        const out = await input.client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }), opts);
        execution = parse('athena:GetQueryExecution', ExecutionSchema, out).QueryExecution;
        polls += 1;
      } catch (err) {
        await stop();
        throw billingErrorOf(`athena:GetQueryExecution ${id}`, err, 'athena:GetQueryExecution');
      }
      const state = execution.Status.State;
      if (state === 'SUCCEEDED') break;
      const reason = execution.Status.StateChangeReason ?? execution.Status.AthenaError?.ErrorMessage ?? 'no reason given';
      if (state === 'FAILED') throw new AwsBillingError('query-failed', 'error', `aws athena query ${id} FAILED: ${reason}`);
      if (state === 'CANCELLED') throw new AwsBillingError('query-cancelled', 'error', `aws athena query ${id} CANCELLED: ${reason}`);
      const leftMs = input.deadlineMs - (Date.now() - startedAtMs);
      if (leftMs <= 0) {
        await stop();
        throw new AwsBillingError('deadline', 'timeout', `aws athena query ${id}: still ${state} after ${input.deadlineMs} ms (deadlineMs); stopped it`);
      }
      try {
        await sleep(Math.min(delayMs, leftMs), input.signal);
      } catch (err) {
        await stop();
        throw billingErrorOf(`athena:GetQueryExecution ${id}`, err);
      }
      delayMs = Math.min(delayMs * 1.5, maxDelayMs);
    }

    const scanned = execution.Statistics?.DataScannedInBytes ?? 0;
    stats = {
      queryExecutionId: id,
      dataScannedBytes: scanned,
      estimatedCostUsd: athenaScanCostUsd(scanned),
      ...(execution.Statistics?.EngineExecutionTimeInMillis !== undefined ? { engineExecutionMs: execution.Statistics.EngineExecutionTimeInMillis } : {}),
      polls,
    };

    let token: string | undefined;
    let first = true;
    do {
      if (pastDeadline()) throw new AwsBillingError('deadline', 'timeout', `aws athena:GetQueryResults ${id}: results not read within ${input.deadlineMs} ms (deadlineMs)`);
      let page: z.infer<typeof ResultsSchema>;
      try {
        const out = await input.client.send(new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: 1000, ...(token ? { NextToken: token } : {}) }), opts);
        page = parse('athena:GetQueryResults', ResultsSchema, out);
      } catch (err) {
        throw billingErrorOf(`athena:GetQueryResults ${id}`, err, 'athena:GetQueryResults');
      }
      columns = page.ResultSet.ResultSetMetadata.ColumnInfo.map((c) => c.Name);
      let rows = page.ResultSet.Rows;
      // A SELECT's first row on the first page repeats the column names; a statement without one (DDL) has none.
      if (first && rows[0] && rows[0].Data.map((d) => d.VarCharValue ?? '').join('\u0000') === columns.join('\u0000')) rows = rows.slice(1);
      first = false;
      for (const row of rows) {
        if (row.Data.length !== columns.length) throw new AwsBillingError('bad-response', 'parse-error', `aws athena:GetQueryResults ${id}: a row has ${row.Data.length} cells for ${columns.length} columns`);
        const record: Record<string, string | null> = {};
        columns.forEach((name, i) => (record[name] = row.Data[i]?.VarCharValue ?? null));
        yield record;
      }
      token = page.NextToken;
    } while (token);
  }

  return {
    get stats() {
      return stats;
    },
    get columns() {
      return columns;
    },
    [Symbol.asyncIterator]() {
      if (started) throw new AwsBillingError('invalid-input', 'invalid-config', 'athenaQuery: iterate once (each iteration would run and pay for the query again)');
      started = true;
      return run();
    },
  };
}
