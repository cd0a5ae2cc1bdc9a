import type { Catalog } from '../catalog/catalog.js';
import { withExtraTypes } from '../catalog/extend.js';
import { createHash } from 'node:crypto';
import { analyzeSnapshot } from '../engine/analyze.js';
import { evaluatePolicies, type PolicyEvaluation } from '../engine/evaluate.js';
import { CANDIDATE_POLICIES } from '../engine/validation.js';
import type { EngineSettings } from '../engine/settings.js';
import { RightsizeError } from '../errors.js';
import type { AnalysisResults, Store } from '../store/store.js';
import type { BillingConfig } from '../config.js';
import type { SpendLedger } from '../store/spend/spend-ledger.js';
import { billPricing } from './bill-pricing.js';

const markerKey = (snapshotId: string) => `analysis/${snapshotId}.json`;

/**
 * Runs the engine over one stored snapshot, streaming its series, and writes the results (replacing earlier ones)
 * and then a marker saying the snapshot is analyzed.
 */
export async function analyzeStored(input: {
  store: Store;
  catalog: Catalog;
  settings: EngineSettings;
  snapshotId: string;
  nowMs: number;
  onInstance?: () => void;
  /** The imported bill: negotiated prices and owned commitments (billing.negotiatedPrices / ownedCommitments). */
  bill?: { ledger: SpendLedger; billing: Pick<BillingConfig, 'negotiatedPrices' | 'ownedCommitments'> };
}): Promise<AnalysisResults> {
  const { store, snapshotId } = input;
  const meta = await store.getSnapshotMeta(snapshotId);
  if (!meta) throw new RightsizeError(`snapshot ${snapshotId} not found in the store`);
  const instances = await store.instances(snapshotId);
  const onInstance = input.onInstance;
  // A factory: policy auto reads the series twice (validation, then analysis). Progress counts the analysis pass.
  let pass = 0;
  const seriesByInstance = () => {
    pass++;
    const count = onInstance !== undefined && (pass === 2 || input.settings.policy !== 'auto');
    return count
      ? (async function* () {
          for await (const group of store.seriesByInstance(snapshotId)) {
            onInstance();
            yield group;
          }
        })()
      : store.seriesByInstance(snapshotId);
  };
  const catalog = withExtraTypes(input.catalog, meta.types);
  const priced = input.bill ? await billPricing({ ledger: input.bill.ledger, meta, instances, catalog, billing: input.bill.billing }) : undefined;
  const results = await analyzeSnapshot({
    meta, instances, seriesByInstance, catalog, settings: input.settings, nowMs: input.nowMs,
    ...(priced?.catalogFor ? { catalogFor: priced.catalogFor } : {}), ...(priced?.billCommitments ? { billCommitments: priced.billCommitments } : {}),
  });
  await store.writeResults(results);
  if (results.policyEvaluation) await store.putBlob(policyEvaluationKey(snapshotId, input.settings), 'application/json', JSON.stringify(results.policyEvaluation));
  await store.putBlob(markerKey(snapshotId), 'application/json', JSON.stringify({ snapshotId, analyzedAtMs: input.nowMs, recommendations: results.recommendations.length, skips: results.skips.length, plans: results.plans.length }));
  return results;
}

/** Where a snapshot's policy evaluation is kept; the settings' and candidates' fingerprint is part of it, so a changed config re-evaluates. */
export function policyEvaluationKey(snapshotId: string, settings: EngineSettings): string {
  // The candidate list is part of the key: a release that changes the candidates evaluates afresh.
  return `policy-evaluations/${snapshotId}/${createHash('sha256').update(JSON.stringify([settings, CANDIDATE_POLICIES])).digest('hex').slice(0, 16)}.json`;
}

/**
 * The walk-forward evaluation of every candidate policy on a stored snapshot: kept from the analysis when policy
 * auto ran it, else computed now (one pass over the series) and kept for the next caller.
 */
export async function policyEvaluationFor(input: { store: Store; catalog: Catalog; settings: EngineSettings; snapshotId: string }): Promise<PolicyEvaluation> {
  const { store, snapshotId, settings } = input;
  const key = policyEvaluationKey(snapshotId, settings);
  const kept = await store.getBlob(key);
  if (kept) return JSON.parse(kept.body) as PolicyEvaluation;
  const meta = await store.getSnapshotMeta(snapshotId);
  if (!meta) throw new RightsizeError(`snapshot ${snapshotId} not found in the store`);
  const instances = await store.instances(snapshotId);
  const catalog = withExtraTypes(input.catalog, meta.types);
  const evaluation = await evaluatePolicies({ meta, instances, seriesByInstance: store.seriesByInstance(snapshotId), catalog, settings });
  await store.putBlob(key, 'application/json', JSON.stringify(evaluation));
  return evaluation;
}

export async function isAnalyzed(store: Store, snapshotId: string): Promise<boolean> {
  return (await store.getBlob(markerKey(snapshotId))) !== undefined;
}
