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

export const PERCENTILE_Q = { p50: 0.5, p90: 0.9, p95: 0.95, p99: 0.99, p995: 0.995, max: 1 } as const;
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
    for (const q of [0.5, 0.9, 0.95, 0.99, 0.995]) {
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
 * (tested) without sorting, which for a typed array boxes every element. The values are counted into 64 equal-width
 * buckets between their minimum and maximum (bucket order is value order), which names the bucket holding each rank
 * the percentiles read; only those buckets' values are gathered, and a selection places the ranks within each.
 * Comparison-based selection over all values mispredicts a branch on nearly every step; counting does not branch.
 */
const BUCKETS = 64;
let scratch = new Float64Array(1024);
let bucketOfValue = new Uint8Array(1024);
let gathered = new Float64Array(1024);
const bucketCount = new Int32Array(BUCKETS);
const bucketStart = new Int32Array(BUCKETS);
/** Per bucket: where its gathered values start in `gathered`, or -1 when no rank falls in it. */
const gatherAt = new Int32Array(BUCKETS);
const gatherFill = new Int32Array(BUCKETS);
const rankValue = new Float64Array(16);

export function summarize(series: UtilizationSeries, windowStartMs: number, windowEndMs: number): UtilizationSummary {
  const { values, coverage } = windowValues(series, windowStartMs, windowEndMs);
  // Reusable buffers: summaries return numbers only, so nothing keeps a reference to them between calls.
  if (scratch.length < values.length) {
    scratch = new Float64Array(values.length * 2);
    bucketOfValue = new Uint8Array(values.length * 2);
    gathered = new Float64Array(values.length * 2);
  }
  const a = scratch;
  let n = 0;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v !== v) continue;
    a[n++] = v;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (n === 0) return summaryFromDigest(series.instanceId, series.metric, { sorted: a.subarray(0, 0), sum }, coverage);
  const ranks = summaryRanks(n);
  // Infinite values, or a spread so small its reciprocal overflows, have no usable bucket width.
  const scale = BUCKETS / (max - min);
  if (min === max) {
    rankValue.fill(min, 0, ranks.length);
  } else if (!Number.isFinite(scale) || !Number.isFinite(max - min)) {
    placeBySelection(a.subarray(0, n), ranks, 0);
  } else {
    bucketCount.fill(0);
    for (let i = 0; i < n; i++) {
      // (v − min) × scale is monotonic in v under IEEE rounding, so a larger value never lands in a lower bucket.
      const b = Math.min(BUCKETS - 1, Math.floor(((a[i] as number) - min) * scale));
      bucketOfValue[i] = b;
      bucketCount[b] = (bucketCount[b] as number) + 1;
    }
    let at = 0;
    for (let b = 0; b < BUCKETS; b++) {
      bucketStart[b] = at;
      at += bucketCount[b] as number;
    }
    gatherAt.fill(-1);
    let gatheredLength = 0;
    let b = 0;
    for (const rank of ranks) {
      while (rank >= (bucketStart[b] as number) + (bucketCount[b] as number)) b++;
      if (gatherAt[b] === -1) {
        gatherAt[b] = gatheredLength;
        gatherFill[b] = gatheredLength;
        gatheredLength += bucketCount[b] as number;
      }
    }
    for (let i = 0; i < n; i++) {
      const bi = bucketOfValue[i] as number;
      if ((gatherAt[bi] as number) >= 0) {
        gathered[gatherFill[bi] as number] = a[i] as number;
        gatherFill[bi] = (gatherFill[bi] as number) + 1;
      }
    }
    // Within each needed bucket's gathered values, a selection places the ranks that fall in it.
    b = 0;
    let from = 0;
    for (let r = 0; r < ranks.length; r++) {
      const rank = ranks[r] as number;
      let moved = false;
      while (rank >= (bucketStart[b] as number) + (bucketCount[b] as number)) {
        b++;
        moved = true;
      }
      const first = bucketStart[b] as number;
      if (r === 0 || moved) from = 0;
      const count = bucketCount[b] as number;
      const segment = gathered.subarray(gatherAt[b] as number, (gatherAt[b] as number) + count);
      const local = rank - first;
      if (local === from) selectMin(segment, from, count - 1);
      else select(segment, local, from, count - 1);
      from = local + 1;
      rankValue[r] = segment[local] as number;
    }
  }
  const quantileOf = (q: number) => {
    const rank = q * (n - 1);
    const lo = Math.floor(rank);
    const x = rankValue[ranks.indexOf(lo)] as number;
    return x + ((rankValue[ranks.indexOf(Math.ceil(rank))] as number) - x) * (rank - lo);
  };
  return {
    instanceId: series.instanceId,
    metric: series.metric,
    coverage,
    mean: sum / n,
    p50: quantileOf(0.5),
    p90: quantileOf(0.9),
    p95: quantileOf(0.95),
    p99: quantileOf(0.99),
    p995: quantileOf(0.995),
    max,
  };
}

/** Puts each of `ranks` (ascending) in sorted position in `a` and records its value in `rankValue` from `into`. */
function placeBySelection(a: Float64Array, ranks: number[], into: number): void {
  let from = 0;
  for (let k = 0; k < ranks.length; k++) {
    const rank = ranks[k] as number;
    if (rank === from) selectMin(a, from, a.length - 1);
    else select(a, rank, from, a.length - 1);
    from = rank + 1;
    rankValue[into + k] = a[rank] as number;
  }
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
    p995: quantile(d, 0.995),
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
