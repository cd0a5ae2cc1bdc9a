import type { Backtest } from '../domain/recommendation.js';
import type { InstanceType } from '../domain/instance-type.js';
import type { Catalog } from '../catalog/catalog.js';
import type { Metric, UtilizationSeries } from '../domain/utilization.js';

/**
 * Replays the measured hourly maxima against a candidate: for each hour, the utilization the candidate would
 * have shown on each sized dimension (CPU scaled by capacity and relative performance, memory by size, GPU by
 * throughput, GPU memory by per-GPU memory). Saturated = above 100 %; above target = above the target utilization.
 */
export function backtest(
  series: Partial<Record<Metric, UtilizationSeries>>,
  current: InstanceType,
  candidate: InstanceType | null,
  catalog: Catalog,
  targetPct: number,
  cpuPerfAssumedEqual: boolean,
): Backtest {
  const cpu = series.cpu;
  if (!cpu) return { hoursObserved: 0, hoursSaturated: 0, hoursAboveTarget: 0, worstHour: null };
  if (candidate === null) {
    // Stopping: every hour with measurable use would have been unserved.
    let observed = 0;
    for (const v of cpu.max) if (!Number.isNaN(v)) observed++;
    return { hoursObserved: observed, hoursSaturated: 0, hoursAboveTarget: 0, worstHour: null };
  }
  const perfNow = cpuPerfAssumedEqual ? 1 : (current.cpuPerfRel ?? 1);
  // A faster candidate is credited no more than today's per-vCPU speed (demand.ts, cpuPerfCeiling).
  const perfNew = cpuPerfAssumedEqual ? 1 : Math.min(candidate.cpuPerfRel ?? perfNow, perfNow);
  const cpuFactor = (current.vcpu * perfNow) / (candidate.vcpu * perfNew);
  const memMax = series.mem?.max;
  const memFactor = current.memoryGiB / candidate.memoryGiB;
  // GPU: scaled by throughput; a CPU-only candidate cannot do any GPU work at all (factor ∞).
  const gpuMax = series.gpu && current.gpu ? series.gpu.max : undefined;
  let gpuFactor = Number.POSITIVE_INFINITY;
  if (gpuMax && current.gpu && candidate.gpu) {
    const relNow = catalog.gpuModel(current.gpu.model)?.relThroughput ?? 1;
    const relNew = catalog.gpuModel(candidate.gpu.model)?.relThroughput ?? 1;
    gpuFactor = (current.gpu.count * relNow) / (candidate.gpu.count * relNew);
  }
  const gpuMemMax = series.gpuMem?.max;
  const gpuMemCapMiB = candidate.gpu ? candidate.gpu.memoryGiBPerGpu * 1024 : 0;
  const cpuMax = cpu.max;
  let observed = 0;
  let saturated = 0;
  let aboveTarget = 0;
  let worstPct = -1;
  let worstAt = -1;
  let worstMetric: Metric = 'cpu';
  const hours = cpuMax.length;
  // One pass over plain typed arrays; on equal projections the earlier dimension (cpu, mem, gpu, gpuMem) is named.
  for (let h = 0; h < hours; h++) {
    const c = cpuMax[h] as number;
    if (c !== c) continue;
    observed++;
    let hourWorst = Math.max(-1, c * cpuFactor);
    let hourMetric: Metric = 'cpu';
    if (memMax !== undefined && h < memMax.length) {
      const v = memMax[h] as number;
      if (v === v && v * memFactor > hourWorst) {
        hourWorst = v * memFactor;
        hourMetric = 'mem';
      }
    }
    if (gpuMax !== undefined && h < gpuMax.length) {
      const v = gpuMax[h] as number;
      if (v === v) {
        const projected = gpuFactor === Number.POSITIVE_INFINITY ? (v > 0 ? Number.POSITIVE_INFINITY : 0) : v * gpuFactor;
        if (projected > hourWorst) {
          hourWorst = projected;
          hourMetric = 'gpu';
        }
      }
    }
    if (gpuMemMax !== undefined && h < gpuMemMax.length) {
      const gm = gpuMemMax[h] as number;
      if (gm === gm) {
        const projected = gpuMemCapMiB > 0 ? (gm / gpuMemCapMiB) * 100 : gm > 0 ? Number.POSITIVE_INFINITY : 0;
        if (projected > hourWorst) {
          hourWorst = projected;
          hourMetric = 'gpuMem';
        }
      }
    }
    if (hourWorst > 100 + 1e-9) saturated++;
    if (hourWorst > targetPct + 1e-9) aboveTarget++;
    // Compared with the reported (rounded) figure, so a later hour wins only if it shows as worse.
    if (worstAt < 0 || hourWorst > worstPct) {
      worstPct = Number.isFinite(hourWorst) ? Math.round(hourWorst * 100) / 100 : 1e6;
      worstAt = h;
      worstMetric = hourMetric;
    }
  }
  const worstHour: Backtest['worstHour'] = worstAt < 0 ? null : { atMs: cpu.startMs + worstAt * 3_600_000, metric: worstMetric, projectedPct: worstPct };
  return { hoursObserved: observed, hoursSaturated: saturated, hoursAboveTarget: aboveTarget, worstHour };
}
