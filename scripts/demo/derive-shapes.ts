import { column, numbers, type Csv } from './trace-csv.js';

/** Rounds for a compact JSON file; the shapes are visual/statistical templates, not measurements to re-derive. */
export const round = (x: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/**
 * Groups a regular 300 s series into hours (12 samples each, the last partial hour dropped) and
 * z-scores both the hourly mean and the hourly max against the mean/sd of the hourly means, so
 * `maxZ ≥ meanZ` holds hour by hour and the generator can scale them together.
 */
export function hourlyCycleZ(values: Float64Array, samplesPerHour = 12): { meanZ: number[]; maxZ: number[] } {
  const hours = Math.floor(values.length / samplesPerHour);
  const means: number[] = [];
  const maxes: number[] = [];
  for (let h = 0; h < hours; h++) {
    let sum = 0;
    let max = -Infinity;
    for (let k = 0; k < samplesPerHour; k++) {
      const v = values[h * samplesPerHour + k] ?? 0;
      sum += v;
      if (v > max) max = v;
    }
    means.push(sum / samplesPerHour);
    maxes.push(max);
  }
  const mu = means.reduce((a, b) => a + b, 0) / hours;
  const sd = Math.sqrt(means.reduce((a, b) => a + (b - mu) ** 2, 0) / hours) || 1;
  return { meanZ: means.map((m) => round((m - mu) / sd, 2)), maxZ: maxes.map((m) => round((m - mu) / sd, 2)) };
}

/** Per-pod samples `(t, value)` from an Alibaba GenTD26 file, parsed by header (column order differs between files). */
export function podSamples(csv: Csv): Map<string, { t: number; v: number }[]> {
  const ts = numbers(csv, 'timestamp_anon');
  const vs = numbers(csv, 'value');
  const ic = column(csv, 'container_ip');
  const pods = new Map<string, { t: number; v: number }[]>();
  csv.rows.forEach((row, r) => {
    const pod = row[ic] ?? '';
    let list = pods.get(pod);
    if (!list) pods.set(pod, (list = []));
    list.push({ t: ts[r] ?? 0, v: vs[r] ?? 0 });
  });
  return pods;
}

/** Per-hour mean and max of a pod's ~1/min samples; hour h covers [t0 + h·3600, t0 + (h+1)·3600). null when no sample. */
export function hourlyMeanMax(
  samples: readonly { t: number; v: number }[],
  t0: number,
  hours: number,
  scale: number,
  digits: number,
): { mean: (number | null)[]; max: (number | null)[] } {
  const sum = new Float64Array(hours);
  const n = new Uint32Array(hours);
  const max = new Float64Array(hours).fill(-Infinity);
  for (const { t, v } of samples) {
    const h = Math.floor((t - t0) / 3600);
    if (h < 0 || h >= hours) continue;
    sum[h] = (sum[h] ?? 0) + v;
    n[h] = (n[h] ?? 0) + 1;
    if (v > (max[h] ?? -Infinity)) max[h] = v;
  }
  const mean: (number | null)[] = [];
  const mx: (number | null)[] = [];
  for (let h = 0; h < hours; h++) {
    const c = n[h] ?? 0;
    mean.push(c === 0 ? null : round(((sum[h] ?? 0) / c) * scale, digits));
    mx.push(c === 0 ? null : round((max[h] ?? 0) * scale, digits));
  }
  return { mean, max: mx };
}

/** Pods ordered by sample count (longest first), ties by pod hash so the choice is deterministic. */
export function longestPods(pods: Map<string, unknown[]>, count: number): string[] {
  return [...pods.entries()]
    .sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1))
    .slice(0, count)
    .map(([pod]) => pod);
}
