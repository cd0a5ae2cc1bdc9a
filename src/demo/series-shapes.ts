import type { Rng } from './prng.js';
import type { CycleShape, DemoShapes, GpuPodShape, MemPodShape } from './shapes.js';

/** A per-hour pair before NaN masking; Float64 while shaping, Float32 only in the snapshot. */
export interface HourlyPair {
  mean: Float64Array;
  max: Float64Array;
}

/**
 * Nearest-rank percentile of the finite values (NaN skipped): the smallest value with at least p% of values ≤ it.
 * Returns NaN when there are no finite values.
 */
export function nearestRank(xs: ArrayLike<number>, pct: number): number {
  const finite: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    const v = xs[i] ?? Number.NaN;
    if (!Number.isNaN(v)) finite.push(v);
  }
  if (finite.length === 0) return Number.NaN;
  finite.sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((pct / 100) * finite.length));
  return finite[rank - 1] ?? Number.NaN;
}

/**
 * Scales a pair so the chosen percentile of the hourly maxima lands on `targetPct`, then clips to [0, cap]
 * (clipping is what makes a "saturated" profile pin at 100 %). Mean never exceeds max.
 */
export function scaleToPercentile(pair: HourlyPair, pct: number, targetPct: number, cap = 100): HourlyPair {
  const current = nearestRank(pair.max, pct);
  const k = current > 0 ? targetPct / current : 0;
  const max = pair.max.map((v) => Math.min(cap, Math.max(0, v * k)));
  const mean = pair.mean.map((v, i) => Math.min(max[i] ?? 0, Math.max(0, v * k)));
  return { mean, max };
}

/** Picks a fleet-aggregate cycle of a metric and reads it from a random phase, wrapping around. */
function cycleReader(rng: Rng, cycles: readonly CycleShape[], metric: 'cpu' | 'mem'): (h: number) => { meanZ: number; maxZ: number } {
  const c = rng.pick(cycles.filter((x) => x.metric === metric));
  const n = c.meanZ.length;
  const phase = rng.int(0, n - 1);
  return (h) => {
    const i = (phase + h) % n;
    return { meanZ: c.meanZ[i] ?? 0, maxZ: c.maxZ[i] ?? 0 };
  };
}

/**
 * Daily/weekly cycle from the real fleet aggregates (Google 2019, Alibaba 2018, Azure 2019): value = 1 + amp × z,
 * with the aggregate's own hourly max above its mean, and a little per-instance jitter. Unscaled (level ≈ 1).
 */
export function cycleCpu(rng: Rng, shapes: DemoShapes, hours: number, amp: number): HourlyPair {
  const read = cycleReader(rng, shapes.cycles, 'cpu');
  const mean = new Float64Array(hours);
  const max = new Float64Array(hours);
  for (let h = 0; h < hours; h++) {
    const { meanZ, maxZ } = read(h);
    const jitter = 1 + 0.06 * rng.normal();
    const m = Math.max(0.02, (1 + amp * meanZ) * jitter);
    mean[h] = m;
    max[h] = Math.max(m, (1 + amp * maxZ) * jitter) * (1 + 0.1 * rng.next());
  }
  return { mean, max };
}

/** Low steady load: a flattened cycle (small amplitude) so even idle boxes keep the fleet's daily rhythm. */
export function steadyCpu(rng: Rng, shapes: DemoShapes, hours: number): HourlyPair {
  return cycleCpu(rng, shapes, hours, rng.range(0.05, 0.15));
}

/**
 * Batch jobs: a low floor with runs of 1-8 busy hours starting at random, the hourly max spiking further.
 * (The shared traces have no per-job CPU series; the rhythm of the floor still comes from an aggregate cycle.)
 */
export function burstyCpu(rng: Rng, shapes: DemoShapes, hours: number): HourlyPair {
  const floor = cycleCpu(rng, shapes, hours, 0.1);
  const mean = floor.mean.map((v) => v * 0.12);
  const max = floor.max.map((v) => v * 0.2);
  const jobsPerDay = rng.range(0.5, 3);
  for (let h = 0; h < hours; h++) {
    if (!rng.chance(jobsPerDay / 24)) continue;
    const len = rng.int(1, 8);
    const level = rng.range(0.5, 1);
    for (let k = h; k < Math.min(hours, h + len); k++) {
      mean[k] = Math.max(mean[k] ?? 0, level * rng.range(0.7, 0.95));
      max[k] = Math.max(max[k] ?? 0, level);
    }
  }
  return { mean, max };
}

