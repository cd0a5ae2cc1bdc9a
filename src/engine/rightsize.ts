import type { Catalog } from '../catalog/catalog.js';
import type { InstanceType } from '../domain/instance-type.js';
import type { Instance } from '../domain/instance.js';
import { IGNORE_TAG } from '../domain/instance.js';
import type { Recommendation, RecommendationKind, Skip, SkipReason } from '../domain/recommendation.js';
import type { Metric, UtilizationSeries, UtilizationSummary } from '../domain/utilization.js';
import { backtest } from './backtest.js';
import { cheapestFit } from './candidates.js';
import { hourlyCostUsd } from './cost.js';
import { crossCloudAlternatives } from './cross-cloud.js';
import type { Demand } from './demand.js';
import { demandOf, fitOf } from './demand.js';
import { riskScore } from './risk.js';
import type { EngineSettings } from './settings.js';
import { summarize } from './summary.js';

export interface RightsizeInput {
  snapshotId: string;
  instance: Instance;
  series: readonly UtilizationSeries[];
  catalog: Catalog;
  settings: EngineSettings;
  windowStartMs: number;
  windowEndMs: number;
}

export type RightsizeResult =
  | { outcome: 'recommendation'; recommendation: Recommendation; afterType: InstanceType | null }
  | { outcome: 'skip'; skip: Skip; afterType: InstanceType | null };

const round2 = (x: number) => Math.round(x * 100) / 100;
const pctOf = (x: number) => round2(x * 100);

function skip(input: RightsizeInput, reason: SkipReason, detail: string, afterType: InstanceType | null = null): RightsizeResult {
  const i = input.instance;
  return { outcome: 'skip', afterType, skip: { snapshotId: input.snapshotId, instanceId: i.id, cloud: i.cloud, account: i.account, region: i.region, reason, detail } };
}

function summaryJson(s: UtilizationSummary | undefined) {
  if (!s) return undefined;
  return { p50: round2(s.p50), p90: round2(s.p90), p95: round2(s.p95), p99: round2(s.p99), max: round2(s.max), mean: round2(s.mean), points: s.coverage.points, coverage: round2(s.coverage.fraction) };
}

/**
 * Right-sizes one instance: skip with a reason, or the cheapest fitting type (idle → stop, saturated → upsize,
 * GPU kinds when the GPU is the lever), with evidence, costs, a backtest and cross-cloud alternatives.
 */
