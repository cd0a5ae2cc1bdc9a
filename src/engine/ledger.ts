import type { Catalog } from '../catalog/catalog.js';
import type { Cloud } from '../domain/cloud.js';
import type { Instance } from '../domain/instance.js';
import type { SnapshotMeta } from '../domain/snapshot.js';
import { HOUR_MS } from '../domain/utilization.js';
import { instanceHourlyCostUsd } from './cost.js';

/** What a budget or report line selects; absent fields match everything, tags must all match. */
export interface SpendScope {
  cloud?: Cloud | undefined;
  account?: string | undefined;
  region?: string | undefined;
  tags?: Record<string, string> | undefined;
}

/** One instance running at a constant hourly cost over [startMs, endMs): the unit of the spend ledger. */
export interface LedgerEntry {
  instanceId: string;
  name?: string;
  cloud: Cloud;
  account: string;
  region: string;
  type: string;
  tags: Record<string, string>;
  startMs: number;
  endMs: number;
  hourlyUsd: number;
}

/**
 * Integrates modeled cost over successive snapshots: each snapshot's running instances cost their catalog price
 * from that snapshot until the next one (the last one until `untilMs`). Unpriced instances are left out and counted.
 */
export function ledgerEntries(snapshots: readonly { meta: SnapshotMeta; instances: readonly Instance[] }[], catalog: Catalog, untilMs: number): { entries: LedgerEntry[]; unpriced: number } {
  const sorted = [...snapshots].sort((a, b) => Date.parse(a.meta.finishedAt) - Date.parse(b.meta.finishedAt) || a.meta.id.localeCompare(b.meta.id));
  const entries: LedgerEntry[] = [];
  let unpriced = 0;
  sorted.forEach((snap, i) => {
    const startMs = Date.parse(snap.meta.finishedAt);
    const next = sorted[i + 1];
    const endMs = next ? Date.parse(next.meta.finishedAt) : Math.max(startMs, untilMs);
    if (endMs <= startMs) return;
    for (const instance of snap.instances) {
      if (instance.state !== 'running') continue;
      const hourlyUsd = instanceHourlyCostUsd(instance, catalog);
      if (hourlyUsd === undefined) {
        unpriced++;
        continue;
      }
      entries.push({
        instanceId: instance.id,
        ...(instance.name ? { name: instance.name } : {}),
        cloud: instance.cloud, account: instance.account, region: instance.region, type: instance.type, tags: instance.tags,
        startMs, endMs, hourlyUsd,
      });
    }
  });
  return { entries, unpriced };
}

export function inScope(entry: Pick<LedgerEntry, 'cloud' | 'account' | 'region' | 'tags'>, scope: SpendScope): boolean {
  if (scope.cloud && entry.cloud !== scope.cloud) return false;
  if (scope.account && entry.account !== scope.account) return false;
  if (scope.region && entry.region !== scope.region) return false;
  for (const [k, v] of Object.entries(scope.tags ?? {})) if (entry.tags[k] !== v) return false;
  return true;
}

/** Spend of the entries in scope over [fromMs, toMs), USD. */
export function spendBetween(entries: readonly LedgerEntry[], scope: SpendScope, fromMs: number, toMs: number): number {
  let usd = 0;
  for (const e of entries) {
    if (!inScope(e, scope)) continue;
    const overlapMs = Math.min(e.endMs, toMs) - Math.max(e.startMs, fromMs);
    if (overlapMs > 0) usd += (e.hourlyUsd * overlapMs) / HOUR_MS;
  }
  return usd;
}

/** Spend per UTC day in [fromMs, toMs), oldest first. */
export function dailySpend(entries: readonly LedgerEntry[], scope: SpendScope, fromMs: number, toMs: number): { dayStartMs: number; usd: number }[] {
  const out: { dayStartMs: number; usd: number }[] = [];
  const DAY = 24 * HOUR_MS;
  for (let d = Math.floor(fromMs / DAY) * DAY; d < toMs; d += DAY) {
    out.push({ dayStartMs: d, usd: spendBetween(entries, scope, Math.max(d, fromMs), Math.min(d + DAY, toMs)) });
  }
  return out;
}

/**
 * End-of-period forecast: period-to-date spend plus the rest of the period at the last 24 hours' rate
 * (run-rate), and a linear trend fitted to the complete daily spends so far (least squares), integrated
 * over the remaining days. `forecastUsd` is the larger of the two: a budget alert should not be late.
 */
export function forecastPeriodEnd(input: { actualUsd: number; lastDayUsd: number; daily: readonly number[]; nowMs: number; periodEndMs: number }): { runRateUsd: number; trendUsd: number; forecastUsd: number } {
  const remainingDays = Math.max(0, (input.periodEndMs - input.nowMs) / (24 * HOUR_MS));
  const runRateUsd = input.actualUsd + input.lastDayUsd * remainingDays;
  let trendUsd = runRateUsd;
  const n = input.daily.length;
  if (n >= 3) {
    const meanX = (n - 1) / 2;
    const meanY = input.daily.reduce((a, b) => a + b, 0) / n;
    let num = 0;
    let den = 0;
    input.daily.forEach((y, x) => {
      num += (x - meanX) * (y - meanY);
      den += (x - meanX) ** 2;
    });
    const slope = den === 0 ? 0 : num / den;
    // Daily spend of day x is meanY + slope·(x − meanX). Integrating a line over [x − ½, x + ½] gives its value at x,
    // so days n … n + remaining − 1 sum to the integral over [n − ½, n − ½ + remaining] (fractional days included).
    const a = n - 0.5;
    const b = n - 0.5 + remainingDays;
    const integral = (meanY - slope * meanX) * (b - a) + (slope / 2) * (b * b - a * a);
    trendUsd = input.actualUsd + Math.max(0, integral);
  }
  return { runRateUsd, trendUsd, forecastUsd: Math.max(runRateUsd, trendUsd) };
}
