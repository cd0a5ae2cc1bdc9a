import { type CostExplorerClient, GetSavingsPlansUtilizationCommand } from '@aws-sdk/client-cost-explorer';
import { z } from 'zod';
import { CE_REQUEST_USD } from './cost-explorer.js';
import { parseCeResponse } from './cost-explorer-parse.js';
import { AwsBillingError, billingErrorOf } from './errors.js';

// Shapes from the ce model (SavingsPlansUtilization, SavingsPlansSavings): every figure is a string.
const Num = z.string().regex(/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/).transform(Number);
const UtilizationSchema = z.object({ TotalCommitment: Num, UsedCommitment: Num, UnusedCommitment: Num, UtilizationPercentage: Num });
const AggregateSchema = z.object({ Utilization: UtilizationSchema, Savings: z.object({ NetSavings: Num.optional(), OnDemandCostEquivalent: Num.optional() }).optional() });
const ResponseSchema = z.object({
  Total: AggregateSchema,
  SavingsPlansUtilizationsByTime: z.array(AggregateSchema.extend({ TimePeriod: z.object({ Start: z.string(), End: z.string() }) })).default([]),
});

/** Savings Plans commitment use over a period, in USD of commitment. */
export interface CommitmentUtilization {
  commitmentUsd: number;
  usedUsd: number;
  unusedUsd: number;
  utilizationPct: number;
  netSavingsUsd?: number;
  onDemandEquivalentUsd?: number;
}

function utilizationOf(a: z.infer<typeof AggregateSchema>): CommitmentUtilization {
  return {
    commitmentUsd: a.Utilization.TotalCommitment,
    usedUsd: a.Utilization.UsedCommitment,
    unusedUsd: a.Utilization.UnusedCommitment,
    utilizationPct: a.Utilization.UtilizationPercentage,
    ...(a.Savings?.NetSavings !== undefined ? { netSavingsUsd: a.Savings.NetSavings } : {}),
    ...(a.Savings?.OnDemandCostEquivalent !== undefined ? { onDemandEquivalentUsd: a.Savings.OnDemandCostEquivalent } : {}),
  };
}

/**
 * Savings Plans utilization as Cost Explorer computes it (GetSavingsPlansUtilization): a cross-check for the
 * commitment use read from the bill (FOCUS CommitmentDiscountStatus Used/Unused). An account with no Savings Plans
 * gets Cost Explorer's DataUnavailableException (kind `data-unavailable`). Needs ce:GetSavingsPlansUtilization.
 */
export async function costExplorerSavingsPlansUtilization(input: { client: CostExplorerClient; start: string; end: string; granularity?: 'DAILY' | 'MONTHLY'; signal?: AbortSignal }): Promise<{
  total: CommitmentUtilization;
  byPeriod: (CommitmentUtilization & { start: string })[];
  calls: number;
  estimatedCostUsd: number;
}> {
  const operation = 'ce:GetSavingsPlansUtilization';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.start) || !/^\d{4}-\d{2}-\d{2}$/.test(input.end) || input.start >= input.end) {
    throw new AwsBillingError('invalid-input', 'invalid-config', `aws ${operation}: expected start < end as YYYY-MM-DD, got ${input.start} .. ${input.end}`);
  }
  let out: unknown;
  try {
    out = await input.client.send(
      new GetSavingsPlansUtilizationCommand({ TimePeriod: { Start: input.start, End: input.end }, Granularity: input.granularity ?? 'DAILY' }),
      input.signal ? { abortSignal: input.signal } : {},
    );
  } catch (err) {
    throw billingErrorOf(`${operation} ${input.start}..${input.end}`, err, operation);
  }
  const parsed = parseCeResponse(operation, ResponseSchema, out);
  return {
    total: utilizationOf(parsed.Total),
    byPeriod: parsed.SavingsPlansUtilizationsByTime.map((p) => ({ start: p.TimePeriod.Start, ...utilizationOf(p) })),
    calls: 1,
    estimatedCostUsd: CE_REQUEST_USD,
  };
}
