import { z } from 'zod';
import { CloudSchema } from './cloud.js';
import type { Cloud } from './cloud.js';
import { CommitmentTermSchema } from './price.js';

/** A commitment line in a plan: how much to commit to, at which rate, and how well it would be used. */
export const CommitmentLineSchema = z.object({
  term: CommitmentTermSchema,
  /** Units depend on the pool: normalized instance-hours per hour for RI/reservation/CUD, USD per hour for savings plans. */
  quantity: z.number().nonnegative(),
  unit: z.enum(['instances', 'usd-per-hour', 'normalized-units']),
  hourlyCommitmentUsd: z.number().nonnegative(),
  /** Share of committed capacity the demand series would have used, 0-1. */
  utilization: z.number().min(0).max(1),
  /** Share of eligible demand this commitment covers, 0-1. */
  coverage: z.number().min(0).max(1),
});
export type CommitmentLine = z.infer<typeof CommitmentLineSchema>;

export const PurchasePlanSchema = z.object({
  /** `aws:ec2:us-east-1:m5`, `aws:compute-sp:<account>`, `azure:reservation:eastus:Dsv5`, `gcp:cud:us-central1:n2`. */
  pool: z.string(),
  snapshotId: z.string(),
  cloud: CloudSchema,
  region: z.string().nullable(),
  family: z.string().nullable(),
  commitments: z.array(CommitmentLineSchema),
  /** Spot share of the demand (interruptible demand) and its risk-priced effective hourly rate. */
  spot: z
    .object({ hours: z.number().nonnegative(), effectiveHourlyUsd: z.number().nonnegative(), reworkOverheadPct: z.number().nonnegative() })
    .nullable(),
  monthlyCostAllOnDemandUsd: z.number().nonnegative(),
  monthlyCostCurrentUsd: z.number().nonnegative(),
  monthlyCostRecommendedUsd: z.number().nonnegative(),
  monthlySavingsUsd: z.number(),
  /** Month in which the commitment has paid back its upfront part versus on-demand; null when no upfront. */
  breakEvenMonth: z.number().nullable(),
  evidence: z.record(z.string(), z.unknown()),
});
export type PurchasePlan = z.infer<typeof PurchasePlanSchema>;

/** The commitment pool kind per cloud: pools are `${cloud}:${POOL_KIND[cloud]}:${region}:${family}`. */
export const POOL_KIND: Record<Cloud, string> = { aws: 'ri', gcp: 'cud', azure: 'reservation' };

/** A purchase pool's key: the engine's, the bill's owned commitments' and the API's `/v1/purchase-plans/{pool}`. */
export function poolKey(cloud: Cloud, region: string, family: string): string {
  return `${cloud}:${POOL_KIND[cloud]}:${region}:${family}`;
}

/**
 * Whether an inventory commitment id (an RI id `4a5b…`) and a bill's CommitmentDiscountId name the same commitment:
 * equal, or the bill's is a fully qualified id ending in it (AWS `arn:aws:ec2:…:reserved-instances/4a5b…`).
 * Ids compare without case (Azure ids vary in case).
 */
export function sameCommitment(inventoryId: string, billId: string): boolean {
  const a = inventoryId.trim().toLowerCase();
  const b = billId.trim().toLowerCase();
  return a !== '' && (a === b || b.endsWith(`/${a}`));
}