export function rightsizeInstance(input: RightsizeInput): RightsizeResult {
  const { instance, catalog, settings } = input;
  const type = catalog.type(instance.cloud, instance.type);
  if (instance.state !== 'running') return skip(input, 'not-running', `state is ${instance.state}`);
  if (IGNORE_TAG in instance.tags) return skip(input, 'excluded-by-tag', `tagged ${IGNORE_TAG}`, type ?? null);
  if (!type) return skip(input, 'unknown-type', `${instance.cloud} type ${instance.type} is not in the catalog`);
  const odNow = catalog.onDemandHourlyUsd(instance.cloud, instance.region, instance.type);
  if (odNow === undefined) return skip(input, 'no-price', `no on-demand price for ${instance.type} in ${instance.region}`, type);

  const byMetric: Partial<Record<Metric, UtilizationSeries>> = {};
  for (const s of input.series) byMetric[s.metric] = s;
  const summaries: Partial<Record<Metric, UtilizationSummary>> = {};
  for (const [metric, s] of Object.entries(byMetric) as [Metric, UtilizationSeries][]) {
    const sum = summarize(s, input.windowStartMs, input.windowEndMs);
    if (sum.coverage.points > 0) summaries[metric] = sum;
  }
  const cpu = summaries.cpu;
  if (!cpu || cpu.coverage.points < settings.minPoints || cpu.coverage.hours < settings.minHours) {
    return skip(input, 'insufficient-data', `${cpu?.coverage.points ?? 0} hourly CPU points; need ≥ ${settings.minPoints} and ≥ ${settings.minHours} h`, type);
  }

  const demand = demandOf({ type, cpu, ...(summaries.mem ? { mem: summaries.mem } : {}), ...(summaries.gpu ? { gpu: summaries.gpu } : {}), ...(summaries.gpuMem ? { gpuMem: summaries.gpuMem } : {}) }, catalog, settings);
  const targetPct = 100 - settings.cpuHeadroomPct;
  const notes: string[] = [];
  if (!demand.memoryMeasured) notes.push(`memory not measured: kept ≥ current ${type.memoryGiB} GiB`);
  if (demand.cpuPerfAssumedEqual) notes.push(`no CPU benchmark for ${type.name}: vCPUs treated as equal across types`);
  if (demand.gpu && !demand.gpu.measured) notes.push('GPU utilization not measured: GPU model and count kept');

  const idle =
    cpu.p95 <= settings.idleCpuP95Pct && cpu.max <= settings.idleCpuMaxPct && (!type.gpu || (demand.gpu?.measured === true && demand.gpu.unused));
  const saturated = cpu.p99 > settings.saturatedCpuP99Pct || (summaries.mem !== undefined && summaries.mem.max > settings.memSaturatedPct);

  let afterType: InstanceType | null;
  let kind: RecommendationKind;
  let fitNote: ReturnType<typeof fitOf> | undefined;
  if (idle) {
    afterType = null;
    kind = 'idle';
  } else {
    let sized: Demand = demand;
    if (saturated) {
      // Measured utilization is censored at 100 %: size so today's p99 would sit at the target.
      const censoredPct = Math.max(cpu.p99, cpu[settings.cpuPercentile]);
      sized = { ...demand, cpuBaselineVcpu: type.vcpu * (demand.cpuPerfAssumedEqual ? 1 : (type.cpuPerfRel ?? 1)) * (Math.min(100, censoredPct) / 100) * (100 / targetPct) };
      if (summaries.mem && summaries.mem.max > settings.memSaturatedPct) sized.memoryGiB = type.memoryGiB * 1.5;
    }
    const best = cheapestFit(catalog, instance.cloud, instance.region, sized, settings, { current: type });
    if (!best) return skip(input, 'no-cheaper-fit', saturated ? 'saturated, but no larger type in the region fits' : 'no type in the region fits the demand', type);
    if (best.candidate.type.name === type.name) return skip(input, 'no-cheaper-fit', 'the current type is already the cheapest fit', type);
    afterType = best.candidate.type;
    fitNote = best.fit;
    kind = classify(type, afterType, best.candidate.hourlyUsd, odNow);
  }

  const hoursPerMonth = settings.hoursPerMonth;
  const actualNow = hourlyCostUsd(catalog, instance.cloud, instance.region, instance.type, instance.lifecycle) ?? odNow;
  const odAfter = afterType ? (catalog.onDemandHourlyUsd(instance.cloud, instance.region, afterType.name) ?? 0) : 0;
  const actualAfter = afterType ? (hourlyCostUsd(catalog, instance.cloud, instance.region, afterType.name, instance.lifecycle) ?? odAfter) : 0;
  const monthlySavingsUsd = round2((actualNow - actualAfter) * hoursPerMonth);
  if (kind !== 'upsize' && monthlySavingsUsd < settings.minMonthlySavingsUsd) {
    return skip(input, 'no-cheaper-fit', `best fit ${afterType?.name ?? 'stop'} saves ${monthlySavingsUsd} USD/month, under the ${settings.minMonthlySavingsUsd} USD minimum`, type);
  }

  const bt = backtest(byMetric, type, afterType, catalog, targetPct, demand.cpuPerfAssumedEqual);
  const risk = kind === 'idle' ? (cpu.coverage.fraction < 0.8 ? 2 : 1) : kind === 'upsize' ? 0 : riskScore(bt, cpu.coverage.fraction, !demand.memoryMeasured);
  const crossCloud = settings.crossCloud && kind !== 'idle' ? crossCloudAlternatives(instance, demand, odNow, catalog, settings) : [];

  const evidence: Record<string, unknown> = {
    cpuPercentile: settings.cpuPercentile,
    cpuPct: round2(cpu[settings.cpuPercentile]),
    cpu: summaryJson(cpu),
    mem: summaryJson(summaries.mem),
    memMaxPct: summaries.mem ? round2(summaries.mem.max) : undefined,
    memoryMeasured: demand.memoryMeasured,
    gpu: summaryJson(summaries.gpu),
    gpuPct: summaries.gpu ? round2(summaries.gpu[settings.gpuPercentile]) : undefined,
    gpuMemPeakMiB: summaries.gpuMem ? Math.round(summaries.gpuMem.max) : undefined,
    demand: {
      cpuBaselineVcpu: round2(demand.cpuBaselineVcpu),
      memoryGiB: round2(demand.memoryGiB),
      ...(demand.gpu ? { gpuA100Equivalents: round2(demand.gpu.throughputA100), gpuMemoryGiBPerGpu: round2(demand.gpu.memoryGiBPerGpu) } : {}),
    },
    projected: fitNote
      ? { cpuPctAtPercentile: pctOf(fitNote.cpuUtil), memPct: pctOf(fitNote.memUtil), ...(fitNote.gpuUtil !== undefined ? { gpuPct: pctOf(fitNote.gpuUtil) } : {}), ...(fitNote.gpuMemUtil !== undefined ? { gpuMemPct: pctOf(fitNote.gpuMemUtil) } : {}) }
      : undefined,
    current: { type: type.name, vcpu: type.vcpu, memoryGiB: type.memoryGiB, gpu: type.gpu ?? null },
    recommended: afterType ? { type: afterType.name, vcpu: afterType.vcpu, memoryGiB: afterType.memoryGiB, gpu: afterType.gpu ?? null } : null,
    settings: { cpuHeadroomPct: settings.cpuHeadroomPct, memHeadroomPct: settings.memHeadroomPct, gpuHeadroomPct: settings.gpuHeadroomPct, lookbackDays: settings.lookbackDays },
    purchaseOption: instance.lifecycle,
    notes,
  };
  const recommendation: Recommendation = {
    id: `${input.snapshotId}:${instance.id}`,
    snapshotId: input.snapshotId,
    instanceId: instance.id,
    cloud: instance.cloud,
    account: instance.account,
    region: instance.region,
    kind,
    action: afterType ? 'resize' : 'stop',
    currentType: type.name,
    recommendedType: afterType?.name ?? null,
    monthlyCostNow: { onDemandUsd: round2(odNow * hoursPerMonth), actualUsd: round2(actualNow * hoursPerMonth) },
    monthlyCostAfter: { onDemandUsd: round2(odAfter * hoursPerMonth), actualUsd: round2(actualAfter * hoursPerMonth) },
    monthlySavingsUsd,
    risk,
    evidence: withoutUndefined(evidence),
    backtest: bt,
    crossCloud,
    summary: summaryText(kind, type, afterType, cpu, settings, bt),
  };
  return { outcome: 'recommendation', recommendation, afterType };
}

