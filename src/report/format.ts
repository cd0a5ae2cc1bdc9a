/** `$1,234` and `-$171`: whole dollars, the sign before the currency symbol. */
export const usd = (x: number): string => `${Math.round(x) < 0 ? '-' : ''}$${Math.abs(Math.round(x)).toLocaleString('en-US')}`;

/** A change in dollars with its sign always shown: `+$815`, `-$171`, `$0`. */
export const signedUsd = (x: number): string => (Math.round(x) > 0 ? `+${usd(x)}` : usd(x));

/** A percentage change with its sign, or `n/a` when there is nothing to compare with. */
export const signedPct = (x: number | null): string => (x === null ? 'n/a' : `${x > 0 ? '+' : ''}${x}%`);

/** `2026-11-16 → 2026-11-23`: a window's first and last day (an ISO timestamp's date part, UTC). */
export const dayRange = (startIso: string, endIso: string): string => `${startIso.slice(0, 10)} → ${endIso.slice(0, 10)}`;

/** Days as a label: `7 days`, `6.3 days`, `1 day`. */
export const daysLabel = (days: number): string => `${Number.isInteger(days) ? days : days.toFixed(1)} day${days === 1 ? '' : 's'}`;

/** The sentence that says the chart's last day is partial, or nothing when every day is whole. */
export function partialDayNote(daily: { day: string; partial?: { hours: number } }[]): string {
  const p = daily.find((d) => d.partial !== undefined);
  return p?.partial ? `${p.day} is still running: its point is the spend of its first ${p.partial.hours} of 24 hours, drawn hollow and off the line, not a drop in spend.` : '';
}
