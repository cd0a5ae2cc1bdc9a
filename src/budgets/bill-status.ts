import type { BudgetConfig } from '../config.js';
import type { SpendImport } from '../domain/spend.js';
import type { Instance } from '../domain/instance.js';
import { forecastPeriodEnd, inScope } from '../engine/ledger.js';
import { reconcile } from '../billing/reconcile.js';
import { matchResources } from '../billing/resource-match.js';
import { resolvePrecedence } from '../billing/query-precedence.js';
import type { Cloud } from '../domain/cloud.js';
import type { SpendRow } from '../domain/spend.js';
import { querySpend, tagReader } from '../billing/query.js';
import { accountKey, cloudOfRow } from '../billing/bill-rows.js';
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
export function billBudgetStatus(budget: BudgetConfig, modeled: BudgetStatusDetail, bill: BillView, nowMs: number, instances: readonly Instance[] = []): BudgetStatusDetail {
  const requested = budget.basis;
  const modeledBeside = { actualUsd: modeled.actualUsd, forecastUsd: modeled.forecastUsd };
  if (requested === 'modeled') return { ...modeled, basis: 'modeled', requestedBasis: 'modeled' };
  const fallback = (note: string): BudgetStatusDetail => ({ ...modeled, basis: 'modeled', requestedBasis: requested, basisNote: note });
  if (bill.imports.length === 0) return fallback('no bill imported yet (rightsize billing import): modeled spend shown');
  const { startMs, endMs } = periodBounds(budget.period, nowMs, budget.timeZone);
  const fromDay = dayOf(startMs);
  const toDay = dayOf(Math.min(nowMs, endMs - 1));
  const scope = budget.scope;
  // Scoped here rather than by querySpend's filter, whose account must match exactly (see billRowInScope). Dropping
  // other accounts' rows before precedence changes nothing: a dataset wins per (provider, account, day).
  const tags = tagReader();
  const rows = bill.rows.filter((r) => billRowInScope(r, scope, tags));
  const byDay = querySpend(rows, bill.imports, { fromDay, toDay, basis: requested, groupBy: ['day'] });
  const days = new Map(byDay.groups.map((g) => [g.key['day'] as string, g.costUsd]));
  if (days.size === 0) return fallback(`the imported bill has no ${requested} cost in ${fromDay}…${toDay} for this budget's scope: modeled spend shown`);
  // Complete through the last billed day, or less where the import says its data ends inside that day (an export
  // refreshed mid-day, as AWS does several times a day); never past now.
  const lastDay = [...days.keys()].sort().at(-1) as string;
  const billAsOfMs = Math.min(nowMs, Date.parse(`${lastDay}T00:00:00Z`) + DAY_MS, completeThroughMs(byDay.datasetsUsed, bill.imports));
  // A partial last day counts in actual spend but is no daily rate: the forecast runs on complete days only.
  const daily: number[] = [];
  for (let d = Date.parse(`${fromDay}T00:00:00Z`); d + DAY_MS <= billAsOfMs; d += DAY_MS) daily.push(days.get(dayOf(d)) ?? 0);
  const actualUsd = byDay.totalUsd;
  const f = forecastPeriodEnd({ actualUsd, lastDayUsd: daily.at(-1) ?? 0, daily, nowMs: billAsOfMs, periodEndMs: endMs });
  const crossed = budget.thresholds.filter((t) => (t.kind === 'actual' ? actualUsd : f.forecastUsd) >= (t.pct / 100) * budget.amountUsd);
  const drivers = querySpend(rows, bill.imports, { fromDay, toDay, basis: requested, groupBy: ['resource', 'service', 'cloud', 'provider', 'account', 'region'] });
  // A driver the inventory knows is named as the inventory names it (its name, id and type), not by its bill id.
  const top = drivers.groups.slice(0, 5);
  const known = matchResources(top.map((g) => ({ resourceId: g.key['resource'] ?? '', cloud: (g.key['cloud'] || undefined) as Cloud | undefined, provider: g.key['provider'] ?? '', account: g.key['account'] ?? '' }) as SpendRow), instances);
  const lagDays = Math.max(0, Math.floor((nowMs - billAsOfMs) / DAY_MS));
  return {
    ...modeled,
    actualUsd: r2(actualUsd),
    forecastUsd: r2(f.forecastUsd),
    runRateForecastUsd: r2(f.runRateUsd),
    trendForecastUsd: r2(f.trendUsd),
    thresholdsCrossed: crossed.map((t) => ({ pct: t.pct, kind: t.kind })),
    topDrivers: top.map((g) => {
      const inst = known.get(g.key['resource'] ?? '');
      return {
        instanceId: inst?.id ?? (g.key['resource'] || `(${g.key['service'] || 'unnamed service'})`),
        ...(inst?.name ? { name: inst.name } : {}),
        cloud: g.key['cloud'] || g.key['provider'] || '',
        account: g.key['account'] ?? '',
        region: g.key['region'] ?? '',
        type: inst?.type ?? g.key['service'] ?? '',
        usd: r2(g.costUsd),
      };
    }),
    sources: [
      `bill (${requested}${requested === 'amortized' ? ': FOCUS EffectiveCost' : ': FOCUS BilledCost'}): ${byDay.datasetsUsed.join(', ')}, complete through ${billAsOfMs % DAY_MS === 0 ? dayOf(billAsOfMs - 1) : `${new Date(billAsOfMs).toISOString().slice(0, 16).replace('T', ' ')} UTC`}${lagDays > 0 ? ` (${lagDays} day${lagDays === 1 ? '' : 's'} behind)` : ''}`,
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
  const { uses } = resolvePrecedence(bill.rows, bill.imports, status.basis);
  const tags = tagReader();
  const rows = bill.rows.filter((r) => uses(r) && billRowInScope(r, scope, tags));
  const seen = instances.filter((i) => inScope(i, scope));
  const r = reconcile(rows, seen, { fromDay: dayOf(startMs), toDay: dayOf(Math.min(nowMs, endMs - 1)), basis: status.basis, modeledUsd: status.modeled?.actualUsd ?? 0 });
  return { ...status, reconciliation: { billUsd: r2(r.billTotalUsd), explainedByInstancesUsd: r2(r.instancesExplainedUsd), explainedPct: r.explainedPct === null || r.explainedPct === undefined ? null : Math.round(r.explainedPct * 10) / 10, modeledUsd: r2(status.modeled?.actualUsd ?? 0) } };
}

/**
 * Where the freshest of the datasets used ends (its newest import's latest ChargePeriodEnd): the bill's last day
 * is partial when this falls inside it. The latest of them, as the last billed day is: a dataset that lags (another
 * cloud's export) must not pull back the others' days. Infinity when a dataset's imports do not say.
 */
function completeThroughMs(datasets: readonly string[], imports: readonly SpendImport[]): number {
  let through = Number.NEGATIVE_INFINITY;
  for (const datasetId of datasets) {
    let newest: number | undefined;
    for (const imp of imports) if (imp.datasetId === datasetId && imp.dataThroughMs !== undefined && (newest === undefined || imp.dataThroughMs > newest)) newest = imp.dataThroughMs;
    if (newest === undefined) return Number.POSITIVE_INFINITY;
    through = Math.max(through, newest);
  }
  return datasets.length === 0 ? Number.POSITIVE_INFINITY : through;
}

/**
 * Whether a bill row is in a budget's scope, as the inventory's instances are (engine/ledger.ts inScope): the cloud
 * is the row's or its provider's, and accounts compare as both sides spell them, since Azure exports write
 * SubAccountId as `/subscriptions/<guid>` while the inventory, and so a budget's scope, holds the bare guid.
 */
function billRowInScope(row: SpendRow, scope: BudgetConfig['scope'], tagsOf: (json: string) => Readonly<Record<string, string>>): boolean {
  const cloud = cloudOfRow(row);
  if (scope.cloud && cloud !== scope.cloud) return false;
  if (scope.account && (cloud ? accountKey(cloud, row.account) !== accountKey(cloud, scope.account) : row.account !== scope.account)) return false;
  if (scope.region && row.region !== scope.region) return false;
  const wanted = Object.entries(scope.tags ?? {});
  if (wanted.length === 0) return true;
  const tags = tagsOf(row.tagsJson);
  return wanted.every(([k, v]) => tags[k] === v);
}

