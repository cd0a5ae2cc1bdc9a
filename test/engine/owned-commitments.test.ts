import { describe, expect, it } from 'vitest';
import { planPool } from '../../src/engine/purchase-mix.js';
import { poolWithDemand } from './helpers.js';
import { EngineSettingsSchema } from '../../src/engine/settings.js';

const settings = EngineSettingsSchema.parse({});
const TERM = { kind: 'ri' as const, termYears: 3 as const, payment: 'all-upfront' as const };

/** Four hours of on-demand demand 2, 2, 1, 0 USD/h (today and after right-sizing); RI at 40 % of on-demand. */
function pool() {
  const p = poolWithDemand([2, 2, 1, 0]);
  p.rates.set('ri|3|all-upfront', { term: TERM, commitUsd: 0.4 * 5, onDemandUsd: 5 });
  return p;
}

describe('purchase plans with owned reservations', () => {
  it('covers demand with owned reservations first, sizes new ones on the rest, and counts them in today’s cost', () => {
    // Owned: $1/h of on-demand capacity, costing $0.60/h whatever happens.
    const plan = planPool(pool(), 's', settings, { ids: ['ri-1'], count: 2, onDemandUsdPerHour: 1, commitUsdPerHour: 0.6 });
    // By hand: residual demand 1, 1, 0, 0. A new level of 1 costs 0.4 × 4 = 1.6 against 2.0 on-demand: buy it.
    expect(plan.commitments).toHaveLength(1);
    expect(plan.commitments[0]!.quantity).toBe(1);
    expect(plan.commitments[0]!.utilization).toBe(0.5); // used 2 of its 4 hours
    // Recommended: owned 0.6 × 4 + new 1.6 = 4.0 per 4 h; today: owned 2.4 + uncovered (1 + 1 + 0 + 0) = 4.4 per 4 h.
    expect(plan.monthlyCostRecommendedUsd).toBe(Math.round((4.0 / 4) * 730 * 100) / 100);
    expect(plan.monthlyCostCurrentUsd).toBe(Math.round((4.4 / 4) * 730 * 100) / 100);
    expect(plan.monthlySavingsUsd).toBe(Math.round(((4.4 - 4.0) / 4) * 730 * 100) / 100);
    // Owned capacity ($1/h) is used min(demand, 1) each hour: 1 + 1 + 1 + 0 = 3 of 4 hours.
    expect(plan.evidence['owned']).toMatchObject({ reservations: ['ri-1'], count: 2, utilizationAfterRightsizing: 0.75, monthlyCostUsd: 438 });
    expect((plan.evidence['notes'] as string[]).some((n) => n.includes('75% used after right-sizing'))).toBe(true);
  });

  it('changes nothing when nothing is owned', () => {
    expect(planPool(pool(), 's', settings, undefined)).toEqual(planPool(pool(), 's', settings));
    const owningNothing = planPool(pool(), 's', settings, { ids: [], count: 0, onDemandUsdPerHour: 0, commitUsdPerHour: 0 });
    const plain = planPool(pool(), 's', settings);
    expect({ ...owningNothing, evidence: {} }).toEqual({ ...plain, evidence: {} });
  });

  it('buys nothing new when owned reservations already cover the peak, and says how much of them idles', () => {
    const plan = planPool(pool(), 's', settings, { ids: ['ri-1', 'ri-2'], count: 4, onDemandUsdPerHour: 3, commitUsdPerHour: 1.2 });
    expect(plan.commitments).toEqual([]);
    // Used 2 + 2 + 1 + 0 = 5 of 3 × 4 = 12 owned hours.
    expect((plan.evidence['owned'] as { utilizationAfterRightsizing: number }).utilizationAfterRightsizing).toBe(Math.round((5 / 12) * 1000) / 1000);
    expect(plan.monthlyCostRecommendedUsd).toBe(Math.round(((1.2 * 4) / 4) * 730 * 100) / 100);
  });
});
