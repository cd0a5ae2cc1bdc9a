import { z } from 'zod';
import { CloudSchema } from './cloud.js';

/** FOCUS ChargeCategory values (1.0–1.2): the only ones a row may carry. */
export const CHARGE_CATEGORIES = ['Usage', 'Purchase', 'Tax', 'Credit', 'Adjustment'] as const;
export const ChargeCategorySchema = z.enum(CHARGE_CATEGORIES);
export type ChargeCategory = z.infer<typeof ChargeCategorySchema>;

/** How an amount is counted: `billed` is cash (invoice), `amortized` is FOCUS EffectiveCost, `modeled` is inventory × list price. */
export const SPEND_BASES = ['billed', 'amortized', 'modeled'] as const;
export const SpendBasisSchema = z.enum(SPEND_BASES);
export type SpendBasis = z.infer<typeof SpendBasisSchema>;

const DaySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

/**
 * One line of the spend ledger: the FOCUS charges of one UTC day (by ChargePeriodStart) that share every dimension
 * below, summed. Amounts are USD: rows billed in another currency are converted at import or counted as problems.
 * Empty strings stand for FOCUS nulls so the tuple can key a map and a SQL GROUP BY alike.
 */
export const SpendRowSchema = z.object({
  day: DaySchema,
  /** FOCUS ProviderName as billed (`AWS`, `Microsoft`, `Google Cloud`, `Oracle`, …). */
  provider: z.string(),
  /** The Rightsize cloud this provider is, when it is one. */
  cloud: CloudSchema.optional(),
  billingAccountId: z.string(),
  /** SubAccountId (AWS account, GCP project, Azure subscription), else BillingAccountId. */
  account: z.string(),
  service: z.string(),
  serviceCategory: z.string(),
  region: z.string(),
  resourceId: z.string(),
  chargeCategory: ChargeCategorySchema,
  /** Standard | Dynamic | Committed | Other | '' (null, as for Tax). */
  pricingCategory: z.string(),
  commitmentDiscountId: z.string(),
  commitmentDiscountType: z.string(),
  /** Spend | Usage | ''. */
  commitmentDiscountCategory: z.string(),
  /** Used | Unused | ''. */
  commitmentDiscountStatus: z.string(),
  /** Tags as a canonical JSON object (keys sorted); '{}' when none. */
  tagsJson: z.string(),
  billedCostUsd: z.number().finite(),
  effectiveCostUsd: z.number().finite(),
  listCostUsd: z.number().finite(),
  contractedCostUsd: z.number().finite(),
  /** FOCUS 1.2 CommitmentDiscountQuantity summed (0 when absent). */
  commitmentDiscountQuantity: z.number().finite(),
  /** FOCUS rows folded into this line. */
  rowCount: z.number().int().positive(),
});
export type SpendRow = z.infer<typeof SpendRowSchema>;

/** The dimension fields of a SpendRow, in key order: what the aggregation groups by. */
export const SPEND_KEY_FIELDS = [
  'day', 'provider', 'billingAccountId', 'account', 'service', 'serviceCategory', 'region', 'resourceId', 'chargeCategory',
  'pricingCategory', 'commitmentDiscountId', 'commitmentDiscountType', 'commitmentDiscountCategory', 'commitmentDiscountStatus', 'tagsJson',
] as const satisfies readonly (keyof SpendRow)[];

/** The summed fields of a SpendRow. */
export const SPEND_SUM_FIELDS = ['billedCostUsd', 'effectiveCostUsd', 'listCostUsd', 'contractedCostUsd', 'commitmentDiscountQuantity', 'rowCount'] as const satisfies readonly (keyof SpendRow)[];

/** Named kinds of row-level problems; every rejected or repaired row is counted under one. */
export const ROW_PROBLEM_KINDS = [
  'bad-date', 'bad-number', 'unknown-charge-category', 'null-string', 'missing-required', 'bad-value', 'currency-unconverted', 'period-order',
] as const;
export const RowProblemKindSchema = z.enum(ROW_PROBLEM_KINDS);
export type RowProblemKind = z.infer<typeof RowProblemKindSchema>;

/** A counted problem kind with a few examples (file, 1-based data row, column, the offending value, why). */
export const ProblemSummarySchema = z.object({
  kind: RowProblemKindSchema,
  /** `rejected`: the row is not in the ledger; `repaired`: it is, with the value read as null. */
  effect: z.enum(['rejected', 'repaired']),
  count: z.number().int().nonnegative(),
  examples: z.array(z.object({ file: z.string(), row: z.number().int().nonnegative(), column: z.string(), value: z.string(), message: z.string() })).max(5),
});
export type ProblemSummary = z.infer<typeof ProblemSummarySchema>;

/**
 * One import of one billing period of one dataset: the ledger replaces the dataset's rows for that period as a
 * whole, so re-importing a rewritten export is idempotent.
 */
export const SpendImportSchema = z.object({
  /** Stable name of where the bill comes from: `s3://bucket/prefix/export-name`, a local path, `aws-cost-explorer:123…`. */
  datasetId: z.string().min(1),
  /** YYYY-MM of BillingPeriodStart. */
  billingPeriod: z.string().regex(/^\d{4}-\d{2}$/),
  /** How it was read: a FOCUS file format, a cost API or a pushed-down query. */
  via: z.enum(['focus-csv', 'focus-parquet', 'aws-cost-explorer', 'azure-cost-management', 'athena', 'bigquery']),
  focusVersion: z.string().optional(),
  /** Bases the source can answer: Cost Explorer and Cost Management give both; some give one. */
  bases: z.array(z.enum(['billed', 'amortized'])).min(1),
  files: z.array(z.string()),
  /** Rows read from the import's files (all periods in them), and rows of this period that landed in the ledger. */
  rowsRead: z.number().int().nonnegative(),
  rowsAccepted: z.number().int().nonnegative(),
  ledgerRows: z.number().int().nonnegative(),
  problems: z.array(ProblemSummarySchema),
  /** What the reader should know about how the files were chosen (no manifest: the period's files were listed). */
  notes: z.array(z.string()).optional(),
  /** Epoch ms. */
  importedAtMs: z.number().int().nonnegative(),
  /** Latest ChargePeriodEnd seen (epoch ms): the bill is complete up to here. */
  dataThroughMs: z.number().int().nonnegative().optional(),
  /** Days covered (YYYY-MM-DD), first and last. */
  firstDay: DaySchema.optional(),
  lastDay: DaySchema.optional(),
});
export type SpendImport = z.infer<typeof SpendImportSchema>;

const PROVIDER_CLOUDS: Record<string, 'aws' | 'gcp' | 'azure'> = {
  aws: 'aws', 'amazon web services': 'aws', 'amazon web services, inc.': 'aws',
  microsoft: 'azure', azure: 'azure', 'microsoft azure': 'azure',
  'google cloud': 'gcp', google: 'gcp', 'google cloud platform': 'gcp', gcp: 'gcp',
};

/** The Rightsize cloud a FOCUS ProviderName denotes, if any (matching ignores case). */
export function cloudOfProvider(provider: string): 'aws' | 'gcp' | 'azure' | undefined {
  return PROVIDER_CLOUDS[provider.trim().toLowerCase()];
}
