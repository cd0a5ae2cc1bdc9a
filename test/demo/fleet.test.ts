import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CLOUDS } from '../../src/domain/cloud.js';
import { IGNORE_TAG, INTERRUPTIBLE_TAG, InstanceSchema } from '../../src/domain/instance.js';
import { SnapshotMetaSchema, type Snapshot } from '../../src/domain/snapshot.js';
import { HOUR_MS, seriesToJson, type Metric, type UtilizationSeries } from '../../src/domain/utilization.js';
import { generateDemoFleet } from '../../src/demo/fleet.js';
import { GPU_TYPES } from '../../src/demo/layout.js';
import { p } from './percentile.js';

const NOW = Date.parse('2026-03-01T12:34:56Z');
const HOUR_FLOOR = Date.parse('2026-03-01T12:00:00Z');
const fleet42 = generateDemoFleet({ seed: 42, nowMs: NOW });

function digest(s: Snapshot): string {
  const h = createHash('sha256');
  const { instances, series, ...meta } = s;
  h.update(JSON.stringify(meta)).update(JSON.stringify(instances));
  for (const x of series) h.update(JSON.stringify(seriesToJson(x))).update(Buffer.from(x.max.buffer)).update(Buffer.from(x.mean.buffer));
  return h.digest('hex');
}

const seriesOf = (s: Snapshot, id: string, metric: Metric): UtilizationSeries | undefined => s.series.find((x) => x.instanceId === id && x.metric === metric);
const byName = (s: Snapshot, name: string) => {
  const i = s.instances.find((x) => x.name === name);
  if (!i) throw new Error(`no instance named ${name}`);
  return i;
};
const GPU_TYPE_NAMES = new Set(CLOUDS.flatMap((c) => GPU_TYPES[c].map((g) => g.name)));

describe('determinism', () => {
  it('gives byte-identical snapshots for the same seed and hour, different ones for another seed', () => {
    const again = generateDemoFleet({ seed: 42, nowMs: HOUR_FLOOR + 59 * 60_000 });
    expect(digest(again)).toBe(digest(fleet42));
    const other = generateDemoFleet({ seed: 43, nowMs: NOW });
    expect(digest(other)).not.toBe(digest(fleet42));
    expect(other.instances.map((i) => i.id)).not.toEqual(fleet42.instances.map((i) => i.id));
    expect(other.id).not.toBe(fleet42.id);
  });

  it('ends the window at the hour floor of now, 14 days long', () => {
    expect(fleet42.windowEndMs).toBe(HOUR_FLOOR);
    expect(fleet42.windowEndMs - fleet42.windowStartMs).toBe(14 * 24 * HOUR_MS);
    expect(fleet42.id).toBe('demo-s42-2026-03-01T12');
    expect(fleet42.source).toBe('demo');
  });
});

describe('fleet mix', () => {
  for (const seed of [42, 1, 2025]) {
    it(`seed ${seed}: 300-1000 instances, 8-12 % GPU, 3 clouds × ≥ 3 regions, spot 10-15 % of AWS/GCP`, () => {
      const s = seed === 42 ? fleet42 : generateDemoFleet({ seed, nowMs: NOW });
      expect(s.instances.length).toBe(600);
      expect(s.instanceCount).toBe(600);
      const gpu = s.instances.filter((i) => GPU_TYPE_NAMES.has(i.type)).length;
      expect(gpu / s.instances.length).toBeGreaterThanOrEqual(0.08);
      expect(gpu / s.instances.length).toBeLessThanOrEqual(0.12);
      for (const cloud of CLOUDS) {
        const ofCloud = s.instances.filter((i) => i.cloud === cloud);
        expect(new Set(ofCloud.map((i) => i.region)).size).toBeGreaterThanOrEqual(3);
        expect(new Set(ofCloud.map((i) => i.account)).size).toBeGreaterThanOrEqual(2);
      }
      const awsGcp = s.instances.filter((i) => i.cloud !== 'azure');
      const spotShare = awsGcp.filter((i) => i.lifecycle === 'spot').length / awsGcp.length;
      // The brief's "~10-15 %" as a band wide enough for sampling noise at 450 instances.
      expect(spotShare).toBeGreaterThan(0.08);
      expect(spotShare).toBeLessThan(0.18);
      const ids = new Set(s.instances.map((i) => i.id));
      expect(ids.size).toBe(s.instances.length);
    });
  }

  it('honours instanceCount at both ends of the range', () => {
    for (const n of [300, 1000]) {
      const s = generateDemoFleet({ seed: 5, nowMs: NOW, instanceCount: n });
      expect(s.instances.length).toBe(n);
      const gpu = s.instances.filter((i) => GPU_TYPE_NAMES.has(i.type)).length;
      expect(gpu).toBe(Math.round(n * 0.1));
    }
  });

  it('has old and new generations, stopped and windows boxes, ignore and interruptible tags', () => {
    const types = new Set(fleet42.instances.map((i) => i.type));
    for (const t of ['m4.xlarge', 'p4d.24xlarge', 'Standard_NC4as_T4_v3', 'n2-standard-8']) expect(types).toContain(t);
    expect([...types].some((t) => /^(m6i|m7i)\./.test(t))).toBe(true);
    expect([...types].some((t) => /^n1-/.test(t))).toBe(true);
    expect([...types].some((t) => /_v3$/.test(t))).toBe(true);
    expect(fleet42.instances.some((i) => i.state === 'stopped')).toBe(true);
    expect(fleet42.instances.some((i) => i.os === 'windows')).toBe(true);
    expect(fleet42.instances.some((i) => IGNORE_TAG in i.tags)).toBe(true);
    expect(fleet42.instances.some((i) => INTERRUPTIBLE_TAG in i.tags)).toBe(true);
  });

  it('uses each cloud\'s id format and validates against the domain schemas', () => {
    for (const i of fleet42.instances) {
      InstanceSchema.parse(i);
      if (i.cloud === 'aws') expect(i.id).toMatch(/^i-0[0-9a-f]{16}$/);
      if (i.cloud === 'gcp') expect(i.id).toMatch(/^[1-9][0-9]{18}$/);
      if (i.cloud === 'azure') expect(i.id).toBe(`/subscriptions/${i.account}/resourceGroups/${i.id.split('/')[4]}/providers/Microsoft.Compute/virtualMachines/${i.name}`);
    }
    const { instances: _i, series: _s, ...meta } = fleet42;
    SnapshotMetaSchema.parse(meta);
  });

  it('reports one ok scope per (cloud, account, region) whose counts add up, plus one throttled scope', () => {
    const ok = fleet42.scopes.filter((s) => s.status === 'ok');
    expect(ok.reduce((n, s) => n + s.instanceCount, 0)).toBe(600);
    for (const s of ok) expect(s.instanceCount).toBe(fleet42.instances.filter((i) => i.cloud === s.cloud && i.account === s.account && i.region === s.region).length);
    const failed = fleet42.scopes.filter((s) => s.status !== 'ok');
    expect(failed).toHaveLength(1);
    expect(failed[0]?.status).toBe('throttled');
    expect(failed[0]?.message).toMatch(/429/);
  });
});

