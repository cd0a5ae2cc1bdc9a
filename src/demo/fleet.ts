import { CLOUDS } from '../domain/cloud.js';
import type { Instance } from '../domain/instance.js';
import type { ScopeResult, Snapshot } from '../domain/snapshot.js';
import { HOUR_MS, type Metric, type UtilizationSeries } from '../domain/utilization.js';
import { DEMO_ACCOUNTS } from './layout.js';
import { planFleet, planTerminated, type PlannedInstance } from './plan.js';
import { createRng } from './prng.js';
import { drawSeries } from './profiles.js';
import type { HourlyPair } from './series-shapes.js';
import { loadDemoShapes } from './shapes.js';

const DAY_MS = 24 * HOUR_MS;

export interface DemoFleetOptions {
  /** PRNG seed; the same seed and hour give byte-identical snapshots. Default 42. */
  seed?: number;
  /** "Now", epoch ms; the window ends at its hour floor. Required: demo code never reads the clock. */
  nowMs: number;
  /** Total instances including the fixed showcase ones. Default 600. */
  instanceCount?: number;
  /** Days of hourly utilization. Default 14. */
  days?: number;
  /** Override of data/demo/shapes.json (tests). */
  shapesFile?: string;
}

/** A scope that failed in every demo snapshot, to show a partial collection (its instances are simply absent). */
export const DEMO_THROTTLED_SCOPE: ScopeResult = {
  cloud: 'azure',
  account: 'c4d9e2b1-7a35-4f08-b6e3-92a1d0c5f4b8',
  region: 'southeastasia',
  status: 'throttled',
  message: 'Azure Monitor metrics batch returned 429 Too Many Requests after 5 retries; this scope is missing from the snapshot',
  instanceCount: 0,
};

/** Snapshot id: deterministic in seed and the hour, e.g. `demo-s42-2026-03-01T12`. */
export function demoSnapshotId(seed: number, atMs: number): string {
  return `demo-s${seed}-${new Date(atMs).toISOString().slice(0, 13)}`;
}

/**
 * A deterministic demo fleet: fixed showcase instances (see `SHOWCASE`) plus generated ones across the three
 * clouds, with `days` × 24 hourly series shaped by the real traces in data/demo/shapes.json.
 * @example
 * const snap = generateDemoFleet({ seed: 42, nowMs: Date.parse('2026-03-01T12:34:00Z') });
 * snap.instances.length; // 600
 */
export function generateDemoFleet(options: DemoFleetOptions): Snapshot {
  const seed = options.seed ?? 42;
  const days = options.days ?? 14;
  const instanceCount = options.instanceCount ?? 600;
  const shapes = loadDemoShapes(options.shapesFile);
  const windowEndMs = Math.floor(options.nowMs / HOUR_MS) * HOUR_MS;
  const hours = days * 24;
  const windowStartMs = windowEndMs - hours * HOUR_MS;
  const plan = planFleet({ seed, windowEndMs, hours, instanceCount, shapes });

  const series: UtilizationSeries[] = [];
  for (const p of plan) {
    const drawn = drawSeries(createRng(seed, 'series', p.seriesKey), shapes, hours, p.profile);
    const missing = missingHours(p, windowStartMs, hours);
    const push = (metric: Metric, pair: HourlyPair | undefined) => {
      if (pair) series.push(toSeries(p.instance.id, metric, windowStartMs, pair, missing));
    };
    push('cpu', drawn.cpu);
    push('mem', drawn.mem);
    push('gpu', drawn.gpu);
    push('gpuMem', drawn.gpuMem);
  }
  const instances = plan.map((p) => p.instance);
  return { ...meta(seed, windowEndMs, windowStartMs, instances), instances, series };
}

export interface DemoHistoryOptions {
  seed?: number;
  nowMs: number;
  /** Daily snapshots this many days back (1 … days days before now). Default 14. */
  days?: number;
  /** Instance count of the current fleet; taken from `current` when given, else 600. */
  instanceCount?: number;
  /** The current snapshot, if the caller already generated it (only its size is used). */
  current?: Snapshot;
}

