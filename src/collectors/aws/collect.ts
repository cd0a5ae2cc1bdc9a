import { type CloudWatchClient, GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { type EC2Client, paginateDescribeInstances } from '@aws-sdk/client-ec2';
import type { Instance } from '../../domain/instance.js';
import type { Metric, UtilizationSeries } from '../../domain/utilization.js';
import { HOUR_MS } from '../../domain/utilization.js';
import type { CollectScope, CollectWindow, PartialSnapshot } from '../collector.js';
import { statusOfError } from '../collector.js';
import { parseEc2Instance, parseMetricResult } from './parse.js';

export interface AwsScopeClients {
  ec2: EC2Client;
  cloudwatch: CloudWatchClient;
}

/** CloudWatch limits: 500 queries per GetMetricData call and 100,800 datapoints per call. */
export const MAX_QUERIES_PER_CALL = 500;
export const MAX_DATAPOINTS_PER_CALL = 100_800;

/** Metrics per instance: namespace, name and which Rightsize metric they feed. */
const METRICS: { namespace: string; name: string; metric: Metric }[] = [
  { namespace: 'AWS/EC2', name: 'CPUUtilization', metric: 'cpu' },
  // CloudWatch agent with append_dimensions {InstanceId}; agents that add ImageId/InstanceType need a matching query.
  { namespace: 'CWAgent', name: 'mem_used_percent', metric: 'mem' },
];

/** Queries per call so that hourly datapoints for the whole window stay under both limits. */
export function queriesPerCall(hours: number): number {
  return Math.max(1, Math.min(MAX_QUERIES_PER_CALL, Math.floor(MAX_DATAPOINTS_PER_CALL / Math.max(1, hours))));
}

/**
 * Collects one AWS account × region: inventory with DescribeInstances (1,000 per page) and hourly Maximum and
 * Average of CPU and agent memory for running instances with GetMetricData, packed to the per-call limits and
 * following NextToken. A failure after the inventory keeps the inventory and names what is missing.
 */
export async function collectAwsScope(scope: CollectScope, window: CollectWindow, clients: AwsScopeClients): Promise<PartialSnapshot> {
  const calls: Record<string, number> = { DescribeInstances: 0, GetMetricData: 0 };
  const instances: Instance[] = [];
  try {
    for await (const page of paginateDescribeInstances({ client: clients.ec2, pageSize: 1000 }, { MaxResults: 1000 })) {
      calls['DescribeInstances'] = (calls['DescribeInstances'] ?? 0) + 1;
      for (const reservation of page.Reservations ?? []) {
        for (const raw of reservation.Instances ?? []) instances.push(parseEc2Instance(raw, scope.account, scope.region));
      }
    }
  } catch (err) {
    return { instances: [], series: [], calls, scope: { ...scope, status: statusOfError(err), message: `ec2:DescribeInstances: ${messageOf(err)}`, instanceCount: 0 } };
  }

  const hours = Math.round((window.endMs - window.startMs) / HOUR_MS);
  const running = instances.filter((i) => i.state === 'running');
  const queries: (MetricDataQuery & { Id: string })[] = [];
  const queryMeta = new Map<string, { instanceId: string; metric: Metric; stat: 'Maximum' | 'Average' }>();
  running.forEach((instance, n) => {
    METRICS.forEach((m, k) => {
      for (const stat of ['Maximum', 'Average'] as const) {
        const id = `q${n}_${k}_${stat === 'Maximum' ? 'x' : 'a'}`;
        queryMeta.set(id, { instanceId: instance.id, metric: m.metric, stat });
        queries.push({ Id: id, MetricStat: { Metric: { Namespace: m.namespace, MetricName: m.name, Dimensions: [{ Name: 'InstanceId', Value: instance.id }] }, Period: 3600, Stat: stat }, ReturnData: true });
      }
    });
  });
  const buffers = new Map<string, { max: Float32Array; mean: Float32Array; seen: boolean }>();
  const bufferFor = (instanceId: string, metric: Metric) => {
    const key = `${instanceId}|${metric}`;
    let b = buffers.get(key);
    if (!b) {
      b = { max: new Float32Array(hours).fill(Number.NaN), mean: new Float32Array(hours).fill(Number.NaN), seen: false };
      buffers.set(key, b);
    }
    return b;
  };
  const batch = queriesPerCall(hours);
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
          const meta = queryMeta.get(result.Id);
          if (!meta) continue;
          const buf = bufferFor(meta.instanceId, meta.metric);
          result.Timestamps.forEach((t, j) => {
            const h = Math.floor((t.getTime() - window.startMs) / HOUR_MS);
            if (h < 0 || h >= hours) return;
            (meta.stat === 'Maximum' ? buf.max : buf.mean)[h] = result.Values[j] as number;
            buf.seen = true;
          });
        }
        nextToken = out.NextToken;
      } while (nextToken);
    }
  } catch (err) {
    return { instances, series: toSeries(buffers, window.startMs), calls, scope: { ...scope, status: statusOfError(err), message: `inventory collected; cloudwatch:GetMetricData failed: ${messageOf(err)}`, instanceCount: instances.length } };
  }
  return { instances, series: toSeries(buffers, window.startMs), calls, scope: { ...scope, status: 'ok', instanceCount: instances.length } };
}

function toSeries(buffers: Map<string, { max: Float32Array; mean: Float32Array; seen: boolean }>, startMs: number): UtilizationSeries[] {
  const out: UtilizationSeries[] = [];
  for (const [key, b] of buffers) {
    if (!b.seen) continue;
    const [instanceId, metric] = key.split('|') as [string, Metric];
    out.push({ instanceId, metric, startMs, max: b.max, mean: b.mean });
  }
  return out.sort((a, b) => a.instanceId.localeCompare(b.instanceId) || a.metric.localeCompare(b.metric));
}

function messageOf(err: unknown): string {
  const e = err as { name?: string; message?: string };
  return `${e?.name ?? 'Error'}: ${(e?.message ?? String(err)).split('\n')[0]}`;
}
