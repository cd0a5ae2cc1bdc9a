/**
 * Lambda handler (schedule): lists every enabled cloud's scopes (account/project/subscription × region), stores the
 * run manifest and sends one SQS message per scope to that cloud's collect queue.
 */
import { randomUUID } from 'node:crypto';
import { awsCollector } from '../src/collectors/aws/collector.js';
import type { CloudCollector } from '../src/collectors/run.js';
import { azureScopes, gcpScopes } from '../src/collectors/scopes.js';
import type { Cloud } from '../src/domain/cloud.js';
import { sqsQueue } from '../src/deploy/queue.js';
import { runtime } from '../src/deploy/runtime.js';
import { finalizeRun, planCollection } from '../src/pipeline/collection-run.js';

/** Lists scopes only: the GCP and Azure SDKs are not needed for that and stay out of this bundle. */
function scopeLister(cloud: Cloud, scopes: () => Promise<{ cloud: Cloud; account: string; region: string }[]>): CloudCollector {
  return { cloud, scopes, collect: () => Promise.reject(new Error('the planner does not collect')) };
}

export async function handler(): Promise<{ runId: string; scopes: number; sent: Partial<Record<Cloud, number>> }> {
  const { config, store, env } = await runtime();
  const collectors: CloudCollector[] = [];
  if (config.aws.enabled) collectors.push(await awsCollector(config.aws, env));
  if (config.gcp.enabled) collectors.push(scopeLister('gcp', async () => gcpScopes(config.gcp)));
  if (config.azure.enabled) collectors.push(scopeLister('azure', async () => azureScopes(config.azure)));
  const { manifest, messages } = await planCollection(store, { nowMs: Date.now(), lookbackDays: config.engine.lookbackDays, collectors, scopeTimeoutMs: config.timeouts.scopeMs });
  const sent: Partial<Record<Cloud, number>> = {};
  for (const cloud of ['aws', 'gcp', 'azure'] as const) {
    const forCloud = messages.filter((m) => m.scope.cloud === cloud);
    if (forCloud.length === 0) continue;
    const url = env[`RIGHTSIZE_COLLECT_QUEUE_URL_${cloud.toUpperCase()}`];
    if (!url) throw new Error(`RIGHTSIZE_COLLECT_QUEUE_URL_${cloud.toUpperCase()} is not set: ${cloud} is enabled but has no collect queue`);
    sent[cloud] = (await sqsQueue(url).send(forCloud)).sent;
  }
  // Nothing to collect (every listing failed): the run is complete as it stands, with its failures recorded.
  if (messages.length === 0) await finalizeRun(store, manifest.runId, { nowMs: Date.now(), claimant: randomUUID() });
  console.log(JSON.stringify({ msg: 'plan-collection', runId: manifest.runId, scopes: messages.length, sent, planFailures: manifest.planFailures }));
  return { runId: manifest.runId, scopes: messages.length, sent };
}
