import type { EngineSettings } from './settings.js';

/** Hours in which a dimension was pegged for the whole hour (its hourly mean at or over the threshold). */
export interface Saturation {
  /** Hours whose mean is at or over the threshold. */
  hours: number;
  hoursObserved: number;
  /** The highest hourly mean among them (censored: the demand behind a pegged hour is at least this). */
  peakMeanPct: number;
  /** Epoch ms of the first and last saturated hour, for the evidence. */
  firstAtMs: number | null;
  lastAtMs: number | null;
  /** Enough such hours to call it sustained: ≥ saturatedMinHours and ≥ saturatedMinSharePct of observed hours. */
  sustained: boolean;
}

/**
 * Sustained saturation of one dimension over hours [from, to). A spike raises the hourly maximum, not the mean:
 * only a mean at the threshold says the instance ran out of capacity for the whole hour, and only repeated such
 * hours justify paying for a larger type.
 */
export function saturationOf(
  mean: Float32Array,
  from: number,
  to: number,
  thresholdPct: number,
  settings: Pick<EngineSettings, 'saturatedMinHours' | 'saturatedMinSharePct'>,
  startMs: number,
): Saturation {
  let hours = 0;
  let observed = 0;
  let peak = 0;
  let first = -1;
  let last = -1;
  for (let h = Math.max(0, from); h < Math.min(to, mean.length); h++) {
    const m = mean[h] as number;
    if (m !== m) continue;
    observed++;
    if (m >= thresholdPct) {
      hours++;
      if (m > peak) peak = m;
      if (first < 0) first = h;
      last = h;
    }
  }
  const sustained = hours >= settings.saturatedMinHours && hours >= (settings.saturatedMinSharePct / 100) * observed;
  return {
    hours,
    hoursObserved: observed,
    peakMeanPct: peak,
    firstAtMs: first < 0 ? null : startMs + first * 3_600_000,
    lastAtMs: last < 0 ? null : startMs + last * 3_600_000,
    sustained,
  };
}
