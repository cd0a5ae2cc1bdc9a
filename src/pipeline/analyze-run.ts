import type { Catalog } from '../catalog/catalog.js';
import { withExtraTypes } from '../catalog/extend.js';
import { analyzeSnapshot } from '../engine/analyze.js';
import type { EngineSettings } from '../engine/settings.js';
import { RightsizeError } from '../errors.js';
import type { AnalysisResults, Store } from '../store/store.js';

const markerKey = (snapshotId: string) => `analysis/${snapshotId}.json`;

/**
 * Runs the engine over one stored snapshot, streaming its series, and writes the results (replacing earlier ones)
 * and then a marker saying the snapshot is analyzed.
 */
export async function analyzeStored(input: { store: Store; catalog: Catalog; settings: EngineSettings; snapshotId: string; nowMs: number; onInstance?: () => void }): Promise<AnalysisResults> {
  const { store, snapshotId } = input;
  const meta = await store.getSnapshotMeta(snapshotId);
  if (!meta) throw new RightsizeError(`snapshot ${snapshotId} not found in the store`);
  const instances = await store.instances(snapshotId);
  const onInstance = input.onInstance;
  const seriesByInstance = onInstance
    ? (async function* () {
        for await (const group of store.seriesByInstance(snapshotId)) {
          onInstance();
          yield group;
        }
      })()
    : store.seriesByInstance(snapshotId);
  const catalog = withExtraTypes(input.catalog, meta.types);
  const results = await analyzeSnapshot({ meta, instances, seriesByInstance, catalog, settings: input.settings, nowMs: input.nowMs });
  await store.writeResults(results);
  await store.putBlob(markerKey(snapshotId), 'application/json', JSON.stringify({ snapshotId, analyzedAtMs: input.nowMs, recommendations: results.recommendations.length, skips: results.skips.length, plans: results.plans.length }));
  return results;
}

export async function isAnalyzed(store: Store, snapshotId: string): Promise<boolean> {
  return (await store.getBlob(markerKey(snapshotId))) !== undefined;
}
