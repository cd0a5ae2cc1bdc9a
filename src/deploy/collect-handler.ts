import { randomUUID } from 'node:crypto';
import { addPrometheusGpu } from '../collectors/prometheus/enrich.js';
import type { CloudCollector } from '../collectors/run.js';
import { collectPart, CollectMessageSchema, finalizeRun } from '../pipeline/collection-run.js';
import { SqsEventSchema, type SqsBatchResponse } from './events.js';
import { sqsQueue } from './queue.js';
import { runtime, type Runtime } from './runtime.js';

/**
 * The SQS consumer of one cloud's collect queue. A scope that fails to collect is a status in its part (the message
 * succeeds: retrying an auth failure helps nobody); a message that cannot be parsed, or whose part cannot be stored,
 * is reported as a batch item failure so SQS retries it and finally moves it to the dead-letter queue.
 */
export function collectHandler(makeCollector: (rt: Runtime) => Promise<CloudCollector>): (event: unknown) => Promise<SqsBatchResponse> {
  let collector: Promise<CloudCollector> | undefined;
  return async (event) => {
    const rt = await runtime();
    collector ??= makeCollector(rt);
    const c = await collector;
    const { Records } = SqsEventSchema.parse(event);
    const batchItemFailures: { itemIdentifier: string }[] = [];
    const runs = new Set<string>();
    for (const record of Records) {
      let body: unknown;
      try {
        body = JSON.parse(record.body);
      } catch {
        body = undefined;
      }
      const message = CollectMessageSchema.safeParse(body);
      if (!message.success || message.data.scope.cloud !== c.cloud) {
        const detail = message.success ? `scope.cloud: ${message.data.scope.cloud} sent to the ${c.cloud} queue` : `${message.error.issues[0]?.path.join('.') ?? '(body)'}: ${message.error.issues[0]?.message ?? 'not JSON'}`;
        console.log(JSON.stringify({ msg: 'collect: malformed message', messageId: record.messageId, detail }));
        batchItemFailures.push({ itemIdentifier: record.messageId });
        continue;
      }
      try {
        const scope = await collectPart(rt.store, message.data, c, { scopeTimeoutMs: rt.config.timeouts.scopeMs });
        runs.add(message.data.runId);
        console.log(JSON.stringify({ msg: 'collect', runId: message.data.runId, scope: `${scope.cloud}/${scope.account}/${scope.region}`, status: scope.status, instances: scope.instanceCount, ...(scope.message ? { detail: scope.message } : {}) }));
      } catch (err) {
        console.log(JSON.stringify({ msg: 'collect: storing the part failed', messageId: record.messageId, error: (err as Error).message }));
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    for (const runId of runs) {
      try {
        const outcome = await finalizeRun(rt.store, runId, { nowMs: Date.now(), claimant: randomUUID(), enrich: (s) => addPrometheusGpu(s, rt.config.prometheus, rt.env) });
        console.log(JSON.stringify({ msg: 'finalize', runId, outcome }));
        const analyzeQueue = rt.env['RIGHTSIZE_ANALYZE_QUEUE_URL'];
        if (outcome === 'finalized' && analyzeQueue) await sqsQueue(analyzeQueue).send([{ snapshotId: runId }]);
      } catch (err) {
        // The parts are stored; the scheduled analyzer finalizes runs left unfinished.
        console.log(JSON.stringify({ msg: 'finalize failed', runId, error: (err as Error).message }));
      }
    }
    return { batchItemFailures };
  };
}
