import type { ComputeManagementClient } from '@azure/arm-compute';
import { createDefaultHttpClient, createPipelineRequest } from '@azure/core-rest-pipeline';
import type { Instance } from '../../domain/instance.js';
import type { Metric, UtilizationSeries } from '../../domain/utilization.js';
import { HOUR_MS } from '../../domain/utilization.js';
import type { CollectWindow, PartialSnapshot } from '../collector.js';
import { CollectError } from '../collector.js';
import { describeFailure, failureOf } from '../failure.js';
import { MetricsResponseSchema, parseAzureVm } from './parse.js';
import { describeAzureSizes } from './skus.js';
import type { InstanceType } from '../../domain/instance-type.js';

export interface AzureDeps {
  compute: ComputeManagementClient;
  /** ARM endpoint the metrics requests go to (the compute client's own). */
  armEndpoint: string;
  /** Memory of a VM size in GiB (from the catalog): turns Available Memory Bytes into memory used %. */
  memoryGiBOf: (vmSize: string) => number | undefined;
  /** Metric requests in flight at once per subscription. */
  concurrency?: number;
  /** Whether the catalog knows a VM size; the others are described from the Resource SKUs API. */
  isKnownSize?: (vmSize: string) => boolean;
}

/**
 * Collects one subscription: every VM with `virtualMachines.listAll` (statusOnly, for the power state; the SDK
 * follows nextLink), then Azure Monitor `Percentage CPU` (Maximum, Average) and `Available Memory Bytes`
 * (Minimum → peak memory used, Average) per running VM, hourly. Returns one partial per region.
 */
