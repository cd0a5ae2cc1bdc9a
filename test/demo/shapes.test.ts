import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hourlyCycleZ, hourlyMeanMax, longestPods } from '../../scripts/demo/derive-shapes.js';
import { DEFAULT_SHAPES_FILE, loadDemoShapes } from '../../src/demo/shapes.js';
import { nearestRank, scaleToPercentile } from '../../src/demo/series-shapes.js';
import { DataFileError } from '../../src/errors.js';
import { p } from './percentile.js';

describe('data/demo/shapes.json', () => {
  const shapes = loadDemoShapes();

  it('is small, validated, and names its sources and licences', () => {
    expect(statSync(DEFAULT_SHAPES_FILE).size).toBeLessThan(500 * 1024);
    expect(shapes._provenance.sources.map((s) => s.licence).every((l) => l.length > 0)).toBe(true);
    expect(shapes._provenance.sources.some((s) => s.origin.startsWith('alibaba/clusterdata @ 87621116a21e'))).toBe(true);
    expect(new Set(shapes.cycles.map((c) => c.source))).toEqual(new Set(['google2019', 'alibaba2018', 'azure2019']));
  });

  it('keeps 100 GPU pods of 23 hours with mostly idle GPUs, as the trace README describes', () => {
    expect(shapes.gpuPods).toHaveLength(100);
    const podMeans = shapes.gpuPods.map((g) => {
      const xs = g.utilMeanPct.filter((x): x is number => x !== null);
      return xs.reduce((a, b) => a + b, 0) / xs.length;
    });
    for (const g of shapes.gpuPods) expect(g.utilMaxPct).toHaveLength(23);
    // Minute-level pod means measured on the raw file run 0-17.7 % (the README says 0-13 %); averaging
    // hourly means weights short hours up, so allow a little above that. No pod is busy on average.
    expect(Math.max(...podMeans)).toBeLessThan(20);
    expect(p(podMeans, 50)).toBeLessThan(8);
    const memPeaks = shapes.gpuPods.map((g) => Math.max(...g.memMaxGiB.filter((x): x is number => x !== null)));
    expect(Math.max(...memPeaks)).toBeCloseTo(47.3, 1); // README: max 47.3 GiB (one of the 100 longest pods holds it)
  });

  it('rejects a corrupt file naming the file', () => {
    expect(() => loadDemoShapes('/nonexistent/shapes.json')).toThrow(DataFileError);
    expect(() => loadDemoShapes('/nonexistent/shapes.json')).toThrow(/\/nonexistent\/shapes\.json/);
  });
});

describe('shape derivation (scripts/demo/derive-shapes.ts)', () => {
  it('hourlyCycleZ groups 12 samples per hour and z-scores against the hourly means', () => {
    // Hour 0: all 1 (mean 1, max 1); hour 1: eleven 3s and one 9 (mean 3.5, max 9). Trailing partial hour dropped.
    const xs = new Float64Array([...Array(12).fill(1), ...Array(11).fill(3), 9, 100]);
    const { meanZ, maxZ } = hourlyCycleZ(xs);
    // Means 1 and 3.5: mu 2.25, population sd 1.25 → z = ∓1; max of hour 1: (9 − 2.25) / 1.25 = 5.4.
    expect(meanZ).toEqual([-1, 1]);
    expect(maxZ).toEqual([-1, 5.4]);
  });

  it('hourlyMeanMax buckets by hour from t0 and marks empty hours null', () => {
    const samples = [
      { t: 1000, v: 2 },
      { t: 1060, v: 4 },
      { t: 1000 + 2 * 3600, v: 10 },
    ];
    expect(hourlyMeanMax(samples, 1000, 3, 1, 2)).toEqual({ mean: [3, null, 10], max: [4, null, 10] });
    expect(hourlyMeanMax(samples, 1000, 1, 0.5, 2)).toEqual({ mean: [1.5], max: [2] });
  });

  it('longestPods orders by sample count, ties by id', () => {
    const pods = new Map<string, unknown[]>([['b', [1, 2]], ['a', [1, 2]], ['c', [1, 2, 3]], ['d', [1]]]);
    expect(longestPods(pods, 3)).toEqual(['c', 'a', 'b']);
  });
});

describe('series-shapes helpers', () => {
  it('nearestRank matches the sort-based definition and skips NaN', () => {
    const xs = [5, Number.NaN, 1, 4, 2, 3, Number.NaN, 10, 9, 8, 7, 6];
    for (const pct of [1, 50, 90, 95, 100]) expect(nearestRank(xs, pct)).toBe(p(xs, pct));
    expect(nearestRank(xs, 95)).toBe(10); // 10 values: rank ceil(9.5) = 10
    expect(nearestRank(xs, 50)).toBe(5);
    expect(nearestRank([Number.NaN], 50)).toBeNaN();
  });

  it('scaleToPercentile pins the percentile, clips at the cap and keeps mean ≤ max', () => {
    const max = Float64Array.from({ length: 20 }, (_, i) => i + 1); // p95 = 19
    const mean = max.map((v) => v / 2);
    const out = scaleToPercentile({ mean, max }, 95, 95);
    expect(nearestRank(out.max, 95)).toBeCloseTo(95, 9); // ×5
    expect(out.max[19]).toBe(100); // 20 × 5 = 100 (cap)
    expect(out.mean[19]).toBe(50);
    const hot = scaleToPercentile({ mean: max.slice(), max }, 95, 99);
    expect(Array.from(hot.max).every((v) => v <= 100)).toBe(true);
    expect(Array.from(hot.mean).every((v, i) => v <= (hot.max[i] ?? 0))).toBe(true);
  });
});
