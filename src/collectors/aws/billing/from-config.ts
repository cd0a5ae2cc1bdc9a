import type { BillingSource } from '../../../billing/source.js';
import type { Config } from '../../../config.js';
import { RightsizeError } from '../../../errors.js';
import type { CostApiAnswer, QueryAnswer } from '../../billing-connectors.js';
import { athenaQuery } from './athena.js';
import { billingClients } from './clients.js';
import { costExplorerSpend } from './cost-explorer.js';
import { s3ExportSource } from './s3-export-source.js';

interface Ctx {
  config: Config;
  env: Record<string, string | undefined>;
  signal?: AbortSignal;
}

/**
 * Static keys of the environment the caller gave (the CLI's process.env, the Lambda's, a test's literal), as the SDK's
 * own env provider would read them; without them the SDK's default chain (profile, SSO, instance role) decides.
 * Reading them here rather than leaving it to the SDK makes `env` the one environment the import sees.
 */
function envCredentials(env: Ctx['env']): { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | undefined {
  const accessKeyId = env['AWS_ACCESS_KEY_ID'];
  const secretAccessKey = env['AWS_SECRET_ACCESS_KEY'];
  if (!accessKeyId || !secretAccessKey) return undefined;
  const sessionToken = env['AWS_SESSION_TOKEN'];
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}

/** The AWS bill clients of the config: the env's keys else the default chain, the configured timeouts and endpoints. */
function clientsOf(ctx: Ctx) {
  const b = ctx.config.billing;
  const region = ctx.env['AWS_REGION'] ?? ctx.env['AWS_DEFAULT_REGION'];
  const credentials = envCredentials(ctx.env);
  return billingClients({
    timeouts: ctx.config.timeouts,
    ...(region ? { region } : {}),
    ...(credentials ? { credentials } : {}),
    endpoints: {
      ...(b.costApis.awsCostExplorer.endpoint ? { ce: b.costApis.awsCostExplorer.endpoint } : {}),
      ...(b.athena?.endpoint ? { athena: b.athena.endpoint } : {}),
      ...(b.endpoints.s3 ? { s3: b.endpoints.s3 } : {}),
    },
    s3ForcePathStyle: b.endpoints.s3ForcePathStyle,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
}

/** An AWS Data Exports export in S3 (`s3://bucket/prefix/export-name`). */
export function s3ExportFromConfig(uri: string, ctx: Ctx): BillingSource {
  return s3ExportSource({ uri, s3: clientsOf(ctx).s3, ...(ctx.signal ? { signal: ctx.signal } : {}) });
}

/** Runs the ledger SQL in Athena (billing.athena), within timeouts.scopeMs; the answer carries the scan's price. */
export async function athenaFromConfig(sql: string, ctx: Ctx): Promise<QueryAnswer> {
  const a = ctx.config.billing.athena;
  if (!a) throw new RightsizeError('billing.athena is not configured');
  const query = athenaQuery({
    client: clientsOf(ctx).athena, sql, workGroup: a.workGroup, database: a.database, ...(a.outputLocation ? { outputLocation: a.outputLocation } : {}),
    deadlineMs: ctx.config.timeouts.scopeMs, ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  const records: Record<string, string | null>[] = [];
  for await (const r of query) records.push(r);
  return { records, calls: 1, estimatedCostUsd: query.stats?.estimatedCostUsd ?? 0 };
}

/** Daily spend by linked account and service from Cost Explorer (USD 0.01 per page) over `range` (end exclusive). */
export async function costExplorerFromConfig(range: { start: string; end: string }, ctx: Ctx): Promise<CostApiAnswer> {
  const out = await costExplorerSpend({ client: clientsOf(ctx).ce, start: range.start, end: range.end, ...(ctx.signal ? { signal: ctx.signal } : {}) });
  return { rows: out.rows, calls: out.calls, estimatedCostUsd: out.estimatedCostUsd };
}
