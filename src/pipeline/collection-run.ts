import { z } from 'zod';
import type { CollectScope, CollectWindow, PartialSnapshot } from '../collectors/collector.js';
import type { CloudCollector } from '../collectors/run.js';
import { assembleSnapshot, collectScopeSafely, collectWindowAt, listScopes, runIdAt } from '../collectors/run.js';
import { CloudSchema } from '../domain/cloud.js';
import { InstanceSchema } from '../domain/instance.js';
import { InstanceTypeSchema } from '../domain/instance-type.js';
import type { Snapshot } from '../domain/snapshot.js';
import { OwnedCommitmentSchema, ScopeResultSchema, type ScopeResult } from '../domain/snapshot.js';
import { DEFAULT_TIMEOUTS } from '../collectors/deadline.js';
import { storeCollection } from './failed-runs.js';
import { decodeSeriesChunk, encodeSeriesChunk } from '../store/series-codec.js';
import type { Store } from '../store/store.js';

/**
 * The deployed collection, fanned out: a planner lists the scopes and writes a run manifest, one queue message per
 * scope is collected into a part, and whoever stores the last part assembles the snapshot. Run state lives in the
 * Store's blobs and its conditional claims, so it works the same on SQLite (tests, one machine) and DynamoDB/S3.
 */

const ScopeSchema = z.object({ cloud: CloudSchema, account: z.string().min(1), region: z.string().min(1) });
const WindowSchema = z.object({ startMs: z.number().int().nonnegative(), endMs: z.number().int().nonnegative() });

/** One queue message: collect this scope for this run. */
export const CollectMessageSchema = z.object({ runId: z.string().regex(/^collect-[0-9TZ-]+$/), scope: ScopeSchema, window: WindowSchema });
export type CollectMessage = z.infer<typeof CollectMessageSchema>;

const ManifestSchema = z.object({
  runId: z.string(),
  startedAtMs: z.number().int(),
  window: WindowSchema,
  scopes: z.array(ScopeSchema),
  /** Scopes that could not even be listed (an account whose role cannot be assumed). */
  planFailures: z.array(ScopeResultSchema),
  /** Set once the snapshot is written: the scheduled sweep never assembles a run twice (even after its snapshot is pruned). */
  finalizedAtMs: z.number().int().optional(),
});
export type RunManifest = z.infer<typeof ManifestSchema>;

const PartSchema = z.object({ scope: ScopeResultSchema, instances: z.array(InstanceSchema), series: z.string(), calls: z.record(z.string(), z.number()), types: z.array(InstanceTypeSchema).optional(), commitments: z.array(OwnedCommitmentSchema).optional() });

// Manifests apart from parts, so the hourly sweep lists one key per run, not one per scope.
const MANIFESTS_PREFIX = 'runs/manifests/';
const manifestKey = (runId: string) => `${MANIFESTS_PREFIX}${runId}.json`;
const partsPrefix = (runId: string) => `runs/parts/${runId}/`;
const partKey = (runId: string, scope: CollectScope) => `${partsPrefix(runId)}${encodeURIComponent(`${scope.cloud}|${scope.account}|${scope.region}`)}.json`;

/** Lists every enabled collector's scopes, stores the run manifest and returns one message per scope. */
export async function planCollection(store: Store, input: { nowMs: number; lookbackDays: number; collectors: readonly CloudCollector[]; scopeTimeoutMs?: number }): Promise<{ manifest: RunManifest; messages: CollectMessage[] }> {
  const runId = runIdAt(input.nowMs);
  const window = collectWindowAt(input.nowMs, input.lookbackDays);
  const scopes: CollectScope[] = [];
  const planFailures: ScopeResult[] = [];
  for (const out of await Promise.all(input.collectors.map((c) => listScopes(c, input.scopeTimeoutMs ?? DEFAULT_TIMEOUTS.scopeMs)))) {
    if ('failure' in out) planFailures.push(out.failure);
    else scopes.push(...out.scopes);
  }
  const manifest: RunManifest = { runId, startedAtMs: input.nowMs, window, scopes, planFailures };
  await store.putBlob(manifestKey(runId), 'application/json', JSON.stringify(manifest));
  return { manifest, messages: scopes.map((scope) => ({ runId, scope, window })) };
}

/** Collects one scope of a run and stores it as a part. Scope failures are statuses in the part, not exceptions. */
export async function collectPart(store: Store, message: CollectMessage, collector: CloudCollector, options: { scopeTimeoutMs?: number } = {}): Promise<PartialSnapshot['scope']> {
  const part = await collectScopeSafely(collector, message.scope, message.window, options.scopeTimeoutMs ?? DEFAULT_TIMEOUTS.scopeMs);
  const body = { scope: part.scope, instances: part.instances, series: encodeSeriesChunk(part.series).toString('base64'), calls: part.calls, ...(part.types ? { types: part.types } : {}), ...(part.commitments ? { commitments: part.commitments } : {}) };
  await store.putBlob(partKey(message.runId, message.scope), 'application/json', JSON.stringify(body));
  return part.scope;
}

