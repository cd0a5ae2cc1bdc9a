/**
 * How much of the time demand would exceed a capacity, estimated from hourly Maximum and Average.
 *
 * The clouds' hourly Maximum is the largest 1-minute (Azure Monitor, Cloud Monitoring, CloudWatch detailed) or
 * 5-minute (CloudWatch basic) sample of the hour: one short spike marks the whole hour, so sizing on it sizes for
 * spikes. The hourly Average is unbiased but hides the variation inside the hour. The model spreads each hour's
 * 5-minute demand evenly around its mean, up to a peak U = min(hourly max, peakToMean × mean + peakFloorPct):
 * the maximum is believed only as far as a sustained load of that mean could reach, so an isolated spike cannot
 * size a VM, and a steady hour (max ≈ mean) is a step at its mean. The spread keeps the hour's mean exact: uniform
 * on [2·mean − U, U] when U ≤ 2·mean, otherwise idle (0) part of the hour and uniform on [0, U] the rest.
 *
 * All values are percent of the instance's current capacity. Checked on 5-minute traces of 200 real VMs (the
 * quality benchmark) with and without the hourly maximum.
 */

export interface SpikeModel {
  /** The 5-minute peak of an hour is at most this multiple of its mean (plus the floor). */
  peakToMean: number;
  /** …plus this many percentage points, so a near-idle hour may still have a modest 5-minute peak. */
  peakFloorPct: number;
}

/** A spread narrower than this is a step at the mean (a slope of 1 / spread would swamp every other hour's sum). */
const MIN_SPREAD_PCT = 1e-6;

/** An hour's modeled 5-minute peak U: the model's bound, never above the hourly max (NaN = not reported), never below the mean. */
function peakOf(m: number, maxPct: number, model: SpikeModel): number {
  let u = m * model.peakToMean + model.peakFloorPct;
  if (maxPct === maxPct && maxPct < u) u = maxPct;
  return u < m + MIN_SPREAD_PCT ? m : u;
}

/** Share (0–1) of one hour's 5-minute intervals whose demand exceeds `capPct`. NaN max = not reported. */
export function hourExceedance(meanPct: number, maxPct: number, capPct: number, model: SpikeModel): number {
  const m = meanPct;
  const u = peakOf(m, maxPct, model);
  if (capPct >= u) return 0;
  if (u <= 2 * m) {
    const lo = 2 * m - u;
    if (capPct < lo || u === m) return 1;
    return (u - capPct) / (2 * (u - m));
  }
  return (2 * m * (u - capPct)) / (u * u);
}

/** Share (0–1) of the observed hours' time over `capPct`, exactly, over hours [from, to) of the arrays. */
export function exceedanceAt(mean: Float32Array, max: Float32Array, from: number, to: number, capPct: number, model: SpikeModel): number {
  let sum = 0;
  let n = 0;
  for (let h = Math.max(0, from); h < Math.min(to, mean.length); h++) {
    const m = mean[h] as number;
    if (m !== m) continue;
    n++;
    sum += hourExceedance(m < 0 ? 0 : m, h < max.length ? (max[h] as number) : Number.NaN, capPct, model);
  }
  return n === 0 ? 0 : sum / n;
}

/** The exceedance curve on a grid of capacities: `share[g]` is the share of time over `g × stepPct`. */
export interface ExceedanceCurve {
  stepPct: number;
  share: Float64Array;
  hoursObserved: number;
}

const GRID_STEP_PCT = 0.25;
const GRID_POINTS = 128;
const GRID_MAX_PCT = 400;
let constDiff = new Float64Array(0);
let slopeDiff = new Float64Array(0);

/**
 * The whole exceedance curve in one pass (O(hours + grid)): each hour is 1 below its spread, a straight line
 * across it and 0 above, so its contribution is added to difference arrays of a constant and a slope and two
 * running sums give every grid point exactly.
 */
