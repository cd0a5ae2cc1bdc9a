import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import type { SnapshotMeta } from '../../src/domain/snapshot.js';
import { analyzeSnapshot } from '../../src/engine/analyze.js';
import { evaluatePolicies } from '../../src/engine/evaluate.js';
import { EngineSettingsSchema } from '../../src/engine/settings.js';
import { CANDIDATE_POLICIES, chooseAuto, foldsOf, type PolicyScore, PolicyScoreboard, validateInstance, withPolicy } from '../../src/engine/validation.js';
import { HOURS, instance, series, WINDOW_END_MS, WINDOW_START_MS } from './helpers.js';

const catalog = loadCatalog();
const folds = (days: number, over: object = {}) => foldsOf(days * 24, EngineSettingsSchema.parse(over));

describe('walk-forward folds', () => {
  it('train 7 days, test the next 7, latest first, stepping back a week', () => {
    expect(folds(14)).toEqual([{ trainFrom: 0, trainTo: 168, testFrom: 168, testTo: 336 }]);
    expect(folds(13)).toEqual([]);
    expect(folds(32)).toEqual([
      { trainFrom: 432, trainTo: 600, testFrom: 600, testTo: 768 },
      { trainFrom: 264, trainTo: 432, testFrom: 432, testTo: 600 },
      { trainFrom: 96, trainTo: 264, testFrom: 264, testTo: 432 },
    ]);
    expect(folds(93, { validationMaxFolds: 12 })).toHaveLength(12);
    expect(folds(32, { validationTrainDays: 14, validationStepDays: 1, validationMaxFolds: 2 })).toEqual([
      { trainFrom: 96, trainTo: 432, testFrom: 432, testTo: 600 },
      { trainFrom: 72, trainTo: 408, testFrom: 408, testTo: 576 },
    ].map((f) => ({ ...f, trainFrom: f.trainFrom + 168, trainTo: f.trainTo + 168, testFrom: f.testFrom + 168, testTo: f.testTo + 168 })));
  });
});

describe('validation of one instance', () => {
  const base = EngineSettingsSchema.parse({});
  const window = (week1: number, week2: number) => {
    const mean = Float32Array.from({ length: HOURS }, (_, h) => (h < 168 ? week1 : week2));
    return { mean, max: Float32Array.from(mean), from: 0, to: HOURS, startMs: WINDOW_START_MS };
  };

  it('sizes on the first week and measures the second (numbers by hand)', () => {
    const policies = [withPolicy(base, CANDIDATE_POLICIES[1]!), withPolicy(base, { id: 'p95', label: '', settings: { cpuSizing: 'percentile', cpuPercentile: 'p95', cpuHeadroomPct: 20 } })];
    const [risk, pct] = validateInstance({ cpu: window(30, 45), floorPct: 10, monthlyCostUsd: 100 }, base, policies, folds(14));
    // risk 0.1 %: steady 30 % → 30 / 0.9 = 33.3 %; p95 of maxima 30 / 0.8 = 37.5 %. The second week (45 %) is over both.
    expect(risk?.[0]).toMatchObject({ cpuCapacityPct: 33.333, shareOverPct: 100, hoursSustainedOver: 168, testHours: 168, upsized: false });
    expect(pct?.[0]).toMatchObject({ cpuCapacityPct: 37.5, shareOverPct: 100 });
    const [calm] = validateInstance({ cpu: window(30, 20), floorPct: 10, monthlyCostUsd: 100 }, base, policies.slice(0, 1), folds(14));
    expect(calm?.[0]).toMatchObject({ shareOverPct: 0, hoursSustainedOver: 0 });
  });

  it('a pegged first week is an upsize, sized so the pegged hours would run at 80 %', () => {
    const [r] = validateInstance({ cpu: window(99, 99), floorPct: 10, monthlyCostUsd: 100 }, base, [base], folds(14));
    expect(r?.[0]).toMatchObject({ cpuCapacityPct: 123.75, upsized: true, shareOverPct: 0 });
  });

  it('the scoreboard weighs savings by cost and time over capacity by test hours; auto takes the cheapest within budget', () => {
    const board = new PolicyScoreboard([{ id: 'a', label: 'a', settings: {} }, { id: 'b', label: 'b', settings: {} }]);
    const fold = (cap: number, over: number) => ({ trainStartMs: 0, testStartMs: 0, testEndMs: 0, cpuCapacityPct: cap, shareOverPct: over, hoursSustainedOver: 0, testHours: 100, upsized: cap > 100 });
    board.add([[fold(50, 0)], [fold(25, 1)]], 300);
    board.add([[fold(100, 0)], [fold(50, 0)]], 100);
    const scores = board.scores(0.25);
    // a: (300 × 0.5 + 100 × 0) / 400 = 37.5 % saved, 0 % over; b: (300 × 0.75 + 100 × 0.5) / 400 = 68.75 %, 0.5 % over.
    expect(scores.map((s) => [s.savingsPct, s.outOfSampleOverPct, s.withinBudget])).toEqual([[37.5, 0, true], [68.75, 0.5, false]]);
    expect(chooseAuto(scores)?.id).toBe('a');
    expect(chooseAuto(board.scores(1))?.id).toBe('b');
    const none: PolicyScore[] = scores.map((s) => ({ ...s, withinBudget: false }));
    expect(chooseAuto(none)?.id).toBe('a'); // none within: the least time over capacity
  });
});

