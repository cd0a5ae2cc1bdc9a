import type { Cloud } from '../domain/cloud.js';
import type { CommitmentTerm, SpotInterruption } from '../domain/price.js';
import type { CommitmentLine, PurchasePlan } from '../domain/purchase-plan.js';
import type { EngineSettings } from './settings.js';

/**
 * Cost of committing `level` (on-demand-equivalent USD per hour) at discount ratio `ratio` (commitment rate ÷
 * on-demand rate) against an hourly demand series: the commitment is paid every hour, demand above it runs on-demand.
 *   cost(c) = H·ratio·c + Σ_h max(0, d_h − c)
 * It is convex and piecewise linear in c with slope H·ratio − #{h : d_h > c}, so the minimum sits where that
 * count first drops to H·ratio or below: the ⌈H·(1 − ratio)⌉-th smallest demand value, i.e. the (1 − ratio)
 * quantile of demand (test/engine/purchase-mix.test.ts checks this against brute force).
 */
export function commitmentCost(demand: ArrayLike<number>, ratio: number, level: number): number {
  let cost = demand.length * ratio * level;
  for (let h = 0; h < demand.length; h++) cost += Math.max(0, (demand[h] as number) - level);
  return cost;
}

/** The optimal commitment level by the quantile rule above. */
export function optimalCommitment(demand: ArrayLike<number>, ratio: number): { level: number; cost: number } {
  const n = demand.length;
  if (n === 0 || ratio >= 1) return { level: 0, cost: commitmentCost(demand, ratio, 0) };
  const sorted = Float64Array.from(demand as ArrayLike<number>).sort();
  const k = Math.ceil(n * (1 - ratio)); // 1-based order statistic
  const level = k <= 0 ? 0 : (sorted[Math.min(n, k) - 1] as number);
  return { level, cost: commitmentCost(demand, ratio, level) };
}

/** Expected monthly interruption rate from a Spot Advisor bucket: the bucket's midpoint (">20%" taken as 25%). */
const BUCKET_MIDPOINT = [0.025, 0.075, 0.125, 0.175, 0.25] as const;

/**
 * Spot priced with its risk: each interruption loses half a checkpoint interval of work plus a restart, so the
 * effective hourly price is spot × (1 + interruptions per hour × hours lost per interruption).
 */
export function spotReworkOverhead(interruption: SpotInterruption | undefined, settings: EngineSettings): { overhead: number; assumed: boolean } {
  const monthlyRate = interruption ? (BUCKET_MIDPOINT[interruption.bucket] ?? 0.25) : 0.25;
  const perHour = monthlyRate / settings.hoursPerMonth;
  return { overhead: perHour * (settings.checkpointIntervalHours / 2 + settings.restartOverheadHours), assumed: interruption === undefined };
}

/** Per-pool hourly aggregates the analysis streams into, instance by instance. */
export interface PoolAccumulator {
  pool: string;
  cloud: Cloud;
  region: string;
  family: string;
  hours: number;
  /** On-demand USD/h of committable demand after right-sizing (on-demand, not interruptible). */
  committable: Float64Array;
  /** What the pool costs today, USD/h, at each instance's actual purchase option. */
  current: Float64Array;
  /** The on-demand part of `current` (instances not on spot): what owned reservations can cover today. */
  currentOnDemand: Float64Array;
  /** On-demand USD/h of everything after right-sizing (the all-on-demand baseline). */
  allOnDemand: Float64Array;
  /** Spot USD/h after right-sizing, risk-priced (interruptible demand and instances already on spot). */
  spot: Float64Array;
  spotHours: number;
  spotOverheadPct: number[];
  /** Σ commitment price and Σ on-demand price per term over instance-hours where both exist: the pool's ratio. */
  rates: Map<string, { term: CommitmentTerm; commitUsd: number; onDemandUsd: number }>;
}

export function newPool(pool: string, cloud: Cloud, region: string, family: string, hours: number): PoolAccumulator {
  return {
    pool, cloud, region, family, hours,
    committable: new Float64Array(hours),
    current: new Float64Array(hours),
    currentOnDemand: new Float64Array(hours),
    allOnDemand: new Float64Array(hours),
    spot: new Float64Array(hours),
    spotHours: 0,
    spotOverheadPct: [],
    rates: new Map(),
  };
}

const sum = (xs: Float64Array) => xs.reduce((a, b) => a + b, 0);
const r2 = (x: number) => Math.round(x * 100) / 100;

/** Reservations the account already owns in a pool, in the pool's terms. */
export interface OwnedInPool {
  ids: string[];
  count: number;
  /** What the owned reservations cover per hour, at on-demand prices of their types. */
  onDemandUsdPerHour: number;
  /** What they cost per hour (amortized): paid whether used or not until they end. */
  commitUsdPerHour: number;
}

/**
 * Chooses the cheapest commitment term and level for a pool and reports the plan. Owned reservations cover demand
 * first (they are paid regardless), so new commitments are sized on the demand left over, and today's cost counts
 * them at their own rate instead of on-demand.
 */
