import type { Catalog } from '../catalog/catalog.js';
import type { InstanceType } from '../domain/instance-type.js';
import type { Instance } from '../domain/instance.js';
import { IGNORE_TAG } from '../domain/instance.js';
import type { Backtest, Recommendation, RecommendationKind, Skip, SkipReason } from '../domain/recommendation.js';
import type { Metric, UtilizationSeries, UtilizationSummary } from '../domain/utilization.js';
import { backtest } from './backtest.js';
import { cheapestFit } from './candidates.js';
import { hourlyCostUsd } from './cost.js';
import { crossCloudAlternatives } from './cross-cloud.js';
import { creditedPerf, demandOf, fitOf } from './demand.js';
import { riskOf } from './risk.js';
import { cpuHeadroomPct, type EngineSettings } from './settings.js';
import { type CpuSizing, hourlyWindow, sizeCpu, spikeModelOf } from './cpu-sizing.js';
import { saturationOf } from './saturation.js';
import { foldsOf, validateInstance, validationInputOf } from './validation.js';
import { exceedanceCurve, requiredCapacityPct } from './within-hour.js';
import { summarize } from './summary.js';

export interface RightsizeInput {
  snapshotId: string;
  instance: Instance;
  series: readonly UtilizationSeries[];
  catalog: Catalog;
  settings: EngineSettings;
  windowStartMs: number;
  windowEndMs: number;
  /** The candidate policy auto chose for this instance's scope, named in the evidence. */
  policyId?: string;
}

export type RightsizeResult =
  | { outcome: 'recommendation'; recommendation: Recommendation; afterType: InstanceType | null }
  | { outcome: 'skip'; skip: Skip; afterType: InstanceType | null };

