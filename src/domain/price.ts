import { z } from 'zod';
import { CloudSchema } from './cloud.js';

export const PURCHASE_OPTIONS = ['on-demand', 'spot', 'commitment'] as const;
export const PurchaseOptionSchema = z.enum(PURCHASE_OPTIONS);
export type PurchaseOption = z.infer<typeof PurchaseOptionSchema>;

/**
 * Commitment kinds: AWS Standard RI / EC2 Instance Savings Plan (per family+region), AWS Compute Savings Plan
 * ($/h across families), Azure reservation, GCP resource-based committed use discount.
 */
export const COMMITMENT_KINDS = ['ri', 'ec2-savings-plan', 'compute-savings-plan', 'reservation', 'cud'] as const;
export const CommitmentKindSchema = z.enum(COMMITMENT_KINDS);
export type CommitmentKind = z.infer<typeof CommitmentKindSchema>;

export const PAYMENT_OPTIONS = ['no-upfront', 'partial-upfront', 'all-upfront'] as const;
export const PaymentOptionSchema = z.enum(PAYMENT_OPTIONS);
export type PaymentOption = z.infer<typeof PaymentOptionSchema>;

export const CommitmentTermSchema = z.object({
  kind: CommitmentKindSchema,
  termYears: z.union([z.literal(1), z.literal(3)]),
  payment: PaymentOptionSchema,
});
export type CommitmentTerm = z.infer<typeof CommitmentTermSchema>;

export const OS_VALUES = ['linux', 'windows'] as const;
export const OsSchema = z.enum(OS_VALUES);
export type Os = z.infer<typeof OsSchema>;

/** One price point. Commitment prices are effective hourly rates (upfront amortized over the term). */
export const PriceSchema = z.object({
  cloud: CloudSchema,
  region: z.string().min(1),
  instanceType: z.string().min(1),
  os: OsSchema,
  purchaseOption: PurchaseOptionSchema,
  commitment: CommitmentTermSchema.optional(),
  hourlyUsd: z.number().nonnegative(),
  /** ISO date (YYYY-MM-DD) the source published or captured this price. */
  effectiveDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  source: z.string().min(1),
});
export type Price = z.infer<typeof PriceSchema>;

/** AWS Spot Instance Advisor interruption-frequency bucket (0: <5%, 1: 5-10%, 2: 10-15%, 3: 15-20%, 4: >20%). */
export const SpotInterruptionSchema = z.object({
  bucket: z.number().int().min(0).max(4),
  label: z.string(),
  /** Upper bound of the bucket's monthly interruption frequency, as a fraction (0.05 for "<5%"). */
  maxMonthlyRate: z.number().min(0).max(1),
  savingsPct: z.number().min(0).max(100).optional(),
});
export type SpotInterruption = z.infer<typeof SpotInterruptionSchema>;
