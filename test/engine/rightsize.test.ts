import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import type { Recommendation } from '../../src/domain/recommendation.js';
import type { UtilizationSeries } from '../../src/domain/utilization.js';
import type { Instance } from '../../src/domain/instance.js';
import { rightsizeInstance } from '../../src/engine/rightsize.js';
import { defaultEngineSettings, EngineSettingsSchema } from '../../src/engine/settings.js';
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
    const r = rec(instance({ id: 'i-m5', type: 'm5.2xlarge' }), [series('i-m5', 'cpu', 12), series('i-m5', 'mem', 20)]);
    const demand = r.evidence['demand'] as { cpuBaselineVcpu: number; cpuTargetUtilPct: number; memoryGiB: number };
    const perfNow = catalog.type('aws', 'm5.2xlarge')?.cpuPerfRel as number;
    const cheaper = catalog
      .pricedTypes('aws', 'us-east-1')
      .filter((t) => t.arch === 'x86_64' && !t.burstable && !t.gpu && !t.accelerators && !t.name.includes('metal') && t.generation >= 5 && t.vcpu >= 2)
      .filter((t) => t.vcpu * Math.min(t.cpuPerfRel ?? 1, perfNow) * (demand.cpuTargetUtilPct / 100) >= demand.cpuBaselineVcpu && t.memoryGiB >= demand.memoryGiB)
      .filter((t) => (catalog.onDemandHourlyUsd('aws', 'us-east-1', t.name) ?? Infinity) < OD['m5a.large']);
    expect(cheaper.map((t) => t.name)).toEqual([]);
  });

  it('a faster CPU is not banked: a busy m5.2xlarge keeps the vCPUs its load needs at today\'s per-vCPU speed', () => {
    const id = 'i-busy';
    const r = rec(instance({ id, type: 'm5.2xlarge' }), [series(id, 'cpu', (h) => 55 + (h % 4)), series(id, 'mem', 20)]);
    // Steady ≤ 58 %: 8 × 58 % / 90 % = 5.2 vCPU at today's speed, so no 4-vCPU type qualifies, however fast.
    const after = catalog.type('aws', r.recommendedType as string);
    expect(after?.vcpu).toBeGreaterThanOrEqual(6);
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

  it('an idle VM → stop, saving its whole cost, and names the type to keep if it must keep running', () => {
    const r = rec(instance({ id: 'i-idle', type: 'm5.xlarge' }), [series('i-idle', 'cpu', 1), series('i-idle', 'mem', 10)]);
    expect(r).toMatchObject({ kind: 'idle', action: 'stop' });
    expect(r.monthlySavingsUsd).toBeCloseTo(OD['m5.xlarge'] * 730, 2); // 140.16
    expect(r.monthlyCostAfter.actualUsd).toBe(0);
    // Kept running it needs 1 % of 4 vCPU and 10 % × 1.15 of 16 GiB = 1.84 GiB: the cheapest 2-vCPU x86 type.
    const kept = catalog.type('aws', r.recommendedType as string);
    expect(kept?.vcpu).toBe(2);
    expect((r.evidence['ifKeptRunning'] as { type: string }).type).toBe(r.recommendedType);
  });

  it('a saturated VM → upsize so its pegged hours would run at 80 %, with the hours that show it', () => {
    const r = rec(instance({ id: 'i-hot', type: 'm5.xlarge' }), [series('i-hot', 'cpu', 98), series('i-hot', 'mem', 50)]);
    expect(r.kind).toBe('upsize');
    const after = catalog.type('aws', r.recommendedType as string);
    // 336 hours averaged 98 % ≥ 95 %: sustained. Needed: 4 vCPU × perf × 98 % / 80 % = 4.9 baseline vCPU at 100 %.
    const perfNow = catalog.type('aws', 'm5.xlarge')?.cpuPerfRel ?? 1;
    expect((after?.vcpu ?? 0) * (after?.cpuPerfRel ?? 1)).toBeGreaterThanOrEqual(4 * perfNow * (98 / 80) - 0.05);
    const sizing = r.evidence['sizing'] as { method: string; saturation: { hours: number; sustained: boolean } };
    expect(sizing).toMatchObject({ method: 'upsize', saturation: { hours: 336, sustained: true } });
    expect(String(r.evidence['upsizeBuys'])).toContain('336 h averaged ≥ 95 %');
  });

  it('spikes alone never upsize: hourly maxima of 100 % over a 10 % mean → a smaller type', () => {
    const id = 'i-spiky';
    const cpu = series(id, 'cpu', 100);
    cpu.mean.fill(10);
    const r = rec(instance({ id, type: 'm5.2xlarge' }), [cpu, series(id, 'mem', 20)]);
    expect(r.kind).toBe('downsize');
    // Peaks modeled at 2.5 × 10 + 3 = 28 % of 8 vCPU → 28 % / 90 % (10 % headroom) = 31 % → ≥ 2.5 baseline vCPU.
    const after = catalog.type('aws', r.recommendedType as string);
    expect(after?.vcpu).toBeLessThan(8);
    expect((r.evidence['sizing'] as { method: string }).method).toBe('risk');
    expect((r.evidence['sizing'] as { cpuDemandPctOfCurrent: number }).cpuDemandPctOfCurrent).toBeCloseTo(28, 0);
    // Every hour's maximum would exceed the new type: the risk says so.
    expect(r.risk).toBeGreaterThanOrEqual(1);
    expect((r.evidence['risk'] as { factors: string[] }).factors.join(' ')).toContain('peaks over capacity');
  });

  it('a same-shape cheaper type is `modernize`, never `downsize`', () => {
    const id = 'i-az';
    const r = rec(instance({ id, cloud: 'azure', region: 'eastus', type: 'Standard_D8s_v5' }), [series(id, 'cpu', (h) => 60 + (h % 3)), series(id, 'mem', 70)]);
    const after = catalog.type('azure', r.recommendedType as string);
    expect(after?.vcpu).toBe(8);
    expect(after?.memoryGiB).toBe(32);
    expect(r.kind).toBe('modernize');
  });

  it('a V100 busy for 9 whole hours: risk sizing keeps their throughput; the p95 rule would not, and its risk says so', () => {
    const id = 'i-p3';
    // 9 hours at 100 % of 336 (2.7 % of the time, over the 0.1 % budget): p95 of hourly maxima is 0 %.
    const busy = (h: number) => (h % 40 === 0 ? 100 : 0);
    const s = [series(id, 'cpu', 10), series(id, 'mem', 30), series(id, 'gpu', busy), series(id, 'gpuMem', (h) => (busy(h) ? 8192 : 512))];
    const r = rec(instance({ id, type: 'p3.2xlarge' }), s);
    expect(r.evidence['gpuSizing']).toContain('GPU capacity 100 %');
    const gpuOf = (name: string | null) => catalog.gpuModel(catalog.type('aws', name as string)?.gpu?.model ?? '')?.relThroughput ?? 0;
    // The V100's throughput (count × relative) fits at ≤ 80 % of the new GPUs: no hour would run longer.
    const v100 = gpuOf('p3.2xlarge');
    expect(v100 / ((catalog.type('aws', r.recommendedType as string)?.gpu?.count ?? 0) * gpuOf(r.recommendedType))).toBeLessThanOrEqual(0.8 + 1e-9);
    expect((r.evidence['risk'] as { factors: string[] }).factors.join(' | ')).not.toContain('h whose GPU use would not fit');

    const p95 = rightsizeInstance({ snapshotId: 'snap', instance: instance({ id, type: 'p3.2xlarge' }), series: s, catalog, settings: EngineSettingsSchema.parse({ gpuSizing: 'percentile' }), windowStartMs: WINDOW_START_MS, windowEndMs: WINDOW_END_MS });
    if (p95.outcome !== 'recommendation') throw new Error('expected a recommendation');
    expect(p95.recommendation.kind).toBe('gpu-model');
    const factors = (p95.recommendation.evidence['risk'] as { factors: string[] }).factors.join(' | ');
    expect(factors).toContain('9 h whose GPU use would not fit');
    expect(factors).toContain('platform change: GPU model');
    expect(p95.recommendation.risk).toBeGreaterThanOrEqual(2);
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

  it('memory seen for less than the CPU coverage minimum counts as not measured', () => {
    const id = 'i-shortmem';
    const r = rec(instance({ id, type: 'm5.2xlarge' }), [series(id, 'cpu', 12), series(id, 'mem', 5, 23)]);
    expect(r.evidence['memoryMeasured']).toBe(false);
    expect((r.evidence['notes'] as string[]).join(' ')).toContain('mem: 23 hourly points');
    expect(catalog.type('aws', r.recommendedType as string)?.memoryGiB).toBeGreaterThanOrEqual(32);
  });

  it('every recommendation carries its out-of-sample fold next to the backtest', () => {
    const r = rec(instance({ id: 'i-m5', type: 'm5.2xlarge' }), [series('i-m5', 'cpu', 12), series('i-m5', 'mem', 20)]);
    const oos = r.evidence['outOfSample'] as { folds: { cpuCapacityPct: number; shareOverPct: number; testHours: number }[]; shareOverCapacityPct: number };
    // 14 days: one fold, trained on days 1–7, tested on days 8–14. Steady 12 % needs 12 / 0.9 = 13.3 % of today's,
    // under the 2-vCPU floor (2 of 8 = 25 %), which the fold keeps.
    expect(oos.folds).toHaveLength(1);
    expect(oos.folds[0]?.testHours).toBe(168);
    expect(oos.folds[0]?.cpuCapacityPct).toBe(25);
    expect(oos.shareOverCapacityPct).toBe(0);
    expect(r.backtest.modeledShareOverPct).toBe(0);
    // Steady 40 % the first week, 60 % the second: sized on the first at 40 / 0.9 = 44.4 %, the second week is
    // entirely over it out of sample.
    const id = 'i-grows';
    const grows = rec(instance({ id, type: 'm5.4xlarge' }), [series(id, 'cpu', (h) => (h < 168 ? 40 : 60)), series(id, 'mem', 20)]);
    const fold = (grows.evidence['outOfSample'] as { folds: { cpuCapacityPct: number; shareOverPct: number; hoursSustainedOver: number }[] }).folds[0];
    expect(fold?.cpuCapacityPct).toBeCloseTo(40 / 0.9, 2);
    expect(fold?.shareOverPct).toBe(100);
    expect(fold?.hoursSustainedOver).toBe(168);
    expect(grows.risk).toBeGreaterThanOrEqual(1);
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