export async function collectAzureSubscription(subscription: string, window: CollectWindow, deps: AzureDeps): Promise<PartialSnapshot[]> {
  const calls: Record<string, number> = { 'virtualMachines.listAll': 0, 'metrics.list': 0 };
  const instances: Instance[] = [];
  try {
    for await (const page of deps.compute.virtualMachines.listAll({ statusOnly: 'true' }).byPage()) {
      calls['virtualMachines.listAll'] = (calls['virtualMachines.listAll'] ?? 0) + 1;
      for (const raw of page) instances.push(parseAzureVm(raw, subscription));
    }
  } catch (err) {
    return [{ instances: [], series: [], calls, scope: { cloud: 'azure', account: subscription, region: '*', ...failureOf('azure', 'virtualMachines.listAll', err), instanceCount: 0 } }];
  }
  // Sizes the catalog lacks: described once per location, then their memory turns Available Memory Bytes into %.
  let described: InstanceType[] = [];
  const sizeNotes: string[] = [];
  if (deps.isKnownSize) {
    const wanted = new Map<string, Set<string>>();
    for (const i of instances) if (!deps.isKnownSize(i.type)) (wanted.get(i.region) ?? wanted.set(i.region, new Set()).get(i.region)!).add(i.type);
    if (wanted.size > 0) {
      try {
        const out = await describeAzureSizes(deps.compute, wanted, calls);
        described = out.types;
        sizeNotes.push(...out.notes);
      } catch (err) {
        sizeNotes.push(`${describeFailure('resourceSkus.list', err)}: ${[...new Set([...wanted.values()].flatMap((s) => [...s]))].join(', ')} stay unknown`);
      }
    }
  }
  if (described.length > 0) {
    const memory = new Map(described.map((t) => [t.name, t.memoryGiB]));
    const base = deps.memoryGiBOf;
    deps = { ...deps, memoryGiBOf: (size) => base(size) ?? memory.get(size) };
  }
  const hours = Math.round((window.endMs - window.startMs) / HOUR_MS);
  const series: UtilizationSeries[] = [];
  const failures = new Map<string, string>();
  const running = instances.filter((i) => i.state === 'running');
  let next = 0;
  const worker = async () => {
    while (next < running.length) {
      const vm = running[next++] as Instance;
      try {
        series.push(...(await vmMetrics(vm, window, hours, deps)));
        calls['metrics.list'] = (calls['metrics.list'] ?? 0) + 1;
      } catch (err) {
        const failure = failureOf('azure', `Microsoft.Insights/metrics ${vm.name ?? vm.id}`, err);
        failures.set(vm.region, `${failure.status}: ${failure.message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: deps.concurrency ?? 4 }, worker));
  const regions = [...new Set(instances.map((i) => i.region))].sort();
  return regions.map((region) => {
    const here = instances.filter((i) => i.region === region);
    const ids = new Set(here.map((i) => i.id));
    const failure = failures.get(region);
    const sizesHere = new Set(here.map((i) => i.type));
    const types = described.filter((t) => sizesHere.has(t.name));
    const messages = [...(failure ? [`inventory collected; some metrics missing: ${failure}`] : []), ...sizeNotes.filter((n) => n.startsWith(`${region}:`) || [...sizesHere].some((size) => n.includes(size)))];
    return {
      instances: here,
      series: series.filter((s) => ids.has(s.instanceId)),
      calls,
      ...(types.length > 0 ? { types } : {}),
      scope: { cloud: 'azure' as const, account: subscription, region, status: failure ? (failure.split(':')[0] as 'error') : ('ok' as const), ...(messages.length ? { message: messages.join('; ') } : {}), instanceCount: here.length },
    };
  });
}

const httpClient = createDefaultHttpClient();

async function vmMetrics(vm: Instance, window: CollectWindow, hours: number, deps: AzureDeps): Promise<UtilizationSeries[]> {
  const timespan = `${new Date(window.startMs).toISOString()}/${new Date(window.endMs).toISOString()}`;
  const query = new URLSearchParams({ 'api-version': '2018-01-01', metricnames: 'Percentage CPU,Available Memory Bytes', timespan, interval: 'PT1H', aggregation: 'Maximum,Average,Minimum' });
  const url = `${deps.armEndpoint.replace(/\/$/, '')}${vm.id}/providers/Microsoft.Insights/metrics?${query.toString()}`;
  // http only when the configured endpoint is http (a local emulator); through the compute client's own pipeline: same credential, token scope, retry and throttling policies.
  const res = await deps.compute.pipeline.sendRequest(httpClient, createPipelineRequest({ url, method: 'GET', allowInsecureConnection: url.startsWith('http://') }));
  if (res.status === 429) throw new CollectError('throttled', `HTTP 429`);
  if (res.status === 401 || res.status === 403) throw new CollectError('auth-failed', `HTTP ${res.status}`);
  if (res.status >= 400) throw new CollectError('error', `HTTP ${res.status}`);
  let body: unknown;
  try {
    body = JSON.parse(res.bodyAsText ?? '');
  } catch {
    throw new CollectError('parse-error', `HTTP ${res.status} (not JSON)`);
  }
  const parsed = MetricsResponseSchema.safeParse(body);
  if (!parsed.success) throw new CollectError('parse-error', `metrics: ${parsed.error.issues[0]?.path.join('.') ?? ''}: ${parsed.error.issues[0]?.message ?? ''}`);
  const out: UtilizationSeries[] = [];
  const memBytes = (deps.memoryGiBOf(vm.type) ?? 0) * 2 ** 30;
  for (const m of parsed.data.value) {
    const metric: Metric | undefined = m.name.value === 'Percentage CPU' ? 'cpu' : m.name.value === 'Available Memory Bytes' && memBytes > 0 ? 'mem' : undefined;
    if (!metric) continue;
    const max = new Float32Array(hours).fill(Number.NaN);
    const mean = new Float32Array(hours).fill(Number.NaN);
    let seen = false;
    for (const point of m.timeseries[0]?.data ?? []) {
      const h = Math.floor((Date.parse(point.timeStamp) - window.startMs) / HOUR_MS);
      if (h < 0 || h >= hours) continue;
      const p = point as { maximum?: number; average?: number; minimum?: number };
      if (metric === 'cpu') {
        if (p.maximum !== undefined) max[h] = p.maximum;
        if (p.average !== undefined) mean[h] = p.average;
      } else {
        // Least memory available in the hour is the most used.
        if (p.minimum !== undefined) max[h] = 100 * (1 - p.minimum / memBytes);
        if (p.average !== undefined) mean[h] = 100 * (1 - p.average / memBytes);
      }
      seen ||= p.maximum !== undefined || p.minimum !== undefined || p.average !== undefined;
    }
    if (seen) out.push({ instanceId: vm.id, metric, startMs: window.startMs, max, mean });
  }
  return out;
}