export type FinalizeOutcome = 'finalized' | 'incomplete' | 'already-done' | 'claimed-by-other' | 'unknown-run';

export interface FinalizeOptions {
  nowMs: number;
  claimant: string;
  /** Assemble even with parts missing (their messages died): those scopes are recorded as errors. */
  force?: boolean;
  /** Runs on the assembled snapshot before it is written (Prometheus GPU series). */
  enrich?: (snapshot: Snapshot) => Promise<void>;
}

/**
 * Assembles the run's snapshot when every scope has a part (or when forced). Exactly one caller does it: the
 * finalize claim is the Store's conditional alert claim, so two collectors finishing together never write twice.
 */
export async function finalizeRun(store: Store, runId: string, options: FinalizeOptions): Promise<FinalizeOutcome> {
  const manifest = await readManifest(store, runId);
  if (!manifest) return 'unknown-run';
  if (manifest.finalizedAtMs !== undefined) return 'already-done';
  if (await store.getSnapshotMeta(runId)) {
    await markFinalized(store, manifest, options.nowMs);
    return 'already-done';
  }
  const partKeys = new Set(await store.listBlobs(partsPrefix(runId)));
  const missing = manifest.scopes.filter((s) => !partKeys.has(partKey(runId, s)));
  if (missing.length > 0 && !options.force) return 'incomplete';
  const claimKey = `run:${runId}:finalize`;
  const claim = await store.claimAlert(claimKey, options.claimant, options.nowMs);
  if (claim === 'already-sent') return 'already-done';
  if (claim === 'claimed-by-other') return 'claimed-by-other';
  try {
    const parts: Pick<PartialSnapshot, 'instances' | 'series' | 'scope' | 'types' | 'commitments'>[] = [];
    for (const key of [...partKeys].sort()) {
      const blob = await store.getBlob(key);
      if (!blob) continue;
      const parsed = PartSchema.safeParse(JSON.parse(blob.body));
      if (!parsed.success) throw new Error(`${key}: not a collection part: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
      parts.push({ scope: parsed.data.scope, instances: parsed.data.instances, series: decodeSeriesChunk(Buffer.from(parsed.data.series, 'base64'), key), ...(parsed.data.types ? { types: parsed.data.types } : {}), ...(parsed.data.commitments ? { commitments: parsed.data.commitments } : {}) });
    }
    const lost: ScopeResult[] = missing.map((s) => ({ ...s, status: 'error', message: 'not collected: its queue message failed every retry (see the dead-letter queue)', instanceCount: 0 }));
    const snapshot = assembleSnapshot({ id: runId, startedAtMs: manifest.startedAtMs, finishedAtMs: options.nowMs, window: manifest.window, parts, extraScopes: [...manifest.planFailures, ...lost] });
    await options.enrich?.(snapshot);
    // A run where every scope failed is recorded as failed, never as the latest snapshot.
    await storeCollection(store, snapshot);
    await store.markAlertSent(claimKey, options.nowMs);
    await markFinalized(store, manifest, options.nowMs);
    return 'finalized';
  } catch (err) {
    await store.releaseAlert(claimKey, (err as Error).message);
    throw err;
  }
}

/** Runs whose snapshot was never written: the scheduled analyzer finalizes them (forcing those older than `staleAfterMs`). */
export async function finalizePendingRuns(store: Store, options: Omit<FinalizeOptions, 'force'> & { staleAfterMs: number }): Promise<{ runId: string; outcome: FinalizeOutcome }[]> {
  const manifests = (await store.listBlobs(MANIFESTS_PREFIX)).filter((k) => k.endsWith('.json'));
  const out: { runId: string; outcome: FinalizeOutcome }[] = [];
  for (const key of manifests) {
    const runId = key.slice(MANIFESTS_PREFIX.length, -'.json'.length);
    const manifest = await readManifest(store, runId);
    if (!manifest || manifest.finalizedAtMs !== undefined) continue;
    const force = options.nowMs - manifest.startedAtMs >= options.staleAfterMs;
    out.push({ runId, outcome: await finalizeRun(store, runId, { ...options, force }) });
  }
  return out;
}

async function markFinalized(store: Store, manifest: RunManifest, nowMs: number): Promise<void> {
  await store.putBlob(manifestKey(manifest.runId), 'application/json', JSON.stringify({ ...manifest, finalizedAtMs: nowMs }));
}

async function readManifest(store: Store, runId: string): Promise<RunManifest | undefined> {
  const blob = await store.getBlob(manifestKey(runId));
  if (!blob) return undefined;
  const parsed = ManifestSchema.safeParse(JSON.parse(blob.body));
  if (!parsed.success) throw new Error(`${manifestKey(runId)}: not a run manifest: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

export type { CollectWindow };
