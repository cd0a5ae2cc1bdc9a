import { z } from 'zod';
import { CloudSchema } from './cloud.js';
import { OsSchema } from './price.js';

export const INSTANCE_STATES = ['pending', 'running', 'stopping', 'stopped', 'terminated', 'other'] as const;
export const InstanceStateSchema = z.enum(INSTANCE_STATES);
export type InstanceState = z.infer<typeof InstanceStateSchema>;

export const LIFECYCLES = ['on-demand', 'spot'] as const;
export const LifecycleSchema = z.enum(LIFECYCLES);
export type Lifecycle = z.infer<typeof LifecycleSchema>;

export const InstanceSchema = z.object({
  /** Cloud-unique id: `i-0abc…`, GCP numeric id, Azure VM resource id. */
  id: z.string().min(1),
  cloud: CloudSchema,
  /** AWS account id, GCP project id, Azure subscription id. */
  account: z.string().min(1),
  region: z.string().min(1),
  zone: z.string().min(1).optional(),
  type: z.string().min(1),
  state: InstanceStateSchema,
  lifecycle: LifecycleSchema,
  os: OsSchema,
  name: z.string().optional(),
  tags: z.record(z.string(), z.string()),
  /** ISO 8601 timestamp. */
  launchedAt: z.string().datetime({ offset: true }),
});
export type Instance = z.infer<typeof InstanceSchema>;

/** Tag that excludes an instance from recommendations (value ignored). */
export const IGNORE_TAG = 'rightsize:ignore';
/** Tag marking an instance's work as interruptible (checkpointed batch, stateless workers): spot-eligible. */
export const INTERRUPTIBLE_TAG = 'rightsize:interruptible';
