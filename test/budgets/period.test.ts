import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoWeekLabel, isoWeekStartMs, periodBounds } from '../../src/budgets/period.js';

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

  it('ISO weeks and quarters in a time zone start at local midnight on Monday / the quarter\'s first day', () => {
    // Sunday 2026-11-22 20:00 in New York (EST, UTC−5) is Monday 01:00 UTC: still ISO week 47 in New York.
    const ny = periodBounds('week', Date.UTC(2026, 10, 23, 1), 'America/New_York');
    expect(ny).toEqual({ startMs: Date.UTC(2026, 10, 16, 5), endMs: Date.UTC(2026, 10, 23, 5), label: '2026-W47' });
    // Tokyo (UTC+9) is already in Q1 2027 at 2026-12-31T15:00Z.
    expect(periodBounds('quarter', Date.UTC(2026, 11, 31, 15), 'Asia/Tokyo')).toEqual({ startMs: Date.UTC(2026, 11, 31, 15), endMs: Date.UTC(2027, 2, 31, 15), label: '2027-Q1' });
    // A week that spans the spring-forward change in Berlin is 167 hours long.
    const dst = periodBounds('week', Date.UTC(2027, 2, 27, 12), 'Europe/Berlin');
    expect((dst.endMs - dst.startMs) / 3_600_000).toBe(167);
  });

  it('leap days: February 2028 has 29 days, 2100 is not a leap year', () => {
    const feb2028 = periodBounds('month', Date.UTC(2028, 1, 10), 'UTC');
    expect((feb2028.endMs - feb2028.startMs) / 86_400_000).toBe(29);
    const feb2100 = periodBounds('month', Date.UTC(2100, 1, 10), 'UTC');
    expect((feb2100.endMs - feb2100.startMs) / 86_400_000).toBe(28);
    expect(periodBounds('quarter', Date.UTC(2028, 1, 29, 12), 'UTC')).toMatchObject({ startMs: Date.UTC(2028, 0, 1), endMs: Date.UTC(2028, 3, 1), label: '2028-Q1' });
  });

  it('parses ISO week labels back to their Monday and rejects weeks a year lacks', () => {
    expect(isoWeekStartMs('2026-W47')).toBe(Date.UTC(2026, 10, 16));
    expect(isoWeekStartMs('2020-W01')).toBe(Date.UTC(2019, 11, 30)); // week 1 holds January 4th
    expect(isoWeekStartMs('2026-W53')).toBe(Date.UTC(2026, 11, 28));
    expect(() => isoWeekStartMs('2027-W53')).toThrow('2027 has no week 53');
    expect(() => isoWeekStartMs('2026-47')).toThrow('expected the form');
  });

  it('property: every instant lies in its period, periods tile time, and labels round-trip', () => {
    const zones = ['UTC', 'Europe/Berlin', 'America/Los_Angeles', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Chatham'];
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) }), fc.constantFrom(...zones), fc.constantFrom('month' as const, 'quarter' as const, 'week' as const), (nowMs, tz, period) => {
        const p = periodBounds(period, nowMs, tz);
        expect(p.startMs).toBeLessThanOrEqual(nowMs);
        expect(nowMs).toBeLessThan(p.endMs);
        expect(periodBounds(period, p.startMs, tz)).toEqual(p); // the start belongs to the same period
        expect(periodBounds(period, p.endMs, tz).startMs).toBe(p.endMs); // the next period starts where this ends
        expect(periodBounds(period, p.startMs - 1, tz).endMs).toBe(p.startMs); // and the previous one ends here
        if (period === 'week' && tz === 'UTC') expect(isoWeekStartMs(p.label)).toBe(p.startMs);
      }),
      { numRuns: 400 },
    );
  });
});
