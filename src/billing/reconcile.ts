import type { Instance } from '../domain/instance.js';
import type { SpendRow } from '../domain/spend.js';
import { accountKey, cloudOfRow, type DayRange, entry, pct, rowsInRange } from './bill-rows.js';
import { matchResources } from './resource-match.js';

export interface ReconcileOptions extends DayRange {
  /** `billed`: BilledCost (cash, what the invoice says); `amortized`: EffectiveCost (commitments spread over usage). */
  basis: 'billed' | 'amortized';
  /** What Rightsize's model says the inventory cost over the same days (inventory × catalog price), if known. */
  modeledUsd?: number;
}

export interface Reconciliation {
  basis: 'billed' | 'amortized';
  /** Every row of the range, all providers. */
  billTotalUsd: number;
  /** Rows whose ResourceId is an inventory instance: the part of the bill the inventory explains. */
  instancesExplainedUsd: number;
  /** explained / total, 0–100; absent when the bill total is 0. */
  explainedPct?: number;
  modeledUsd?: number;
  /**
   * (modeled − instancesExplainedUsd) / instancesExplainedUsd, as a percentage: how far the model is from what the
   * bill charged for the same instances (+10 means the model says 10 % more). Absent without `modeledUsd` or matches.
   */
  modeledVsBillPct?: number;
  /** The five services with the most cost not tied to an inventory instance, largest first. */
  unexplainedTop: { provider: string; service: string; costUsd: number }[];
  /**
   * Running inventory instances of the accounts the bill covers that have no row in the range: missing from the
   * bill (another payer, a late export) or a resource id the matcher does not understand.
   */
  unmatchedInstances: number;
  /** Up to ten of them, sorted. */
  unmatchedInstanceIds: string[];
}

const TOP_SERVICES = 5;
const MAX_IDS = 10;

/**
 * How much of the bill the inventory explains. Only instances of accounts that appear in the bill's rows count as
 * unmatched: a bill of one payer says nothing about another's instances.
 *
 * @example
 * reconcile(rows, instances, { fromDay: '2024-09-01', toDay: '2024-09-30', basis: 'billed', modeledUsd: 410 })
 * // → { billTotalUsd: 1000, instancesExplainedUsd: 400, explainedPct: 40, modeledVsBillPct: 2.5, unexplainedTop: [...], … }
 */
export function reconcile(rows: readonly SpendRow[], instances: readonly Instance[], options: ReconcileOptions): Reconciliation {
  const inRange = rowsInRange(rows, options);
  const amount = options.basis === 'billed' ? (r: SpendRow) => r.billedCostUsd : (r: SpendRow) => r.effectiveCostUsd;
  const matched = matchResources(inRange, instances);
  let total = 0;
  let explained = 0;
  const unexplained = new Map<string, { provider: string; service: string; costUsd: number }>();
  const billedAccounts = new Set<string>();
  const seenInstances = new Set<string>();
  for (const row of inRange) {
    const usd = amount(row);
    total += usd;
    const cloud = cloudOfRow(row);
    if (cloud) billedAccounts.add(`${cloud}|${accountKey(cloud, row.account)}`);
    const instance = matched.get(row.resourceId);
    if (instance) {
      explained += usd;
      seenInstances.add(instance.id);
    } else {
      entry(unexplained, `${row.provider}|${row.service}`, () => ({ provider: row.provider, service: row.service, costUsd: 0 })).costUsd += usd;
    }
  }
  const unmatchedIds = instances
    .filter((i) => i.state === 'running' && billedAccounts.has(`${i.cloud}|${accountKey(i.cloud, i.account)}`) && !seenInstances.has(i.id))
    .map((i) => i.id)
    .sort();
  const explainedPct = pct(explained, total);
  const modeledVsBillPct = options.modeledUsd === undefined ? undefined : pct(options.modeledUsd - explained, explained);
  return {
    basis: options.basis,
    billTotalUsd: total,
    instancesExplainedUsd: explained,
    ...(explainedPct === undefined ? {} : { explainedPct }),
    ...(options.modeledUsd === undefined ? {} : { modeledUsd: options.modeledUsd }),
    ...(modeledVsBillPct === undefined ? {} : { modeledVsBillPct }),
    unexplainedTop: [...unexplained.values()]
      .sort((a, b) => b.costUsd - a.costUsd || a.service.localeCompare(b.service))
      .slice(0, TOP_SERVICES),
    unmatchedInstances: unmatchedIds.length,
    unmatchedInstanceIds: unmatchedIds.slice(0, MAX_IDS),
  };
}
