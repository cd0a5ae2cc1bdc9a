import { z } from 'zod';

/**
 * Metrics, each with a fixed unit: cpu, mem and gpu are percent 0-100; gpuMem is MiB used.
 * For multi-GPU instances collectors aggregate per hour: `gpu` is the mean utilization across the
 * instance's GPUs (so GPU demand = count × gpu%), `gpuMem` is the largest per-GPU memory used
 * (because a model must fit on each GPU it is sharded across).
 */
export const METRICS = ['cpu', 'mem', 'gpu', 'gpuMem'] as const;
export const MetricSchema = z.enum(METRICS);
export type Metric = z.infer<typeof MetricSchema>;

export const METRIC_UNIT: Record<Metric, 'pct' | 'MiB'> = { cpu: 'pct', mem: 'pct', gpu: 'pct', gpuMem: 'MiB' };

export const HOUR_MS = 3_600_000;

/**
 * An hourly series in memory: index i covers [startMs + i h, startMs + (i+1) h).
 * NaN marks a missing hour. Float32 keeps 100k instances × 14 days within a Lambda's memory.
 */
export interface UtilizationSeries {
  instanceId: string;
  metric: Metric;
  /** Epoch ms of the first hour, aligned to the hour. */
  startMs: number;
  /** Per-hour maximum of the finer samples (what saturation is judged on). */
  max: Float32Array;
  /** Per-hour mean of the finer samples (what cost-weighted demand is judged on). */
  mean: Float32Array;
}

/** The JSON shape of a series at boundaries (files, API): null for a missing hour. */
export const UtilizationSeriesJsonSchema = z
  .object({
    instanceId: z.string().min(1),
    metric: MetricSchema,
    startMs: z.number().int().nonnegative(),
    max: z.array(z.number().nullable()),
    mean: z.array(z.number().nullable()),
  })
  .refine((s) => s.max.length === s.mean.length, { message: 'max and mean must have the same length', path: ['mean'] });
export type UtilizationSeriesJson = z.infer<typeof UtilizationSeriesJsonSchema>;

export function seriesFromJson(json: UtilizationSeriesJson): UtilizationSeries {
  const toF32 = (xs: (number | null)[]) => Float32Array.from(xs, (x) => (x === null ? Number.NaN : x));
  return { instanceId: json.instanceId, metric: json.metric, startMs: json.startMs, max: toF32(json.max), mean: toF32(json.mean) };
}

export function seriesToJson(series: UtilizationSeries): UtilizationSeriesJson {
  const fromF32 = (xs: Float32Array) => Array.from(xs, (x) => (Number.isNaN(x) ? null : Math.round(x * 1000) / 1000));
  return { instanceId: series.instanceId, metric: series.metric, startMs: series.startMs, max: fromF32(series.max), mean: fromF32(series.mean) };
}

/** Coverage of a window: how much of it was measured. */
export const CoverageSchema = z.object({
  points: z.number().int().nonnegative(),
  hours: z.number().nonnegative(),
  expectedHours: z.number().nonnegative(),
  fraction: z.number().min(0).max(1),
});
export type Coverage = z.infer<typeof CoverageSchema>;

/** Summary percentiles of one metric over a window (percentiles of the hourly maxima unless stated). */
export const UtilizationSummarySchema = z.object({
  instanceId: z.string(),
  metric: MetricSchema,
  coverage: CoverageSchema,
  mean: z.number(),
  p50: z.number(),
  p90: z.number(),
  p95: z.number(),
  p99: z.number(),
  /** Compute Optimizer's default threshold (p99.5); memory is sized on it by default. */
  p995: z.number(),
  max: z.number(),
});
export type UtilizationSummary = z.infer<typeof UtilizationSummarySchema>;
