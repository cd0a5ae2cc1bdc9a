import { type CloudWatchClient, GetMetricDataCommand, ListMetricsCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { DescribeInstanceTypesCommand, DescribeReservedInstancesCommand, type EC2Client, paginateDescribeInstances } from '@aws-sdk/client-ec2';
import { z } from 'zod';
import { type Ec2TypeInfo, instanceTypeFromEc2 } from '../../catalog/aws-type-info.js';
import type { InstanceType } from '../../domain/instance-type.js';
import type { Instance } from '../../domain/instance.js';
import type { Metric, UtilizationSeries } from '../../domain/utilization.js';
import { HOUR_MS } from '../../domain/utilization.js';
import type { CollectScope, CollectWindow, PartialSnapshot } from '../collector.js';
import type { OwnedCommitment } from '../../domain/snapshot.js';
import { describeFailure, failureOf } from '../failure.js';
import { parseEc2Instance, parseMetricResult } from './parse.js';
import { combineGpus } from '../gpu-fold.js';

export interface AwsScopeClients {
  ec2: EC2Client;
  cloudwatch: CloudWatchClient;
}

export interface AwsScopeOptions {
  /** Whether the catalog knows a type; the others are described with DescribeInstanceTypes and carried in the snapshot. */
  isKnownType?: (name: string) => boolean;
  /**
   * CPU and memory resolution (config `aws.metricPeriodSeconds`). 3600: hourly Maximum and Average. 300 or 60: the
   * Average at that period, rolled up here to hourly mean and hourly maximum *of those averages*, so a spike shorter
   * than the period never reaches the hourly maximum the engine reads.
   */
  metricPeriodSeconds?: 3600 | 300 | 60;
}

/** CloudWatch limits: 500 queries per GetMetricData call and 100,800 datapoints per call. */
export const MAX_QUERIES_PER_CALL = 500;

/** The InstanceTypeInfo fields Rightsize needs, checked at the boundary (the SDK types every field optional). */
const Ec2TypeInfoSchema = z.object({
  InstanceType: z.string().min(1),
  VCpuInfo: z.object({ DefaultVCpus: z.number().int().positive() }),
  MemoryInfo: z.object({ SizeInMiB: z.number().positive() }),
  ProcessorInfo: z.object({ SupportedArchitectures: z.array(z.string()).optional() }).optional(),
  GpuInfo: z.object({ Gpus: z.array(z.object({ Name: z.string(), Manufacturer: z.string(), Count: z.number().int().positive(), GpuPartitionSize: z.number().optional(), MemoryInfo: z.object({ SizeInMiB: z.number().positive() }) })) }).optional(),
}).passthrough();
export const MAX_DATAPOINTS_PER_CALL = 100_800;

/** Metrics per instance: namespace, name and which Rightsize metric they feed. */
const METRICS: { namespace: string; name: string; metric: Metric }[] = [
  { namespace: 'AWS/EC2', name: 'CPUUtilization', metric: 'cpu' },
  // CloudWatch agent with append_dimensions {InstanceId}; agents that add ImageId/InstanceType need a matching query.
  { namespace: 'CWAgent', name: 'mem_used_percent', metric: 'mem' },
];

/** CloudWatch agent `nvidia_gpu` measurements, per GPU (dimension `index`): utilization % and memory used MiB. */
const GPU_METRICS: { name: string; metric: Metric }[] = [
  { name: 'nvidia_smi_utilization_gpu', metric: 'gpu' },
  { name: 'nvidia_smi_memory_used', metric: 'gpuMem' },
];

/** Queries per call so that each query's datapoints for the whole window (`points`) stay under both limits. */
export function queriesPerCall(points: number): number {
  return Math.max(1, Math.min(MAX_QUERIES_PER_CALL, Math.floor(MAX_DATAPOINTS_PER_CALL / Math.max(1, points))));
}

/**
 * Collects one AWS account × region: inventory with DescribeInstances (1,000 per page) and hourly Maximum and
 * Average of CPU and agent memory for running instances with GetMetricData, packed to the per-call limits and
 * following NextToken. A failure after the inventory keeps the inventory and names what is missing.
 */
export async function collectAwsScope(scope: CollectScope, window: CollectWindow, clients: AwsScopeClients, options: AwsScopeOptions = {}): Promise<PartialSnapshot> {
  const calls: Record<string, number> = { DescribeInstances: 0, GetMetricData: 0, ListMetrics: 0 };
  const instances: Instance[] = [];
  // The CloudWatch agent's default GPU dimensions are host, index and name (no InstanceId): host is the private DNS name.
  const idByHost = new Map<string, string>();
  try {
    for await (const page of paginateDescribeInstances({ client: clients.ec2, pageSize: 1000 }, { MaxResults: 1000 })) {
      calls['DescribeInstances'] = (calls['DescribeInstances'] ?? 0) + 1;
      for (const reservation of page.Reservations ?? []) {
        for (const raw of reservation.Instances ?? []) {
          const instance = parseEc2Instance(raw, scope.account, scope.region);
          instances.push(instance);
          const dns = raw.PrivateDnsName;
          if (dns) {
            idByHost.set(dns, instance.id);
            idByHost.set(dns.split('.')[0] as string, instance.id);
          }
        }
      }
    }
  } catch (err) {
    return { instances: [], series: [], calls, scope: { ...scope, ...failureOf('aws', 'ec2:DescribeInstances', err), instanceCount: 0 } };
  }

  const types = await describeUnknownTypes(clients.ec2, instances, options.isKnownType, calls);
  const owned = await ownedReservations(clients.ec2, scope, calls);
  const notes = [types.note, owned.note].filter((n): n is string => Boolean(n));

  const hours = Math.round((window.endMs - window.startMs) / HOUR_MS);
  const period = options.metricPeriodSeconds ?? 3600;
  const running = instances.filter((i) => i.state === 'running');
  const queries: (MetricDataQuery & { Id: string })[] = [];
  const queryMeta = new Map<string, { instanceId: string; metric: Metric; stat: 'Maximum' | 'Average' | 'Fine' }>();
  running.forEach((instance, n) => {
    METRICS.forEach((m, k) => {
      // Finer than hourly, one statistic (the Average per period) gives both hourly figures: half the metrics billed.
      const stats = period < 3600 ? (['Fine'] as const) : (['Maximum', 'Average'] as const);
      for (const stat of stats) {
        const id = `q${n}_${k}_${stat === 'Maximum' ? 'x' : stat === 'Average' ? 'a' : 'f'}`;
        queryMeta.set(id, { instanceId: instance.id, metric: m.metric, stat });
        queries.push({ Id: id, MetricStat: { Metric: { Namespace: m.namespace, MetricName: m.name, Dimensions: [{ Name: 'InstanceId', Value: instance.id }] }, Period: stat === 'Fine' ? period : 3600, Stat: stat === 'Fine' ? 'Average' : stat }, ReturnData: true });
      }
    });
  });
  // CloudWatch agent GPU metrics carry InstanceId (with append_dimensions) or host, and index and name dimensions;
  // ListMetrics finds the exact sets. Series matching no running instance are counted and named in the note.
  const runningIds = new Set(running.map((i) => i.id));
  const unmatchedGpuHosts = new Set<string>();
  const gpuQueryMeta = new Map<string, { instanceId: string; metric: Metric; stat: 'Maximum' | 'Average'; gpuIndex: string }>();
  try {
    for (const g of GPU_METRICS) {
      let nextToken: string | undefined;
      do {
        const out = await clients.cloudwatch.send(new ListMetricsCommand({ Namespace: 'CWAgent', MetricName: g.name, RecentlyActive: 'PT3H', ...(nextToken ? { NextToken: nextToken } : {}) }));
        calls['ListMetrics'] = (calls['ListMetrics'] ?? 0) + 1;
        for (const m of out.Metrics ?? []) {
          const dims = m.Dimensions ?? [];
          const host = dims.find((d) => d.Name === 'host')?.Value;
          const instanceId = dims.find((d) => d.Name === 'InstanceId')?.Value ?? (host ? idByHost.get(host) ?? idByHost.get(host.split('.')[0] as string) : undefined);
          const gpuIndex = dims.find((d) => d.Name === 'index')?.Value ?? '0';
          if (!instanceId || !runningIds.has(instanceId)) {
            // A stopped instance's recent series is expected; one that names no instance here is a gap to report.
            if (!instanceId) unmatchedGpuHosts.add(host ?? dims.map((d) => `${d.Name}=${d.Value}`).join(','));
            continue;
          }
          for (const stat of ['Maximum', 'Average'] as const) {
            const id = `g${gpuQueryMeta.size}`;
            gpuQueryMeta.set(id, { instanceId, metric: g.metric, stat, gpuIndex });
            queries.push({ Id: id, MetricStat: { Metric: { Namespace: 'CWAgent', MetricName: g.name, Dimensions: dims }, Period: 3600, Stat: stat }, ReturnData: true });
          }
        }
        nextToken = out.NextToken;
      } while (nextToken);
    }
  } catch (err) {
    // No permission to list agent metrics leaves CPU and memory intact; GPU fields stay unmeasured, and the note says so.
    notes.push(`GPU metrics not collected (${describeFailure('cloudwatch:ListMetrics', err)})`);
  }
  if (unmatchedGpuHosts.size > 0) {
    const names = [...unmatchedGpuHosts].sort();
    notes.push(`${names.length} GPU metric host${names.length > 1 ? 's' : ''} matched no instance: ${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}`);
  }
  const gpuBuffers = new Map<string, { max: Float32Array; mean: Float32Array }>();
  const buffers = new Map<string, { max: Float32Array; mean: Float32Array; seen: boolean; count?: Uint16Array }>();
  const bufferFor = (instanceId: string, metric: Metric) => {
    const key = `${instanceId}|${metric}`;
    let b = buffers.get(key);
    if (!b) {
      b = { max: new Float32Array(hours).fill(Number.NaN), mean: new Float32Array(hours).fill(Number.NaN), seen: false, ...(period < 3600 ? { count: new Uint16Array(hours) } : {}) };
      buffers.set(key, b);
    }
    return b;
  };
  // GPU queries stay hourly; the call is packed for the finest series in it.
  const batch = queriesPerCall(hours * (3600 / period));
  try {
    for (let i = 0; i < queries.length; i += batch) {
      let nextToken: string | undefined;
      do {
        const out = await clients.cloudwatch.send(
          new GetMetricDataCommand({ MetricDataQueries: queries.slice(i, i + batch), StartTime: new Date(window.startMs), EndTime: new Date(window.endMs), ScanBy: 'TimestampAscending', ...(nextToken ? { NextToken: nextToken } : {}) }),
        );
        calls['GetMetricData'] = (calls['GetMetricData'] ?? 0) + 1;
        for (const raw of out.MetricDataResults ?? []) {
          const result = parseMetricResult(raw, `${scope.account}/${scope.region}`);
          const gpuMeta = gpuQueryMeta.get(result.Id);
          if (gpuMeta) {
            const key = `${gpuMeta.instanceId}|${gpuMeta.metric}|${gpuMeta.gpuIndex}`;
            const b = gpuBuffers.get(key) ?? { max: new Float32Array(hours).fill(Number.NaN), mean: new Float32Array(hours).fill(Number.NaN) };
            gpuBuffers.set(key, b);
            result.Timestamps.forEach((t, j) => {
              const h = Math.floor((t.getTime() - window.startMs) / HOUR_MS);
              if (h >= 0 && h < hours) (gpuMeta.stat === 'Maximum' ? b.max : b.mean)[h] = result.Values[j] as number;
            });
            continue;
          }
          const meta = queryMeta.get(result.Id);
          if (!meta) continue;
          const buf = bufferFor(meta.instanceId, meta.metric);
          result.Timestamps.forEach((t, j) => {
            const h = Math.floor((t.getTime() - window.startMs) / HOUR_MS);
            if (h < 0 || h >= hours) return;
            const v = result.Values[j] as number;
            buf.seen = true;
            if (meta.stat !== 'Fine' || !buf.count) {
              (meta.stat === 'Maximum' ? buf.max : buf.mean)[h] = v;
              return;
            }
            // Hourly mean and maximum of the finer averages, folded as they arrive.
            const n = buf.count[h] as number;
            buf.mean[h] = n === 0 ? v : ((buf.mean[h] as number) * n + v) / (n + 1);
            buf.max[h] = n === 0 ? v : Math.max(buf.max[h] as number, v);
            buf.count[h] = n + 1;
          });
        }
        nextToken = out.NextToken;
      } while (nextToken);
    }
  } catch (err) {
    return { instances, series: toSeries(buffers, window.startMs), calls, ...(types.types.length ? { types: types.types } : {}), ...(owned.commitments.length ? { commitments: owned.commitments } : {}), scope: { ...scope, status: failureOf('aws', 'cloudwatch:GetMetricData', err).status, message: `inventory collected; ${failureOf('aws', 'cloudwatch:GetMetricData', err).message}`, instanceCount: instances.length } };
  }
  return {
    instances,
    series: [...toSeries(buffers, window.startMs), ...combineGpus(gpuBuffers, window.startMs, hours)],
    calls,
    ...(types.types.length ? { types: types.types } : {}),
    ...(owned.commitments.length ? { commitments: owned.commitments } : {}),
    scope: { ...scope, status: 'ok', instanceCount: instances.length, ...(notes.length ? { message: notes.join('; ') } : {}) },
  };
}

/** GPU utilization: the mean across an instance's GPUs each hour; GPU memory: the largest per-GPU use (MiB). */
function toSeries(buffers: Map<string, { max: Float32Array; mean: Float32Array; seen: boolean; count?: Uint16Array }>, startMs: number): UtilizationSeries[] {
  const out: UtilizationSeries[] = [];
  for (const [key, b] of buffers) {
    if (!b.seen) continue;
    const [instanceId, metric] = key.split('|') as [string, Metric];
    out.push({ instanceId, metric, startMs, max: b.max, mean: b.mean });
  }
  return out.sort((a, b) => a.instanceId.localeCompare(b.instanceId) || a.metric.localeCompare(b.metric));
}


/**
 * Types the catalog does not know (launched after it was built) are described with DescribeInstanceTypes, 100 names
 * per call, so the engine can size them. Failing here loses nothing else: the note says which types stay unknown.
 */
async function describeUnknownTypes(ec2: EC2Client, instances: readonly Instance[], isKnownType: ((name: string) => boolean) | undefined, calls: Record<string, number>): Promise<{ types: InstanceType[]; note?: string }> {
  if (!isKnownType) return { types: [] };
  const unknown = [...new Set(instances.map((i) => i.type))].filter((t) => !isKnownType(t)).sort();
  if (unknown.length === 0) return { types: [] };
  const types: InstanceType[] = [];
  const skipped: string[] = [];
  try {
    for (let i = 0; i < unknown.length; i += 100) {
      calls['DescribeInstanceTypes'] = (calls['DescribeInstanceTypes'] ?? 0) + 1;
      const out = await ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: unknown.slice(i, i + 100) as never }));
      for (const raw of out.InstanceTypes ?? []) {
        const parsed = Ec2TypeInfoSchema.safeParse(raw);
        if (!parsed.success) {
          skipped.push(`${String(raw.InstanceType)} (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message})`);
          continue;
        }
        const outcome = instanceTypeFromEc2(parsed.data as Ec2TypeInfo);
        if ('type' in outcome) types.push(outcome.type);
        else skipped.push(outcome.detail);
      }
    }
  } catch (err) {
    return { types, note: `${describeFailure('ec2:DescribeInstanceTypes', err)}: ${unknown.filter((u) => !types.some((t) => t.name === u)).join(', ')} stay unknown` };
  }
  return { types, ...(skipped.length ? { note: `types not sized: ${skipped.join('; ')}` } : {}) };
}

