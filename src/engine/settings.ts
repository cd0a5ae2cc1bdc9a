import { z } from 'zod';
import { CloudSchema } from '../domain/cloud.js';

/**
 * Every engine rule is a setting with bounds and a default. CPU is sized to a risk budget by default: the smallest
 * capacity whose modeled share of time over capacity (within-hour.ts) stays within `riskBudgetPct`, validated out
 * of sample on the fleet's own history (validation.ts). `cpuSizing: percentile` gives the anchors' rule instead:
 * a percentile of hourly maxima under a headroom, as AWS Compute Optimizer and Azure Advisor size.
 */
const fields = {
  /** Days of history analyzed. Compute Optimizer offers 14, 32 and 93. */
  lookbackDays: z.number().int().min(1).max(93).default(14),
  /** Each sized dimension needs at least this many hourly points and hours of coverage, else CPU skips and memory / GPU are kept. */
  minPoints: z.number().int().min(1).default(100),
  minHours: z.number().min(1).default(24),
  /** `risk`: size CPU to the risk budget; `percentile`: a percentile of hourly maxima at or under 100 − headroom. */
  cpuSizing: z.enum(['risk', 'percentile']).default('risk'),
  /** risk sizing: share of time (percent) the modeled 5-minute CPU demand may exceed the candidate's capacity. */
  riskBudgetPct: z.number().min(0).max(20).default(0.1),
  /** risk sizing: a 5-minute peak is at most peakToMean × the hourly mean + peakFloorPct (and never above the hourly max). */
  peakToMean: z.number().min(1).max(12).default(2.5),
  peakFloorPct: z.number().min(0).max(50).default(3),
  /** percentile sizing: which percentile of hourly maxima (Compute Optimizer: p90, p95 or p99.5). */
  cpuPercentile: z.enum(['p90', 'p95', 'p99', 'p99.5', 'max']).default('p95'),
  /**
   * Headroom left above the sized CPU demand. Default: 20 with percentile sizing (Compute Optimizer offers 0, 10, 20,
   * 30); 10 with risk sizing, whose budget prices the time over capacity in the lookback: the margin is for the
   * weeks after it (on held-out traces it cut later time over capacity by a quarter for under a point of savings).
   */
  cpuHeadroomPct: z.number().min(0).max(90).optional(),
  /** Azure Advisor's CPU threshold: only shrink when CPU p95 of hourly maxima is at or under this (100 = always). */
  shrinkOnlyBelowCpuP95Pct: z.number().min(0).max(100).default(100),
  /**
   * Memory is sized to this statistic of hourly maxima plus the headroom. p99.5 (Compute Optimizer's threshold)
   * over 14 days lets the single highest hour go: one isolated reading does not size a VM, a repeated peak does.
   * `max` is KRR's rule (max + 15 %).
   */
  memStatistic: z.enum(['max', 'p99.5', 'p99']).default('p99.5'),
  memHeadroomPct: z.number().min(0).max(200).default(15),
  /** GPU utilization sized like CPU (`risk`: the within-hour model at riskBudgetPct) or on gpuPercentile of hourly maxima. */
  gpuSizing: z.enum(['risk', 'percentile']).default('risk'),
  gpuPercentile: z.enum(['p90', 'p95', 'p99', 'max']).default('p95'),
  gpuHeadroomPct: z.number().min(0).max(90).default(20),
  gpuMemHeadroomPct: z.number().min(0).max(200).default(20),
  /**
   * Sustained saturation, the only ground for an upsize: hours whose hourly *mean* is at or over saturatedHourMeanPct
   * (a whole hour pegged, not a spike), in at least saturatedMinHours and saturatedMinSharePct of observed hours.
   */
  saturatedHourMeanPct: z.number().min(50).max(100).default(95),
  saturatedMinHours: z.number().int().min(1).default(3),
  saturatedMinSharePct: z.number().min(0).max(100).default(1),
  /** An upsize is sized so the saturated hours' demand would sit at this utilization of the new type. */
  upsizeTargetPct: z.number().min(10).max(100).default(80),
  /** Memory saturation: hours whose mean memory use is at or over this (same hour counts as CPU). */
  memSaturatedPct: z.number().min(50).max(100).default(95),
  /** Idle: CPU p95 and max at or under these (Azure Advisor / GCP idle-VM spirit) and GPUs unused. */
  idleCpuP95Pct: z.number().min(0).max(20).default(3),
  idleCpuMaxPct: z.number().min(0).max(50).default(10),
  /** A GPU whose utilization max stays under this is "never used": CPU-only candidates are allowed. */
  gpuUnusedMaxPct: z.number().min(0).max(20).default(1),
  /** Never shrink below this many vCPUs (a 1-vCPU box has no slack for the OS, agents and bursts). */
  minVcpu: z.number().int().min(1).max(64).default(2),
  allowArchChange: z.boolean().default(false),
  allowBurstable: z.boolean().default(false),
  /** Keep the GPU vendor (CUDA code does not run on other vendors' GPUs). */
  allowGpuVendorChange: z.boolean().default(false),
  /** Do not recommend a type whose generation number is older than the current type's. */
  allowOlderGeneration: z.boolean().default(false),
  /** Skip recommendations saving less than this per month (noise). */
  minMonthlySavingsUsd: z.number().min(0).default(1),
  crossCloud: z.boolean().default(true),
  hoursPerMonth: z.number().min(672).max(744).default(730),
  /** Purchase-mix horizon: how far the lookback's demand is assumed to persist. */
  commitmentHorizonMonths: z.number().int().min(1).max(36).default(12),
  /** Interruptible work on spot: lost work per interruption is half the checkpoint interval plus a restart. */
  checkpointIntervalHours: z.number().min(0).max(24).default(1),
  restartOverheadHours: z.number().min(0).max(24).default(0.25),
  /** Treat all on-demand demand as interruptible (otherwise only instances tagged rightsize:interruptible). */
  interruptibleByDefault: z.boolean().default(false),
  /**
   * `fixed`: the settings above as given. `auto`: walk-forward validation on the fleet's own history picks, per
   * scope, the cheapest candidate policy whose out-of-sample time over capacity stays within fleetRiskBudgetPct.
   */
  policy: z.enum(['fixed', 'auto']).default('fixed'),
  /** auto: out-of-sample share of time over capacity (percent) a scope accepts. */
  fleetRiskBudgetPct: z.number().min(0).max(20).default(0.25),
  /** Walk-forward folds: train this many days, test the next testDays, move by stepDays; at most maxFolds, latest first. */
  validationTrainDays: z.number().int().min(1).max(62).default(7),
  validationTestDays: z.number().int().min(1).max(31).default(7),
  validationStepDays: z.number().int().min(1).max(31).default(7),
  validationMaxFolds: z.number().int().min(0).max(12).default(3),
  /**
   * Allow special-purpose sizes (confidential, HPC, isolated, constrained-core, AWS -flex and bare metal; see
   * SPECIAL_SIZES) as candidates and in advice. Off: they are candidates only when the current type is of the same kind.
   */
  allowSpecialSizes: z.boolean().default(false),
};

