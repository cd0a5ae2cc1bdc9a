import { type Config, hasSecretInUri } from '../config.js';
import { importFocusExport, importSpendRows, type PeriodOutcome } from '../billing/import.js';
import { localBillingSource } from '../billing/local-source.js';
import { ledgerSql, spendRowFromSqlRecord } from '../billing/ledger/sql.js';
import type { SpendLedger } from '../store/spend/spend-ledger.js';
import { billingConnectors, isRemoteUri, type QueryAnswer } from '../collectors/billing-connectors.js';

/** One source of one import run and how it went: `partial` when some of its periods failed. */
export interface SourceOutcome {
  source: string;
  status: 'ok' | 'partial' | 'failed';
  error?: string;
  note?: string;
  periods: PeriodOutcome[];
  /** Paid API calls made (Cost Explorer, Athena, BigQuery) and their estimated price. */
  calls?: number;
  estimatedCostUsd?: number;
}

export interface ImportBillsResult {
  sources: SourceOutcome[];
  imported: number;
  failed: number;
  estimatedApiCostUsd: number;
}

const DAY_MS = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Whole calendar months from the month of `fromMs` to the month of `toMs` (0 when the same month). */
function monthsBetween(fromMs: number, toMs: number): number {
  const a = new Date(fromMs);
  const b = new Date(toMs);
  return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth();
}

/** Billing periods (YYYY-MM) to (re)import at `nowMs`: this month and the ones before it, newest first. */
export function recentPeriods(nowMs: number, count: number): string[] {
  const d = new Date(nowMs);
  return Array.from({ length: count }, (_, i) => {
    const m = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - i, 1));
    return `${m.getUTCFullYear()}-${String(m.getUTCMonth() + 1).padStart(2, '0')}`;
  });
}

/**
 * Imports every bill source into the ledger: the URIs given (CLI), else the configured FOCUS exports, the Athena and
 * BigQuery pushdowns and the cost APIs. Sources are independent: one failing (credentials, a missing column) is
 * recorded with its reason and the others still land; within a source, each billing period lands or fails alone.
 */
