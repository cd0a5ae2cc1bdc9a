import { describe, expect, it } from 'vitest';
import { isoWeekLabel, periodBounds } from '../../src/budgets/period.js';

describe('budget periods (date-fns)', () => {
  it('months end where the next begins, including February in a leap year', () => {
    expect(periodBounds('month', Date.UTC(2028, 1, 29, 23, 59), 'UTC')).toEqual({ startMs: Date.UTC(2028, 1, 1), endMs: Date.UTC(2028, 2, 1), label: '2028-02' });
    expect(periodBounds('month', Date.UTC(2026, 11, 31, 23, 59, 59), 'UTC')).toEqual({ startMs: Date.UTC(2026, 11, 1), endMs: Date.UTC(2027, 0, 1), label: '2026-12' });
    expect(periodBounds('month', Date.UTC(2027, 0, 1, 0, 0), 'UTC').label).toBe('2027-01');
  });

  it('quarters', () => {
    expect(periodBounds('quarter', Date.UTC(2026, 10, 22), 'UTC')).toEqual({ startMs: Date.UTC(2026, 9, 1), endMs: Date.UTC(2027, 0, 1), label: '2026-Q4' });
    expect(periodBounds('quarter', Date.UTC(2026, 2, 31, 23), 'UTC').label).toBe('2026-Q1');
  });

  it('ISO weeks, including the week that belongs to the previous ISO year', () => {
    // 2027-01-01 is a Friday: ISO week 53 of 2026, which started Monday 2026-12-28.
    expect(periodBounds('week', Date.UTC(2027, 0, 1, 12), 'UTC')).toEqual({ startMs: Date.UTC(2026, 11, 28), endMs: Date.UTC(2027, 0, 4), label: '2026-W53' });
    expect(isoWeekLabel(Date.UTC(2026, 10, 22, 12))).toBe('2026-W47');
    expect(isoWeekLabel(Date.UTC(2026, 10, 23, 0))).toBe('2026-W48');
  });

  it('time zones: a month starts at local midnight', () => {
    // 2026-11-30T23:30Z is already December 1st in Berlin (UTC+1).
    const berlin = periodBounds('month', Date.UTC(2026, 10, 30, 23, 30), 'Europe/Berlin');
    expect(berlin.label).toBe('2026-12');
    expect(berlin.startMs).toBe(Date.UTC(2026, 10, 30, 23, 0));
    // Los Angeles changes from PDT to PST inside November: the month is 30 days and 1 hour long.
    const la = periodBounds('month', Date.UTC(2026, 10, 15), 'America/Los_Angeles');
    expect(la.startMs).toBe(Date.UTC(2026, 10, 1, 7));
    expect(la.endMs).toBe(Date.UTC(2026, 11, 1, 8));
  });
});
