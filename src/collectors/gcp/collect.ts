import type { Instance } from '../../domain/instance.js';
import type { Metric, UtilizationSeries } from '../../domain/utilization.js';
import { HOUR_MS } from '../../domain/utilization.js';
import type { CollectWindow, PartialSnapshot } from '../collector.js';
import { CollectError } from '../collector.js';
import { describeFailure, failureOf } from '../failure.js';
import type { ScopeStatus } from '../../domain/snapshot.js';
import { TimeSeriesSchema, parseGceInstance } from './parse.js';
import { instanceTypeFromMachineType } from './machine-types.js';
import type { InstanceType } from '../../domain/instance-type.js';
import { combineGpus } from '../gpu-fold.js';

/** The two client calls used, typed structurally so tests and the CLI inject the real per-service gax clients. */
export interface GcpClients {
  instances: { aggregatedListAsync(req: { project: string; maxResults?: number; returnPartialSuccess?: boolean }, call?: GaxCallOptions): AsyncIterable<[string, { instances?: unknown[] | null }]> };
  monitoring: { listTimeSeriesAsync(req: Record<string, unknown>, call?: GaxCallOptions): AsyncIterable<unknown> };
  /** Machine types the catalog lacks are described with `machineTypes.get` (optional: without it they stay unknown). */
  machineTypes?: { get(req: { project: string; zone: string; machineType: string }, call?: GaxCallOptions): Promise<unknown[]> };
}

/** gax per-call options: `timeout` (ms) bounds each request. */
export interface GaxCallOptions {
  timeout?: number;
}

export interface GcpProjectOptions {
  isKnownType?: (name: string) => boolean;
  /** Per-request timeout, ms (config timeouts.requestMs); default gax's own. */
  requestTimeoutMs?: number;
}

/**
 * CPU from the hypervisor (fraction 0–1), memory from the Ops Agent (percent), and the Ops Agent's NVIDIA GPU metrics
 * per GPU (`gpu_number` label: utilization percent, memory bytes → MiB). One query per metric × aligner.
 */
const METRICS: { metric: Metric; filter: string; scale: number; perGpu?: boolean }[] = [
  { metric: 'cpu', filter: 'metric.type="compute.googleapis.com/instance/cpu/utilization"', scale: 100 },
  { metric: 'mem', filter: 'metric.type="agent.googleapis.com/memory/percent_used" AND metric.labels.state="used"', scale: 1 },
  { metric: 'gpu', filter: 'metric.type="agent.googleapis.com/gpu/utilization"', scale: 1, perGpu: true },
  { metric: 'gpuMem', filter: 'metric.type="agent.googleapis.com/gpu/memory/bytes_used"', scale: 1 / 1_048_576, perGpu: true },
];

/**
 * Collects one project: every instance across zones with `instances.aggregatedList` (pages of 500), then hourly
 * Maximum and Mean of CPU and agent memory for the whole project with `timeSeries.list` (one query per metric and
 * aligner, paged), mapped back by `resource.labels.instance_id`. Returns one partial per region.
 */