export async function importBills(input: {
  config: Config;
  ledger: SpendLedger;
  env: Record<string, string | undefined>;
  nowMs: number;
  uris?: string[];
  signal?: AbortSignal;
  onProgress?: (line: string) => void;
}): Promise<ImportBillsResult> {
  const { config, ledger, nowMs } = input;
  const billing = config.billing;
  const rates = billing.exchangeRatesToUsd;
  const connectors = billingConnectors({ config, env: input.env, ...(input.signal ? { signal: input.signal } : {}) });
  const sources: SourceOutcome[] = [];
  const run = async (source: string, work: () => Promise<Omit<SourceOutcome, 'source' | 'status'>>) => {
    try {
      const out = await work();
      const failed = out.periods.filter((p) => p.status === 'failed').length;
      sources.push({ source, status: failed === 0 ? 'ok' : failed === out.periods.length ? 'failed' : 'partial', ...out });
    } catch (err) {
      sources.push({ source, status: 'failed', error: err instanceof Error ? err.message : String(err), periods: [] });
    }
  };
  const explicit = input.uris !== undefined;
  const exports = input.uris ?? billing.exports.map((e) => e.uri);
  for (const uri of exports) {
    if (hasSecretInUri(uri)) {
      // Named without its query: the signature must not reach the log, the outcome or the ledger.
      sources.push({ source: uri.replace(/[?#].*$/, '?…'), status: 'failed', error: 'the location carries a signature (a SAS token or a presigned URL), a secret: give the plain URL and grant the identity read access', periods: [] });
      continue;
    }
    await run(uri, async () => {
      // Scheduled: AWS exports are aggregated by Athena where the bill lives, not read through a Lambda.
      if (!explicit && billing.athena && uri.startsWith('s3://')) return { periods: [], note: 'aggregated by Athena (billing.athena) instead of read' };
      const source = isRemoteUri(uri) ? await connectors.openExport(uri) : await localBillingSource(uri);
      const periods = await importFocusExport(source, ledger, {
        exchangeRatesToUsd: rates, nowMs, ...(explicit ? {} : { periods: billing.periodsPerRun }), ...(input.signal ? { signal: input.signal } : {}), ...(input.onProgress ? { onProgress: input.onProgress } : {}),
      });
      return { periods };
    });
  }
  if (!explicit) {
    const months = recentPeriods(nowMs, billing.periodsPerRun);
    // Pushed down: one query of the ledger's SQL shape per month where the bill lives; its rows land as they come.
    const pushdown = (datasetId: string, via: 'athena' | 'bigquery', from: string, focusVersion: '1.0' | '1.2', query: (sql: string) => Promise<QueryAnswer>) =>
      run(datasetId, async () => {
        let cost = 0;
        const periods: PeriodOutcome[] = [];
        for (const month of months) {
          const result = await query(ledgerSql({ dialect: via, from, focusVersion, billingPeriod: month, exchangeRatesToUsd: rates }));
          cost += result.estimatedCostUsd;
          const rows = result.records.map((r) => { const { billingPeriod, row } = spendRowFromSqlRecord(r); return { ...row, billingPeriod }; });
          periods.push(...(await importSpendRows(ledger, { datasetId, via, bases: ['billed', 'amortized'], rows, nowMs, emptyPeriods: [month] })));
        }
        // Calls are queries, one per month (each is what the engine bills for).
        return { periods, calls: months.length, estimatedCostUsd: cost };
      });
    if (billing.athena) {
      const a = billing.athena;
      await pushdown(`athena:${a.database}.${a.table}`, 'athena', `"${a.database}"."${a.table}"`, a.focusVersion, connectors.athena);
    }
    if (billing.bigquery) {
      const b = billing.bigquery;
      await pushdown(`bigquery:${b.view}`, 'bigquery', `\`${b.view}\``, b.focusVersion, connectors.bigquery);
    }
    const lookback = billing.costApis.lookbackDays;
    // Whole days: from the first of the oldest month the lookback touches, to tomorrow (end exclusive; today is partial).
    const startMs = Date.UTC(new Date(nowMs - lookback * DAY_MS).getUTCFullYear(), new Date(nowMs - lookback * DAY_MS).getUTCMonth(), 1);
    const range = { start: day(startMs), end: day(nowMs + DAY_MS) };
    // Every month asked claims its period even when the answer has no rows for it (a bill rewritten to nothing).
    const rangeMonths = recentPeriods(nowMs, 1 + monthsBetween(startMs, nowMs));
    if (billing.costApis.awsCostExplorer.enabled) {
      await run('aws-cost-explorer', async () => {
        const out = await connectors.costExplorer(range);
        const periods = await importSpendRows(ledger, { datasetId: `aws-cost-explorer:${out.payerAccount ?? 'default'}`, via: 'aws-cost-explorer', bases: ['billed', 'amortized'], rows: out.rows, nowMs, emptyPeriods: rangeMonths });
        return { periods, calls: out.calls, estimatedCostUsd: out.estimatedCostUsd };
      });
    }
    for (const scope of billing.costApis.azureCostManagement.scopes) {
      await run(`azure-cost-management:${scope}`, async () => {
        const out = await connectors.azureCostManagement(scope, range);
        const periods = await importSpendRows(ledger, { datasetId: `azure-cost-management:${scope}`, via: 'azure-cost-management', bases: ['billed', 'amortized'], rows: out.rows, nowMs, emptyPeriods: rangeMonths });
        return { periods, calls: out.calls, estimatedCostUsd: 0 };
      });
    }
  }
  const all = sources.flatMap((s) => s.periods);
  return {
    sources,
    imported: all.filter((p) => p.status === 'imported').length,
    failed: all.filter((p) => p.status === 'failed').length + sources.filter((s) => s.status === 'failed' && s.periods.length === 0).length,
    estimatedApiCostUsd: Math.round(sources.reduce((a, s) => a + (s.estimatedCostUsd ?? 0), 0) * 100) / 100,
  };
}
