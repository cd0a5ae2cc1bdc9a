import type { Catalog } from '../catalog/catalog.js';
import type { InstanceType } from '../domain/instance-type.js';
import type { UtilizationSummary } from '../domain/utilization.js';
import type { CpuSizing } from './cpu-sizing.js';
import type { EngineSettings } from './settings.js';

/**
 * What a workload needs, in units comparable across types and clouds:
 * CPU in baseline-vCPU (vCPU × relative per-vCPU performance), memory in GiB, GPU in A100-equivalents.
 */
export interface Demand {
  cpuBaselineVcpu: number;
  /** A candidate fits when it carries cpuBaselineVcpu at or under this share of its CPU capacity (1 − headroom). */
  cpuTargetUtil: number;
  memoryGiB: number;
  memoryMeasured: boolean;
  arch: InstanceType['arch'];
  gpu?: {
    /** count × utilization percentile × relative throughput; 0 when the GPU is never used. */
    throughputA100: number;
    memoryGiBPerGpu: number;
    vendor: string;
    unused: boolean;
    measured: boolean;
    /** When GPU use is unmeasured the GPU must be kept as is. */
    keepModel?: string;
    keepCount?: number;
  };
  /** True when the current type lacks a benchmark: vCPUs are then counted as equal on every candidate. */
  cpuPerfAssumedEqual: boolean;
  /**
   * The current type's per-vCPU performance: a candidate's vCPU is credited at most this much. A slower CPU is
   * accounted for; a faster one is not banked (a benchmark speed-up varies by workload), so no instance shrinks
   * on a claimed speed-up alone.
   */
  cpuPerfCeiling: number;
}

/** Per-vCPU performance credited to a candidate against a demand (see cpuPerfCeiling). */
export function creditedPerf(candidate: Pick<InstanceType, 'cpuPerfRel'>, demand: Pick<Demand, 'cpuPerfAssumedEqual' | 'cpuPerfCeiling'>): number {
  // A candidate without a benchmark counts as equal to today's type (not as the baseline 1.0).
  return demand.cpuPerfAssumedEqual ? 1 : Math.min(candidate.cpuPerfRel ?? demand.cpuPerfCeiling, demand.cpuPerfCeiling);
}

export interface DemandInputs {
  type: InstanceType;
  cpu: CpuSizing;
  /** Memory summary, present only with enough coverage; memSaturation when its hours were pegged. */
  mem?: UtilizationSummary;
  /** The memory statistic the settings name (memStatistic) over the window; the maximum when absent. */
  memStatisticPct?: number;
  memSaturated?: { peakMeanPct: number };
  gpu?: UtilizationSummary;
  /** GPU utilization to size for, percent of today's GPUs (risk sizing); else gpuPercentile of the summary. */
  gpuUtilPct?: number;
  gpuMem?: UtilizationSummary;
}

export function pick(summary: UtilizationSummary, name: 'p90' | 'p95' | 'p99' | 'max'): number {
  return summary[name];
}