/** Drops undefined fields (recursively through plain objects) so evidence stores and serializes cleanly. */
function withoutUndefined(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    out[k] = v !== null && typeof v === 'object' && !Array.isArray(v) ? withoutUndefined(v as Record<string, unknown>) : v;
  }
  return out;
}

/** Names the change: GPU kinds first (the GPU is the cost), then modernize (same shape), downsize, upsize. */
export function classify(current: InstanceType, after: InstanceType, afterHourlyUsd: number, nowHourlyUsd: number): RecommendationKind {
  if (current.gpu) {
    if (!after.gpu) return 'gpu-to-cpu';
    if (after.gpu.model !== current.gpu.model) return 'gpu-model';
    if (after.gpu.count < current.gpu.count) return 'gpu-fewer';
  }
  if (afterHourlyUsd > nowHourlyUsd) return 'upsize';
  if (after.vcpu === current.vcpu && after.memoryGiB === current.memoryGiB && after.generation > current.generation) return 'modernize';
  return 'downsize';
}

function summaryText(kind: RecommendationKind, type: InstanceType, after: InstanceType | null, cpu: UtilizationSummary, settings: EngineSettings, bt: { hoursSaturated: number; hoursObserved: number }): string {
  const p = settings.cpuPercentile;
  const cpuText = `CPU ${p} ${round2(cpu[p])}%`;
  const btText = `backtest: ${bt.hoursSaturated} of ${bt.hoursObserved} h saturated`;
  switch (kind) {
    case 'idle':
      return `Idle: ${cpuText}, max ${round2(cpu.max)}% over ${cpu.coverage.points} h — stop or terminate ${type.name}.`;
    case 'upsize':
      return `Saturated: CPU p99 ${round2(cpu.p99)}% — move ${type.name} to ${after?.name}; ${btText}.`;
    default:
      return `${kind}: ${type.name} → ${after?.name} (${cpuText}); ${btText}.`;
  }
}
