import { expect, it } from 'vitest';
import { renderSummary } from '../../src/cli/summary.js';
import { planPool } from '../../src/engine/purchase-mix.js';
import { poolWithDemand } from '../engine/helpers.js';
import { EngineSettingsSchema } from '../../src/engine/settings.js';
import { makeSnapshot } from '../helpers/fixtures-snapshot.js';

it('names owned reservations that right-sizing would leave idle, with the idle cost', () => {
  const pool = poolWithDemand([1, 1, 1, 1]);
  // $2/h of reservations for $1/h of demand after right-sizing: half of them idle; they cost $1.20/h.
  const plan = planPool(pool, 's1', EngineSettingsSchema.parse({}), { ids: ['ri-1'], count: 4, onDemandUsdPerHour: 2, commitUsdPerHour: 1.2 });
  const { instances, ...meta } = makeSnapshot('s1', Date.UTC(2026, 10, 27), 2);
  const text = renderSummary({ meta, instances, monthlyCostUsdByInstance: new Map(), recommendations: [], skips: [], plans: [plan] });
  // Idle share 50 % of 1.20 × 730 = $876 → $438 a month.
  expect(text.replace(/\s+/g, ' ')).toMatch(/Owned commitments \(reservations, and savings plans and CUDs from the bill\) right-sizing would leave partly idle: aws:ri:us-east-1:m5 4 owned, 50(\.0)?% used, \$438\/month idle/);
  // Nothing owned, nothing said.
  const plain = renderSummary({ meta, instances, monthlyCostUsdByInstance: new Map(), recommendations: [], skips: [], plans: [planPool(pool, 's1', EngineSettingsSchema.parse({}))] });
  expect(plain).not.toContain('Owned commitments');
});
