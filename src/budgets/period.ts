import { TZDate } from '@date-fns/tz';
import { addMonths, addQuarters, addWeeks, getISOWeek, getISOWeekYear, startOfISOWeek, startOfMonth, startOfQuarter } from 'date-fns';

export type BudgetPeriod = 'month' | 'quarter' | 'week';

/**
 * The budget period containing `nowMs`, in the budget's time zone: [startMs, endMs) plus a stable label
 * (`2026-11`, `2026-Q4`, `2026-W47`) used in alert keys so each threshold fires once per period.
 */
export function periodBounds(period: BudgetPeriod, nowMs: number, timeZone = 'UTC'): { startMs: number; endMs: number; label: string } {
  const now = new TZDate(nowMs, timeZone);
  if (period === 'week') {
    const start = startOfISOWeek(now);
    return { startMs: start.getTime(), endMs: addWeeks(start, 1).getTime(), label: `${getISOWeekYear(now)}-W${String(getISOWeek(now)).padStart(2, '0')}` };
  }
  if (period === 'quarter') {
    const start = startOfQuarter(now);
    return { startMs: start.getTime(), endMs: addQuarters(start, 1).getTime(), label: `${start.getFullYear()}-Q${Math.floor(start.getMonth() / 3) + 1}` };
  }
  const start = startOfMonth(now);
  return { startMs: start.getTime(), endMs: addMonths(start, 1).getTime(), label: `${start.getFullYear()}-${String(start.getMonth() + 1).padStart(2, '0')}` };
}

/** ISO week label (`2026-W47`) of an instant in UTC: the weekly report's key. */
export function isoWeekLabel(nowMs: number): string {
  return periodBounds('week', nowMs, 'UTC').label;
}

/**
 * Start (Monday 00:00 UTC) of an ISO week label such as `2026-W47`. Rejects weeks the year does not have
 * (W53 exists only in long ISO years) instead of rolling over into the next year.
 */
export function isoWeekStartMs(label: string): number {
  const m = /^(\d{4})-W(\d{2})$/.exec(label);
  if (!m) throw new Error(`ISO week ${JSON.stringify(label)}: expected the form 2026-W47`);
  // ISO week 1 is the week with January 4th in it (ISO 8601).
  const start = addWeeks(startOfISOWeek(new TZDate(Number(m[1]), 0, 4, 'UTC')), Number(m[2]) - 1);
  if (Number(m[2]) < 1 || isoWeekLabel(start.getTime()) !== label) throw new Error(`ISO week ${label}: ${m[1]} has no week ${m[2]}`);
  return start.getTime();
}
