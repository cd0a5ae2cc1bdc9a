import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import type { SnapshotMeta } from '../../src/domain/snapshot.js';
import { analyzeSnapshot } from '../../src/engine/analyze.js';
import { commitmentCost, optimalCommitment, planPool, newPool } from '../../src/engine/purchase-mix.js';
import { rightsizeInstance } from '../../src/engine/rightsize.js';
import { defaultEngineSettings } from '../../src/engine/settings.js';
import { digestOf, mergeDigests, quantile } from '../../src/engine/summary.js';
import { HOURS, instance, series, WINDOW_END_MS, WINDOW_START_MS } from './helpers.js';

const catalog = loadCatalog();
const settings = defaultEngineSettings();
const RUNS = process.env['CI'] ? 300 : 100;

describe('summaries', () => {
  it('quantile matches a by-hand linear interpolation', () => {
    const d = digestOf([10, 40, 20, 30, Number.NaN, 50]);
    // sorted 10 20 30 40 50; p95 rank = 0.95 × 4 = 3.8 → 40 + 0.8 × 10 = 48
    expect(quantile(d, 0.95)).toBeCloseTo(48, 10);
    expect(quantile(d, 0.5)).toBe(30);
    expect(d.sorted.length).toBe(5);
  });

  it('merging daily digests equals the digest of the whole window (exact)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.float({ min: 0, max: 100, noNaN: true }), { maxLength: 24 }), { minLength: 1, maxLength: 14 }), (days) => {
        const merged = days.map(digestOf).reduce(mergeDigests);
        const whole = digestOf(days.flat());
        expect(Array.from(merged.sorted)).toEqual(Array.from(whole.sorted));
        for (const q of [0.5, 0.9, 0.95, 0.99]) {
          const a = quantile(merged, q);
          const b = quantile(whole, q);
          expect(Number.isNaN(a) ? Number.isNaN(b) : a === b).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe('commitment optimizer', () => {
  it('a known optimum: 60 h at $10 and 40 h at $2 per hour', () => {
    const demand = [...Array<number>(60).fill(10), ...Array<number>(40).fill(2)];
    // ratio 0.5: the ⌈100 × 0.5⌉ = 50th smallest value is 10 → cost 100 × 0.5 × 10 = 500 (vs 580 at 2, 680 at 0)
    expect(optimalCommitment(demand, 0.5)).toEqual({ level: 10, cost: 500 });
    expect(commitmentCost(demand, 0.5, 2)).toBe(580);
    // ratio 0.7: the 30th smallest is 2 → cost 100 × 0.7 × 2 + 60 × 8 = 620 (vs 700 at 10)
    expect(optimalCommitment(demand, 0.7)).toEqual({ level: 2, cost: 620 });
  });

  it('matches brute force over every level within 0.01 % on random demand', () => {
    fc.assert(
      fc.property(
        fc.array(fc.float({ min: 0, max: 1000, noNaN: true }), { minLength: 1, maxLength: 200 }),
        fc.float({ min: Math.fround(0.05), max: Math.fround(0.95), noNaN: true }),
        (demand, ratio) => {
          const { cost } = optimalCommitment(demand, ratio);
          // Brute force: the optimum of a convex piecewise-linear function lies on a breakpoint (0 or a demand value).
          let best = commitmentCost(demand, ratio, 0);
          for (const level of demand) best = Math.min(best, commitmentCost(demand, ratio, level));
          expect(cost).toBeLessThanOrEqual(best * (1 + 1e-4) + 1e-9);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('plans a pool: commitment at the quantile, utilization and coverage reported, never worse than no commitment', () => {
    const pool = newPool('aws:ri:eu-west-1:m5', 'aws', 'eu-west-1', 'm5', 100);
    for (let h = 0; h < 100; h++) {
      const d = h < 60 ? 10 : 2;
      pool.committable[h] = d;
      pool.current[h] = d;
      pool.allOnDemand[h] = d;
    }
    pool.rates.set('ri|3|all-upfront', { term: { kind: 'ri', termYears: 3, payment: 'all-upfront' }, commitUsd: 50, onDemandUsd: 100 });
    const plan = planPool(pool, 's', settings);
    expect(plan.commitments).toHaveLength(1);
    expect(plan.commitments[0]).toMatchObject({ quantity: 10, hourlyCommitmentUsd: 5 });
    // Covered on-demand value = 60 × 10 + 40 × 2 = 680 of 680 demand; utilization 680 / (10 × 100).
    expect(plan.commitments[0]?.coverage).toBeCloseTo(1, 10);
    expect(plan.commitments[0]?.utilization).toBeCloseTo(0.68, 10);
    // Monthly: 500 over 100 h → 3,650 at 730 h/month; current 680 → 4,964.
    expect(plan.monthlyCostRecommendedUsd).toBeCloseTo(3650, 2);
    expect(plan.monthlyCostCurrentUsd).toBeCloseTo(4964, 2);
    expect(plan.breakEvenMonth).not.toBeNull();
  });
});

const TYPES = ['m5.large', 'm5.xlarge', 'm5.2xlarge', 'm5.4xlarge', 'c5.2xlarge', 'r5.xlarge', 'm4.2xlarge', 'g4dn.xlarge', 'g5.2xlarge', 'p3.2xlarge'];

describe('right-sizing properties', () => {
  const arbCase = fc.record({
    type: fc.constantFrom(...TYPES),
    cpu: fc.array(fc.float({ min: 0, max: 100, noNaN: true }), { minLength: HOURS, maxLength: HOURS }),
    memPct: fc.option(fc.float({ min: 1, max: 100, noNaN: true }), { nil: undefined }),
    gpuPct: fc.float({ min: 0, max: 100, noNaN: true }),
    gpuMemFraction: fc.float({ min: 0, max: 1, noNaN: true }),
    spot: fc.boolean(),
    /** Scales the CPU series so most cases are not saturated. */
    scale: fc.float({ min: Math.fround(0.02), max: 1, noNaN: true }),
  });

  it('the recommended type always fits the stated demand, and downsizes never cost more', () => {
    const checked = { cases: 0, shrinks: 0 };
    fc.assert(
      fc.property(arbCase, (c) => {
        checked.cases++;
        const id = 'i-prop';
        const t = catalog.type('aws', c.type);
        if (!t) throw new Error(c.type);
        const s = [series(id, 'cpu', (h) => (c.cpu[h] as number) * c.scale)];
        if (c.memPct !== undefined) s.push(series(id, 'mem', c.memPct));
        if (t.gpu) s.push(series(id, 'gpu', c.gpuPct), series(id, 'gpuMem', c.gpuMemFraction * t.gpu.memoryGiBPerGpu * 1024));
        const r = rightsizeInstance({ snapshotId: 's', instance: instance({ id, type: c.type, lifecycle: c.spot ? 'spot' : 'on-demand' }), series: s, catalog, settings, windowStartMs: WINDOW_START_MS, windowEndMs: WINDOW_END_MS });
        if (r.outcome !== 'recommendation' || !r.afterType) return;
        const rec = r.recommendation;
        const after = r.afterType;
        if (rec.kind !== 'upsize') checked.shrinks++;
        const demand = rec.evidence['demand'] as { cpuBaselineVcpu: number; cpuTargetUtilPct: number; memoryGiB: number; gpuA100Equivalents?: number; gpuMemoryGiBPerGpu?: number };
        const perfEqual = t.cpuPerfRel === undefined;
        const cap = after.vcpu * (perfEqual ? 1 : (after.cpuPerfRel ?? 1)) * (demand.cpuTargetUtilPct / 100);
        if (rec.kind !== 'upsize') {
          expect(cap + 0.01).toBeGreaterThanOrEqual(demand.cpuBaselineVcpu);
          expect(after.memoryGiB + 0.01).toBeGreaterThanOrEqual(demand.memoryGiB);
          if (c.memPct === undefined) expect(after.memoryGiB).toBeGreaterThanOrEqual(t.memoryGiB);
          if (demand.gpuA100Equivalents && demand.gpuA100Equivalents > 0) {
            const rel = catalog.gpuModel(after.gpu?.model ?? '')?.relThroughput ?? 0;
            expect((after.gpu?.count ?? 0) * rel * 0.8 + 1e-6).toBeGreaterThanOrEqual(demand.gpuA100Equivalents);
            expect((after.gpu?.memoryGiBPerGpu ?? 0) + 0.01).toBeGreaterThanOrEqual(demand.gpuMemoryGiBPerGpu ?? 0);
          }
          expect(rec.monthlyCostAfter.onDemandUsd).toBeLessThanOrEqual(rec.monthlyCostNow.onDemandUsd);
        }
        expect(after.arch).toBe(t.arch);
        // Evidence survives a JSON round trip unchanged: no undefined at any depth (stores marshal it as is).
        expect(JSON.parse(JSON.stringify(rec.evidence))).toStrictEqual(rec.evidence);
        expect(rec.risk).toBeGreaterThanOrEqual(0);
        expect(rec.risk).toBeLessThanOrEqual(4);
        expect(rec.backtest.hoursSaturated).toBeLessThanOrEqual(rec.backtest.hoursAboveTarget);
        // No upsize without sustained saturation, and the evidence names the pegged hours.
        if (rec.kind === 'upsize') {
          const sizing = rec.evidence['sizing'] as { saturation: { sustained: boolean; hours: number } };
          const memSat = (rec.evidence['sizing'] as { memorySaturation?: unknown }).memorySaturation;
          expect(sizing.saturation.sustained || memSat !== undefined).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
    // The property must have exercised real shrinks, not only skips and upsizes.
    expect(checked.shrinks).toBeGreaterThan(checked.cases / 4);
  });

  it('results do not depend on input order', async () => {
    const ids = Array.from({ length: 24 }, (_, n) => `i-${String(n).padStart(3, '0')}`);
    const instances = ids.map((id, n) => instance({ id, type: TYPES[n % TYPES.length] as string, region: n % 3 === 0 ? 'eu-west-1' : 'us-east-1', tags: n % 5 === 0 ? { 'rightsize:interruptible': 'true' } : {} }));
    const groups = ids.map((id, n) => ({ instanceId: id, series: [series(id, 'cpu', (h) => ((h * (n + 3)) % 97) * (n % 4 === 0 ? 0.05 : 0.6)), series(id, 'mem', 20 + n)] }));
    const meta: SnapshotMeta = { id: 'snap', source: 'demo', startedAt: '2026-11-16T00:00:00Z', finishedAt: '2026-11-16T00:00:00Z', windowStartMs: WINDOW_START_MS, windowEndMs: WINDOW_END_MS, scopes: [], instanceCount: ids.length };
    const a = await analyzeSnapshot({ meta, instances, seriesByInstance: groups, catalog, settings, nowMs: WINDOW_END_MS });
    const b = await analyzeSnapshot({ meta, instances: [...instances].reverse(), seriesByInstance: [...groups].reverse(), catalog, settings, nowMs: WINDOW_END_MS });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(a.recommendations.length + a.skips.length).toBe(ids.length);
    expect(a.plans.length).toBeGreaterThan(0);
  });
});

describe('fast summary', () => {
  it('summarize equals the fully sorted digest on random series with gaps', async () => {
    const { summarize, summaryFromDigest, windowValues } = await import('../../src/engine/summary.js');
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.float({ min: 0, max: 100, noNaN: true }),
            fc.constant(Number.NaN),
            // Many equal values (an idle box), far outliers (GPU memory in MiB) and infinities stress the buckets.
            fc.constantFrom(0, 2.5, 2.5, 2.5, 100),
            fc.float({ min: 0, max: 90_000, noNaN: true }),
            fc.constantFrom(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
          ),
          { minLength: 1, maxLength: 400 },
        ),
        (vals) => {
        const s = { instanceId: 'x', metric: 'cpu' as const, startMs: 0, max: Float32Array.from(vals), mean: Float32Array.from(vals) };
        const fast = summarize(s, 0, vals.length * 3_600_000);
        const { values, coverage } = windowValues(s, 0, vals.length * 3_600_000);
        const slow = summaryFromDigest('x', 'cpu', digestOf(values), coverage);
        for (const k of ['p50', 'p90', 'p95', 'p99', 'max', 'mean'] as const) {
          expect(Number.isNaN(fast[k]) ? Number.isNaN(slow[k]) : fast[k] === slow[k] || Math.abs(fast[k] - slow[k]) < 1e-9, `${k}: ${fast[k]} vs ${slow[k]}`).toBe(true);
        }
      }),
      { numRuns: RUNS * 20 }, // cheap, and rank placement has rare paths (a rank second in its bucket)
    );
  });
});
