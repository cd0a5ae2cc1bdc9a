import type { Config } from '../config.js';
import type { Snapshot, ScopeResult } from '../domain/snapshot.js';
import type { Instance } from '../domain/instance.js';
import type { UtilizationSeries } from '../domain/utilization.js';
import { HOUR_MS } from '../domain/utilization.js';
import type { CollectScope, CollectWindow, PartialSnapshot } from './collector.js';
import { statusOfError } from './collector.js';

/** How each cloud's scopes are listed and collected; injected so tests and the benchmark point at local servers. */
export interface CloudCollector {
  scopes(): Promise<CollectScope[]>;
  collect(scope: CollectScope, window: CollectWindow): Promise<PartialSnapshot>;
}

export interface CollectAllOptions {
  nowMs: number;
  lookbackDays: number;
  collectors: CloudCollector[];
  /** Scopes collected at once; each scope's own API calls are sequential, so this bounds per-API concurrency too. */
  concurrency?: number;
  onScopeDone?: (scope: ScopeResult) => void;
}

/**
 * Runs every scope with bounded concurrency and merges the partial results into one snapshot. A scope that fails is
 * recorded with its status and message; it never drops the rest of the run's data.
 */
export async function collectAll(options: CollectAllOptions): Promise<Snapshot> {
  const startedAt = new Date(options.nowMs).toISOString();
  const windowEndMs = Math.floor(options.nowMs / HOUR_MS) * HOUR_MS;
  const window: CollectWindow = { startMs: windowEndMs - options.lookbackDays * 24 * HOUR_MS, endMs: windowEndMs };
  const tasks: { collector: CloudCollector; scope: CollectScope }[] = [];
  const scopes: ScopeResult[] = [];
  for (const collector of options.collectors) {
    try {
      for (const scope of await collector.scopes()) tasks.push({ collector, scope });
    } catch (err) {
      scopes.push({ cloud: 'aws', account: '*', region: '*', status: statusOfError(err), message: `listing scopes failed: ${(err as Error).message}`, instanceCount: 0 });
    }
  }
  const instances: Instance[] = [];
  const series: UtilizationSeries[] = [];
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const task = tasks[next++] as (typeof tasks)[number];
      let part: PartialSnapshot;
      try {
        part = await task.collector.collect(task.scope, window);
      } catch (err) {
        part = { instances: [], series: [], calls: {}, scope: { ...task.scope, status: statusOfError(err), message: (err as Error).message, instanceCount: 0 } };
      }
      instances.push(...part.instances);
      series.push(...part.series);
      scopes.push(part.scope);
      options.onScopeDone?.(part.scope);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  scopes.sort((a, b) => `${a.cloud}/${a.account}/${a.region}`.localeCompare(`${b.cloud}/${b.account}/${b.region}`));
  // Two scopes can list the same instance only through a misconfiguration; keep the first, never write duplicates.
  const unique = [...new Map(instances.map((i) => [`${i.cloud}|${i.id}`, i])).values()].sort((a, b) => a.id.localeCompare(b.id));
  return {
    id: `collect-${startedAt.replace(/[:.]/g, '-')}`,
    source: 'collect',
    startedAt,
    finishedAt: new Date(options.nowMs).toISOString(),
    windowStartMs: window.startMs,
    windowEndMs: window.endMs,
    scopes,
    instanceCount: unique.length,
    instances: unique,
    series,
  };
}

/**
 * Azure and GCP list a whole subscription/project at once: keep the configured regions (all when none) and fold
 * their per-region partials into one result whose message names each region that is not ok.
 */
function foldRegions(account: string, cloud: 'gcp' | 'azure', parts: PartialSnapshot[], regions: readonly string[]): PartialSnapshot {
  const wanted = regions.length > 0 ? parts.filter((p) => p.scope.region === '*' || regions.includes(p.scope.region)) : parts;
  const failed = wanted.filter((p) => p.scope.status !== 'ok');
  return {
    instances: wanted.flatMap((p) => p.instances),
    series: wanted.flatMap((p) => p.series),
    calls: wanted[0]?.calls ?? {},
    scope: {
      cloud,
      account,
      region: wanted.map((p) => p.scope.region).join(',') || '*',
      status: failed[0]?.scope.status ?? 'ok',
      ...(failed.length ? { message: failed.map((p) => `${p.scope.region}: ${p.scope.message ?? p.scope.status}`).join('; ') } : {}),
      instanceCount: wanted.reduce((a, p) => a + p.instances.length, 0),
    },
  };
}

