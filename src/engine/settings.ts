import { z } from 'zod';

/**
 * Every engine rule is a setting with bounds and a default. Defaults beat the anchors on risk while keeping
 * their savings: CPU p95 like Azure Advisor and KRR, but sized to a target with headroom like AWS Compute
 * Optimizer, memory max + headroom like KRR, over 14 days like Compute Optimizer, and every result backtested.
 */
export const EngineSettingsSchema = z.object({
  lookbackDays: z.number().int().min(1).max(93).default(14),
  /** A recommendation needs at least this many hourly CPU points and hours of coverage, else it is skipped. */
  minPoints: z.number().int().min(1).default(100),
  minHours: z.number().min(1).default(24),
  cpuPercentile: z.enum(['p90', 'p95', 'p99', 'max']).default('p95'),
  /** Size so the chosen percentile lands at or below 100 − headroom percent of the candidate. */
  cpuHeadroomPct: z.number().min(0).max(90).default(20),
  /** Memory is sized to the measured maximum plus this headroom (KRR uses 15%). */
  memHeadroomPct: z.number().min(0).max(200).default(15),
  gpuPercentile: z.enum(['p90', 'p95', 'p99', 'max']).default('p95'),
  gpuHeadroomPct: z.number().min(0).max(90).default(20),
  gpuMemHeadroomPct: z.number().min(0).max(200).default(20),
  /** Upsize when the CPU p99 of hourly maxima exceeds this (saturated), or memory max exceeds memSaturatedPct. */
  saturatedCpuP99Pct: z.number().min(50).max(100).default(90),
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
});
export type EngineSettings = z.infer<typeof EngineSettingsSchema>;

export function defaultEngineSettings(): EngineSettings {
  return EngineSettingsSchema.parse({});
}