const round2 = (x: number) => Math.round(x * 100) / 100;
const round3 = (x: number) => Math.round(x * 1000) / 1000;
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
 * Right-sizes one instance: skip with a reason, or the cheapest fitting type (idle → stop, sustained saturation →
 * upsize, GPU kinds when the GPU is the lever), with evidence, costs, a backtest, out-of-sample validation on its
 * own history and cross-cloud alternatives.
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
  const thin: string[] = [];
  for (const [metric, s] of Object.entries(byMetric) as [Metric, UtilizationSeries][]) {
    const sum = summarize(s, input.windowStartMs, input.windowEndMs);
    if (sum.coverage.points === 0) continue;
    // Every sized dimension needs the same coverage: a dimension seen for a day is not measured, it is a guess.
    if (metric !== 'cpu' && (sum.coverage.points < settings.minPoints || sum.coverage.hours < settings.minHours)) {
      thin.push(`${metric}: ${sum.coverage.points} hourly points (need ≥ ${settings.minPoints}), treated as not measured`);
      continue;
    }
    summaries[metric] = sum;
  }
  const cpu = summaries.cpu;
  const cpuSeries = byMetric.cpu;
  if (!cpu || !cpuSeries || cpu.coverage.points < settings.minPoints || cpu.coverage.hours < settings.minHours) {
    return skip(input, 'insufficient-data', `${cpu?.coverage.points ?? 0} hourly CPU points; need ≥ ${settings.minPoints} and ≥ ${settings.minHours} h`, type);
  }
  const cpuWindow = { ...hourlyWindow(cpuSeries, input.windowStartMs, input.windowEndMs), maxPct: cpu.max };
  const sizing = sizeCpu(cpuWindow, settings);
  const memWindow = summaries.mem && byMetric.mem ? hourlyWindow(byMetric.mem, input.windowStartMs, input.windowEndMs) : undefined;
  const memSaturation = memWindow ? saturationOf(memWindow.mean, memWindow.from, memWindow.to, settings.memSaturatedPct, settings, memWindow.startMs) : undefined;

  // GPU use is sized like CPU: the within-hour model at the risk budget, so a one-minute burst does not buy a GPU.
  const gpuWindow = summaries.gpu && byMetric.gpu ? hourlyWindow(byMetric.gpu, input.windowStartMs, input.windowEndMs) : undefined;
  let gpuUtilPct: number | undefined;
  if (settings.gpuSizing === 'risk' && summaries.gpu && gpuWindow) {
    const g = gpuWindow;
    gpuUtilPct = requiredCapacityPct(exceedanceCurve(g.mean, g.max, g.from, g.to, spikeModelOf(settings), summaries.gpu.max), settings.riskBudgetPct / 100);
  }
  const demand = demandOf(
    {
      type,
      cpu: sizing,
      ...(summaries.mem ? { mem: summaries.mem } : {}),
      ...(memSaturation?.sustained ? { memSaturated: { peakMeanPct: memSaturation.peakMeanPct } } : {}),
      ...(summaries.mem ? { memStatisticPct: summaries.mem[settings.memStatistic === 'p99.5' ? 'p995' : settings.memStatistic] } : {}),
      ...(summaries.gpu ? { gpu: summaries.gpu } : {}),
      ...(gpuUtilPct !== undefined ? { gpuUtilPct } : {}),
      ...(summaries.gpuMem ? { gpuMem: summaries.gpuMem } : {}),
    },
    catalog,
    settings,
  );
  const notes: string[] = [...thin];
  if (!demand.memoryMeasured) notes.push(`memory not measured: kept ≥ current ${type.memoryGiB} GiB`);
  if (demand.cpuPerfAssumedEqual) notes.push(`no CPU benchmark for ${type.name}: vCPUs counted as equal on every candidate`);
  if (demand.gpu && !demand.gpu.measured) notes.push('GPU utilization not measured: GPU model and count kept');

  const idle =
    sizing.method !== 'upsize' && memSaturation?.sustained !== true && cpu.p95 <= settings.idleCpuP95Pct && cpu.max <= settings.idleCpuMaxPct && (!type.gpu || (demand.gpu?.measured === true && demand.gpu.unused));
  const upsizePath = sizing.method === 'upsize' || memSaturation?.sustained === true;

  let afterType: InstanceType | null;
  let kind: RecommendationKind;
  let fitNote: ReturnType<typeof fitOf> | undefined;
  /** For a stop: the cheapest type that would still carry the instance if it has to keep running. */
  let keepRunningType: InstanceType | null = null;
  if (idle) {
    afterType = null;
    kind = 'idle';
    const fallback = cheapestFit(catalog, instance.cloud, instance.region, demand, settings, { current: type });
    keepRunningType = fallback && fallback.candidate.type.name !== type.name && fallback.candidate.hourlyUsd < odNow ? fallback.candidate.type : null;
  } else {
    const best = cheapestFit(catalog, instance.cloud, instance.region, demand, settings, { current: type });
    if (!best) return skip(input, 'no-cheaper-fit', upsizePath ? `saturated (${sizing.why}), but no larger type in the region fits` : 'no type in the region fits the demand', type);
    // Demand is searched on a small grid rounded up, so a box at today's size can round past it: today's type fits.
    if (best.candidate.type.name === type.name || (!upsizePath && best.candidate.hourlyUsd >= odNow && !type.gpu)) {
      return skip(input, 'no-cheaper-fit', upsizePath ? 'saturated, but the current type is the cheapest fit of the region' : `the current type is already the cheapest fit (${sizing.why})`, type);
    }
    afterType = best.candidate.type;
    fitNote = best.fit;
    kind = classify(type, afterType, upsizePath);
  }

  const hoursPerMonth = settings.hoursPerMonth;
  const actualNow = hourlyCostUsd(catalog, instance.cloud, instance.region, instance.type, instance.lifecycle) ?? odNow;
  const odAfter = afterType ? (catalog.onDemandHourlyUsd(instance.cloud, instance.region, afterType.name) ?? 0) : 0;
  const actualAfter = afterType ? (hourlyCostUsd(catalog, instance.cloud, instance.region, afterType.name, instance.lifecycle) ?? odAfter) : 0;
  const monthlySavingsUsd = round2((actualNow - actualAfter) * hoursPerMonth);
  if (kind !== 'upsize' && monthlySavingsUsd < settings.minMonthlySavingsUsd) {
    return skip(input, 'no-cheaper-fit', `best fit ${afterType?.name ?? 'stop'} saves ${monthlySavingsUsd} USD/month, under the ${settings.minMonthlySavingsUsd} USD minimum`, type);
  }

  const targetPct = 100 * sizing.targetUtil;
  const bt = backtest(byMetric, type, afterType, catalog, targetPct, demand.cpuPerfAssumedEqual);
  // The new type's CPU capacity as a percent of today's, as the backtest scales it.
  const perfNow = demand.cpuPerfAssumedEqual ? 1 : (type.cpuPerfRel ?? 1);
  const capNowPct = 100;
  const capAfterPct = afterType ? ((afterType.vcpu * creditedPerf(afterType, demand)) / (type.vcpu * perfNow)) * 100 : 0;
  // Read on the curve's grid at or below the capacity: never more optimistic than the exact share.
  const curve = sizing.curve ?? exceedanceCurve(cpuWindow.mean, cpuWindow.max, cpuWindow.from, cpuWindow.to, spikeModelOf(settings), cpu.max);
  const shareAt = (capPct: number) => round3((curve.share[Math.min(curve.share.length - 1, Math.floor(capPct / curve.stepPct + 1e-9))] as number) * 100);
  const shareNowPct = shareAt(capNowPct);
  const shareAfterPct = afterType ? shareAt(capAfterPct) : null;
  let sustainedOver = 0;
  if (afterType) for (let h = cpuWindow.from; h < cpuWindow.to; h++) if ((cpuWindow.mean[h] as number) > capAfterPct + 1e-9) sustainedOver++;
  let memoryOverHours = 0;
  if (afterType && memWindow) {
    const memCapPct = (afterType.memoryGiB / type.memoryGiB) * 100;
    for (let h = memWindow.from; h < memWindow.to; h++) if ((memWindow.max[h] as number) > memCapPct + 1e-9) memoryOverHours++;
  }
  // GPU work is throughput: an hour whose GPU use would not fit the new GPUs runs longer, so it counts as a shortfall.
  let gpuOverHours = 0;
  if (afterType && gpuWindow && type.gpu) {
    const relNow = catalog.gpuModel(type.gpu.model)?.relThroughput ?? 1;
    const relAfter = afterType.gpu ? (catalog.gpuModel(afterType.gpu.model)?.relThroughput ?? 1) : 0;
    const factor = relAfter === 0 ? Number.POSITIVE_INFINITY : (type.gpu.count * relNow) / ((afterType.gpu?.count ?? 1) * relAfter);
    const g = gpuWindow;
    for (let h = g.from; h < g.to; h++) {
      const v = g.max[h] as number;
      if (v === v && v > 0 && v * factor > 100 + 1e-9) gpuOverHours++;
    }
  }
  const backtestOut: Backtest = { ...bt, ...(shareAfterPct !== null ? { modeledShareOverPct: shareAfterPct, hoursSustainedOver: sustainedOver } : {}) };

  const windowHours = cpuWindow.to - cpuWindow.from;
  const folds = foldsOf(windowHours, settings);
  const validation = kind === 'idle' ? [] : (validateInstance(validationInputOf(cpuWindow, memWindow, type, settings, actualNow * hoursPerMonth), settings, [settings], folds)[0] ?? []);
  const testHours = validation.reduce((a, f) => a + f.testHours, 0);
  const oosPct = testHours === 0 ? null : round3(validation.reduce((a, f) => a + f.shareOverPct * f.testHours, 0) / testHours);

  const gpuNow = type.gpu ? catalog.gpuModel(type.gpu.model) : undefined;
  const gpuAfter = afterType?.gpu ? catalog.gpuModel(afterType.gpu.model) : undefined;
  const { risk, factors } = riskOf({
    idle: kind === 'idle',
    modeledShareOverPct: shareAfterPct ?? 0,
    hoursPeakOver: bt.hoursSaturated,
    hoursSustainedOver: sustainedOver,
    memoryOverHours,
    gpuOverHours,
    hoursObserved: bt.hoursObserved,
    coverageFraction: cpu.coverage.fraction,
    memoryUnmeasured: !demand.memoryMeasured,
    gpuUnmeasured: demand.gpu?.measured === false,
    validated: validation.length > 0,
    outOfSampleOverPct: oosPct,
    riskBudgetPct: Math.max(settings.riskBudgetPct, settings.fleetRiskBudgetPct),
    archChange: afterType !== null && afterType.arch !== type.arch,
    gpuModelChange: afterType !== null && type.gpu !== undefined && afterType.gpu?.model !== type.gpu.model,
    gpuVendorChange: gpuNow !== undefined && gpuAfter !== undefined && gpuNow.vendor !== gpuAfter.vendor,
  });
  const crossCloud = settings.crossCloud && kind !== 'idle' ? crossCloudAlternatives(instance, demand, odNow, catalog, settings) : [];

  const percentileShown = settings.cpuPercentile === 'p99.5' ? 'p99' : settings.cpuPercentile;
  const evidence: Record<string, unknown> = {
    cpuPercentile: percentileShown,
    cpuPct: round2(cpu[percentileShown]),
    cpu: summaryJson(cpu),
    mem: summaryJson(summaries.mem),
    memMaxPct: summaries.mem ? round2(summaries.mem.max) : undefined,
    memoryMeasured: demand.memoryMeasured,
    gpu: summaryJson(summaries.gpu),
    gpuPct: summaries.gpu ? round2(gpuUtilPct ?? summaries.gpu[settings.gpuPercentile]) : undefined,
    gpuSizing: summaries.gpu ? (gpuUtilPct !== undefined ? `risk budget ${settings.riskBudgetPct} %: GPU capacity ${round2(gpuUtilPct)} % of today's` : `${settings.gpuPercentile} of hourly maxima`) : undefined,
    gpuMemPeakMiB: summaries.gpuMem ? Math.round(summaries.gpuMem.max) : undefined,
    sizing: {
      method: sizing.method,
      rule: settings.cpuSizing === 'risk' ? `risk budget ${settings.riskBudgetPct} %` : `${settings.cpuPercentile} of hourly maxima, headroom ${cpuHeadroomPct(settings)} %`,
      why: sizing.why,
      cpuDemandPctOfCurrent: round2(sizing.demandPct),
      saturation: {
        hours: sizing.saturation.hours,
        hoursObserved: sizing.saturation.hoursObserved,
        thresholdHourMeanPct: settings.saturatedHourMeanPct,
        sustained: sizing.saturation.sustained,
        ...(sizing.saturation.firstAtMs !== null ? { firstAt: new Date(sizing.saturation.firstAtMs).toISOString(), lastAt: new Date(sizing.saturation.lastAtMs ?? sizing.saturation.firstAtMs).toISOString() } : {}),
      },
      ...(memSaturation?.sustained ? { memorySaturation: { hours: memSaturation.hours, hoursObserved: memSaturation.hoursObserved, peakMeanPct: round2(memSaturation.peakMeanPct) } } : {}),
      modeledShareOverCapacityPct: { now: shareNowPct, after: shareAfterPct },
    },
    ...(kind === 'upsize'
      ? {
          upsizeBuys: `today the modeled 5-minute demand exceeds capacity ${shareNowPct} % of the time (${sizing.saturation.hours} h averaged ≥ ${settings.saturatedHourMeanPct} %); on ${afterType?.name} ${shareAfterPct ?? 0} % (${sustainedOver} h whose mean would exceed it)`,
        }
      : {}),
    outOfSample: {
      folds: validation,
      shareOverCapacityPct: oosPct,
      ...(validation.length === 0 && kind !== 'idle' ? { note: `needs ${settings.validationTrainDays + settings.validationTestDays} days of history; the lookback has ${round2(windowHours / 24)}` } : {}),
    },
    demand: {
      cpuBaselineVcpu: round2(demand.cpuBaselineVcpu),
      cpuTargetUtilPct: round2(demand.cpuTargetUtil * 100),
      memoryGiB: round2(demand.memoryGiB),
      ...(demand.gpu ? { gpuA100Equivalents: round2(demand.gpu.throughputA100), gpuMemoryGiBPerGpu: round2(demand.gpu.memoryGiBPerGpu) } : {}),
    },
    projected: fitNote
      ? { cpuPctAtPercentile: pctOf(fitNote.cpuUtil), memPct: pctOf(fitNote.memUtil), ...(fitNote.gpuUtil !== undefined ? { gpuPct: pctOf(fitNote.gpuUtil) } : {}), ...(fitNote.gpuMemUtil !== undefined ? { gpuMemPct: pctOf(fitNote.gpuMemUtil) } : {}) }
      : undefined,
    current: { type: type.name, vcpu: type.vcpu, memoryGiB: type.memoryGiB, gpu: type.gpu ?? null },
    recommended: afterType ? { type: afterType.name, vcpu: afterType.vcpu, memoryGiB: afterType.memoryGiB, gpu: afterType.gpu ?? null } : null,
    ...(kind === 'idle'
      ? {
          ifKeptRunning: keepRunningType
            ? { type: keepRunningType.name, vcpu: keepRunningType.vcpu, memoryGiB: keepRunningType.memoryGiB, monthlySavingsUsd: round2((actualNow - (hourlyCostUsd(catalog, instance.cloud, instance.region, keepRunningType.name, instance.lifecycle) ?? odNow)) * hoursPerMonth) }
            : null,
        }
      : {}),
    risk: { score: risk, factors, scale: '0–4: one point each for time over capacity, a sustained shortfall, thin or unvalidated evidence, a platform change' },
    settings: {
      cpuSizing: settings.cpuSizing,
      riskBudgetPct: settings.riskBudgetPct,
      peakToMean: settings.peakToMean,
      peakFloorPct: settings.peakFloorPct,
      cpuHeadroomPct: cpuHeadroomPct(settings),
      memStatistic: settings.memStatistic,
      memHeadroomPct: settings.memHeadroomPct,
      gpuHeadroomPct: settings.gpuHeadroomPct,
      lookbackDays: settings.lookbackDays,
      ...(input.policyId ? { policy: input.policyId } : {}),
    },
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
    recommendedType: afterType?.name ?? keepRunningType?.name ?? null,
    monthlyCostNow: { onDemandUsd: round2(odNow * hoursPerMonth), actualUsd: round2(actualNow * hoursPerMonth) },
    monthlyCostAfter: { onDemandUsd: round2(odAfter * hoursPerMonth), actualUsd: round2(actualAfter * hoursPerMonth) },
    monthlySavingsUsd,
    risk,
    evidence: withoutUndefined(evidence),
    backtest: backtestOut,
    crossCloud,
    summary: summaryText(kind, type, afterType ?? keepRunningType, cpu, sizing.saturation.sustained ? `${sizing.saturation.hours} of ${sizing.saturation.hoursObserved} h averaged ≥ ${settings.saturatedHourMeanPct}% CPU` : `${memSaturation?.hours ?? 0} of ${memSaturation?.hoursObserved ?? 0} h averaged ≥ ${settings.memSaturatedPct}% memory`, backtestOut, oosPct),
  };
  return { outcome: 'recommendation', recommendation, afterType };
}


