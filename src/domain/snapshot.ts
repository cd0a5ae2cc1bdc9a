import { z } from 'zod';
import { CloudSchema } from './cloud.js';
import { InstanceTypeSchema } from './instance-type.js';
import type { Instance } from './instance.js';
import type { UtilizationSeries } from './utilization.js';

/**
 * Named outcome of collecting one scope; anything but `ok` explains what is missing from a snapshot. `no-data`: the
 * scope has instances but no utilization came back; `timeout`: a call got no answer within the configured timeouts.
 */
export const SCOPE_STATUSES = ['ok', 'auth-failed', 'throttled', 'invalid-config', 'parse-error', 'no-data', 'timeout', 'error'] as const;
export const ScopeStatusSchema = z.enum(SCOPE_STATUSES);
export type ScopeStatus = z.infer<typeof ScopeStatusSchema>;

/** One (cloud, account, region) unit of collection and how it went. */
export const ScopeResultSchema = z.object({
  cloud: CloudSchema,
  account: z.string().min(1),
  region: z.string().min(1),
  status: ScopeStatusSchema,
  message: z.string().optional(),
  instanceCount: z.number().int().nonnegative(),
});
export type ScopeResult = z.infer<typeof ScopeResultSchema>;

/** A commitment the account already owns (an active reserved instance), as collected. */
export const OwnedCommitmentSchema = z.object({
  cloud: CloudSchema,
  account: z.string().min(1),
  region: z.string().min(1),
  kind: z.enum(['ri']),
  id: z.string().min(1),
  instanceType: z.string().min(1),
  count: z.number().int().positive(),
  /** Per instance: the upfront fee amortized over the term plus the hourly charges. */
  effectiveHourlyUsd: z.number().nonnegative(),
  offeringClass: z.string().optional(),
  /** `Region` (size-flexible within the family) or `Availability Zone`. */
  scope: z.string().optional(),
  endsAt: z.string().datetime({ offset: true }).optional(),
});
export type OwnedCommitment = z.infer<typeof OwnedCommitmentSchema>;

export const SnapshotMetaSchema = z.object({
  id: z.string().min(1),
  source: z.enum(['demo', 'collect', 'import']),
  /** ISO timestamps. */
  startedAt: z.string().datetime({ offset: true }),
  finishedAt: z.string().datetime({ offset: true }),
  /** The utilization window the series cover, epoch ms, hour-aligned: [windowStartMs, windowEndMs). */
  windowStartMs: z.number().int().nonnegative(),
  windowEndMs: z.number().int().nonnegative(),
  scopes: z.array(ScopeResultSchema),
  /** Non-cloud metric sources (Prometheus/DCGM) and how their collection went. */
  sources: z
    .array(z.object({ kind: z.enum(['prometheus']), endpoint: z.string(), status: ScopeStatusSchema, message: z.string().optional(), instancesMatched: z.number().int().nonnegative() }))
    .optional(),
  instanceCount: z.number().int().nonnegative(),
  /** Instance types the bundled catalog lacked, as the cloud described them at collection; the engine adds them. */
  types: z.array(InstanceTypeSchema).optional(),
  /** Commitments already owned (active reserved instances): deducted from recommended purchases. */
  commitments: z.array(OwnedCommitmentSchema).optional(),
});
export type SnapshotMeta = z.infer<typeof SnapshotMetaSchema>;

/** Everything one collection run saw. Written whole or not at all. */
export interface Snapshot extends SnapshotMeta {
  instances: Instance[];
  series: UtilizationSeries[];
}
