import { z } from 'zod';
import { CloudSchema } from './cloud.js';

export const RECOMMENDATION_KINDS = [
  'downsize',
  'upsize',
  'modernize',
  'idle',
  'gpu-fewer',
  'gpu-model',
  'gpu-to-cpu',
] as const;
export const RecommendationKindSchema = z.enum(RECOMMENDATION_KINDS);
export type RecommendationKind = z.infer<typeof RecommendationKindSchema>;

/** Replay of the measured series against a candidate's capacity. */
export const BacktestSchema = z.object({
  hoursObserved: z.number().int().nonnegative(),
  /** Hours in which demand would have exceeded 100% of the candidate on any sized dimension. */
  hoursSaturated: z.number().int().nonnegative(),
  /** Hours in which demand would have exceeded the target utilization. */
  hoursAboveTarget: z.number().int().nonnegative(),
  worstHour: z
    .object({ atMs: z.number().int(), metric: z.string(), projectedPct: z.number() })
    .nullable(),
  /** CPU: modeled share of the lookback's time (percent) that 5-minute demand would exceed the new type (engine/within-hour.ts). */
  modeledShareOverPct: z.number().nonnegative().optional(),
  /** CPU: hours whose mean alone would exceed the new type. */
  hoursSustainedOver: z.number().int().nonnegative().optional(),
});
export type Backtest = z.infer<typeof BacktestSchema>;

export const MonthlyCostSchema = z.object({
  onDemandUsd: z.number().nonnegative(),
  /** At the instance's actual purchase option (spot stays spot, on-demand stays on-demand). */
  actualUsd: z.number().nonnegative(),
});
export type MonthlyCost = z.infer<typeof MonthlyCostSchema>;

export const CrossCloudAlternativeSchema = z.object({
  cloud: CloudSchema,
  region: z.string(),
  instanceType: z.string(),
  distanceKm: z.number().nonnegative(),
  monthlyOnDemandUsd: z.number().nonnegative(),
  monthlySavingsUsd: z.number(),
  migration: z.literal(true),
});
export type CrossCloudAlternative = z.infer<typeof CrossCloudAlternativeSchema>;

export const RecommendationSchema = z.object({
  /** Stable across re-runs of the same snapshot: `<snapshotId>:<instanceId>`. */
  id: z.string(),
  snapshotId: z.string(),
  instanceId: z.string(),
  cloud: CloudSchema,
  account: z.string(),
  region: z.string(),
  kind: RecommendationKindSchema,
  action: z.enum(['resize', 'stop']),
  currentType: z.string(),
  /**
   * The type to move to. For a stop (`action: 'stop'`, kind `idle`): the cheapest type that would still carry the
   * instance if it has to keep running, or null when today's type is already that; costs after are the stop's (0).
   */
  recommendedType: z.string().nullable(),
  monthlyCostNow: MonthlyCostSchema,
  monthlyCostAfter: MonthlyCostSchema,
  /** Savings at the actual purchase option (negative for an upsize). */
  monthlySavingsUsd: z.number(),
  /** 0 (no measurable risk) to 4 (likely to saturate); see the engine's risk rules. */
  risk: z.number().int().min(0).max(4),
  /** Free-form but structured evidence: inputs, percentiles, settings, notes such as "memory not measured". */
  evidence: z.record(z.string(), z.unknown()),
  backtest: BacktestSchema,
  crossCloud: z.array(CrossCloudAlternativeSchema),
  summary: z.string(),
});
export type Recommendation = z.infer<typeof RecommendationSchema>;

export const SKIP_REASONS = ['insufficient-data', 'unknown-type', 'no-price', 'no-cheaper-fit', 'excluded-by-tag', 'not-running'] as const;
export const SkipReasonSchema = z.enum(SKIP_REASONS);
export type SkipReason = z.infer<typeof SkipReasonSchema>;

/** An instance the engine looked at and made no recommendation for, and why. */
export const SkipSchema = z.object({
  snapshotId: z.string(),
  instanceId: z.string(),
  cloud: CloudSchema,
  account: z.string(),
  region: z.string(),
  reason: SkipReasonSchema,
  detail: z.string(),
});
export type Skip = z.infer<typeof SkipSchema>;