describe('auto', () => {
  const meta: SnapshotMeta = { id: 'snap', source: 'import', startedAt: '2026-11-16T00:00:00Z', finishedAt: '2026-11-16T00:00:00Z', windowStartMs: WINDOW_START_MS, windowEndMs: WINDOW_END_MS, scopes: [], instanceCount: 12 };
  const ids = Array.from({ length: 12 }, (_, n) => `i-${n}`);
  const instances = ids.map((id, n) => instance({ id, type: 'm5.4xlarge', account: n < 6 ? '111111111111' : '222222222222' }));
  // Half grow in the second week (where only a wide margin holds), half are steady.
  const groups = ids.map((id, n) => ({ instanceId: id, series: [series(id, 'cpu', (h) => (n % 2 === 0 ? 20 : h < 168 ? 20 : 26) + (h % 5)), series(id, 'mem', 30)] }));

  it('picks per scope the policy the frontier names, and says so in every recommendation', async () => {
    const settings = EngineSettingsSchema.parse({ policy: 'auto', overrides: [{ match: { account: '222222222222' }, settings: { fleetRiskBudgetPct: 20 } }] });
    const evaluation = await evaluatePolicies({ meta, instances, seriesByInstance: groups, catalog, settings });
    expect(evaluation.scopes.map((s) => [s.scope, s.instances, s.folds])).toEqual([['fleet', 6, 6], ['overrides:0', 6, 6]]);
    for (const scope of evaluation.scopes) {
      const within = scope.scores.filter((s) => s.withinBudget).sort((a, b) => b.savingsPct - a.savingsPct);
      expect(scope.chosen).toBe(within[0]?.id ?? [...scope.scores].sort((a, b) => a.outOfSampleOverPct - b.outOfSampleOverPct)[0]?.id);
    }
    const results = await analyzeSnapshot({ meta, instances, seriesByInstance: () => groups, catalog, settings, nowMs: WINDOW_END_MS });
    expect(results.policyEvaluation).toEqual(evaluation);
    for (const r of results.recommendations) {
      const scope = r.account === '111111111111' ? 'fleet' : 'overrides:0';
      expect((r.evidence['settings'] as { policy?: string }).policy).toBe(evaluation.scopes.find((s) => s.scope === scope)?.chosen);
    }
    // A one-shot iterable is buffered, with the same result.
    const once = await analyzeSnapshot({ meta, instances, seriesByInstance: (function* () { yield* groups; })(), catalog, settings, nowMs: WINDOW_END_MS });
    expect(JSON.stringify(once.recommendations)).toBe(JSON.stringify(results.recommendations));
  });
});

describe('upper quantile', () => {
  it('equals the sorted-digest quantile for the top ranks, with gaps', async () => {
    const fc = (await import('fast-check')).default;
    const { upperQuantile } = await import('../../src/engine/validation.js');
    const { digestOf, quantile } = await import('../../src/engine/summary.js');
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.float({ min: 0, max: 100, noNaN: true }), fc.constant(Number.NaN), fc.constantFrom(5, 5, 5)), { minLength: 1, maxLength: 400 }), fc.constantFrom(0.99, 0.995, 1, 0.95, 0.5), (vals, q) => {
        const a = Float32Array.from(vals);
        const want = quantile(digestOf(a), q);
        const got = upperQuantile(a, 0, a.length, q);
        expect(Number.isNaN(want) ? Number.isNaN(got) : Math.abs(got - want) < 1e-9).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
