import type { InstanceType } from '../domain/instance-type.js';
import { HOUR_MS } from '../domain/utilization.js';
import { type HourlyWindow, maxPercentilePct, PERCENTILE_RANK, spikeModelOf } from './cpu-sizing.js';
import { digestOf, quantile } from './summary.js';
import { saturationOf } from './saturation.js';
import { cpuHeadroomPct, type EngineSettings } from './settings.js';
import { exceedanceAt, exceedanceCurve, requiredCapacityPct, type ExceedanceCurve } from './within-hour.js';

/**
 * Walk-forward validation on an instance's own history: size on a training window, then measure the next days
 * against what was sized. Nothing here sees the test days while sizing, so the figures are out of sample. Time over
 * capacity in a test window is measured with the scope's own within-hour model (within-hour.ts) on the hourly data,
 * plus memory hours whose maximum exceeds the memory sized.
 */

/** Hour offsets into the lookback window. */
export interface Fold {
  trainFrom: number;
  trainTo: number;
  testFrom: number;
  testTo: number;
}

/** Folds over a window of `hours`, latest first: test on the last testDays, move back by stepDays, train before each test. */
export function foldsOf(hours: number, settings: Pick<EngineSettings, 'validationTrainDays' | 'validationTestDays' | 'validationStepDays' | 'validationMaxFolds'>): Fold[] {
  const folds: Fold[] = [];
  const train = settings.validationTrainDays * 24;
  const test = settings.validationTestDays * 24;
  for (let k = 0; folds.length < settings.validationMaxFolds; k++) {
    const testTo = hours - k * settings.validationStepDays * 24;
    const testFrom = testTo - test;
    const trainFrom = testFrom - train;
    if (trainFrom < 0) break;
    folds.push({ trainFrom, trainTo: testFrom, testFrom, testTo });
  }
  return folds;
}

/** A candidate policy: a name and the settings it lays over the scope's. */
export interface PolicyCandidate {
  id: string;
  label: string;
  settings: Partial<Pick<EngineSettings, 'cpuSizing' | 'riskBudgetPct' | 'peakToMean' | 'peakFloorPct' | 'cpuPercentile' | 'cpuHeadroomPct' | 'memStatistic' | 'memHeadroomPct'>>;
}

/** The policies validation compares: risk budgets × spike handling × memory rule, and the anchors' percentile rules. */
export const CANDIDATE_POLICIES: readonly PolicyCandidate[] = [
  { id: 'risk-0.05', label: 'risk budget 0.05 %', settings: { cpuSizing: 'risk', riskBudgetPct: 0.05 } },
  { id: 'risk-0.1', label: 'risk budget 0.1 % (default)', settings: { cpuSizing: 'risk', riskBudgetPct: 0.1 } },
  { id: 'risk-0.25', label: 'risk budget 0.25 %', settings: { cpuSizing: 'risk', riskBudgetPct: 0.25 } },
  { id: 'risk-0.5', label: 'risk budget 0.5 %', settings: { cpuSizing: 'risk', riskBudgetPct: 0.5 } },
  { id: 'risk-1', label: 'risk budget 1 %', settings: { cpuSizing: 'risk', riskBudgetPct: 1 } },
  { id: 'risk-0.1-headroom-0', label: 'risk 0.1 %, no headroom', settings: { cpuSizing: 'risk', riskBudgetPct: 0.1, cpuHeadroomPct: 0 } },
  { id: 'risk-0.1-headroom-20', label: 'risk 0.1 %, 20 % headroom', settings: { cpuSizing: 'risk', riskBudgetPct: 0.1, cpuHeadroomPct: 20 } },
  { id: 'risk-0.1-peaks-2x', label: 'risk 0.1 %, 5-min peaks ≤ 2× mean + 2', settings: { cpuSizing: 'risk', riskBudgetPct: 0.1, peakToMean: 2, peakFloorPct: 2 } },
  { id: 'risk-0.1-peaks-4x', label: 'risk 0.1 %, 5-min peaks ≤ 4× mean + 5', settings: { cpuSizing: 'risk', riskBudgetPct: 0.1, peakToMean: 4, peakFloorPct: 5 } },
  { id: 'risk-0.1-mem-max', label: 'risk 0.1 %, memory max + 15 % (KRR)', settings: { cpuSizing: 'risk', riskBudgetPct: 0.1, memStatistic: 'max' } },
  { id: 'p99.5-headroom-20', label: 'p99.5 of maxima + 20 % (Compute Optimizer)', settings: { cpuSizing: 'percentile', cpuPercentile: 'p99.5', cpuHeadroomPct: 20 } },
  { id: 'p95-headroom-20', label: 'p95 of maxima ≤ 80 % (Azure Advisor)', settings: { cpuSizing: 'percentile', cpuPercentile: 'p95', cpuHeadroomPct: 20 } },
  { id: 'p95-headroom-0', label: 'p95 of maxima, no headroom (KRR CPU)', settings: { cpuSizing: 'percentile', cpuPercentile: 'p95', cpuHeadroomPct: 0 } },
];

