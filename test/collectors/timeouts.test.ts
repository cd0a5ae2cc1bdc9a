import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import { awsCollector } from '../../src/collectors/aws/collector.js';
import { azureCollector } from '../../src/collectors/azure/collector.js';
import { gcpCollector } from '../../src/collectors/gcp/collector.js';
import { addPrometheusGpu } from '../../src/collectors/prometheus/enrich.js';
import { collectAll } from '../../src/collectors/run.js';
import { ConfigSchema } from '../../src/config.js';
import type { Snapshot } from '../../src/domain/snapshot.js';
import { refreshPrices } from '../../src/pipeline/refresh-prices.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { startBlackhole } from '../helpers/blackhole.js';

/**
 * Every outbound call against a listener that accepts and never answers: each run ends within its configured
 * timeouts.scopeMs plus 10 %, with the scope's status `timeout`. The deadline is what ends them (the per-request
 * timeouts are shorter, but the SDKs retry), so the bound is the deadline's, not a guess about retries.
 */
const timeouts = { connectMs: 500, requestMs: 1_000, scopeMs: 4_000, heartbeatMs: 0 };
const BOUND_MS = timeouts.scopeMs * 1.1;
const NOW = Date.UTC(2026, 10, 20, 12);
const SUB = '6b1c2d3e-4f50-4a61-8b72-9c8d7e6f5a40';
let hole: Awaited<ReturnType<typeof startBlackhole>>;
const saved = { ...process.env };
beforeAll(async () => {
  hole = await startBlackhole();
  // Loading the SDKs is not waiting on the network: warm them so each bound measures only the waiting.
  await Promise.all([import('@aws-sdk/client-pricing'), import('@aws-sdk/client-ec2'), import('@aws-sdk/client-cloudwatch'), import('@azure/arm-compute'), import('../../src/collectors/prices/aws.js'), import('../../src/collectors/prices/azure.js'), import('../../src/collectors/prices/spot-advisor.js')]);
  // The AWS SDK's default chain reads these; this file runs in its own worker.
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDLOCALTEST', AWS_SECRET_ACCESS_KEY: 'local-secret', AWS_EC2_METADATA_DISABLED: 'true' });
});
afterAll(async () => {
  await hole.close();
  process.env = saved;
});

async function timed<T>(work: () => Promise<T>): Promise<{ out: T; ms: number }> {
  const started = performance.now();
  const out = await work();
  return { out, ms: performance.now() - started };
}

describe('a blackhole endpoint', () => {
  it('AWS: the scope ends at its deadline with status timeout', async () => {
    const config = ConfigSchema.parse({ aws: { enabled: true, regions: ['us-east-1'], endpoints: { ec2: hole.url, cloudwatch: hole.url } }, timeouts });
    const collector = await awsCollector(config.aws, {}, undefined, config.timeouts);
    const { out, ms } = await timed(() => collectAll({ nowMs: NOW, lookbackDays: 1, collectors: [collector], scopeTimeoutMs: timeouts.scopeMs }));
    expect(ms).toBeLessThan(BOUND_MS);
    expect(out.scopes).toEqual([{ cloud: 'aws', account: 'self', region: 'us-east-1', status: 'timeout', message: 'aws/self/us-east-1: no answer within 4 s (timeouts.scopeMs) while waiting on ec2:DescribeInstances', instanceCount: 0 }]);
    expect(hole.connections()).toBeGreaterThan(0);
  });

  it('Azure: the subscription ends within its deadline (its request timeout, not retried) with status timeout', async () => {
    const config = ConfigSchema.parse({ azure: { enabled: true, subscriptions: [SUB], endpoints: { arm: hole.url } }, timeouts });
    const credential = { getToken: async () => ({ token: 'local', expiresOnTimestamp: NOW + 3_600_000 }) };
    const collector = await azureCollector(config.azure, () => 16, { timeouts: config.timeouts, credential });
    const { out, ms } = await timed(() => collectAll({ nowMs: NOW, lookbackDays: 1, collectors: [collector], scopeTimeoutMs: timeouts.scopeMs }));
    expect(ms).toBeLessThan(BOUND_MS);
    expect(out.scopes).toEqual([{ cloud: 'azure', account: SUB, region: '*', status: 'timeout', message: 'virtualMachines.listAll: no answer in time (timeouts.requestMs)', instanceCount: 0 }]);
  });

  it('GCP: the project ends at its deadline with status timeout', async () => {
    const config = ConfigSchema.parse({ gcp: { enabled: true, projects: ['p1'], endpoints: { compute: hole.url, monitoring: hole.url } }, timeouts });
    const authClient = { getRequestHeaders: async () => new Headers(), fetch: (url: string, init: RequestInit) => fetch(url, init) };
    const collector = await gcpCollector(config.gcp, { timeouts: config.timeouts, authClient });
    const { out, ms } = await timed(() => collectAll({ nowMs: NOW, lookbackDays: 1, collectors: [collector], scopeTimeoutMs: timeouts.scopeMs }));
    expect(ms).toBeLessThan(BOUND_MS);
    expect(out.scopes).toMatchObject([{ cloud: 'gcp', account: 'p1', status: 'timeout' }]);
  });

  it('Prometheus: the source ends within its request timeout with status timeout, naming the query', async () => {
    const snapshot = { id: 's', source: 'collect', startedAt: new Date(NOW).toISOString(), finishedAt: new Date(NOW).toISOString(), windowStartMs: NOW - 86_400_000, windowEndMs: NOW, scopes: [], instanceCount: 0, instances: [], series: [] } as Snapshot;
    const config = ConfigSchema.parse({ prometheus: { enabled: true, url: hole.url }, timeouts });
    const { ms } = await timed(() => addPrometheusGpu(snapshot, config.prometheus, {}, config.timeouts));
    expect(ms).toBeLessThan(BOUND_MS);
    expect(snapshot.sources).toEqual([{ kind: 'prometheus', endpoint: new URL(hole.url).host, status: 'timeout', message: `prometheus query_range: no answer from ${new URL(hole.url).host} within 1000 ms (timeouts.requestMs)`, instancesMatched: 0 }]);
  });

  it('prices: AWS (Price List, spot, Spot Advisor) and Azure (Retail Prices) all end within one deadline, each region timeout', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rightsize-timeouts-'));
    const store = openSqliteStore({ dataDir: dir });
    try {
      const config = ConfigSchema.parse({
        aws: { enabled: true, regions: ['us-east-1'], endpoints: { ec2: hole.url, pricing: hole.url, spotAdvisor: `${hole.url}/feed.json` } },
        azure: { enabled: true, regions: ['eastus'], endpoints: { retailPrices: hole.url } },
        timeouts,
      });
      const { out, ms } = await timed(() => refreshPrices({ config, catalog: loadCatalog(), store, nowMs: NOW }));
      expect(ms).toBeLessThan(BOUND_MS);
      expect(out.written).toEqual([]);
      expect(out.scopes.map((s) => `${s.cloud}/${s.account}/${s.region}:${s.status}`)).toEqual(['aws/prices/us-east-1:timeout', 'aws/spot-advisor/*:timeout', 'azure/prices/eastus:timeout']);
      expect(out.scopes.find((s) => s.account === 'spot-advisor')?.message).toMatch(/^Spot Instance Advisor feed: GET 127\.0\.0\.1:\d+: no answer within 1000 ms/);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
