import { type JsonReply, type JsonRequest, startAwsJsonServer } from './aws-json-server.js';

type State = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';

export interface AthenaServerOptions {
  /** States GetQueryExecution reports, one per poll; the last one repeats. */
  states: State[];
  stateChangeReason?: string;
  dataScannedBytes?: number;
  columns: string[];
  /** Result rows; null is SQL NULL (a cell without VarCharValue). */
  rows: (string | null)[][];
  /** Rows per GetQueryResults page, the header row counting on the first page as Athena counts it. */
  pageSize?: number;
}

/**
 * An Athena stand-in (AWS JSON 1.1, `X-Amz-Target: AmazonAthena.*`): records the SQL it was sent, walks the query
 * through `states` one poll at a time, and pages the result set with Athena's header row first. StopQueryExecution
 * cancels the query. Any other operation, an unknown query id or a page token it did not issue fails the test.
 */
export async function startAthenaServer(options: AthenaServerOptions) {
  const sql: string[] = [];
  let polls = 0;
  let stopped = false;
  const pageSize = options.pageSize ?? 1000;
  const header = { Data: options.columns.map((c) => ({ VarCharValue: c })) };
  const allRows = [header, ...options.rows.map((r) => ({ Data: r.map((v) => (v === null ? {} : { VarCharValue: v })) }))];
  const checkId = (req: JsonRequest) => {
    if (req.body['QueryExecutionId'] !== 'q-0001') throw new Error(`unknown QueryExecutionId ${String(req.body['QueryExecutionId'])}`);
  };
  const handle = (req: JsonRequest): JsonReply => {
    switch (req.operation) {
      case 'StartQueryExecution':
        sql.push(String(req.body['QueryString']));
        return { body: { QueryExecutionId: 'q-0001' } };
      case 'GetQueryExecution': {
        checkId(req);
        const state: State = stopped ? 'CANCELLED' : (options.states[Math.min(polls, options.states.length - 1)] ?? 'RUNNING');
        polls += 1;
        const done = state === 'SUCCEEDED' || state === 'FAILED' || state === 'CANCELLED';
        return {
          body: {
            QueryExecution: {
              QueryExecutionId: 'q-0001',
              Query: sql[0],
              Status: { State: state, ...(state === 'FAILED' || state === 'CANCELLED' ? { StateChangeReason: stopped ? 'Query cancelled by user' : options.stateChangeReason } : {}) },
              ...(done ? { Statistics: { DataScannedInBytes: options.dataScannedBytes ?? 0, EngineExecutionTimeInMillis: 1234 } } : {}),
            },
          },
        };
      }
      case 'GetQueryResults': {
        checkId(req);
        if (req.body['MaxResults'] !== undefined && Number(req.body['MaxResults']) < pageSize) throw new Error('MaxResults below the page size');
        const token = req.body['NextToken'];
        const offset = token === undefined ? 0 : Number(/^rows-(\d+)$/.exec(String(token))?.[1] ?? NaN);
        if (!Number.isInteger(offset) || offset >= allRows.length) throw new Error(`unknown NextToken ${String(token)}`);
        const next = offset + pageSize;
        return {
          body: {
            ResultSet: { Rows: allRows.slice(offset, next), ResultSetMetadata: { ColumnInfo: options.columns.map((Name) => ({ Name, Label: Name, Type: 'varchar', CatalogName: 'hive', Nullable: 'UNKNOWN' })) } },
            ...(next < allRows.length ? { NextToken: `rows-${next}` } : {}),
          },
        };
      }
      case 'StopQueryExecution':
        checkId(req);
        stopped = true;
        return { body: {} };
      default:
        throw new Error(`operation ${req.operation} not expected`);
    }
  };
  const server = await startAwsJsonServer('AmazonAthena', handle);
  return { ...server, sql, polls: () => polls, stopped: () => stopped };
}
