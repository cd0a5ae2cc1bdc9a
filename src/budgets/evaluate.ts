import type { Catalog } from '../catalog/catalog.js';
import type { BudgetConfig } from '../config.js';
import type { Instance } from '../domain/instance.js';
import type { SnapshotMeta } from '../domain/snapshot.js';
import type { SpendBasis } from '../domain/spend.js';
import { dailySpend, forecastPeriodEnd, inScope, ledgerEntries, spendBetween } from '../engine/ledger.js';
import type { LedgerEntry } from '../engine/ledger.js';
import type { Store } from '../store/store.js';
import { channelId, readChannelStatus } from './channel-status.js';
import type { ChannelStatus } from './channel-status.js';
import { periodBounds } from './period.js';
import type { SpendLedger } from '../store/spend/spend-ledger.js';
import { billBudgetStatus, withReconciliation } from './bill-status.js';

const DAY_MS = 86_400_000;

export interface BudgetStatusDetail {
  name: string;
  period: string;
  periodStart: string;
  periodEnd: string;
  /** The instant the status was computed for (ISO). */
  asOf: string;
  amountUsd: number;
  actualUsd: number;
  forecastUsd: number;
  runRateForecastUsd: number;
  trendForecastUsd: number;
  thresholdsCrossed: { pct: number; kind: 'actual' | 'forecast' }[];
  topDrivers: { instanceId: string; name?: string; cloud: string; account: string; region: string; type: string; usd: number }[];
  sources: string[];
  scope: BudgetConfig['scope'];
  /** Delivery state of each Slack channel after its last alert; `never-used` until one was sent. */
  channels: { channel: string; state: ChannelStatus['state'] | 'never-used'; detail?: string; atMs?: number }[];
  /** What actualUsd and forecastUsd count (see bill-status.ts); `requestedBasis` is the configured one. */
  basis?: SpendBasis;
  requestedBasis?: SpendBasis;
  basisNote?: string;
  /** ISO instant the imported bill is complete to. */
  billDataThrough?: string;
  /** The modeled estimate beside a bill-based status. */
  modeled?: { actualUsd: number; forecastUsd: number };
  reconciliation?: { billUsd: number; explainedByInstancesUsd: number; explainedPct: number | null; modeledUsd: number };
}

/** Pure: one budget's status from ledger entries at `nowMs`. */
export function evaluateBudget(budget: BudgetConfig, entries: readonly LedgerEntry[], nowMs: number): BudgetStatusDetail {
  const { startMs, endMs, label } = periodBounds(budget.period, nowMs, budget.timeZone);
  const scope = budget.scope;
  const actualUsd = spendBetween(entries, scope, startMs, nowMs);
  const completeDaysEnd = startMs + Math.floor((nowMs - startMs) / DAY_MS) * DAY_MS;
  const daily = completeDaysEnd > startMs ? dailySpend(entries, scope, startMs, completeDaysEnd).map((d) => d.usd) : [];
  const lastDayUsd = spendBetween(entries, scope, nowMs - DAY_MS, nowMs);
  const f = forecastPeriodEnd({ actualUsd, lastDayUsd, daily, nowMs, periodEndMs: endMs });
  const crossed = budget.thresholds.filter((t) => (t.kind === 'actual' ? actualUsd : f.forecastUsd) >= (t.pct / 100) * budget.amountUsd);
  const byInstance = new Map<string, BudgetStatusDetail['topDrivers'][number]>();
  for (const e of entries) {
    if (!inScope(e, scope)) continue;
    const overlap = Math.min(e.endMs, nowMs) - Math.max(e.startMs, startMs);
    if (overlap <= 0) continue;
    const d = byInstance.get(e.instanceId) ?? { instanceId: e.instanceId, ...(e.name ? { name: e.name } : {}), cloud: e.cloud, account: e.account, region: e.region, type: e.type, usd: 0 };
    d.usd += (e.hourlyUsd * overlap) / 3_600_000;
    byInstance.set(e.instanceId, d);
  }
  const r2 = (x: number) => Math.round(x * 100) / 100;
  return {
    name: budget.name,
    period: label,
    periodStart: new Date(startMs).toISOString(),
    periodEnd: new Date(endMs).toISOString(),
    asOf: new Date(nowMs).toISOString(),
    amountUsd: budget.amountUsd,
    actualUsd: r2(actualUsd),
    forecastUsd: r2(f.forecastUsd),
    runRateForecastUsd: r2(f.runRateUsd),
    trendForecastUsd: r2(f.trendUsd),
    thresholdsCrossed: crossed.map((t) => ({ pct: t.pct, kind: t.kind })),
    topDrivers: [...byInstance.values()].sort((a, b) => b.usd - a.usd || a.instanceId.localeCompare(b.instanceId)).slice(0, 5).map((d) => ({ ...d, usd: r2(d.usd) })),
    sources: ['modeled: inventory snapshots × catalog list prices (spend ledger)'],
    scope,
    channels: budget.channels.map((c) => ({ channel: channelId(c.slackWebhook), state: 'never-used' as const })),
  };
}

