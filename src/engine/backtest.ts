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
  const perfNew = cpuPerfAssumedEqual ? 1 : (candidate.cpuPerfRel ?? 1);
  const factors: [Metric, number][] = [['cpu', (current.vcpu * perfNow) / (candidate.vcpu * perfNew)]];
  if (series.mem) factors.push(['mem', current.memoryGiB / candidate.memoryGiB]);
  if (series.gpu && current.gpu) {
    if (candidate.gpu) {
      const relNow = catalog.gpuModel(current.gpu.model)?.relThroughput ?? 1;
      const relNew = catalog.gpuModel(candidate.gpu.model)?.relThroughput ?? 1;
      factors.push(['gpu', (current.gpu.count * relNow) / (candidate.gpu.count * relNew)]);
    } else {
      // CPU-only candidate: any GPU use at all is work it cannot do.
      factors.push(['gpu', Number.POSITIVE_INFINITY]);
    }
  }
  const gpuMemCapMiB = candidate.gpu ? candidate.gpu.memoryGiBPerGpu * 1024 : 0;
  let observed = 0;
  let saturated = 0;
  let aboveTarget = 0;
  let worst: Backtest['worstHour'] = null;
  const hours = cpu.max.length;
  for (let h = 0; h < hours; h++) {
    const c = cpu.max[h] as number;
    if (Number.isNaN(c)) continue;
    observed++;
    let hourWorst = -1;
    let hourMetric = 'cpu';
    for (const [metric, factor] of factors) {
      const v = series[metric]?.max[h];
      if (v === undefined || Number.isNaN(v)) continue;
      const projected = factor === Number.POSITIVE_INFINITY ? (v > 0 ? Number.POSITIVE_INFINITY : 0) : v * factor;
      if (projected > hourWorst) {
        hourWorst = projected;
        hourMetric = metric;
      }
    }
    const gm = series.gpuMem?.max[h];
    if (series.gpuMem && gm !== undefined && !Number.isNaN(gm)) {
      const projected = gpuMemCapMiB > 0 ? (gm / gpuMemCapMiB) * 100 : gm > 0 ? Number.POSITIVE_INFINITY : 0;
      if (projected > hourWorst) {
        hourWorst = projected;
        hourMetric = 'gpuMem';
      }
    }
    if (hourWorst > 100 + 1e-9) saturated++;
    if (hourWorst > targetPct + 1e-9) aboveTarget++;
    if (worst === null || hourWorst > worst.projectedPct) {
      worst = { atMs: cpu.startMs + h * 3_600_000, metric: hourMetric, projectedPct: Number.isFinite(hourWorst) ? Math.round(hourWorst * 100) / 100 : 1e6 };
    }
  }
  return { hoursObserved: observed, hoursSaturated: saturated, hoursAboveTarget: aboveTarget, worstHour: worst };
}
