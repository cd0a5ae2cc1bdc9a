import type { Cloud } from '../domain/cloud.js';
import type { Instance, InstanceState } from '../domain/instance.js';
import type { PurchasePlan } from '../domain/purchase-plan.js';
import type { Recommendation, RecommendationKind, Skip } from '../domain/recommendation.js';
import type { Snapshot, SnapshotMeta } from '../domain/snapshot.js';
import type { UtilizationSeries } from '../domain/utilization.js';

/** A page of a list: `nextCursor` is opaque to callers and absent on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export interface PageRequest {
  limit: number;
  cursor?: string;
}

export interface InstanceFilter {
  cloud?: Cloud;
  account?: string;
  region?: string;
  type?: string;
  state?: InstanceState;
  /** `key` or `key=value`. */
  tag?: string;
}

export interface RecommendationFilter {
  cloud?: Cloud;
  account?: string;
  region?: string;
  kind?: RecommendationKind;
  minMonthlySavingsUsd?: number;
  sort?: 'savings' | 'risk';
}

/** Results of analyzing one snapshot; written together, replacing any earlier results for that snapshot. */
export interface AnalysisResults {
  snapshotId: string;
  recommendations: Recommendation[];
  skips: Skip[];
  plans: PurchasePlan[];
}

/** Result of claiming a one-time notification (budget alert): only the first claimant may send. */
export type ClaimResult = 'claimed' | 'already-sent' | 'claimed-by-other';

/**
 * Persistence for snapshots, analysis results, alerts and reports.
 * Implementations: SQLite (embedded default) and DynamoDB+S3 (deployed). Both must pass test/store/contract.
 * Snapshot writes are atomic: readers see the previous snapshot or the new one, never half.
 */
export interface Store {
  writeSnapshot(snapshot: Snapshot): Promise<void>;
  /** Most recent completed snapshot, or undefined when none was written. */
  latestSnapshot(): Promise<SnapshotMeta | undefined>;
  getSnapshotMeta(id: string): Promise<SnapshotMeta | undefined>;
  listSnapshots(page: PageRequest): Promise<Page<SnapshotMeta>>;
  /** Snapshots whose finishedAt lies in [fromMs, toMs), oldest first (spend ledger input). */
  snapshotsBetween(fromMs: number, toMs: number): Promise<SnapshotMeta[]>;
  listInstances(snapshotId: string, filter: InstanceFilter, page: PageRequest): Promise<Page<Instance>>;
  /** All instances of a snapshot (engine input). */
  instances(snapshotId: string): Promise<Instance[]>;
  getInstance(snapshotId: string, instanceId: string): Promise<Instance | undefined>;
  /** All series of one instance in a snapshot. */
  seriesFor(snapshotId: string, instanceId: string): Promise<UtilizationSeries[]>;
  /** Streams every series of a snapshot, grouped by instance, so the engine never holds all of them. */
  seriesByInstance(snapshotId: string): AsyncIterable<{ instanceId: string; series: UtilizationSeries[] }>;

  writeResults(results: AnalysisResults): Promise<void>;
  listRecommendations(snapshotId: string, filter: RecommendationFilter, page: PageRequest): Promise<Page<Recommendation>>;
  /**
   * Optional fast path for the API's busiest list: the same page as `listRecommendations`, with each item as the
   * JSON text the store holds (written by this process from validated values), so it is served without a
   * parse/serialize round trip.
   */
  listRecommendationsJson?(snapshotId: string, filter: RecommendationFilter, page: PageRequest): Promise<{ itemsJson: string[]; nextCursor?: string }>;
  getRecommendation(id: string): Promise<Recommendation | undefined>;
  /**
   * Optional: a token that changes whenever stored data may have changed: at once for this connection's writes,
   * within a short interval (SQLite: 100 ms) for other processes'. Readers use it to cache derived responses.
   */
  changeToken?(): string;
  listSkips(snapshotId: string): Promise<Skip[]>;
  listPurchasePlans(snapshotId: string): Promise<PurchasePlan[]>;
  getPurchasePlan(snapshotId: string, pool: string): Promise<PurchasePlan | undefined>;

  /**
   * Conditional write: the first caller for `key` gets 'claimed'; later callers see who holds it. A claim not sent or
   * released within the lease (15 minutes: a run that died mid-send) can be claimed again.
   */
  claimAlert(key: string, claimant: string, nowMs: number): Promise<ClaimResult>;
  markAlertSent(key: string, nowMs: number): Promise<void>;
  /** Releases a claim whose send failed so the next run retries; never releases a sent alert. */
  releaseAlert(key: string, error: string): Promise<void>;

  putBlob(key: string, contentType: string, body: string): Promise<void>;
  getBlob(key: string): Promise<{ contentType: string; body: string } | undefined>;
  listBlobs(prefix: string): Promise<string[]>;

  /** Deletes snapshots (and their results) that finished before `beforeMs`, always keeping the latest. */
  prune(beforeMs: number): Promise<{ snapshotsDeleted: number }>;
  close(): Promise<void>;
}