describe('series', () => {
  it('are 14 × 24 hours starting at the window start; mean ≤ max; percentages within 0-100', () => {
    // Collect violations and assert once: 1,200 series × 336 hours of expect() calls would take seconds.
    const bad: string[] = [];
    for (const x of fleet42.series) {
      if (x.startMs !== fleet42.windowStartMs || x.max.length !== 336 || x.mean.length !== 336) bad.push(`${x.instanceId} ${x.metric}: shape`);
      for (let h = 0; h < x.max.length; h++) {
        const mx = x.max[h] ?? 0;
        const mn = x.mean[h] ?? 0;
        if (Number.isNaN(mx) !== Number.isNaN(mn)) bad.push(`${x.instanceId} ${x.metric} h${h}: NaN in one of max/mean`);
        if (Number.isNaN(mx)) continue;
        if (mn > mx || mn < 0 || (x.metric !== 'gpuMem' && mx > 100)) bad.push(`${x.instanceId} ${x.metric} h${h}: mean ${mn} max ${mx}`);
      }
    }
    expect(bad.slice(0, 5)).toEqual([]);
  });

  it('are missing before launch and after a stop', () => {
    let partial = 0;
    for (const i of fleet42.instances) {
      const cpu = seriesOf(fleet42, i.id, 'cpu');
      if (!cpu) throw new Error(`no cpu series for ${i.id}`);
      const launchHour = Math.ceil((Date.parse(i.launchedAt) - fleet42.windowStartMs) / HOUR_MS);
      if (launchHour > 0) {
        partial++;
        for (let h = 0; h < Math.min(336, launchHour); h++) expect(cpu.max[h]).toBeNaN();
        expect(cpu.max[launchHour]).not.toBeNaN();
      }
      if (i.state === 'stopped') expect(cpu.max[335]).toBeNaN();
    }
    expect(partial).toBeGreaterThan(10);
  });

  it('leave memory unmeasured on ~20 % of instances', () => {
    const withMem = new Set(fleet42.series.filter((x) => x.metric === 'mem').map((x) => x.instanceId));
    const share = 1 - withMem.size / fleet42.instances.length;
    expect(share).toBeGreaterThan(0.12);
    expect(share).toBeLessThan(0.28);
  });

  it('give GPU metrics to GPU types only, and GPUs that are mostly idle as in the trace', () => {
    const gpuSeries = fleet42.series.filter((x) => x.metric === 'gpu');
    for (const x of gpuSeries) expect(GPU_TYPE_NAMES.has(fleet42.instances.find((i) => i.id === x.instanceId)?.type ?? '')).toBe(true);
    expect(new Set(gpuSeries.map((x) => x.instanceId)).size).toBe(fleet42.instances.filter((i) => GPU_TYPE_NAMES.has(i.type)).length);
    // Per instance, the median hourly mean; across instances, the median of that. GenTD26 pods: ~3 %.
    const medians = gpuSeries.map((x) => p(x.mean, 50)).sort((a, b) => a - b);
    expect(medians[Math.floor(medians.length / 2)]).toBeLessThan(10);
    // …and a few busy training nodes.
    expect(medians.filter((m) => m > 50).length).toBeGreaterThanOrEqual(1);
  });
});
