import { allScopesFailed } from '../collectors/run.js';
import type { Snapshot, SnapshotMeta } from '../domain/snapshot.js';
import { SnapshotMetaSchema } from '../domain/snapshot.js';
import type { Store } from '../store/store.js';

/**
 * A collection where every scope failed is kept, but not as a snapshot: `Store.latestSnapshot()` is what analyze,
 * report, alerts and the API read, and an empty failed run must never replace the last good one there. Its meta
 * (scopes with their statuses and messages) is kept as a blob under `runs/failed/`, where `rightsize doctor` and a
 * person debugging the run find it.
 */
const FAILED_PREFIX = 'runs/failed/';

export type StoredAs = 'snapshot' | 'failed-run';

/** Writes a collected snapshot, or records it as a failed run when no scope yielded anything usable. */
export async function storeCollection(store: Store, snapshot: Snapshot): Promise<StoredAs> {
  if (!allScopesFailed(snapshot.scopes)) {
    await store.writeSnapshot(snapshot);
    return 'snapshot';
  }
  const { instances: _instances, series: _series, ...meta } = snapshot;
  await store.putBlob(`${FAILED_PREFIX}${snapshot.id}.json`, 'application/json', JSON.stringify(meta satisfies SnapshotMeta));
  return 'failed-run';
}

/** The most recent failed run's meta, if any (ids sort by start time). */
export async function latestFailedRun(store: Store): Promise<SnapshotMeta | undefined> {
  const keys = (await store.listBlobs(FAILED_PREFIX)).filter((k) => k.endsWith('.json')).sort();
  const last = keys.at(-1);
  if (!last) return undefined;
  const blob = await store.getBlob(last);
  const parsed = blob ? SnapshotMetaSchema.safeParse(JSON.parse(blob.body)) : undefined;
  return parsed?.success ? parsed.data : undefined;
}
