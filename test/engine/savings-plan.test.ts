import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { optimalSavingsPlan, savingsPlanCost } from '../../src/engine/savings-plan.js';

describe('Compute Savings Plan optimizer', () => {
  it('a case by hand: two families, the commitment covers the steady high-discount usage', () => {
    // m: $10/h on-demand every hour, 30 % off; c: $10/h in half the hours, 20 % off. 4 hours.
    const families = [
      { family: 'm', discount: 0.3, onDemandUsd: [10, 10, 10, 10] },
      { family: 'c', discount: 0.2, onDemandUsd: [10, 0, 10, 0] },
    ];
    // c = 7 (m's SP cost): every hour m is covered for 7 → cost 4 × 7 + 2 × 10 = 48 (vs 60 with no plan).
    expect(savingsPlanCost(families, 7)).toBeCloseTo(48, 10);
    // c = 15 (m + c): 4 × 15 = 60 and nothing uncovered, but two hours waste 8 → worse than 7.
    expect(savingsPlanCost(families, 15)).toBeCloseTo(60, 10);
    expect(optimalSavingsPlan(families)).toEqual({ commitUsdPerHour: 7, cost: 48 });
  });

  it('matches a brute-force scan of commitment levels on random demand', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ discount: fc.float({ min: Math.fround(0.05), max: Math.fround(0.7), noNaN: true }), onDemandUsd: fc.array(fc.float({ min: 0, max: 50, noNaN: true }), { minLength: 24, maxLength: 24 }) }), { minLength: 1, maxLength: 4 }),
        (raw) => {
          const families = raw.map((f, i) => ({ family: `f${i}`, ...f }));
          const { cost } = optimalSavingsPlan(families);
          const maxC = families.reduce((a, f) => a + 50 * (1 - f.discount), 0);
          let brute = Number.POSITIVE_INFINITY;
          for (let k = 0; k <= 2000; k++) brute = Math.min(brute, savingsPlanCost(families, (maxC * k) / 2000));
          expect(cost).toBeLessThanOrEqual(brute * (1 + 1e-4) + 1e-9);
        },
      ),
      { numRuns: process.env['CI'] ? 200 : 60 },
    );
  });
});