/** The AWS collector over config: accounts × regions (every enabled region when none are configured). */
export async function awsCollector(config: Config['aws']): Promise<CloudCollector> {
  const { awsClientFactory } = await import('./aws/clients.js');
  const { collectAwsScope } = await import('./aws/collect.js');
  const factory = awsClientFactory(config);
  const accounts = config.accounts.length > 0 ? config.accounts.map((a) => a.id) : ['self'];
  return {
    async scopes() {
      const out: CollectScope[] = [];
      for (const account of accounts) {
        const regions = config.regions.length > 0 ? config.regions : await factory.regions(account);
        for (const region of regions) out.push({ cloud: 'aws', account, region });
      }
      return out;
    },
    async collect(scope, window) {
      return collectAwsScope(scope, window, await factory.clients(scope.account, scope.region));
    },
  };
}

/** The Azure collector over config: each subscription (DefaultAzureCredential), every region it has VMs in. */
export async function azureCollector(config: Config['azure'], memoryGiBOf: (vmSize: string) => number | undefined): Promise<CloudCollector> {
  const { ComputeManagementClient } = await import('@azure/arm-compute');
  const { DefaultAzureCredential } = await import('@azure/identity');
  const { collectAzureSubscription } = await import('./azure/collect.js');
  const credential = new DefaultAzureCredential();
  const endpoint = config.endpoints.arm ?? 'https://management.azure.com';
  // listAll is per subscription and returns every region at once, so a scope is a subscription; results per region.
  const cache = new Map<string, Promise<PartialSnapshot[]>>();
  const bySubscription = (subscription: string, window: CollectWindow) => {
    let p = cache.get(subscription);
    if (!p) {
      const compute = new ComputeManagementClient(credential, subscription, { endpoint, ...(endpoint.startsWith('http://') ? { allowInsecureConnection: true } : {}) });
      p = collectAzureSubscription(subscription, window, { compute, armEndpoint: endpoint, memoryGiBOf });
      cache.set(subscription, p);
    }
    return p;
  };
  return {
    scopes: async () => config.subscriptions.map((account) => ({ cloud: 'azure' as const, account, region: '*' })),
    async collect(scope, window) {
      const parts = await bySubscription(scope.account, window);
      return foldRegions(scope.account, 'azure', parts, config.regions);
    },
  };
}

/** The GCP collector over config: each project (Application Default Credentials), results per region. */
export async function gcpCollector(config: Config['gcp']): Promise<CloudCollector> {
  // Only the two per-service clients: the package index costs ~2 s of cold start.
  const { InstancesClient } = await import('@google-cloud/compute/build/src/v1/instances_client.js');
  const { MetricServiceClient } = await import('@google-cloud/monitoring/build/src/v3/metric_service_client.js');
  const { collectGcpProject } = await import('./gcp/collect.js');
  const endpoint = (url: string | undefined) => {
    if (!url) return {};
    const u = new URL(url);
    return { apiEndpoint: u.hostname, port: Number(u.port || (u.protocol === 'http:' ? 80 : 443)), protocol: u.protocol.replace(':', '') };
  };
  const instances = new InstancesClient({ fallback: 'rest', ...endpoint(config.endpoints.compute) } as never);
  const monitoring = new MetricServiceClient({ fallback: 'rest', ...endpoint(config.endpoints.monitoring) } as never);
  const clients = { instances: instances as never, monitoring: monitoring as never };
  return {
    scopes: async () => config.projects.map((account) => ({ cloud: 'gcp' as const, account, region: '*' })),
    async collect(scope, window) {
      const parts = await collectGcpProject(scope.account, window, clients);
      return foldRegions(scope.account, 'gcp', parts, config.regions);
    },
  };
}