/** Builds the demand of an instance from its CPU sizing, memory and GPU summaries and the settings. */
export function demandOf(input: DemandInputs, catalog: Catalog, settings: EngineSettings): Demand {
  const { type } = input;
  // A type without a benchmark counts its vCPUs as equal on every candidate (fitOf), so its own factor is 1.
  const perf = type.cpuPerfRel ?? 1;
  let memoryGiB = type.memoryGiB;
  if (input.mem) {
    const statPct = Math.min(100, input.memStatisticPct ?? input.mem.max);
    // Memory grows past today's size only on sustained saturation (pegged hours), sized like a CPU upsize.
    memoryGiB = input.memSaturated
      ? type.memoryGiB * (Math.max(input.memSaturated.peakMeanPct, settings.memSaturatedPct) / settings.upsizeTargetPct)
      : Math.min(type.memoryGiB, type.memoryGiB * (statPct / 100) * (1 + settings.memHeadroomPct / 100));
  }
  const demand: Demand = {
    cpuBaselineVcpu: type.vcpu * perf * (input.cpu.demandPct / 100),
    cpuTargetUtil: input.cpu.targetUtil,
    memoryGiB,
    memoryMeasured: input.mem !== undefined,
    arch: type.arch,
    cpuPerfAssumedEqual: type.cpuPerfRel === undefined,
    cpuPerfCeiling: perf,
  };
  if (type.gpu) {
    const model = catalog.gpuModel(type.gpu.model);
    const rel = model?.relThroughput ?? 1;
    const vendor = model?.vendor ?? 'unknown';
    if (input.gpu) {
      const unused = input.gpu.max < settings.gpuUnusedMaxPct && (input.gpuMem?.max ?? 0) < 1024;
      const utilPct = Math.min(100, input.gpuUtilPct ?? pick(input.gpu, settings.gpuPercentile));
      const peakGiB = (input.gpuMem?.max ?? type.gpu.memoryGiBPerGpu * 1024) / 1024;
      demand.gpu = {
        throughputA100: unused ? 0 : type.gpu.count * (utilPct / 100) * rel,
        memoryGiBPerGpu: unused ? 0 : peakGiB * (1 + settings.gpuMemHeadroomPct / 100),
        vendor,
        unused,
        measured: true,
      };
    } else {
      demand.gpu = {
        throughputA100: type.gpu.count * rel,
        memoryGiBPerGpu: type.gpu.memoryGiBPerGpu,
        vendor,
        unused: false,
        measured: false,
        keepModel: type.gpu.model,
        keepCount: type.gpu.count,
      };
    }
  }
  return demand;
}

/** How a candidate would carry the demand: utilization fractions at the sized percentile (≤ 1 − headroom fits). */
export interface Fit {
  fits: boolean;
  cpuUtil: number;
  memUtil: number;
  gpuUtil?: number;
  gpuMemUtil?: number;
}

export function fitOf(demand: Demand, candidate: InstanceType, catalog: Catalog, settings: EngineSettings): Fit {
  const cpuCap = candidate.vcpu * creditedPerf(candidate, demand);
  const cpuUtil = demand.cpuBaselineVcpu / cpuCap;
  const memUtil = demand.memoryGiB / candidate.memoryGiB;
  let fits = cpuUtil <= demand.cpuTargetUtil + 1e-9 && memUtil <= 1 + 1e-9;
  const fit: Fit = { fits, cpuUtil, memUtil };
  if (!fits) return fit;
  if (candidate.arch !== demand.arch && !settings.allowArchChange) return { ...fit, fits: false };
  const g = demand.gpu;
  if (!g) {
    // CPU workloads never land on GPU or accelerator boxes.
    if (candidate.gpu || candidate.accelerators) return { ...fit, fits: false };
    return fit;
  }
  if (g.unused) {
    if (candidate.accelerators) return { ...fit, fits: false };
    if (!candidate.gpu) return fit;
  }
  if (!candidate.gpu) return { ...fit, fits: false };
  if (g.keepModel && (candidate.gpu.model !== g.keepModel || candidate.gpu.count < (g.keepCount ?? 0))) return { ...fit, fits: false };
  const model = catalog.gpuModel(candidate.gpu.model);
  if (!model) return { ...fit, fits: false };
  if (!settings.allowGpuVendorChange && model.vendor !== g.vendor) return { ...fit, fits: false };
  const gpuCap = candidate.gpu.count * model.relThroughput;
  const gpuUtil = g.throughputA100 / gpuCap;
  const gpuMemUtil = g.memoryGiBPerGpu / candidate.gpu.memoryGiBPerGpu;
  fits = gpuUtil <= 1 - settings.gpuHeadroomPct / 100 + 1e-9 && gpuMemUtil <= 1 + 1e-9;
  return { fits, cpuUtil, memUtil, gpuUtil, gpuMemUtil };
}
