/**
 * Lambda handler (daily): imports the configured bills into the spend ledger — AWS Data Exports aggregated by
 * Athena where they live, Google's FOCUS view by BigQuery, Cost Management exports from Blob (streamed), and the
 * cost APIs — replacing this month's and last month's periods. A failing source is logged and the rest still land.
 */
import { importBills } from '../src/pipeline/import-bills.js';
import { runtime } from '../src/deploy/runtime.js';

export async function handler(): Promise<{ imported: number; failed: number; estimatedApiCostUsd: number }> {
  const { config, env, ledger } = await runtime();
  const out = await importBills({ config, ledger: await ledger(), env, nowMs: Date.now() });
  console.log(
    JSON.stringify({
      msg: 'import-bill',
      imported: out.imported,
      failed: out.failed,
      estimatedApiCostUsd: out.estimatedApiCostUsd,
      sources: out.sources.map((s) => ({ source: s.source, status: s.status, ...(s.error ? { error: s.error } : {}), periods: s.periods.map((p) => (p.status === 'imported' ? { period: p.record.billingPeriod, rows: p.record.rowsAccepted, rejected: p.record.rowsRead - p.record.rowsAccepted } : { period: p.billingPeriod, error: p.error })) })),
    }),
  );
  return { imported: out.imported, failed: out.failed, estimatedApiCostUsd: out.estimatedApiCostUsd };
}
