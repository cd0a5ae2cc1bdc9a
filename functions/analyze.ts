/**
 * Lambda handler: analyzes snapshots. Triggered by the analyze queue when a collection run completes, and on a
 * schedule, when it also finalizes runs left unfinished (a collector that died after storing the last part, or
 * messages that went to the dead-letter queue) and analyzes the latest snapshot if nothing has yet.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { addPrometheusGpu } from '../src/collectors/prometheus/enrich.js';
import { isSqsEvent, type SqsBatchResponse } from '../src/deploy/events.js';
import { runtime } from '../src/deploy/runtime.js';
import { analyzeStored, isAnalyzed } from '../src/pipeline/analyze-run.js';
import { finalizePendingRuns } from '../src/pipeline/collection-run.js';

const AnalyzeMessageSchema = z.object({ snapshotId: z.string().min(1) });
/** A run still missing parts this long after it started is finalized with those scopes marked as errors. */
const STALE_RUN_MS = 2 * 3_600_000;

export async function handler(event: unknown): Promise<SqsBatchResponse | { finalized: string[]; analyzed: string[] }> {
  const { config, catalog, store, env, ledger: openLedger } = await runtime();
  const bill = { ledger: await openLedger(), billing: config.billing };
  if (isSqsEvent(event)) {
    const batchItemFailures: { itemIdentifier: string }[] = [];
    for (const record of event.Records) {
      try {
        const { snapshotId } = AnalyzeMessageSchema.parse(JSON.parse(record.body));
        const results = await analyzeStored({ store, catalog, settings: config.engine, snapshotId, nowMs: Date.now(), bill });
        console.log(JSON.stringify({ msg: 'analyze', snapshotId, recommendations: results.recommendations.length, skips: results.skips.length, plans: results.plans.length }));
      } catch (err) {
        console.log(JSON.stringify({ msg: 'analyze failed', messageId: record.messageId, error: (err as Error).message }));
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  }
  const nowMs = Date.now();
  const runs = await finalizePendingRuns(store, { nowMs, claimant: randomUUID(), staleAfterMs: STALE_RUN_MS, enrich: (s) => addPrometheusGpu(s, config.prometheus, env) });
  const finalized = runs.filter((r) => r.outcome === 'finalized').map((r) => r.runId);
  const analyzed: string[] = [];
  const latest = await store.latestSnapshot();
  if (latest && !(await isAnalyzed(store, latest.id))) {
    await analyzeStored({ store, catalog, settings: config.engine, snapshotId: latest.id, nowMs, bill });
    analyzed.push(latest.id);
  }
  console.log(JSON.stringify({ msg: 'analyze (scheduled)', finalized, analyzed, pending: runs.filter((r) => r.outcome !== 'finalized') }));
  return { finalized, analyzed };
}