/** The dimensions validation needs, already cut to the lookback window (index 0 = window start). */
export interface ValidationInput {
  cpu: HourlyWindow;
  mem?: HourlyWindow;
  /** Percent of today's capacity below which no candidate goes (minVcpu), and the instance's monthly cost. */
  floorPct: number;
  monthlyCostUsd: number;
}

export interface FoldResult {
  trainStartMs: number;
  testStartMs: number;
  testEndMs: number;
  /** Capacity the policy chose on the training days, percent of today's (CPU; memory when measured). */
  cpuCapacityPct: number;
  memCapacityPct?: number;
  /** Out of sample: modeled share of test time over that capacity, and hours whose mean alone was over it. */
  shareOverPct: number;
  hoursSustainedOver: number;
  testHours: number;
  upsized: boolean;
}

interface PolicyScratch {
  capacityPct: number;
  memCapacityPct: number | undefined;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

function observedHours(mean: Float32Array, from: number, to: number): number {
  let n = 0;
  for (let h = from; h < to && h < mean.length; h++) if ((mean[h] as number) === (mean[h] as number)) n++;
  return n;
}

const top = new Float64Array(9);

/**
 * A high quantile (numpy's linear rule) of values[from, to), NaN skipped, from the few largest values alone when
 * the rank lies among the top 8 (p99.5, p99 and max over a week of hours); otherwise by the summary's selection.
 */
export function upperQuantile(values: Float32Array, from: number, to: number, q: number): number {
  let n = 0;
  for (let i = from; i < to && i < values.length; i++) if ((values[i] as number) === (values[i] as number)) n++;
  if (n === 0) return Number.NaN;
  const rank = q * (n - 1);
  const k = n - Math.floor(rank); // how many of the largest values the two ranks need
  if (k > 8) return quantile(digestOf(values.subarray(from, to)), q);
  let kept = 0;
  for (let i = from; i < to && i < values.length; i++) {
    const v = values[i] as number;
    if (v !== v) continue;
    // Insertion into a descending buffer of the k largest seen so far.
    if (kept < k) kept++;
    else if (v <= (top[k - 1] as number)) continue;
    let j = kept - 1;
    while (j > 0 && (top[j - 1] as number) < v) {
      top[j] = top[j - 1] as number;
      j--;
    }
    top[j] = v;
  }
  // Ascending rank r is descending position n − 1 − r.
  const lo = top[n - 1 - Math.floor(rank)] as number;
  const hi = top[n - 1 - Math.ceil(rank)] as number;
  return lo + (hi - lo) * (rank - Math.floor(rank));
}

/** Memory capacity a policy sizes on the training days, percent of today's (undefined when unmeasured). */
function memCapacityPct(mem: HourlyWindow | undefined, from: number, to: number, settings: EngineSettings): number | undefined {
  if (!mem) return undefined;
  const sat = saturationOf(mem.mean, from, to, settings.memSaturatedPct, settings, mem.startMs);
  if (sat.sustained) return (Math.max(sat.peakMeanPct, settings.memSaturatedPct) / settings.upsizeTargetPct) * 100;
  const stat = Math.min(100, upperQuantile(mem.max, from, to, PERCENTILE_RANK[settings.memStatistic]));
  if (Number.isNaN(stat)) return undefined;
  return Math.min(100, stat * (1 + settings.memHeadroomPct / 100));
}

/**
 * Runs every policy through every fold for one instance. Work shared by policies (saturation, one exceedance curve
 * per spike model, the test window's curve) is done once per fold; each policy is then a lookup.
 */
export function validateInstance(input: ValidationInput, base: EngineSettings, policies: readonly EngineSettings[], folds: readonly Fold[]): FoldResult[][] {
  const out: FoldResult[][] = policies.map(() => []);
  const { cpu } = input;
  const measure = spikeModelOf(base);
  for (const fold of folds) {
    const train: HourlyWindow = { ...cpu, from: cpu.from + fold.trainFrom, to: cpu.from + fold.trainTo };
    const testFrom = cpu.from + fold.testFrom;
    const testTo = cpu.from + fold.testTo;
    const testHours = observedHours(cpu.mean, testFrom, testTo);
    if (testHours === 0 || observedHours(cpu.mean, train.from, train.to) === 0) continue;
    const curves = new Map<string, ExceedanceCurve>();
    const percentiles = new Map<string, number>();
    const scratch: PolicyScratch[] = policies.map((p) => {
      let capacityPct: number;
      const sat = saturationOf(cpu.mean, train.from, train.to, p.saturatedHourMeanPct, p, cpu.startMs);
      if (sat.sustained) {
        capacityPct = (Math.max(sat.peakMeanPct, p.saturatedHourMeanPct) / p.upsizeTargetPct) * 100;
      } else {
        let rule: number;
        if (p.cpuSizing === 'risk') {
          const key = `${p.peakToMean}|${p.peakFloorPct}`;
          let curve = curves.get(key);
          if (!curve) curves.set(key, (curve = exceedanceCurve(cpu.mean, cpu.max, train.from, train.to, spikeModelOf(p))));
          rule = requiredCapacityPct(curve, p.riskBudgetPct / 100);
        } else {
          let v = percentiles.get(p.cpuPercentile);
          if (v === undefined) percentiles.set(p.cpuPercentile, (v = Math.min(100, maxPercentilePct(train, p.cpuPercentile))));
          rule = v;
        }
        capacityPct = Math.min(100, rule / (1 - cpuHeadroomPct(p) / 100));
        if (p.shrinkOnlyBelowCpuP95Pct < 100) {
          const p95 = maxPercentilePct(train, 'p95');
          if (p95 > p.shrinkOnlyBelowCpuP95Pct) capacityPct = 100;
        }
      }
      const mem = input.mem ? memCapacityPct(input.mem, input.mem.from + fold.trainFrom, input.mem.from + fold.trainTo, p) : undefined;
      return { capacityPct: Math.max(capacityPct, input.floorPct), memCapacityPct: mem };
    });
    scratch.forEach((s, i) => {
      // Exact at the capacity chosen, so a policy scores the same alone (a recommendation's own folds) as among many.
      let shareOver = exceedanceAt(cpu.mean, cpu.max, testFrom, testTo, s.capacityPct, measure);
      let sustained = 0;
      for (let h = testFrom; h < testTo; h++) if ((cpu.mean[h] as number) > s.capacityPct) sustained++;
      const mem = input.mem;
      if (mem && s.memCapacityPct !== undefined) {
        let over = 0;
        let seen = 0;
        for (let h = mem.from + fold.testFrom; h < mem.from + fold.testTo && h < mem.max.length; h++) {
          const v = mem.max[h] as number;
          if (v !== v) continue;
          seen++;
          if (v > s.memCapacityPct) over++;
        }
        if (seen > 0) shareOver = Math.min(1, shareOver + over / seen);
      }
      (out[i] as FoldResult[]).push({
        trainStartMs: cpu.startMs + train.from * HOUR_MS,
        testStartMs: cpu.startMs + testFrom * HOUR_MS,
        testEndMs: cpu.startMs + testTo * HOUR_MS,
        cpuCapacityPct: round3(s.capacityPct),
        ...(s.memCapacityPct !== undefined ? { memCapacityPct: round3(s.memCapacityPct) } : {}),
        shareOverPct: round3(shareOver * 100),
        hoursSustainedOver: sustained,
        testHours,
        upsized: s.capacityPct > 100 + 1e-9 || (s.memCapacityPct ?? 0) > 100 + 1e-9,
      });
    });
  }
  return out;
}

/** A policy's standing over many instances: what it would have saved and how often demand exceeded what it chose. */
export interface PolicyScore {
  id: string;
  label: string;
  instances: number;
  folds: number;
  /** Monthly cost saved in capacity terms (cost × (1 − chosen capacity ÷ today's)), before rounding to a real type. */
  savingsPct: number;
  /** Out of sample: share of test time over the chosen capacity, weighted by test hours. */
  outOfSampleOverPct: number;
  hoursSustainedOver: number;
  upsizes: number;
  withinBudget: boolean;
}

/** Accumulates fold results of many instances into one score per policy. */
export class PolicyScoreboard {
  private readonly acc: { costNow: number; costAfter: number; over: number; hours: number; instances: number; folds: number; sustained: number; upsizes: number }[];