export async function collectGcpProject(project: string, window: CollectWindow, clients: GcpClients, options: GcpProjectOptions = {}): Promise<PartialSnapshot[]> {
  const calls: Record<string, number> = { aggregatedList: 0, listTimeSeries: 0 };
  const instances: Instance[] = [];
  const call: GaxCallOptions = options.requestTimeoutMs ? { timeout: options.requestTimeoutMs } : {};
  try {
    for await (const [, scoped] of clients.instances.aggregatedListAsync({ project, maxResults: 500, returnPartialSuccess: true }, call)) {
      for (const raw of scoped.instances ?? []) instances.push(parseGceInstance(raw, project));
    }
    calls['aggregatedList'] = 1;
  } catch (err) {
    return [{ instances: [], series: [], calls, scope: { cloud: 'gcp', account: project, region: '*', ...failureOf('gcp', 'instances.aggregatedList', err), instanceCount: 0 } }];
  }
  const described = await describeUnknownMachineTypes(project, instances, clients, options, calls);
  const hours = Math.round((window.endMs - window.startMs) / HOUR_MS);
  const byId = new Map(instances.map((i) => [i.id, i]));
  const buffers = new Map<string, { max: Float32Array; mean: Float32Array }>();
  const gpuBuffers = new Map<string, { max: Float32Array; mean: Float32Array }>();
  let failure: string | undefined;
  let failureStatus: Exclude<ScopeStatus, 'ok'> = 'error';
  try {
    for (const m of METRICS) {
      for (const [aligner, field] of [['ALIGN_MAX', 'max'], ['ALIGN_MEAN', 'mean']] as const) {
        calls['listTimeSeries'] = (calls['listTimeSeries'] ?? 0) + 1;
        const req = {
          name: `projects/${project}`,
          filter: `${m.filter} AND resource.type="gce_instance"`,
          interval: { startTime: { seconds: Math.floor(window.startMs / 1000) }, endTime: { seconds: Math.floor(window.endMs / 1000) } },
          aggregation: { alignmentPeriod: { seconds: 3600 }, perSeriesAligner: aligner },
          view: 'FULL',
        };
        for await (const raw of clients.monitoring.listTimeSeriesAsync(req, call)) {
          const parsed = TimeSeriesSchema.safeParse(raw);
          if (!parsed.success) throw new CollectError('parse-error', `gcp timeSeries.list ${project}: ${parsed.error.issues[0]?.path.join('.') ?? ''}: ${parsed.error.issues[0]?.message ?? ''}`);
          const id = parsed.data.resource.labels['instance_id'];
          if (!id || !byId.has(id)) continue;
          const target = m.perGpu ? gpuBuffers : buffers;
          const key = m.perGpu ? `${id}|${m.metric}|${parsed.data.metric?.labels?.['gpu_number'] ?? '0'}` : `${id}|${m.metric}`;
          const buf = target.get(key) ?? { max: new Float32Array(hours).fill(Number.NaN), mean: new Float32Array(hours).fill(Number.NaN) };
          target.set(key, buf);
          for (const p of parsed.data.points) {
            const end = typeof p.interval.endTime === 'string' ? Date.parse(p.interval.endTime) : Number(p.interval.endTime.seconds) * 1000;
            // An aligned point stamped at an hour's end describes the hour before it.
            const h = Math.round((end - window.startMs) / HOUR_MS) - 1;
            const v = p.value.doubleValue ?? (p.value.int64Value !== undefined && p.value.int64Value !== null ? Number(p.value.int64Value) : undefined);
            if (h < 0 || h >= hours || v === undefined || v === null) continue;
            buf[field][h] = v * m.scale;
          }
        }
      }
    }
  } catch (err) {
    const f = failureOf('gcp', 'timeSeries.list', err);
    failureStatus = f.status;
    failure = `inventory collected; ${f.message}`;
  }
  const series: UtilizationSeries[] = [
    ...[...buffers.entries()].map(([key, b]) => {
      const [instanceId, metric] = key.split('|') as [string, Metric];
      return { instanceId, metric, startMs: window.startMs, max: b.max, mean: b.mean };
    }),
    ...combineGpus(gpuBuffers, window.startMs, hours),
  ];
  const regions = [...new Set(instances.map((i) => i.region))].sort();
  if (regions.length === 0) return [{ instances: [], series: [], calls, scope: { cloud: 'gcp', account: project, region: '*', status: failure ? failureStatus : 'ok', ...(failure ? { message: failure } : {}), instanceCount: 0 } }];
  return regions.map((region) => {
    const here = instances.filter((i) => i.region === region);
    const ids = new Set(here.map((i) => i.id));
    const typesHere = new Set(here.map((i) => i.type));
    const types = described.types.filter((t) => typesHere.has(t.name));
    const notes = [...(failure ? [failure] : []), ...described.notes.filter((n) => [...typesHere].some((t) => n.includes(t)))];
    return { instances: here, series: series.filter((s) => ids.has(s.instanceId)), calls, ...(types.length ? { types } : {}), scope: { cloud: 'gcp' as const, account: project, region, status: failure ? failureStatus : ('ok' as const), ...(notes.length ? { message: notes.join('; ') } : {}), instanceCount: here.length } };
  });
}

/**
 * Machine types the catalog lacks (custom shapes, series newer than the catalog), described once each with
 * `machineTypes.get` in a zone that runs one. N1 types with attached GPUs are named by the catalog's convention
 * and are not looked up. Failures are notes: the inventory stays.
 */
async function describeUnknownMachineTypes(project: string, instances: readonly Instance[], clients: GcpClients, options: GcpProjectOptions, calls: Record<string, number>): Promise<{ types: InstanceType[]; notes: string[] }> {
  if (!options.isKnownType || !clients.machineTypes) return { types: [], notes: [] };
  const zoneOf = new Map<string, string>();
  for (const i of instances) if (!i.type.includes('+') && !options.isKnownType(i.type) && i.zone && !zoneOf.has(i.type)) zoneOf.set(i.type, i.zone);
  const types: InstanceType[] = [];
  const notes: string[] = [];
  for (const [name, zone] of [...zoneOf].sort(([a], [b]) => a.localeCompare(b))) {
    calls['machineTypes.get'] = (calls['machineTypes.get'] ?? 0) + 1;
    try {
      const [raw] = await clients.machineTypes.get({ project, zone, machineType: name }, options.requestTimeoutMs ? { timeout: options.requestTimeoutMs } : {});
      const outcome = instanceTypeFromMachineType(raw);
      if ('type' in outcome) types.push(outcome.type);
      else notes.push(`${name}: ${outcome.skipped}`);
    } catch (err) {
      notes.push(`${name}: ${describeFailure('machineTypes.get', err)}; it stays unknown`);
    }
  }
  return { types, notes };
}