const ReservedInstanceSchema = z.object({
  ReservedInstancesId: z.string().min(1),
  InstanceType: z.string().min(1),
  InstanceCount: z.number().int().positive(),
  Duration: z.number().positive(),
  FixedPrice: z.number().nonnegative().optional(),
  UsagePrice: z.number().nonnegative().optional(),
  RecurringCharges: z.array(z.object({ Amount: z.number().nonnegative().optional(), Frequency: z.string().optional() })).optional(),
  ProductDescription: z.string().optional(),
  OfferingClass: z.string().optional(),
  Scope: z.string().optional(),
  End: z.date().optional(),
});

/**
 * Active reserved instances of the account in this region (Linux/UNIX: the pools are Linux-priced), each with its
 * effective hourly rate: upfront amortized over the term plus usage and hourly recurring charges. Failing here (an
 * older role without ec2:DescribeReservedInstances) keeps everything else and says so.
 */
async function ownedReservations(ec2: EC2Client, scope: CollectScope, calls: Record<string, number>): Promise<{ commitments: OwnedCommitment[]; note?: string }> {
  calls['DescribeReservedInstances'] = (calls['DescribeReservedInstances'] ?? 0) + 1;
  let out;
  try {
    out = await ec2.send(new DescribeReservedInstancesCommand({ Filters: [{ Name: 'state', Values: ['active'] }] }));
  } catch (err) {
    return { commitments: [], note: `owned reservations not collected (${describeFailure('ec2:DescribeReservedInstances', err)}); purchase plans assume none` };
  }
  const commitments: OwnedCommitment[] = [];
  const bad: string[] = [];
  for (const raw of out.ReservedInstances ?? []) {
    const parsed = ReservedInstanceSchema.safeParse(raw);
    if (!parsed.success) {
      bad.push(`${String(raw.ReservedInstancesId)} (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message})`);
      continue;
    }
    const ri = parsed.data;
    if (ri.ProductDescription !== undefined && !ri.ProductDescription.startsWith('Linux/UNIX')) continue;
    const hourly = (ri.RecurringCharges ?? []).filter((c) => c.Frequency === 'Hourly').reduce((s, c) => s + (c.Amount ?? 0), 0);
    commitments.push({
      cloud: 'aws',
      account: scope.account,
      region: scope.region,
      kind: 'ri',
      id: ri.ReservedInstancesId,
      instanceType: ri.InstanceType,
      count: ri.InstanceCount,
      effectiveHourlyUsd: (ri.FixedPrice ?? 0) / (ri.Duration / 3600) + (ri.UsagePrice ?? 0) + hourly,
      ...(ri.OfferingClass ? { offeringClass: ri.OfferingClass } : {}),
      ...(ri.Scope ? { scope: ri.Scope } : {}),
      ...(ri.End ? { endsAt: ri.End.toISOString() } : {}),
    });
  }
  return { commitments, ...(bad.length ? { note: `reservations not understood: ${bad.join('; ')}` } : {}) };
}
