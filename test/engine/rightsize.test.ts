import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import type { Recommendation } from '../../src/domain/recommendation.js';
import type { UtilizationSeries } from '../../src/domain/utilization.js';
import type { Instance } from '../../src/domain/instance.js';
import { rightsizeInstance } from '../../src/engine/rightsize.js';
import { defaultEngineSettings } from '../../src/engine/settings.js';
import { instance, series, WINDOW_END_MS, WINDOW_START_MS } from './helpers.js';

const catalog = loadCatalog();
const settings = defaultEngineSettings();

function run(i: Instance, s: UtilizationSeries[]) {
  return rightsizeInstance({ snapshotId: 'snap', instance: i, series: s, catalog, settings, windowStartMs: WINDOW_START_MS, windowEndMs: WINDOW_END_MS });
}
function rec(i: Instance, s: UtilizationSeries[]): Recommendation {
  const r = run(i, s);
  if (r.outcome !== 'recommendation') throw new Error(`expected a recommendation, got skip ${r.skip.reason}: ${r.skip.detail}`);
  return r.recommendation;
}

// On-demand prices from the source file (karpenter zz_generated.pricing_aws.go, us-east-1, 2026-07-20).
const OD = { 'm5.2xlarge': 0.384, 'm5a.large': 0.086, 'm5.xlarge': 0.192, 'p4d.24xlarge': 21.957642, 'g6e.16xlarge': 7.57719 };