  constructor(readonly policies: readonly PolicyCandidate[]) {
    this.acc = policies.map(() => ({ costNow: 0, costAfter: 0, over: 0, hours: 0, instances: 0, folds: 0, sustained: 0, upsizes: 0 }));
  }

  add(results: readonly FoldResult[][], monthlyCostUsd: number): void {
    results.forEach((folds, i) => {
      if (folds.length === 0) return;
      const a = this.acc[i] as (typeof this.acc)[number];
      a.instances++;
      let upsized = false;
      for (const f of folds) {
        a.folds++;
        // Each fold counts the instance's cost once, averaged over its folds.
        const after = Math.max(f.cpuCapacityPct, f.memCapacityPct ?? 0) / 100;
        a.costNow += monthlyCostUsd / folds.length;
        a.costAfter += (monthlyCostUsd * after) / folds.length;
        a.over += (f.shareOverPct / 100) * f.testHours;
        a.hours += f.testHours;
        a.sustained += f.hoursSustainedOver;
        upsized ||= f.upsized;
      }
      if (upsized) a.upsizes++;
    });
  }

  scores(budgetPct: number): PolicyScore[] {
    return this.policies.map((p, i) => {
      const a = this.acc[i] as (typeof this.acc)[number];
      const over = a.hours === 0 ? 0 : (a.over / a.hours) * 100;
      return {
        id: p.id,
        label: p.label,
        instances: a.instances,
        folds: a.folds,
        savingsPct: a.costNow === 0 ? 0 : Math.round((1 - a.costAfter / a.costNow) * 10_000) / 100,
        outOfSampleOverPct: round3(over),
        hoursSustainedOver: a.sustained,
        upsizes: a.upsizes,
        withinBudget: a.hours > 0 && over <= budgetPct + 1e-9,
      };
    });
  }
}

/** auto: the policy saving most among those within the budget; none within it → the one with the least time over. */
export function chooseAuto(scores: readonly PolicyScore[]): PolicyScore | undefined {
  const scored = scores.filter((s) => s.folds > 0);
  const within = scored.filter((s) => s.withinBudget).sort((a, b) => b.savingsPct - a.savingsPct || a.outOfSampleOverPct - b.outOfSampleOverPct);
  if (within[0]) return within[0];
  return [...scored].sort((a, b) => a.outOfSampleOverPct - b.outOfSampleOverPct || b.savingsPct - a.savingsPct)[0];
}

/** The scope's settings with a candidate policy laid over them (policy fixed, so it is not chosen again). */
export function withPolicy(settings: EngineSettings, policy: PolicyCandidate): EngineSettings {
  return { ...settings, ...policy.settings, policy: 'fixed' };
}

/** What validation needs of one instance: its windows, its floor (minVcpu) and its cost. */
export function validationInputOf(cpu: HourlyWindow, mem: HourlyWindow | undefined, type: InstanceType, settings: EngineSettings, monthlyCostUsd: number): ValidationInput {
  return { cpu, ...(mem ? { mem } : {}), floorPct: (Math.min(settings.minVcpu, type.vcpu) / type.vcpu) * 100, monthlyCostUsd };
}