/** Drops undefined fields so evidence stores and serializes cleanly. */
function withoutUndefined(value: Record<string, unknown>): Record<string, unknown> {
  // Nested evidence objects are built with conditional spreads and carry no undefined; only the top level is filtered.
  const out: Record<string, unknown> = {};
  for (const k in value) {
    const v = value[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/**
 * Names the change: GPU kinds first (the GPU is the cost); `upsize` only on the saturation path; `modernize` for
 * the same vCPUs and memory at a lower price (a newer generation or another CPU vendor); otherwise `downsize`.
 */
export function classify(current: InstanceType, after: InstanceType, saturated: boolean): RecommendationKind {
  if (current.gpu) {
    if (!after.gpu) return 'gpu-to-cpu';
    if (after.gpu.model !== current.gpu.model) return 'gpu-model';
    if (after.gpu.count < current.gpu.count) return 'gpu-fewer';
  }
  if (saturated) return 'upsize';
  if (after.vcpu === current.vcpu && after.memoryGiB === current.memoryGiB) return 'modernize';
  return 'downsize';
}

function summaryText(kind: RecommendationKind, type: InstanceType, after: InstanceType | null, cpu: UtilizationSummary, saturated: string, bt: Backtest, oosPct: number | null): string {
  const btText = `backtest: modeled ${bt.modeledShareOverPct ?? 0} % of time over capacity, ${bt.hoursSaturated} of ${bt.hoursObserved} h with peaks over it${oosPct !== null ? `; out of sample ${oosPct} %` : ''}`;
  switch (kind) {
    case 'idle':
      return `Idle: CPU p95 ${round2(cpu.p95)}%, max ${round2(cpu.max)}% over ${cpu.coverage.points} h — stop or terminate ${type.name}${after ? ` (or, if it must keep running, ${after.name})` : ''}.`;
    case 'upsize':
      return `Saturated: ${saturated} — move ${type.name} to ${after?.name}; ${btText}.`;
    default:
      return `${kind}: ${type.name} → ${after?.name} (CPU mean ${round2(cpu.mean)}%, p95 of hourly maxima ${round2(cpu.p95)}%); ${btText}.`;
  }
}