export function planPool(acc: PoolAccumulator, snapshotId: string, settings: EngineSettings, owned?: OwnedInPool): PurchasePlan {
  const H = acc.hours;
  const toMonthly = (usdOverWindow: number) => (H === 0 ? 0 : (usdOverWindow / H) * settings.hoursPerMonth);
  const ownedOd = owned?.onDemandUsdPerHour ?? 0;
  const ownedCost = (owned?.commitUsdPerHour ?? 0) * H;
  let ownedUsed = 0;
  const residual = new Float64Array(H);
  for (let h = 0; h < H; h++) {
    const d = acc.committable[h] as number;
    ownedUsed += Math.min(d, ownedOd);
    residual[h] = Math.max(0, d - ownedOd);
  }
  let currentCost = ownedCost;
  for (let h = 0; h < H; h++) currentCost += (acc.current[h] as number) - Math.min(acc.currentOnDemand[h] as number, ownedOd);
  const noCommitCost = sum(residual) + sum(acc.spot) + ownedCost;
  let best: { line: CommitmentLine; cost: number; upfrontUsd: number; coveredUsd: number; commitUsdPerHour: number } | undefined;
  const considered: Record<string, unknown>[] = [];
  for (const { term, commitUsd, onDemandUsd } of acc.rates.values()) {
    if (onDemandUsd <= 0) continue;
    const ratio = commitUsd / onDemandUsd;
    const { level, cost } = optimalCommitment(residual, ratio);
    const total = cost + sum(acc.spot) + ownedCost;
    considered.push({ term, discountPct: r2((1 - ratio) * 100), levelOnDemandUsdPerHour: r2(level), monthlyCostUsd: r2(toMonthly(total)) });
    if (level <= 0) continue;
    let covered = 0;
    for (let h = 0; h < H; h++) covered += Math.min(residual[h] as number, level);
    const demandTotal = sum(residual);
    const commitUsdPerHour = level * ratio;
    if (!best || total < best.cost) {
      best = {
        cost: total,
        coveredUsd: covered,
        commitUsdPerHour,
        upfrontUsd: term.payment === 'all-upfront' ? commitUsdPerHour * 8760 * term.termYears : term.payment === 'partial-upfront' ? (commitUsdPerHour * 8760 * term.termYears) / 2 : 0,
        line: {
          term,
          quantity: r2(level),
          unit: 'usd-per-hour',
          hourlyCommitmentUsd: Math.round(commitUsdPerHour * 10000) / 10000,
          utilization: level > 0 ? Math.min(1, covered / (level * H)) : 0,
          coverage: demandTotal > 0 ? Math.min(1, covered / demandTotal) : 0,
        },
      };
    }
  }
  const recommendedCost = best ? best.cost : noCommitCost;
  const monthlyCoveredOnDemandUsd = best ? toMonthly(best.coveredUsd) : 0;
  let breakEvenMonth: number | null = null;
  if (best && monthlyCoveredOnDemandUsd > 0) {
    // Months until the on-demand value of covered usage repays what the commitment cost up to then.
    const monthlyCommitUsd = best.commitUsdPerHour * settings.hoursPerMonth * (best.upfrontUsd > 0 ? 0 : 1);
    const monthlyNet = monthlyCoveredOnDemandUsd - monthlyCommitUsd;
    breakEvenMonth = monthlyNet > 0 ? Math.max(1, Math.ceil(best.upfrontUsd / monthlyNet)) : null;
  }
  const currentMonthly = toMonthly(currentCost);
  const recommendedMonthly = toMonthly(recommendedCost);
  const notes: string[] = [];
  if (acc.rates.size === 0) notes.push('no commitment rate in the catalog for this pool: on-demand and spot only');
  const ownedUtilization = ownedOd > 0 && H > 0 ? ownedUsed / (ownedOd * H) : undefined;
  if (ownedUtilization !== undefined && ownedUtilization < 0.995) {
    notes.push(`owned reservations would be ${Math.round(ownedUtilization * 100)}% used after right-sizing: ${Math.round((1 - ownedUtilization) * 100)}% of what they cost buys nothing (exchange or sell them, or right-size into them)`);
  }
  if (acc.spotOverheadPct.length > 0 && acc.cloud !== 'aws') notes.push('no interruption data for this cloud: spot priced with the >20% bucket');
  return {
    pool: acc.pool,
    snapshotId,
    cloud: acc.cloud,
    region: acc.region,
    family: acc.family,
    commitments: best ? [best.line] : [],
    spot: acc.spotHours > 0 ? { hours: acc.spotHours, effectiveHourlyUsd: r2(sum(acc.spot) / Math.max(1, acc.spotHours)), reworkOverheadPct: r2(Math.max(0, ...acc.spotOverheadPct)) } : null,
    monthlyCostAllOnDemandUsd: r2(toMonthly(sum(acc.allOnDemand))),
    monthlyCostCurrentUsd: r2(currentMonthly),
    monthlyCostRecommendedUsd: r2(recommendedMonthly),
    monthlySavingsUsd: r2(currentMonthly - recommendedMonthly),
    breakEvenMonth,
    evidence: {
      windowHours: H,
      termsConsidered: considered,
      horizonMonths: settings.commitmentHorizonMonths,
      upfrontUsd: best ? r2(best.upfrontUsd) : 0,
      ...(owned
        ? {
            owned: {
              reservations: owned.ids,
              count: owned.count,
              onDemandUsdPerHour: r2(owned.onDemandUsdPerHour),
              monthlyCostUsd: r2(owned.commitUsdPerHour * settings.hoursPerMonth),
              utilizationAfterRightsizing: ownedUtilization === undefined ? null : Math.round(ownedUtilization * 1000) / 1000,
            },
          }
        : {}),
      notes,
    },
  };
}
