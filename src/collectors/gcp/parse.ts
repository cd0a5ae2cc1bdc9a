import { z } from 'zod';
import type { Instance } from '../../domain/instance.js';
import { CollectError } from '../collector.js';

/** The fields of a Compute Engine instance Rightsize uses (REST JSON / gax message, int64 as string). */
const GceInstanceSchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  name: z.string().min(1),
  machineType: z.string().min(1),
  zone: z.string().min(1),
  status: z.string(),
  creationTimestamp: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional().nullable(),
  scheduling: z.object({ provisioningModel: z.string().optional().nullable(), preemptible: z.boolean().optional().nullable() }).optional().nullable(),
  guestAccelerators: z.array(z.object({ acceleratorType: z.string(), acceleratorCount: z.number() })).optional().nullable(),
});

const STATES: Record<string, Instance['state']> = { PROVISIONING: 'pending', STAGING: 'pending', RUNNING: 'running', STOPPING: 'stopping', STOPPED: 'stopped', SUSPENDING: 'stopping', SUSPENDED: 'stopped', TERMINATED: 'stopped' };

const last = (url: string) => url.slice(url.lastIndexOf('/') + 1);

/**
 * One instance from `instances.aggregatedList` → a domain Instance. An N1 VM with attached GPUs gets the catalog's
 * combined type name (`n1-standard-8+nvidia-tesla-t4x1`) so it is priced and sized with its GPUs.
 */
export function parseGceInstance(raw: unknown, project: string): Instance {
  const parsed = GceInstanceSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CollectError('parse-error', `gcp instances.aggregatedList ${project}: items.instances.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  const i = parsed.data;
  const zone = last(i.zone);
  const machineType = last(i.machineType);
  const accel = i.guestAccelerators?.[0];
  const type = accel && accel.acceleratorCount > 0 ? `${machineType}+${last(accel.acceleratorType)}x${accel.acceleratorCount}` : machineType;
  const spot = i.scheduling?.provisioningModel === 'SPOT' || i.scheduling?.preemptible === true;
  return {
    id: i.id,
    cloud: 'gcp',
    account: project,
    region: zone.replace(/-[a-z]$/, ''),
    zone,
    type,
    state: STATES[i.status] ?? 'other',
    lifecycle: spot ? 'spot' : 'on-demand',
    os: 'linux',
    name: i.name,
    tags: i.labels ?? {},
    launchedAt: new Date(i.creationTimestamp ?? 0).toISOString(),
  };
}

/** A Cloud Monitoring time series (REST JSON or gax message) reduced to what the collector reads. */
export const TimeSeriesSchema = z.object({
  metric: z.object({ labels: z.record(z.string(), z.string()).optional().nullable() }).optional().nullable(),
  resource: z.object({ labels: z.record(z.string(), z.string()) }),
  points: z.array(
    z.object({
      interval: z.object({ endTime: z.union([z.string(), z.object({ seconds: z.union([z.string(), z.number()]) })]) }),
      value: z.object({ doubleValue: z.number().optional().nullable(), int64Value: z.union([z.string(), z.number()]).optional().nullable() }),
    }),
  ),
});
