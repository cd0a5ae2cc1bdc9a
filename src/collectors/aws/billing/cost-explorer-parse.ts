import { z } from 'zod';
import { SPEND_KEY_FIELDS, type SpendRow } from '../../../domain/spend.js';
import { formatZodError } from '../../../errors.js';
import { AwsBillingError } from './errors.js';

/*
 * Cost Explorer response shapes, from the service model (botocore ce 2017-10-25, excerpt in
 * test/fixtures/billing/aws-ce-cost-apis-excerpt.json): amounts are strings (`MetricAmount`), dates `YYYY-MM-DD`,
 * a TimePeriod's End exclusive. With GroupBy, `Total` is empty and the amounts are in `Groups`.
 */
const DaySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const AmountSchema = z.string().regex(/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/, 'expected a decimal amount').transform(Number);
const MetricValueSchema = z.object({ Amount: AmountSchema, Unit: z.string().optional() });

export const CostAndUsagePageSchema = z.object({
  ResultsByTime: z
    .array(
      z.object({
        TimePeriod: z.object({ Start: DaySchema, End: DaySchema }),
        Total: z.record(z.string(), MetricValueSchema).optional(),
        Groups: z.array(z.object({ Keys: z.array(z.string()), Metrics: z.record(z.string(), MetricValueSchema) })).optional(),
        Estimated: z.boolean().optional(),
      }),
    )
    .optional(),
  NextPageToken: z.string().min(1).optional(),
  DimensionValueAttributes: z.array(z.object({ Value: z.string().optional(), Attributes: z.record(z.string(), z.string()).optional() })).optional(),
});
export type CostAndUsagePage = z.infer<typeof CostAndUsagePageSchema>;

export const CostForecastSchema = z.object({
  Total: MetricValueSchema,
  ForecastResultsByTime: z
    .array(
      z.object({
        TimePeriod: z.object({ Start: DaySchema, End: DaySchema }),
        MeanValue: AmountSchema,
        PredictionIntervalLowerBound: AmountSchema.optional(),
        PredictionIntervalUpperBound: AmountSchema.optional(),
      }),
    )
    .default([]),
});

/** Validates one SDK output against `schema`; the error names the operation and the first failing field. */
export function parseCeResponse<T extends z.ZodType>(operation: string, schema: T, out: unknown): z.infer<T> {
  const parsed = schema.safeParse(out);
  if (!parsed.success) throw new AwsBillingError('bad-response', 'parse-error', `aws ${formatZodError(operation, parsed.error)}`);
  return parsed.data;
}

/** The Cost Explorer dimensions a SpendRow can carry. */
export const CE_DIMENSIONS = ['LINKED_ACCOUNT', 'SERVICE', 'REGION'] as const;
export type CeDimension = (typeof CE_DIMENSIONS)[number];

/** What to read from the pages: the group-by order of the request and the metric names of the two amounts. */
export interface CeFoldSpec {
  groupBy: readonly CeDimension[];
  billedMetric: string;
  effectiveMetric: string;
}

/** An amount in USD; a non-USD unit is accepted only on a zero amount (Cost Explorer labels some zero groups oddly). */
function usd(value: { Amount: number; Unit?: string | undefined } | undefined, where: string): number {
  if (!value) throw new AwsBillingError('bad-response', 'parse-error', `aws ce:GetCostAndUsage: ${where}: metric missing`);
  if (value.Unit !== undefined && value.Unit !== 'USD' && value.Amount !== 0) {
    throw new AwsBillingError('bad-response', 'parse-error', `aws ce:GetCostAndUsage: ${where}: amount in ${value.Unit}, not USD (not converted)`);
  }
  return value.Amount;
}

/**
 * Folds GetCostAndUsage pages into SpendRows, one per (day, group keys): provider `AWS`, charge category `Usage`
 * except the `Tax` service (Cost Explorer nets credits and refunds into each service's amounts), dimensions the
 * request did not group by left empty, listCostUsd and contractedCostUsd 0 (Cost Explorer gives neither), rowCount
 * the groups folded. Also returns the days Cost Explorer marks `Estimated` (not final yet) and the account names.
 */
export function foldCostAndUsage(pages: CostAndUsagePage[], spec: CeFoldSpec): { rows: SpendRow[]; provisionalDays: string[]; accountNames: Record<string, string> } {
  const rows = new Map<string, SpendRow>();
  const provisional = new Set<string>();
  const accountNames: Record<string, string> = {};
  for (const page of pages) {
    for (const a of page.DimensionValueAttributes ?? []) {
      const description = a.Attributes?.['description'];
      if (a.Value && description) accountNames[a.Value] = description;
    }
    for (const result of page.ResultsByTime ?? []) {
      const day = result.TimePeriod.Start;
      if (result.Estimated) provisional.add(day);
      for (const group of result.Groups ?? []) {
        const where = `${day} ${group.Keys.join('/')}`;
        if (group.Keys.length !== spec.groupBy.length) throw new AwsBillingError('bad-response', 'parse-error', `aws ce:GetCostAndUsage: ${where}: ${group.Keys.length} keys for ${spec.groupBy.length} group-bys`);
        const dim = (d: CeDimension) => {
          const i = spec.groupBy.indexOf(d);
          return i < 0 ? '' : (group.Keys[i] ?? '');
        };
        const service = dim('SERVICE');
        const region = dim('REGION');
        const row: SpendRow = {
          day,
          provider: 'AWS',
          cloud: 'aws',
          billingAccountId: '',
          account: dim('LINKED_ACCOUNT'),
          service,
          serviceCategory: '',
          // Cost Explorer's REGION value for charges with no region (support, tax, some marketplace) is `NoRegion`.
          region: region === 'NoRegion' ? '' : region,
          resourceId: '',
          chargeCategory: service === 'Tax' ? 'Tax' : 'Usage',
          pricingCategory: '',
          commitmentDiscountId: '',
          commitmentDiscountType: '',
          commitmentDiscountCategory: '',
          commitmentDiscountStatus: '',
          tagsJson: '{}',
          billedCostUsd: usd(group.Metrics[spec.billedMetric], `${where} ${spec.billedMetric}`),
          effectiveCostUsd: usd(group.Metrics[spec.effectiveMetric], `${where} ${spec.effectiveMetric}`),
          listCostUsd: 0,
          contractedCostUsd: 0,
          commitmentDiscountQuantity: 0,
          rowCount: 1,
        };
        const key = SPEND_KEY_FIELDS.map((f) => row[f]).join('\u0000');
        const seen = rows.get(key);
        if (!seen) rows.set(key, row);
        else {
          seen.billedCostUsd += row.billedCostUsd;
          seen.effectiveCostUsd += row.effectiveCostUsd;
          seen.rowCount += 1;
        }
      }
    }
  }
  return { rows: [...rows.values()], provisionalDays: [...provisional].sort(), accountNames };
}
