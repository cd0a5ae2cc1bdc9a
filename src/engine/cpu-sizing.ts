import { saturationOf, type Saturation } from './saturation.js';
import { cpuHeadroomPct, type EngineSettings } from './settings.js';
import { HOUR_MS, type UtilizationSeries } from '../domain/utilization.js';
import { PERCENTILE_Q, summarize } from './summary.js';
import { type ExceedanceCurve, exceedanceCurve, requiredCapacityPct, type SpikeModel } from './within-hour.js';

/** Hourly Average and Maximum of one dimension and the hours [from, to) to read; index 0 is at startMs. */
export interface HourlyWindow {
  mean: Float32Array;
  max: Float32Array;
  from: number;
  to: number;
  startMs: number;
  /** The largest hourly maximum in the window, when a summary already found it: lets the curve take one pass. */
  maxPct?: number;
}

/** The hourly window of a series inside [startMs, endMs): its arrays and the indices that fall in it. */
export function hourlyWindow(s: Pick<UtilizationSeries, 'mean' | 'max' | 'startMs'>, startMs: number, endMs: number): HourlyWindow {
  const from = Math.max(0, Math.round((startMs - s.startMs) / HOUR_MS));
  const to = Math.min(s.max.length, Math.round((endMs - s.startMs) / HOUR_MS));
  return { mean: s.mean, max: s.max, from, to: Math.max(from, to), startMs: s.startMs };
}

/** The settings' percentile names and their ranks (the summary's, under the names the settings use). */
export const PERCENTILE_RANK = { p90: PERCENTILE_Q.p90, p95: PERCENTILE_Q.p95, p99: PERCENTILE_Q.p99, 'p99.5': PERCENTILE_Q.p995, max: PERCENTILE_Q.max } as const;

/** How the CPU demand was found; every path's capacity is a percent of the current type's CPU capacity. */
export interface CpuSizing {
  /** upsize: sustained saturation; risk / percentile: the sizing rule; held: capped at today's capacity (no saturation, or the shrink gate). */
  method: 'upsize' | 'risk' | 'percentile' | 'held';
  /** CPU capacity needed, percent of the current capacity, before the headroom. */
  demandPct: number;
  /** The candidate must carry demandPct at or under this utilization (1 − headroom; 1 on the upsize path). */
  targetUtil: number;
  saturation: Saturation;
  /** The statistic the rule read: the percentile of hourly maxima, or the capacity the risk budget allows. */
  ruleValuePct: number;
  why: string;
  /** The window's exceedance curve under the scope's spike model, when risk sizing built it. */
  curve?: ExceedanceCurve;
}

export function spikeModelOf(settings: Pick<EngineSettings, 'peakToMean' | 'peakFloorPct'>): SpikeModel {
  return { peakToMean: settings.peakToMean, peakFloorPct: settings.peakFloorPct };
}

const SUMMARY_KEY = { p90: 'p90', p95: 'p95', p99: 'p99', 'p99.5': 'p995', max: 'max' } as const;

/** A percentile of the hourly maxima in hours [from, to) of the window (linear interpolation between closest ranks). */
export function maxPercentilePct(w: HourlyWindow, percentile: keyof typeof PERCENTILE_RANK, from = w.from, to = w.to): number {
  const s = summarize({ instanceId: '', metric: 'cpu', startMs: w.startMs, max: w.max, mean: w.mean }, w.startMs + from * HOUR_MS, w.startMs + to * HOUR_MS);
  return s[SUMMARY_KEY[percentile]];
}

/**
 * The CPU capacity an instance needs, from its hourly Average and Maximum. Upsizes only on sustained saturation
 * (saturation.ts), sized so those hours would sit at upsizeTargetPct; otherwise the configured rule, never above
 * today's capacity: a spiky instance that never stayed pegged for an hour is left as it is.
 */
export function sizeCpu(w: HourlyWindow, settings: EngineSettings): CpuSizing {
  const saturation = saturationOf(w.mean, w.from, w.to, settings.saturatedHourMeanPct, settings, w.startMs);
  if (saturation.sustained) {
    const demandPct = (Math.max(saturation.peakMeanPct, settings.saturatedHourMeanPct) / settings.upsizeTargetPct) * 100;
    return {
      method: 'upsize',
      demandPct,
      targetUtil: 1,
      saturation,
      ruleValuePct: saturation.peakMeanPct,
      why: `sustained saturation: ${saturation.hours} of ${saturation.hoursObserved} h averaged ≥ ${settings.saturatedHourMeanPct} % (peak hour mean ${round2(saturation.peakMeanPct)} %); sized so those hours would run at ${settings.upsizeTargetPct} %`,
    };
  }
  const targetUtil = 1 - cpuHeadroomPct(settings) / 100;
  let ruleValuePct: number;
  let why: string;
  let curve: ExceedanceCurve | undefined;
  if (settings.cpuSizing === 'risk') {
    curve = exceedanceCurve(w.mean, w.max, w.from, w.to, spikeModelOf(settings), w.maxPct);
    ruleValuePct = requiredCapacityPct(curve, settings.riskBudgetPct / 100);
    why = `smallest capacity whose modeled 5-minute demand exceeds it ≤ ${settings.riskBudgetPct} % of the time: ${round2(ruleValuePct)} % of today's`;
  } else {
    ruleValuePct = Math.min(100, maxPercentilePct(w, settings.cpuPercentile));
    why = `${settings.cpuPercentile} of hourly maxima ${round2(ruleValuePct)} %`;
  }
  const p95 = settings.shrinkOnlyBelowCpuP95Pct < 100 ? maxPercentilePct(w, 'p95') : 0;
  if (p95 > settings.shrinkOnlyBelowCpuP95Pct) {
    return { method: 'held', demandPct: 100 * targetUtil, targetUtil, saturation, ruleValuePct, ...(curve ? { curve } : {}), why: `CPU p95 of hourly maxima ${round2(p95)} % is over the ${settings.shrinkOnlyBelowCpuP95Pct} % shrink threshold: today's capacity kept` };
  }
  if (ruleValuePct / targetUtil > 100) {
    return { method: 'held', demandPct: 100 * targetUtil, targetUtil, saturation, ruleValuePct, ...(curve ? { curve } : {}), why: `${why}, over today's capacity without sustained saturation (${saturation.hours} pegged hours): today's capacity kept` };
  }
  return { method: settings.cpuSizing, demandPct: ruleValuePct, targetUtil, saturation, ruleValuePct, why, ...(curve ? { curve } : {}) };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
