import type { Coverage, Metric, UtilizationSeries, UtilizationSummary } from '../domain/utilization.js';
import { HOUR_MS } from '../domain/utilization.js';

/**
 * An exact, mergeable digest of one metric: the sorted hourly values plus sum. Daily digests merge into a
 * 14-day one with no error (a merge of sorted arrays); 14 × 24 values per metric is small enough to keep exact.
 */
export interface Digest {
  sorted: Float64Array;
  sum: number;
}

export function digestOf(values: ArrayLike<number>): Digest {
  const buf = new Float64Array(values.length);
  let n = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v !== v) continue; // NaN: a missing hour
    buf[n++] = v;
    sum += v;
  }
  // TypedArray#sort without a comparator sorts numerically.
  return { sorted: buf.subarray(0, n).sort(), sum };
}

export function mergeDigests(a: Digest, b: Digest): Digest {
  const out = new Float64Array(a.sorted.length + b.sorted.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.sorted.length && j < b.sorted.length) out[k++] = (a.sorted[i] as number) <= (b.sorted[j] as number) ? (a.sorted[i++] as number) : (b.sorted[j++] as number);
  while (i < a.sorted.length) out[k++] = a.sorted[i++] as number;
  while (j < b.sorted.length) out[k++] = b.sorted[j++] as number;
  return { sorted: out, sum: a.sum + b.sum };
}

/**
 * Quantile with linear interpolation between closest ranks (numpy's default, and PromQL quantile_over_time's rule):
 * rank = q × (n − 1). NaN for an empty digest.
 */
export function quantile(d: Digest, q: number): number {
  const n = d.sorted.length;
  if (n === 0) return Number.NaN;
  const rank = Math.min(Math.max(q, 0), 1) * (n - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = d.sorted[lo] as number;
  const b = d.sorted[hi] as number;
  return a + (b - a) * (rank - lo);
}

export const PERCENTILE_Q = { p50: 0.5, p90: 0.9, p95: 0.95, p99: 0.99, max: 1 } as const;
export type PercentileName = keyof typeof PERCENTILE_Q;

/**
 * Rearranges `a[lo..hi]` so that `a[k]` holds the value it would have sorted, with nothing larger to its left and
 * nothing smaller to its right (Hoare's selection, median-of-three pivot).
 */
function select(a: Float64Array, k: number, lo: number, hi: number): void {
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    const x = a[lo] as number;
    const y = a[mid] as number;
    const z = a[hi] as number;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        const t = a[i] as number;
        a[i] = a[j] as number;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

/** Moves the smallest of `a[lo..hi]` to `a[lo]`. */
function selectMin(a: Float64Array, lo: number, hi: number): void {
  let at = lo;
  for (let i = lo + 1; i <= hi; i++) if ((a[i] as number) < (a[at] as number)) at = i;
  const t = a[lo] as number;
  a[lo] = a[at] as number;
  a[at] = t;
}

/** The ranks the summary reads, ascending: each quantile's two closest ranks, and the last for the maximum. */
const ranksCache = new Map<number, number[]>();
function summaryRanks(n: number): number[] {
  let ranks = ranksCache.get(n);
  if (!ranks) {
    const set = new Set<number>([n - 1]);
    for (const q of [0.5, 0.9, 0.95, 0.99]) {
      set.add(Math.floor(q * (n - 1)));
      set.add(Math.ceil(q * (n - 1)));
    }
    ranks = [...set].sort((x, y) => x - y);
    if (ranksCache.size < 4096) ranksCache.set(n, ranks);
  }
  return ranks;
}

/**
 * Summary of a series' hourly maxima over [windowStartMs, windowEndMs). Same numbers as `digestOf` + `quantile`
 * (tested), without sorting: a selection puts each rank the percentiles read in place, each on the range right of
 * the previous one (≈ 2–3 passes over the values in all), since a sort boxes every element of the copy.
 */
let scratch = new Float64Array(1024);

export function summarize(series: UtilizationSeries, windowStartMs: number, windowEndMs: number): UtilizationSummary {
  const { values, coverage } = windowValues(series, windowStartMs, windowEndMs);
  // One reusable buffer: summaries return numbers only, so nothing keeps a reference to it between calls.
  if (scratch.length < values.length) scratch = new Float64Array(values.length * 2);
  const buf = scratch;
  let n = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v !== v) continue;
    buf[n++] = v;
    sum += v;
  }
  const a = buf.subarray(0, n);
  if (n === 0) return summaryFromDigest(series.instanceId, series.metric, { sorted: a, sum }, coverage);
  let from = 0;
  for (const rank of summaryRanks(n)) {
    if (rank === from) selectMin(a, from, n - 1);
    else select(a, rank, from, n - 1);
    from = rank + 1;
  }
  // Only the ranks above are in sorted position; quantile() reads nothing else.
  const d: Digest = { sorted: a, sum };
  return {
    instanceId: series.instanceId,
    metric: series.metric,
    coverage,
    mean: sum / n,
    p50: quantile(d, 0.5),
    p90: quantile(d, 0.9),
    p95: quantile(d, 0.95),
    p99: quantile(d, 0.99),
    max: a[n - 1] as number,
  };
}

export function summaryFromDigest(instanceId: string, metric: Metric, d: Digest, coverage: Coverage): UtilizationSummary {
  const n = d.sorted.length;
  return {
    instanceId,
    metric,
    coverage,
    mean: n === 0 ? Number.NaN : d.sum / n,
    p50: quantile(d, 0.5),
    p90: quantile(d, 0.9),
    p95: quantile(d, 0.95),
    p99: quantile(d, 0.99),
    max: n === 0 ? Number.NaN : (d.sorted[n - 1] as number),
  };
}

/** The hourly maxima inside the window and how much of the window they cover. */
export function windowValues(series: UtilizationSeries, windowStartMs: number, windowEndMs: number): { values: Float32Array; coverage: Coverage } {
  const first = Math.max(0, Math.round((windowStartMs - series.startMs) / HOUR_MS));
  const last = Math.min(series.max.length, Math.round((windowEndMs - series.startMs) / HOUR_MS));
  const values = series.max.subarray(first, Math.max(first, last));
  let points = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i] as number)) points++;
  const expectedHours = Math.max(0, (windowEndMs - windowStartMs) / HOUR_MS);
  return { values, coverage: { points, hours: points, expectedHours, fraction: expectedHours === 0 ? 0 : Math.min(1, points / expectedHours) } };
}
