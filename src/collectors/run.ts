import type { Config } from '../config.js';
import type { Cloud } from '../domain/cloud.js';
import type { Snapshot, ScopeResult } from '../domain/snapshot.js';
import type { UtilizationSeries } from '../domain/utilization.js';
import { HOUR_MS } from '../domain/utilization.js';
import type { CollectScope, CollectWindow, PartialSnapshot } from './collector.js';
import { statusOfError } from './collector.js';

/** How each cloud's scopes are listed and collected; injected so tests and the benchmark point at local servers. */
export interface CloudCollector {
  cloud: Cloud;
  scopes(): Promise<CollectScope[]>;
  collect(scope: CollectScope, window: CollectWindow): Promise<PartialSnapshot>;
}

export interface CollectAllOptions {
  nowMs: number;
  lookbackDays: number;
  collectors: CloudCollector[];
  /** Scopes collected at once; each scope's own API calls are sequential, so this bounds per-API concurrency too. */
  concurrency?: number;
  /** Called once every collector has listed its scopes, before collection starts (progress bars). */
  onPlanned?: (scopes: readonly CollectScope[]) => void;
  onScopeDone?: (scope: ScopeResult) => void;
}

/**
 * Runs every scope with bounded concurrency and merges the partial results into one snapshot. A scope that fails is
 * recorded with its status and message; it never drops the rest of the run's data.
 */
export async function collectAll(options: CollectAllOptions): Promise<Snapshot> {
  const window = collectWindowAt(options.nowMs, options.lookbackDays);
  const tasks: { collector: CloudCollector; scope: CollectScope }[] = [];
  const scopes: ScopeResult[] = [];
  for (const collector of options.collectors) {
    try {
      for (const scope of await collector.scopes()) tasks.push({ collector, scope });
    } catch (err) {
      scopes.push({ cloud: collector.cloud, account: '*', region: '*', status: statusOfError(err), message: `listing scopes failed: ${(err as Error).message}`, instanceCount: 0 });
    }
  }
  options.onPlanned?.(tasks.map((t) => t.scope));
  const parts: PartialSnapshot[] = [];
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const task = tasks[next++] as (typeof tasks)[number];
      const part = await collectScopeSafely(task.collector, task.scope, window);
      parts.push(part);
      options.onScopeDone?.(part.scope);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  return assembleSnapshot({ id: runIdAt(options.nowMs), startedAtMs: options.nowMs, finishedAtMs: options.nowMs, window, parts, extraScopes: scopes });
}

/** The id a collection started at `nowMs` gets (also the fan-out run id, so a run and its snapshot share it). */
export function runIdAt(nowMs: number): string {
  return `collect-${new Date(nowMs).toISOString().replace(/[:.]/g, '-')}`;
}

/** The utilization window a collection at `nowMs` covers: whole hours, ending at the last full hour. */
export function collectWindowAt(nowMs: number, lookbackDays: number): CollectWindow {
  const windowEndMs = Math.floor(nowMs / HOUR_MS) * HOUR_MS;
  return { startMs: windowEndMs - lookbackDays * 24 * HOUR_MS, endMs: windowEndMs };
}

/** Collects one scope; any failure becomes the scope's named status instead of an exception. */
export async function collectScopeSafely(collector: CloudCollector, scope: CollectScope, window: CollectWindow): Promise<PartialSnapshot> {
  try {
    return await collector.collect(scope, window);
  } catch (err) {
    return { instances: [], series: [], calls: {}, scope: { ...scope, status: statusOfError(err), message: (err as Error).message, instanceCount: 0 } };
  }
}

/** Merges scope results (in-process or from the fan-out's parts) into one snapshot. */
export function assembleSnapshot(input: {
  id: string;
  startedAtMs: number;
  finishedAtMs: number;
  window: CollectWindow;
  parts: readonly Pick<PartialSnapshot, 'instances' | 'series' | 'scope' | 'types' | 'commitments'>[];
  /** Scopes with no part: listing failures, lost messages. */
  extraScopes?: readonly ScopeResult[];
}): Snapshot {
  const scopes = [...(input.extraScopes ?? []), ...input.parts.map((p) => p.scope)];
  scopes.sort((a, b) => `${a.cloud}/${a.account}/${a.region}`.localeCompare(`${b.cloud}/${b.account}/${b.region}`));
  // Two scopes can list the same instance only through a misconfiguration; keep the first, never write duplicates.
  const unique = [...new Map(input.parts.flatMap((p) => p.instances).map((i) => [`${i.cloud}|${i.id}`, i] as const)).values()].sort((a, b) => a.id.localeCompare(b.id));
  const kept = new Set(unique.map((i) => i.id));
  const seen = new Set<string>();
  const series: UtilizationSeries[] = [];
  for (const s of input.parts.flatMap((p) => p.series)) {
    const key = `${s.instanceId}|${s.metric}`;
    if (!kept.has(s.instanceId) || seen.has(key)) continue;
    seen.add(key);
    series.push(s);
  }
  const commitments = [...new Map(input.parts.flatMap((p) => p.commitments ?? []).map((c) => [`${c.cloud}|${c.account}|${c.id}`, c] as const)).values()].sort((a, b) => a.id.localeCompare(b.id));
  const types = [...new Map(input.parts.flatMap((p) => p.types ?? []).map((t) => [`${t.cloud}|${t.name}`, t] as const)).values()].sort((a, b) => a.name.localeCompare(b.name));
  return {
    id: input.id,
    source: 'collect',
    ...(types.length > 0 ? { types } : {}),
    ...(commitments.length > 0 ? { commitments } : {}),
    startedAt: new Date(input.startedAtMs).toISOString(),
    finishedAt: new Date(input.finishedAtMs).toISOString(),
    windowStartMs: input.window.startMs,
    windowEndMs: input.window.endMs,
    scopes,
    instanceCount: unique.length,
    instances: unique,
    series,
  };
}

/**
 * Azure and GCP list a whole subscription/project at once: keep the configured regions (all when none) and fold
 * their per-region partials into one result whose message names each region that is not ok.
 */
export function foldRegions(account: string, cloud: 'gcp' | 'azure', parts: PartialSnapshot[], regions: readonly string[]): PartialSnapshot {
  const wanted = regions.length > 0 ? parts.filter((p) => p.scope.region === '*' || regions.includes(p.scope.region)) : parts;
  const failed = wanted.filter((p) => p.scope.status !== 'ok');
  return {
    instances: wanted.flatMap((p) => p.instances),
    series: wanted.flatMap((p) => p.series),
    calls: wanted[0]?.calls ?? {},
    scope: {
      cloud,
      account,
      region: wanted.map((p) => p.scope.region).join(',') || '*',
      status: failed[0]?.scope.status ?? 'ok',
      ...(failed.length ? { message: failed.map((p) => `${p.scope.region}: ${p.scope.message ?? p.scope.status}`).join('; ') } : {}),
      instanceCount: wanted.reduce((a, p) => a + p.instances.length, 0),
    },
  };
}