export function exceedanceCurve(mean: Float32Array, max: Float32Array, from: number, to: number, model: SpikeModel, topHintPct?: number): ExceedanceCurve {
  const end = Math.min(to, mean.length);
  const start = Math.max(0, from);
  // With a bound on every hour's peak (the window's largest hourly maximum) one pass does; without one, a first pass
  // finds the highest peak, which sizes the grid. A bound some hour exceeds (a missing maximum) falls back.
  if (topHintPct !== undefined && topHintPct > 0 && topHintPct <= GRID_MAX_PCT) {
    const curve = accumulate(mean, max, start, end, model, topHintPct, true);
    if (curve) return curve;
  }
  let top = 0;
  for (let h = start; h < end; h++) {
    const m = mean[h] as number;
    if (m !== m) continue;
    const u = peakOf(m < 0 ? 0 : m, h < max.length ? (max[h] as number) : Number.NaN, model);
    if (u > top) top = u;
  }
  return accumulate(mean, max, start, end, model, top, false) as ExceedanceCurve;
}

function accumulate(mean: Float32Array, max: Float32Array, start: number, end: number, model: SpikeModel, top: number, bounded: boolean): ExceedanceCurve | undefined {
  // The finest power-of-two step (≥ 0.25 points) that covers the highest peak in ≤ 128 points: a capacity is found
  // to within 1 point of today's for ordinary loads, and the pass stays a few microseconds.
  let step = GRID_STEP_PCT;
  while (Math.min(top, GRID_MAX_PCT) / step > GRID_POINTS) step *= 2;
  const points = Math.ceil(Math.min(top, GRID_MAX_PCT) / step) + 2;
  if (constDiff.length < points + 1) {
    constDiff = new Float64Array((points + 1) * 2);
    slopeDiff = new Float64Array((points + 1) * 2);
  }
  constDiff.fill(0, 0, points + 1);
  slopeDiff.fill(0, 0, points + 1);
  // step is a power of two, so capPct / step is exact and a capacity on the grid gets its own point.
  const inv = 1 / step;
  let n = 0;
  let c0 = 0;
  let s0 = 0;
  for (let h = start; h < end; h++) {
    let m = mean[h] as number;
    if (m !== m) continue;
    if (m < 0) m = 0;
    const u = peakOf(m, h < max.length ? (max[h] as number) : Number.NaN, model);
    if (bounded && u > top) return undefined;
    n++;
    let gU = Math.ceil(u * inv); // first grid point at or above U: 0 from there
    if (gU > points) gU = points;
    if (u === m || u <= 2 * m) {
      // Grid points strictly below lo are fully over; [lo, u) follows the line (u − c) / (2(u − m)).
      let gLo = gU;
      if (u !== m) {
        gLo = Math.ceil((2 * m - u) * inv);
        if (gLo > gU) gLo = gU;
      }
      c0 += 1;
      constDiff[gLo] = (constDiff[gLo] as number) - 1;
      if (gLo < gU) {
        const beta = 1 / (2 * (u - m));
        constDiff[gLo] = (constDiff[gLo] as number) + u * beta;
        constDiff[gU] = (constDiff[gU] as number) - u * beta;
        slopeDiff[gLo] = (slopeDiff[gLo] as number) - beta;
        slopeDiff[gU] = (slopeDiff[gU] as number) + beta;
      }
    } else {
      const beta = (2 * m) / (u * u);
      c0 += u * beta;
      s0 -= beta;
      constDiff[gU] = (constDiff[gU] as number) - u * beta;
      slopeDiff[gU] = (slopeDiff[gU] as number) + beta;
    }
  }
  constDiff[0] = (constDiff[0] as number) + c0;
  slopeDiff[0] = (slopeDiff[0] as number) + s0;
  const share = new Float64Array(points);
  let c = 0;
  let s = 0;
  for (let g = 0; g < points; g++) {
    c += constDiff[g] as number;
    s += slopeDiff[g] as number;
    const v = n === 0 ? 0 : (c + s * g * step) / n;
    // Running sums of ± terms leave rounding dust (~1e-9); the true curve never rises, so neither may this one.
    const clean = v < 1e-9 ? 0 : v > 1 ? 1 : v;
    share[g] = g > 0 && clean > (share[g - 1] as number) ? (share[g - 1] as number) : clean;
  }
  return { stepPct: step, share, hoursObserved: n };
}

/** The smallest grid capacity whose share of time over it is within `budget` (0–1). */
export function requiredCapacityPct(curve: ExceedanceCurve, budget: number): number {
  const { share, stepPct } = curve;
  // share is non-increasing: binary search for the first point at or under the budget.
  let lo = 0;
  let hi = share.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((share[mid] as number) <= budget + 1e-12) hi = mid;
    else lo = mid + 1;
  }
  return lo * stepPct;
}