/** Memory as % of the instance's memory: a real container's hourly memory fraction, tiled, scaled so its peak is `peakPct`. */
export function memoryFromPod(rng: Rng, pods: readonly MemPodShape[], hours: number, peakPct: number): HourlyPair {
  const pod = rng.pick(pods);
  const meanSrc = fillNulls(pod.meanFrac);
  const maxSrc = fillNulls(pod.maxFrac);
  const peak = Math.max(...maxSrc) || 1;
  const n = maxSrc.length;
  const phase = rng.int(0, n - 1);
  const mean = new Float64Array(hours);
  const max = new Float64Array(hours);
  for (let h = 0; h < hours; h++) {
    const i = (phase + h) % n;
    max[h] = (peakPct * (maxSrc[i] ?? 0)) / peak;
    mean[h] = Math.min(max[h] ?? 0, (peakPct * (meanSrc[i] ?? 0)) / peak);
  }
  return { mean, max };
}

/** GPU utilization % (mean across GPUs) and largest per-GPU memory used, MiB, per hour. */
export interface GpuHourly {
  util: HourlyPair;
  memMiB: HourlyPair;
}

/**
 * Tiles one real GenTD26 pod (22.8 h of ~1/min samples, kept as hourly mean/max) over the window from a
 * random phase, each repetition with its own ±20 % level so days differ. `utilScale` scales utilization
 * (clipped at 100); GPU memory is scaled so the pod's peak lands at `memPeakGiB`.
 * Data-parallel jobs keep a node's GPUs in lockstep, so one pod stands for every GPU of the box.
 */
export function gpuFromPod(rng: Rng, pod: GpuPodShape, hours: number, utilScale: number, memPeakGiB: number): GpuHourly {
  const uMean = fillNulls(pod.utilMeanPct);
  const uMax = fillNulls(pod.utilMaxPct);
  const mMean = fillNulls(pod.memMeanGiB);
  const mMax = fillNulls(pod.memMaxGiB);
  const n = uMax.length;
  const memPeak = Math.max(...mMax) || 1;
  const memK = (memPeakGiB * 1024) / memPeak;
  const phase = rng.int(0, n - 1);
  const util = { mean: new Float64Array(hours), max: new Float64Array(hours) };
  const memMiB = { mean: new Float64Array(hours), max: new Float64Array(hours) };
  let tileLevel = 1;
  for (let h = 0; h < hours; h++) {
    const i = (phase + h) % n;
    if (i === 0 || h === 0) tileLevel = rng.range(0.8, 1.2);
    const max = Math.min(100, (uMax[i] ?? 0) * utilScale * tileLevel);
    util.max[h] = max;
    util.mean[h] = Math.min(max, (uMean[i] ?? 0) * utilScale * tileLevel);
    // Memory stays as the trace has it (a loaded model holds its memory whether or not it computes).
    const memMax = Math.min(memPeakGiB * 1024, (mMax[i] ?? 0) * memK);
    memMiB.max[h] = memMax;
    memMiB.mean[h] = Math.min(memMax, (mMean[i] ?? 0) * memK);
  }
  return { util, memMiB };
}

/**
 * A busy training node: the pod's timing kept, its level lifted (mean 55 % + 4 × trace mean, max ≥ 70 %),
 * because the GenTD26 corpus has no pod with a sustained high mean.
 */
export function busyFromIdle(g: GpuHourly): GpuHourly {
  const mean = g.util.mean.map((m) => Math.min(99, 55 + 4 * m));
  const max = g.util.max.map((m, i) => Math.min(100, Math.max(mean[i] ?? 0, 70 + 0.35 * m)));
  return { util: { mean, max }, memMiB: g.memMiB };
}

/** All-zero pair (a GPU nobody uses). */
export function zeros(hours: number): HourlyPair {
  return { mean: new Float64Array(hours), max: new Float64Array(hours) };
}

/** Trace hours without samples (null) take the previous hour's value (the first hour: the first non-null). */
function fillNulls(xs: readonly (number | null)[]): number[] {
  let last = xs.find((x) => x !== null) ?? 0;
  return xs.map((x) => (x === null ? last : (last = x)));
}
