import { z } from 'zod';
import type { Instance } from '../../domain/instance.js';
import { CollectError } from '../collector.js';

/**
 * The fields of an EC2 DescribeInstances instance that Rightsize uses, validated at the boundary: a bad shape is a
 * parse-error naming the path, never a crash and never a silently wrong number.
 */
const Ec2InstanceSchema = z.object({
  InstanceId: z.string().min(1),
  InstanceType: z.string().min(1),
  State: z.object({ Name: z.string() }),
  Placement: z.object({ AvailabilityZone: z.string().min(1) }).optional(),
  LaunchTime: z.date(),
  InstanceLifecycle: z.string().optional(),
  Platform: z.string().optional(),
  Tags: z.array(z.object({ Key: z.string(), Value: z.string().optional() })).optional(),
});

const STATES: Record<string, Instance['state']> = { pending: 'pending', running: 'running', stopping: 'stopping', stopped: 'stopped', 'shutting-down': 'stopping', terminated: 'terminated' };

/** One DescribeInstances item → a domain Instance. */
export function parseEc2Instance(raw: unknown, account: string, region: string): Instance {
  const parsed = Ec2InstanceSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CollectError('parse-error', `aws ec2:DescribeInstances ${account}/${region}: Reservations.Instances.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  const i = parsed.data;
  const tags = Object.fromEntries((i.Tags ?? []).map((t) => [t.Key, t.Value ?? '']));
  return {
    id: i.InstanceId,
    cloud: 'aws',
    account,
    region,
    ...(i.Placement?.AvailabilityZone ? { zone: i.Placement.AvailabilityZone } : {}),
    type: i.InstanceType,
    state: STATES[i.State.Name] ?? 'other',
    lifecycle: i.InstanceLifecycle === 'spot' ? 'spot' : 'on-demand',
    os: i.Platform?.toLowerCase() === 'windows' ? 'windows' : 'linux',
    ...(tags['Name'] ? { name: tags['Name'] } : {}),
    tags,
    launchedAt: i.LaunchTime.toISOString(),
  };
}

const MetricResultSchema = z.object({
  Id: z.string(),
  Timestamps: z.array(z.date()),
  Values: z.array(z.number()),
  StatusCode: z.string().optional(),
});
export type MetricResult = z.infer<typeof MetricResultSchema>;

export function parseMetricResult(raw: unknown, where: string): MetricResult {
  const parsed = MetricResultSchema.safeParse(raw);
  if (!parsed.success || parsed.data.Timestamps.length !== parsed.data.Values.length) {
    const issue = parsed.success ? { path: ['Values'], message: 'Timestamps and Values differ in length' } : parsed.error.issues[0];
    throw new CollectError('parse-error', `aws cloudwatch:GetMetricData ${where}: MetricDataResults.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}