describe('pinned cases (numbers by hand)', () => {
  it('m5.2xlarge at p95 CPU 12 % and memory max 20 % of 32 GiB → m5a.large', () => {
    const r = rec(instance({ id: 'i-m5', type: 'm5.2xlarge' }), [series('i-m5', 'cpu', 12), series('i-m5', 'mem', 20)]);
    // Demand: CPU 8 vCPU × 1.017 (m5.2xlarge coremark/vCPU vs m5.large) × 12 % = 0.976 baseline vCPU;
    // memory 32 GiB × 20 % × 1.15 = 7.36 GiB. m5a.large: 2 vCPU × 0.928 × 80 % = 1.48 ≥ 0.976, 8 GiB ≥ 7.36.
    expect(r.kind).toBe('downsize');
    expect(r.recommendedType).toBe('m5a.large');
    expect(r.monthlyCostNow.onDemandUsd).toBeCloseTo(OD['m5.2xlarge'] * 730, 2);
    expect(r.monthlySavingsUsd).toBeCloseTo((0.384 - 0.086) * 730, 2); // 217.54
    expect(r.backtest).toMatchObject({ hoursObserved: 336, hoursSaturated: 0 });
    // Memory 20 % of 32 GiB on an 8 GiB box = 80 %: the backtest's worst hour says so.
    expect(r.backtest.worstHour).toMatchObject({ metric: 'mem', projectedPct: 80 });
    expect(r.risk).toBe(0);
    expect(r.crossCloud.map((a) => a.cloud).sort()).toEqual(['azure', 'gcp']);
    expect(r.crossCloud.every((a) => a.migration)).toBe(true);
  });

  it('no cheaper type than the pick satisfies the same rules (independent scan of the catalog)', () => {
    const demandVcpu = 8 * (catalog.type('aws', 'm5.2xlarge')?.cpuPerfRel ?? 1) * 0.12;
    const memGiB = 32 * 0.2 * 1.15;
    const cheaper = catalog
      .pricedTypes('aws', 'us-east-1')
      .filter((t) => t.arch === 'x86_64' && !t.burstable && !t.gpu && !t.accelerators && !t.name.includes('metal') && t.generation >= 5 && t.vcpu >= 2)
      .filter((t) => t.vcpu * (t.cpuPerfRel ?? 1) * 0.8 >= demandVcpu && t.memoryGiB >= memGiB)
      .filter((t) => (catalog.onDemandHourlyUsd('aws', 'us-east-1', t.name) ?? Infinity) < OD['m5a.large']);
    expect(cheaper.map((t) => t.name)).toEqual([]);
  });

  it('p4d.24xlarge with 8 GPUs at p95 9 % and a 30 GiB GPU memory peak → one L40S (g6e.16xlarge)', () => {
    const id = 'i-p4d';
    const r = rec(instance({ id, type: 'p4d.24xlarge' }), [series(id, 'cpu', 15), series(id, 'mem', 25), series(id, 'gpu', 9), series(id, 'gpuMem', 30 * 1024)]);
    // GPU demand: 8 × 9 % × 1.0 (A100) = 0.72 A100-equivalents; one L40S = 362/312 = 1.16 → 62 % ≤ 80 % target.
    // GPU memory: 30 GiB × 1.2 = 36 GiB ≤ 44.7 GiB per L40S. Host memory: 1152 × 25 % × 1.15 = 331 GiB → the
    // 512 GiB g6e.16xlarge (g6e.8xlarge has 256 GiB).
    expect(r.kind).toBe('gpu-model');
    expect(r.recommendedType).toBe('g6e.16xlarge');
    expect(r.monthlySavingsUsd).toBeCloseTo((OD['p4d.24xlarge'] - OD['g6e.16xlarge']) * 730, 1); // 10,497.73
    expect((r.evidence['projected'] as { gpuPct: number }).gpuPct).toBeCloseTo((0.72 / (362 / 312)) * 100, 0);
    expect(r.backtest.hoursSaturated).toBe(0);
  });

  it('an idle VM → stop, saving its whole cost', () => {
    const r = rec(instance({ id: 'i-idle', type: 'm5.xlarge' }), [series('i-idle', 'cpu', 1), series('i-idle', 'mem', 10)]);
    expect(r).toMatchObject({ kind: 'idle', action: 'stop', recommendedType: null });
    expect(r.monthlySavingsUsd).toBeCloseTo(OD['m5.xlarge'] * 730, 2); // 140.16
  });

  it('a saturated VM → upsize to a type where today\'s p99 lands at the target', () => {
    const r = rec(instance({ id: 'i-hot', type: 'm5.xlarge' }), [series('i-hot', 'cpu', 98), series('i-hot', 'mem', 50)]);
    expect(r.kind).toBe('upsize');
    const after = catalog.type('aws', r.recommendedType as string);
    // Needed: 4 vCPU × 1.0 × 98 % / 80 % = 4.9 baseline vCPU at 80 % → capacity ≥ 6.1 baseline vCPU.
    const perfNow = catalog.type('aws', 'm5.xlarge')?.cpuPerfRel ?? 1;
    expect((after?.vcpu ?? 0) * (after?.cpuPerfRel ?? 1) * 0.8).toBeGreaterThanOrEqual(4 * perfNow * 0.98 * (100 / 80) * 0.8 - 1e-9);
    expect(r.monthlySavingsUsd).toBeLessThanOrEqual(0);
  });

  it('a GPU that is never used → CPU-only', () => {
    const id = 'i-g5';
    const r = rec(instance({ id, type: 'g5.xlarge' }), [series(id, 'cpu', 40), series(id, 'mem', 40), series(id, 'gpu', 0), series(id, 'gpuMem', 0)]);
    expect(r.kind).toBe('gpu-to-cpu');
    expect(catalog.type('aws', r.recommendedType as string)?.gpu).toBeUndefined();
  });

  it('memory not measured: never shrinks memory, and says so', () => {
    const r = rec(instance({ id: 'i-nomem', type: 'm5.2xlarge' }), [series('i-nomem', 'cpu', 12)]);
    expect(catalog.type('aws', r.recommendedType as string)?.memoryGiB).toBeGreaterThanOrEqual(32);
    expect((r.evidence['notes'] as string[]).join(' ')).toContain('memory not measured');
    expect(r.risk).toBeGreaterThanOrEqual(1);
  });
});

describe('skips carry a reason', () => {
  it.each([
    ['insufficient-data', instance({ id: 'x', type: 'm5.large' }), [series('x', 'cpu', 50, 10)]],
    ['unknown-type', instance({ id: 'x', type: 'z9.huge' }), [series('x', 'cpu', 50)]],
    ['excluded-by-tag', instance({ id: 'x', type: 'm5.large', tags: { 'rightsize:ignore': '' } }), [series('x', 'cpu', 50)]],
    ['not-running', instance({ id: 'x', type: 'm5.large', state: 'stopped' }), [series('x', 'cpu', 50)]],
    ['no-price', instance({ id: 'x', type: 'm5.large', region: 'sa-east-1' }), [series('x', 'cpu', 50)]],
  ] as const)('%s', (reason, i, s) => {
    const r = run(i, [...s]);
    expect(r.outcome).toBe('skip');
    if (r.outcome === 'skip') {
      expect(r.skip.reason).toBe(reason);
      expect(r.skip.detail.length).toBeGreaterThan(5);
    }
  });

  it('a well-sized instance gets no-cheaper-fit', () => {
    const r = run(instance({ id: 'w', type: 'm5a.large' }), [series('w', 'cpu', 60), series('w', 'mem', 70)]);
    expect(r.outcome === 'skip' && r.skip.reason).toBe('no-cheaper-fit');
  });
});