/**
 * Loads the snapshots covering every budget's period and evaluates them all at `nowMs`: on the modeled ledger, and
 * on the imported bill for budgets whose basis is `billed` or `amortized` (bill-status.ts) when a ledger is given.
 */
export async function budgetStatuses(input: { store: Store; catalog: Catalog; budgets: readonly BudgetConfig[]; nowMs: number; ledger?: SpendLedger | undefined }): Promise<BudgetStatusDetail[]> {
  if (input.budgets.length === 0) return [];
  const earliest = Math.min(...input.budgets.map((b) => periodBounds(b.period, input.nowMs, b.timeZone).startMs));
  // One more day before the period so the snapshot that was current at its start is included.
  const metas: SnapshotMeta[] = await input.store.snapshotsBetween(earliest - 2 * DAY_MS, input.nowMs + 1);
  const snapshots: { meta: SnapshotMeta; instances: Instance[] }[] = [];
  for (const meta of metas) snapshots.push({ meta, instances: await input.store.instances(meta.id) });
  const { entries } = ledgerEntries(snapshots, input.catalog, input.nowMs);
  let statuses = input.budgets.map((b) => evaluateBudget(b, entries, input.nowMs));
  if (input.ledger && input.budgets.some((b) => b.basis !== 'modeled')) {
    const fromDay = new Date(earliest).toISOString().slice(0, 10);
    const toDay = new Date(input.nowMs).toISOString().slice(0, 10);
    const [rows, imports] = await Promise.all([input.ledger.rowsBetween(fromDay, toDay), input.ledger.listImports()]);
    const bill = { rows, imports };
    const latest = snapshots.at(-1)?.instances ?? [];
    statuses = statuses.map((s, i) => withReconciliation(billBudgetStatus(input.budgets[i] as BudgetConfig, s, bill, input.nowMs, latest), input.budgets[i] as BudgetConfig, bill, latest, input.nowMs));
  } else {
    statuses = statuses.map((s) => ({ ...s, basis: 'modeled' as const, requestedBasis: input.budgets.find((b) => b.name === s.name)?.basis ?? 'modeled', ...(input.budgets.find((b) => b.name === s.name)?.basis !== 'modeled' ? { basisNote: 'no bill imported yet (rightsize billing import): modeled spend shown' } : {}) }));
  }
  for (const status of statuses) {
    status.channels = await Promise.all(
      status.channels.map(async (c) => {
        const last = await readChannelStatus(input.store, c.channel);
        return last ? { channel: c.channel, state: last.state, atMs: last.atMs, ...(last.detail ? { detail: last.detail } : {}) } : c;
      }),
    );
  }
  return statuses;
}
