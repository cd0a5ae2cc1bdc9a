import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { CloudCollector } from '../../src/collectors/run.js';
import { collectPart, finalizePendingRuns, finalizeRun, planCollection } from '../../src/pipeline/collection-run.js';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

const T0 = Date.UTC(2026, 10, 27, 5);
const HOUR = 3_600_000;
let dir: string;
let store: SqliteStore;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'rightsize-run-'));
  store = openSqliteStore({ dataDir: dir });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Two regions; eu-west-1's collection throws (an auth failure), which must become its status, not an exception. */
const collector: CloudCollector = {
  cloud: 'aws',
  scopes: async () => ['us-east-1', 'eu-west-1', 'ap-south-1'].map((region) => ({ cloud: 'aws' as const, account: '111111111111', region })),
  collect: async (scope, window) => {
    if (scope.region === 'eu-west-1') throw Object.assign(new Error('not authorized'), { name: 'UnauthorizedOperation' });
    const id = `i-${scope.region}`;
    const max = new Float32Array((window.endMs - window.startMs) / HOUR).fill(12);
    return {
      instances: [{ id, cloud: 'aws', account: scope.account, region: scope.region, type: 'm5.large', state: 'running', lifecycle: 'on-demand', os: 'linux', tags: {}, launchedAt: '2026-01-01T00:00:00.000Z' }],
      series: [{ instanceId: id, metric: 'cpu', startMs: window.startMs, max, mean: max }],
      calls: {},
      scope: { ...scope, status: 'ok', instanceCount: 1 },
    };
  },
};

it('assembles a run once all parts are in, or after the stale limit with lost scopes named, and never twice', async () => {
  const { manifest, messages } = await planCollection(store, { nowMs: T0, lookbackDays: 2, collectors: [collector] });
  expect(messages).toHaveLength(3);
  const [us, eu, ap] = messages;
  expect((await collectPart(store, us!, collector)).status).toBe('ok');
  expect((await collectPart(store, eu!, collector)).status).toBe('auth-failed');
  expect(await finalizeRun(store, manifest.runId, { nowMs: T0 + 60_000, claimant: 'a' })).toBe('incomplete');
  // The hourly sweep leaves a fresh incomplete run alone ...
  expect(await finalizePendingRuns(store, { nowMs: T0 + HOUR, claimant: 'sweep', staleAfterMs: 2 * HOUR })).toEqual([{ runId: manifest.runId, outcome: 'incomplete' }]);
  // ... and assembles it once stale: ap-south-1's message never arrived.
  expect(await finalizePendingRuns(store, { nowMs: T0 + 2 * HOUR, claimant: 'sweep', staleAfterMs: 2 * HOUR })).toEqual([{ runId: manifest.runId, outcome: 'finalized' }]);
  const meta = await store.getSnapshotMeta(manifest.runId);
  expect(meta?.instanceCount).toBe(1);
  expect(meta?.scopes.map((s) => `${s.region}:${s.status}`)).toEqual(['ap-south-1:error', 'eu-west-1:auth-failed', 'us-east-1:ok']);
  expect(meta?.scopes.find((s) => s.region === 'ap-south-1')?.message).toContain('dead-letter queue');
  // The late message arrives after all: its part is stored, but the run is not assembled again.
  await collectPart(store, ap!, collector);
  expect(await finalizeRun(store, manifest.runId, { nowMs: T0 + 3 * HOUR, claimant: 'late' })).toBe('already-done');
  // Even once the snapshot is pruned, the sweep does not resurrect the run.
  await store.writeSnapshot({ ...(await import('../helpers/fixtures-snapshot.js')).makeSnapshot('newer', T0 + 100 * 24 * HOUR, 1) });
  expect((await store.prune(T0 + 99 * 24 * HOUR)).snapshotsDeleted).toBe(1);
  expect(await store.getSnapshotMeta(manifest.runId)).toBeUndefined();
  expect(await finalizePendingRuns(store, { nowMs: T0 + 101 * 24 * HOUR, claimant: 'sweep', staleAfterMs: 2 * HOUR })).toEqual([]);
});

it('lets exactly one of several simultaneous finishers assemble the run', async () => {
  const { manifest, messages } = await planCollection(store, { nowMs: T0, lookbackDays: 2, collectors: [collector] });
  for (const m of messages) await collectPart(store, m, collector);
  const outcomes = await Promise.all(['a', 'b', 'c', 'd'].map((claimant) => finalizeRun(store, manifest.runId, { nowMs: T0 + 60_000, claimant })));
  expect(outcomes.filter((o) => o === 'finalized')).toHaveLength(1);
  expect(outcomes.filter((o) => o !== 'finalized').every((o) => o === 'claimed-by-other' || o === 'already-done')).toBe(true);
  expect((await store.listSnapshots({ limit: 10 })).items.map((m) => m.id)).toEqual([manifest.runId]);
});

it('a fanned-out run where every scope failed is recorded as a failed run and never becomes the latest snapshot', async () => {
  // A good run first: the one analyze, report, alerts and the API must keep reading.
  const good = await planCollection(store, { nowMs: T0, lookbackDays: 2, collectors: [collector] });
  for (const m of good.messages) await collectPart(store, m, collector);
  expect(await finalizeRun(store, good.manifest.runId, { nowMs: T0 + 60_000, claimant: 'a' })).toBe('finalized');

  const down: CloudCollector = { ...collector, collect: async () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' })) };
  const hung: CloudCollector = { ...collector, collect: () => new Promise(() => undefined) };
  const bad = await planCollection(store, { nowMs: T0 + HOUR, lookbackDays: 2, collectors: [down] });
  const [first, ...rest] = bad.messages;
  expect(await collectPart(store, first!, hung, { scopeTimeoutMs: 200 })).toMatchObject({ status: 'timeout' });
  for (const m of rest) expect((await collectPart(store, m, down)).status).toBe('error');
  expect(await finalizeRun(store, bad.manifest.runId, { nowMs: T0 + HOUR + 60_000, claimant: 'a' })).toBe('finalized');
  expect(await finalizeRun(store, bad.manifest.runId, { nowMs: T0 + HOUR + 120_000, claimant: 'b' })).toBe('already-done');

  expect(await store.getSnapshotMeta(bad.manifest.runId)).toBeUndefined();
  expect((await store.latestSnapshot())?.id).toBe(good.manifest.runId);
  const { latestFailedRun } = await import('../../src/pipeline/failed-runs.js');
  const failed = await latestFailedRun(store);
  expect(failed?.id).toBe(bad.manifest.runId);
  expect(failed?.scopes.map((s) => `${s.region}:${s.status}`).sort()).toEqual(['ap-south-1:error', 'eu-west-1:error', 'us-east-1:timeout']);
  expect(failed?.scopes.find((s) => s.region === 'eu-west-1')?.message).toBe('collect: connect ECONNREFUSED 127.0.0.1:9');
});