/**
 * Light daily snapshots before now (instances only, no series), oldest first, for the spend ledger and weekly report.
 * Instances launched later are absent, stopped ones run until they stopped, and a few since-terminated ones
 * (including two GPU boxes) appear only in older snapshots, so week-over-week spend differs.
 */
export function demoHistorySnapshots(options: DemoHistoryOptions): Snapshot[] {
  const seed = options.seed ?? 42;
  const days = options.days ?? 14;
  const instanceCount = options.instanceCount ?? options.current?.instances.length ?? 600;
  const shapes = loadDemoShapes();
  const windowEndMs = Math.floor(options.nowMs / HOUR_MS) * HOUR_MS;
  const planOpts = { seed, windowEndMs, hours: 14 * 24, instanceCount, shapes };
  const plan = [...planFleet(planOpts), ...planTerminated(planOpts, Math.max(2, Math.round(instanceCount * 0.04)))];
  const out: Snapshot[] = [];
  for (let d = days; d >= 1; d--) {
    const atMs = windowEndMs - d * DAY_MS;
    const instances = plan.filter((p) => p.launchedAtMs <= atMs && (p.terminatedAtMs === undefined || atMs < p.terminatedAtMs)).map((p) => stateAt(p, atMs));
    out.push({ ...meta(seed, atMs, atMs - 14 * DAY_MS, instances), instances, series: [] });
  }
  return out;
}

/** Alias with the name the brief used. */
export const demoSnapshotsForHistory = demoHistorySnapshots;

function stateAt(p: PlannedInstance, atMs: number): Instance {
  const running = p.terminatedAtMs !== undefined || (p.stoppedAtMs !== undefined && atMs < p.stoppedAtMs);
  return running ? { ...p.instance, state: 'running' } : p.instance;
}

function meta(seed: number, atMs: number, windowStartMs: number, instances: readonly Instance[]): Omit<Snapshot, 'instances' | 'series'> {
  const counts = new Map<string, number>();
  for (const i of instances) counts.set(`${i.cloud}|${i.account}|${i.region}`, (counts.get(`${i.cloud}|${i.account}|${i.region}`) ?? 0) + 1);
  const scopes: ScopeResult[] = [];
  for (const cloud of CLOUDS) {
    for (const a of DEMO_ACCOUNTS[cloud]) {
      for (const region of a.regions) scopes.push({ cloud, account: a.id, region, status: 'ok', instanceCount: counts.get(`${cloud}|${a.id}|${region}`) ?? 0 });
    }
  }
  scopes.push(DEMO_THROTTLED_SCOPE);
  const iso = new Date(atMs).toISOString();
  // Demo snapshots are "collected" instantly at the hour: both timestamps depend on the hour only.
  return { id: demoSnapshotId(seed, atMs), source: 'demo', startedAt: iso, finishedAt: iso, windowStartMs, windowEndMs: atMs, scopes, instanceCount: instances.length };
}

/** Hours with no data: before launch, after a stop, and the planned gaps. */
function missingHours(p: PlannedInstance, windowStartMs: number, hours: number): Uint8Array {
  const missing = new Uint8Array(hours);
  const firstHour = Math.ceil((p.launchedAtMs - windowStartMs) / HOUR_MS);
  for (let h = 0; h < Math.min(hours, firstHour); h++) missing[h] = 1;
  if (p.stoppedAtMs !== undefined) for (let h = Math.max(0, Math.floor((p.stoppedAtMs - windowStartMs) / HOUR_MS)); h < hours; h++) missing[h] = 1;
  for (const [a, b] of p.gapHours) for (let h = Math.max(0, a); h < Math.min(hours, b); h++) missing[h] = 1;
  return missing;
}

function toSeries(instanceId: string, metric: Metric, startMs: number, pair: HourlyPair, missing: Uint8Array): UtilizationSeries {
  const max = Float32Array.from(pair.max, (v, h) => (missing[h] ? Number.NaN : v));
  const mean = Float32Array.from(pair.mean, (v, h) => (missing[h] ? Number.NaN : v));
  return { instanceId, metric, startMs, max, mean };
}
