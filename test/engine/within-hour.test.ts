import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exceedanceAt, exceedanceCurve, hourExceedance, requiredCapacityPct } from '../../src/engine/within-hour.js';

const MODEL = { peakToMean: 2, peakFloorPct: 2 };
const RUNS = process.env['CI'] ? 300 : 100;

describe('one hour', () => {
  it('a spike in the maximum is believed only up to 2 × mean + 2 (numbers by hand)', () => {
    // mean 10, max 100: U = min(100, 2 × 10 + 2) = 22 > 2 × mean, so idle part of the hour and uniform on [0, 22]:
    // share over c = 2 × 10 × (22 − c) / 22².
    expect(hourExceedance(10, 100, 11, MODEL)).toBeCloseTo((20 * 11) / 484, 12);
    expect(hourExceedance(10, 100, 0, MODEL)).toBeCloseTo(20 / 22, 12);
    expect(hourExceedance(10, 100, 22, MODEL)).toBe(0);
    expect(hourExceedance(10, 100, 50, MODEL)).toBe(0);
  });

  it('a busy hour spreads evenly around its mean up to its maximum', () => {
    // mean 30, max 40: U = min(62, 40) = 40 ≤ 60, uniform on [20, 40]: share over c = (40 − c) / 20.
    expect(hourExceedance(30, 40, 30, MODEL)).toBeCloseTo(0.5, 12);
    expect(hourExceedance(30, 40, 35, MODEL)).toBeCloseTo(0.25, 12);
    expect(hourExceedance(30, 40, 15, MODEL)).toBe(1);
    expect(hourExceedance(30, 40, 40, MODEL)).toBe(0);
  });

  it('a steady hour (max = mean) is a step at its mean; a missing maximum uses the model alone', () => {
    expect(hourExceedance(50, 50, 49.9, MODEL)).toBe(1);
    expect(hourExceedance(50, 50, 50, MODEL)).toBe(0);
    expect(hourExceedance(10, Number.NaN, 21.9, MODEL)).toBeGreaterThan(0);
    expect(hourExceedance(10, Number.NaN, 22, MODEL)).toBe(0);
  });

  it('keeps the hour\'s mean: the integral of the share over capacity is the mean', () => {
    fc.assert(
      fc.property(fc.float({ min: 0, max: 100, noNaN: true }), fc.float({ min: 0, max: 100, noNaN: true }), (mean, extra) => {
        const max = Math.min(100, mean + extra);
        let integral = 0;
        const step = 0.01;
        for (let c = step / 2; c < 250; c += step) integral += hourExceedance(mean, max, c, MODEL) * step;
        expect(integral).toBeCloseTo(mean, 1);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('curve over many hours', () => {
  const arbHours = fc.array(
    fc.record({ mean: fc.oneof(fc.float({ min: 0, max: 100, noNaN: true }), fc.constant(Number.NaN)), extra: fc.float({ min: 0, max: 100, noNaN: true }) }),
    { minLength: 1, maxLength: 400 },
  );

  it('the one-pass curve equals the hour-by-hour share at every grid point', () => {
    fc.assert(
      fc.property(arbHours, (hours) => {
        const mean = Float32Array.from(hours.map((h) => h.mean));
        const max = Float32Array.from(hours.map((h) => (Number.isNaN(h.mean) ? Number.NaN : Math.min(100, h.mean + h.extra))));
        const curve = exceedanceCurve(mean, max, 0, hours.length, MODEL);
        for (let g = 0; g < curve.share.length; g += 7) {
          expect(curve.share[g]).toBeCloseTo(exceedanceAt(mean, max, 0, hours.length, g * curve.stepPct, MODEL), 7);
        }
        // Non-increasing, so the budget search may bisect it.
        for (let g = 1; g < curve.share.length; g++) expect(curve.share[g] as number).toBeLessThanOrEqual(curve.share[g - 1] as number);
      }),
      { numRuns: RUNS },
    );
  });

  it('the required capacity is the first grid point within the budget', () => {
    // 300 steady hours at 20 % and 36 at 60 %: 10.7 % of the time at 60 %. A 5 % budget needs 60 %; a 20 % budget, 20 %.
    const mean = Float32Array.from({ length: 336 }, (_, h) => (h < 300 ? 20 : 60));
    const max = Float32Array.from(mean);
    const curve = exceedanceCurve(mean, max, 0, 336, MODEL);
    expect(requiredCapacityPct(curve, 0.05)).toBe(60);
    expect(requiredCapacityPct(curve, 0.2)).toBe(20);
    expect(requiredCapacityPct(curve, 1)).toBe(0);
    // Only the window's hours count.
    expect(requiredCapacityPct(exceedanceCurve(mean, max, 0, 300, MODEL), 0)).toBe(20);
  });
});

describe('curve with a bound on the peaks', () => {
  it('one pass with a valid bound gives the same curve as two passes read on the same grid', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ mean: fc.float({ min: 0, max: 100, noNaN: true }), extra: fc.float({ min: 0, max: 100, noNaN: true }), noMax: fc.boolean() }), { minLength: 1, maxLength: 300 }), (hours) => {
        const mean = Float32Array.from(hours.map((h) => h.mean));
        const max = Float32Array.from(hours.map((h) => (h.noMax ? Number.NaN : Math.min(100, h.mean + h.extra))));
        const plain = exceedanceCurve(mean, max, 0, hours.length, MODEL);
        // A bound above every hour's peak: same shares at every capacity the two grids share.
        const bounded = exceedanceCurve(mean, max, 0, hours.length, MODEL, 400);
        for (let g = 0; g < bounded.share.length; g++) {
          const cap = g * bounded.stepPct;
          expect(bounded.share[g]).toBeCloseTo(exceedanceAt(mean, max, 0, hours.length, cap, MODEL), 7);
        }
        // A bound some hour exceeds (here: 1 %) falls back to the exact two-pass curve.
        const peaks = hours.map((h, i) => Math.max(h.mean, Math.min(Number.isNaN(max[i] as number) ? Infinity : (max[i] as number), h.mean * MODEL.peakToMean + MODEL.peakFloorPct)));
        if (peaks.some((u) => u > 1)) expect(Array.from(exceedanceCurve(mean, max, 0, hours.length, MODEL, 1).share)).toEqual(Array.from(plain.share));
      }),
      { numRuns: RUNS },
    );
  });
});
