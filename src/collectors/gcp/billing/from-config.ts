import type { BillingSource } from '../../../billing/source.js';
import type { Config } from '../../../config.js';
import { RightsizeError } from '../../../errors.js';
import type { QueryAnswer } from '../../billing-connectors.js';
import { bigQueryRows } from './bigquery.js';
import { gcsBillingSource } from './gcs-source.js';

interface Ctx {
  config: Config;
  env: Record<string, string | undefined>;
  signal?: AbortSignal;
}

/**
 * Billing files under `gs://bucket/prefix`; `billing.endpoints.gcs`, else `STORAGE_EMULATOR_HOST` (the library's own
 * variable), points at a local server.
 */
export function gcsExportFromConfig(uri: string, ctx: Ctx): BillingSource {
  const emulator = ctx.config.billing.endpoints.gcs ?? ctx.env['STORAGE_EMULATOR_HOST'];
  return gcsBillingSource({ uri, requestTimeoutMs: ctx.config.timeouts.requestMs, ...(emulator ? { apiEndpoint: emulator } : {}), ...(ctx.signal ? { signal: ctx.signal } : {}) });
}

/** Runs `sql` in `billing.bigquery.projectId`, within timeouts.scopeMs; the answer carries the on-demand cost estimate. */
export async function bigQueryFromConfig(sql: string, ctx: Ctx): Promise<QueryAnswer> {
  const b = ctx.config.billing.bigquery;
  if (!b) throw new RightsizeError('billing.bigquery is not configured');
  // An http endpoint is a local test server: it takes no credentials, and none are looked for.
  const authClient = b.endpoint?.startsWith('http://') ? { getRequestHeaders: async () => ({}) } : undefined;
  const stream = bigQueryRows({
    projectId: b.projectId, sql, ...(b.location ? { location: b.location } : {}), timeoutMs: ctx.config.timeouts.requestMs, deadlineMs: ctx.config.timeouts.scopeMs,
    ...(b.endpoint ? { endpoint: b.endpoint } : {}), ...(authClient ? { authClient } : {}), ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  const records: Record<string, string | null>[] = [];
  for await (const r of stream) records.push(r);
  return { records, calls: stream.stats?.calls ?? 0, estimatedCostUsd: stream.stats?.estimatedCostUsd ?? 0 };
}
