import { createHash } from 'node:crypto';
import type { Store } from '../store/store.js';

/**
 * Spend only changes when a snapshot or a bill import lands, so the hourly alerts schedule re-evaluates budgets only when there is a
 * new snapshot, a new UTC day (period boundaries, forecasts), changed budgets, or a send to retry. Each evaluation reads every
 * snapshot of the period; at 100,000 instances that is the difference between ~2 and 24 full reads a day.
 */
const KEY = 'alerts/last-evaluation.json';

interface LastEvaluation {
  snapshotId: string;
  utcDay: string;
  retryPending: boolean;
  /** Digest of the budgets evaluated: a budget added or changed in the config is evaluated at once. */
  budgetsSha256?: string;
  /** Newest bill import seen (epoch ms): budgets on a bill basis change when a bill lands, not a snapshot. */
  billImportedAtMs?: number;
}

export function budgetsDigest(budgets: unknown): string {
  return createHash('sha256').update(JSON.stringify(budgets)).digest('hex');
}

export async function alertsDue(store: Store, nowMs: number, budgetsSha256: string, billImportedAtMs?: number): Promise<{ due: boolean; latestId?: string; reason: string }> {
  const latest = await store.latestSnapshot();
  if (!latest) return { due: false, reason: 'no snapshot yet' };
  const blob = await store.getBlob(KEY);
  const last = blob ? (JSON.parse(blob.body) as Partial<LastEvaluation>) : undefined;
  const utcDay = new Date(nowMs).toISOString().slice(0, 10);
  if (!last || last.snapshotId !== latest.id) return { due: true, latestId: latest.id, reason: 'new snapshot' };
  if (last.utcDay !== utcDay) return { due: true, latestId: latest.id, reason: 'new day' };
  if (last.budgetsSha256 !== budgetsSha256) return { due: true, latestId: latest.id, reason: 'budgets changed' };
  if (billImportedAtMs !== undefined && billImportedAtMs !== last.billImportedAtMs) return { due: true, latestId: latest.id, reason: 'new bill import' };
  if (last.retryPending) return { due: true, latestId: latest.id, reason: 'a failed send to retry' };
  return { due: false, latestId: latest.id, reason: 'no new snapshot since the last evaluation today' };
}

export async function recordAlertsEvaluation(store: Store, snapshotId: string, nowMs: number, retryPending: boolean, budgetsSha256: string, billImportedAtMs?: number): Promise<void> {
  const body: LastEvaluation = { snapshotId, utcDay: new Date(nowMs).toISOString().slice(0, 10), retryPending, budgetsSha256, ...(billImportedAtMs !== undefined ? { billImportedAtMs } : {}) };
  await store.putBlob(KEY, 'application/json', JSON.stringify(body));
}