export const PRESETS = {
  /** Fewer, safer moves: half the default budget, 5-minute peaks believed up to 3× the mean, 20 % headroom, memory max + 25 %. */
  conservative: { riskBudgetPct: 0.05, peakToMean: 3, peakFloorPct: 5, cpuHeadroomPct: 20, memStatistic: 'max', memHeadroomPct: 25, upsizeTargetPct: 70 },
  /** The defaults. */
  balanced: {},
  /** More savings, more time near capacity: 0.5 % budget, 5-minute peaks believed up to 2× the mean, no headroom. */
  aggressive: { riskBudgetPct: 0.5, peakToMean: 2, peakFloorPct: 2, cpuHeadroomPct: 0, memHeadroomPct: 10, upsizeTargetPct: 90 },
} as const satisfies Record<string, Partial<Record<keyof typeof fields, unknown>>>;
export type PresetName = keyof typeof PRESETS;
const PresetSchema = z.enum(Object.keys(PRESETS) as [PresetName, ...PresetName[]]);

/** Fills the preset's values under the keys the user did not set: explicit settings always win. */
function withPreset(raw: unknown): unknown {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const r = raw as Record<string, unknown>;
  const preset = r['preset'];
  if (typeof preset !== 'string' || !(preset in PRESETS)) return raw;
  return { ...PRESETS[preset as PresetName], ...r };
}

const BaseSettingsSchema = z.object({ preset: PresetSchema.optional(), ...fields }).strict();
type BaseSettings = z.infer<typeof BaseSettingsSchema>;

/** The same fields, each optional and without its default: an override must not reset what it does not name. */
const PartialSettingsSchema = z
  .object({
    preset: PresetSchema.optional(),
    ...Object.fromEntries(Object.entries(fields).map(([key, schema]) => [key, (schema instanceof z.ZodDefault ? schema.unwrap() : schema).optional()])),
  })
  .strict() as unknown as z.ZodType<Partial<BaseSettings>>;

/** One scope's preferences: which instances (all given fields must match) and the settings laid over the base. */
export const ScopeOverrideSchema = z
  .object({
    match: z
      .object({
        cloud: CloudSchema.optional(),
        account: z.string().min(1).optional(),
        region: z.string().min(1).optional(),
        /** Every listed tag must be present with this value ("*" = any value). */
        tags: z.record(z.string(), z.string()).optional(),
      })
      .strict(),
    settings: z.preprocess(withPreset, PartialSettingsSchema),
  })
  .strict();
export type ScopeOverride = z.infer<typeof ScopeOverrideSchema>;

export const EngineSettingsSchema = z.preprocess(
  withPreset,
  BaseSettingsSchema.extend({
    /** Per account, region or tag preferences, applied in order (later wins) over the settings above. */
    overrides: z.array(ScopeOverrideSchema).max(100).default([]),
  }),
);
export type EngineSettings = z.infer<typeof EngineSettingsSchema>;

export function defaultEngineSettings(): EngineSettings {
  return EngineSettingsSchema.parse({});
}

/** The CPU headroom in effect: the explicit setting, else 20 % for percentile sizing and 10 % for risk sizing. */
export function cpuHeadroomPct(settings: EngineSettings): number {
  return settings.cpuHeadroomPct ?? (settings.cpuSizing === 'percentile' ? 20 : 10);
}
