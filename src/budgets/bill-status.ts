import type { BudgetConfig } from '../config.js';
import type { SpendImport } from '../domain/spend.js';
import type { Instance } from '../domain/instance.js';
import { forecastPeriodEnd, inScope } from '../engine/ledger.js';
import { reconcile } from '../billing/reconcile.js';
import { querySpend } from '../billing/query.js';
import type { SpendLedgerRow } from '../store/spend/spend-ledger.js';
import type { BudgetStatusDetail } from './evaluate.js';
import { periodBounds } from './period.js';

const DAY_MS = 86_400_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const r2 = (x: number) => Math.round(x * 100) / 100;

/** The imported bill, as read once for every budget. */
export interface BillView {
  rows: readonly SpendLedgerRow[];
  imports: readonly SpendImport[];
}

/**
 * A budget's status on its bill basis (billed or amortized), built on the modeled status (kept beside it). The bill
 * is in UTC days and arrives late: actual spend is the bill through its last complete day, and the forecast runs
 * from there, on the bill's own daily history (run rate of the last billed day, and the trend). Falls back to the
 * modeled status, saying why, when the bill has nothing for the budget's period and scope.
 */
export function billBudgetStatus(budget: BudgetConfig, modeled: BudgetStatusDetail, bill: BillView, nowMs: number): BudgetStatusDetail {
  const requested = budget.basis;
  const modeledBeside = { actualUsd: modeled.actualUsd, forecastUsd: modeled.forecastUsd };
  if (requested === 'modeled') return { ...modeled, basis: 'modeled', requestedBasis: 'modeled' };
  const fallback = (note: string): BudgetStatusDetail => ({ ...modeled, basis: 'modeled', requestedBasis: requested, basisNote: note });
  if (bill.imports.length === 0) return fallback('no bill imported yet (rightsize billing import): modeled spend shown');
  const { startMs, endMs } = periodBounds(budget.period, nowMs, budget.timeZone);
  const fromDay = dayOf(startMs);
  const toDay = dayOf(Math.min(nowMs, endMs - 1));
  const scope = budget.scope;
  const filter = { ...(scope.cloud ? { cloud: scope.cloud } : {}), ...(scope.account ? { account: scope.account } : {}), ...(scope.region ? { region: scope.region } : {}), ...(scope.tags ? { tags: scope.tags } : {}) };
  const byDay = querySpend(bill.rows, bill.imports, { fromDay, toDay, basis: requested, groupBy: ['day'], filter });
  const days = new Map(byDay.groups.map((g) => [g.key['day'] as string, g.costUsd]));
  if (days.size === 0) return fallback(`the imported bill has no ${requested} cost in ${fromDay}…${toDay} for this budget's scope: modeled spend shown`);
  // Complete through the last billed day (the bill's freshness); not past now.
  const lastDay = [...days.keys()].sort().at(-1) as string;
  const billAsOfMs = Math.min(nowMs, Date.parse(`${lastDay}T00:00:00Z`) + DAY_MS);
  const daily: number[] = [];
  for (let d = Date.parse(`${fromDay}T00:00:00Z`); d < billAsOfMs; d += DAY_MS) daily.push(days.get(dayOf(d)) ?? 0);
  const actualUsd = byDay.totalUsd;
  const f = forecastPeriodEnd({ actualUsd, lastDayUsd: daily.at(-1) ?? 0, daily, nowMs: billAsOfMs, periodEndMs: endMs });
  const crossed = budget.thresholds.filter((t) => (t.kind === 'actual' ? actualUsd : f.forecastUsd) >= (t.pct / 100) * budget.amountUsd);
  const drivers = querySpend(bill.rows, bill.imports, { fromDay, toDay, basis: requested, groupBy: ['resource', 'service', 'cloud', 'provider', 'account', 'region'], filter });
  const lagDays = Math.max(0, Math.floor((nowMs - billAsOfMs) / DAY_MS));
  return {
    ...modeled,
    actualUsd: r2(actualUsd),
    forecastUsd: r2(f.forecastUsd),
    runRateForecastUsd: r2(f.runRateUsd),
    trendForecastUsd: r2(f.trendUsd),
    thresholdsCrossed: crossed.map((t) => ({ pct: t.pct, kind: t.kind })),
    topDrivers: drivers.groups.slice(0, 5).map((g) => ({
      instanceId: g.key['resource'] || `(${g.key['service'] || 'unnamed service'})`,
      cloud: g.key['cloud'] || g.key['provider'] || '',
      account: g.key['account'] ?? '',
      region: g.key['region'] ?? '',
      type: g.key['service'] ?? '',
      usd: r2(g.costUsd),
    })),
    sources: [
      `bill (${requested}${requested === 'amortized' ? ': FOCUS EffectiveCost' : ': FOCUS BilledCost'}): ${byDay.datasetsUsed.join(', ')}, complete through ${lastDay}${lagDays > 0 ? ` (${lagDays} day${lagDays === 1 ? '' : 's'} behind)` : ''}`,
      ...byDay.datasetsShadowed.map((s) => `not counted: ${s.datasetId} (${s.reason})`),
      ...modeled.sources.map((s) => `beside it, ${s}`),
    ],
    basis: requested,
    requestedBasis: requested,
    billDataThrough: new Date(billAsOfMs).toISOString(),
    modeled: modeledBeside,
    ...(budget.timeZone !== 'UTC' ? { basisNote: `the bill is in UTC days; the period starts at ${budget.timeZone} midnight, so its first and last day are counted whole` } : {}),
  };
}

/**
 * Adds how much of the period's bill (in the budget's scope) the inventory's instances explain: the share of cost
 * on resources Rightsize sees, beside the modeled estimate. Only for a status on a bill basis.
 */
export function withReconciliation(status: BudgetStatusDetail, budget: BudgetConfig, bill: BillView, instances: readonly Instance[], nowMs: number): BudgetStatusDetail {
  if (status.basis === 'modeled' || status.basis === undefined) return status;
  const { startMs, endMs } = periodBounds(budget.period, nowMs, budget.timeZone);
  const scope = budget.scope;
  const rows = bill.rows.filter((r) => inScope({ cloud: r.cloud ?? ('' as never), account: r.account, region: r.region, tags: tagsOf(r.tagsJson) }, scope));
  const seen = instances.filter((i) => inScope(i, scope));
  const r = reconcile(rows, seen, { fromDay: dayOf(startMs), toDay: dayOf(Math.min(nowMs, endMs - 1)), basis: status.basis, modeledUsd: status.modeled?.actualUsd ?? 0 });
  return { ...status, reconciliation: { billUsd: r2(r.billTotalUsd), explainedByInstancesUsd: r2(r.instancesExplainedUsd), explainedPct: r.explainedPct === null || r.explainedPct === undefined ? null : Math.round(r.explainedPct * 10) / 10, modeledUsd: r2(status.modeled?.actualUsd ?? 0) } };
}

const tagCache = new Map<string, Record<string, string>>();
function tagsOf(json: string): Record<string, string> {
  let t = tagCache.get(json);
  if (!t) {
    t = JSON.parse(json) as Record<string, string>;
    if (tagCache.size > 10_000) tagCache.clear();
    tagCache.set(json, t);
  }
  return t;
}
