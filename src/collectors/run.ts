import type { Config } from '../config.js';
import type { Cloud } from '../domain/cloud.js';
import type { Snapshot, ScopeResult } from '../domain/snapshot.js';
import type { UtilizationSeries } from '../domain/utilization.js';
import { HOUR_MS } from '../domain/utilization.js';
import type { CollectScope, CollectWindow, PartialSnapshot } from './collector.js';
import { DEFAULT_TIMEOUTS, withDeadline } from './deadline.js';
import { failureOf } from './failure.js';

/** How each cloud's scopes are listed and collected; injected so tests and the benchmark point at local servers. */
export interface CloudCollector {
  cloud: Cloud;
  /** Lists the scopes; `signal` aborts at the listing deadline (timeouts.scopeMs). */
  scopes(signal?: AbortSignal): Promise<CollectScope[]>;
  /** Collects one scope; `signal` aborts at the scope's deadline (timeouts.scopeMs). */
  collect(scope: CollectScope, window: CollectWindow, signal?: AbortSignal): Promise<PartialSnapshot>;
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
  /** Longest one scope (and one cloud's listing) may take, ms; default 10 minutes (config timeouts.scopeMs). */
  scopeTimeoutMs?: number;
  /** Called every `heartbeatMs` while scopes are still running, with those scopes and how long they have run. */
  onHeartbeat?: (running: readonly { scope: CollectScope; elapsedMs: number }[]) => void;
  heartbeatMs?: number;
  /** Monotonic clock for the heartbeat (tests inject one); default performance.now. */
  clockMs?: () => number;
}

/**
 * Runs every scope with bounded concurrency and merges the partial results into one snapshot. A scope that fails is
 * recorded with its status and message; it never drops the rest of the run's data.
 */
export async function collectAll(options: CollectAllOptions): Promise<Snapshot> {
  const window = collectWindowAt(options.nowMs, options.lookbackDays);
  const tasks: { collector: CloudCollector; scope: CollectScope }[] = [];
  const scopes: ScopeResult[] = [];
  const timeoutMs = options.scopeTimeoutMs ?? DEFAULT_TIMEOUTS.scopeMs;
  // Every cloud lists at once: one cloud's hung listing never holds up another's.
  const listed = await Promise.all(options.collectors.map((collector) => listScopes(collector, timeoutMs)));
  listed.forEach((out, k) => {
    const collector = options.collectors[k] as CloudCollector;
    if ('failure' in out) scopes.push(out.failure);
    else for (const scope of out.scopes) tasks.push({ collector, scope });
  });
  options.onPlanned?.(tasks.map((t) => t.scope));
  const parts: PartialSnapshot[] = [];
  const clock = options.clockMs ?? (() => performance.now());
  const running = new Map<CollectScope, number>();
  const heartbeat =
    options.onHeartbeat && (options.heartbeatMs ?? 0) > 0
      ? setInterval(() => {
          const now = clock();
          if (running.size > 0) options.onHeartbeat?.([...running].map(([scope, startedMs]) => ({ scope, elapsedMs: now - startedMs })));
        }, options.heartbeatMs)
      : undefined;
  heartbeat?.unref();
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const task = tasks[next++] as (typeof tasks)[number];
      running.set(task.scope, clock());
      const part = await collectScopeSafely(task.collector, task.scope, window, timeoutMs);
      running.delete(task.scope);
      parts.push(part);
      options.onScopeDone?.(part.scope);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  } finally {
    clearInterval(heartbeat);
  }
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

/** A cloud's scopes, or the one result saying why they could not be listed (never an exception, never a hang). */
export async function listScopes(collector: CloudCollector, timeoutMs: number = DEFAULT_TIMEOUTS.scopeMs): Promise<{ scopes: CollectScope[] } | { failure: ScopeResult }> {
  try {
    return { scopes: await withDeadline(`${collector.cloud}: listing scopes`, timeoutMs, (signal) => collector.scopes(signal)) };
  } catch (err) {
    return { failure: { cloud: collector.cloud, account: '*', region: '*', ...failureOf(collector.cloud, 'listing scopes', err), instanceCount: 0 } };
  }
}

/**
 * Collects one scope within `timeoutMs`; any failure (an exception, a hang past the deadline) becomes the scope's
 * named status instead of an exception.
 */
export async function collectScopeSafely(collector: CloudCollector, scope: CollectScope, window: CollectWindow, timeoutMs: number = DEFAULT_TIMEOUTS.scopeMs): Promise<PartialSnapshot> {
  const label = `${scope.cloud}/${scope.account}/${scope.region}`;
  try {
    const part = await withDeadline(label, timeoutMs, (signal) => collector.collect(scope, window, signal));
    return withNoDataStatus(part);
  } catch (err) {
    return { instances: [], series: [], calls: {}, scope: { ...scope, ...failureOf(scope.cloud, 'collect', err), instanceCount: 0 } };
  }
}

/** `no-data`: the scope has running instances and collection succeeded, yet no utilization series came back. */
function withNoDataStatus(part: PartialSnapshot): PartialSnapshot {
  const running = part.instances.filter((i) => i.state === 'running').length;
  if (part.scope.status !== 'ok' || running === 0 || part.series.length > 0) return part;
  const note = `${running} running instance${running > 1 ? 's' : ''} but no utilization metrics in the window (monitoring disabled, or no permission to read it)`;
  return { ...part, scope: { ...part.scope, status: 'no-data', message: part.scope.message ? `${note}; ${part.scope.message}` : note } };
}

/**
 * A run where no scope yielded anything usable: every scope (and every listing) failed. Such a snapshot is never
 * stored as the latest (see pipeline/failed-runs.ts); `no-data` counts as usable (the inventory is there).
 */
export function allScopesFailed(scopes: readonly ScopeResult[]): boolean {
  return !scopes.some((s) => s.status === 'ok' || s.status === 'no-data');
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
      ...(failed.length ? { message: failed.map((p) => `${p.scope.region === '*' ? '' : `${p.scope.region}: `}${p.scope.message ?? p.scope.status}`).join('; ') } : {}),
      instanceCount: wanted.reduce((a, p) => a + p.instances.length, 0),
    },
  };
}
