import { type CostExplorerClient, GetCostAndUsageCommand, GetCostForecastCommand } from '@aws-sdk/client-cost-explorer';
import type { SpendRow } from '../../../domain/spend.js';
import { type CeDimension, CostAndUsagePageSchema, CostForecastSchema, foldCostAndUsage, parseCeResponse } from './cost-explorer-parse.js';
import { AwsBillingError, billingErrorOf } from './errors.js';

/**
 * Cost Explorer API price: USD 0.01 per request, each page of a paginated answer a request
 * (aws.amazon.com/aws-cost-management/aws-cost-explorer/pricing/: "Each request will incur a cost of $0.01";
 * looked up 2026-11-30). Throttled attempts return no data; `calls` counts the answered ones.
 */
export const CE_REQUEST_USD = 0.01;

/** Options of {@link costExplorerSpend}. */
export interface CostExplorerSpendInput {
  /** Cost Explorer lives in us-east-1 (endpoint ce.us-east-1.amazonaws.com); see billingClients. */
  client: CostExplorerClient;
  /** First day, YYYY-MM-DD (inclusive). */
  start: string;
  /** Day after the last, YYYY-MM-DD (exclusive, as Cost Explorer's TimePeriod.End). */
  end: string;
  /**
   * The two dimensions (Cost Explorer's limit per request) the rows are split by. Default LINKED_ACCOUNT + SERVICE:
   * what budgets scope by. `['LINKED_ACCOUNT', 'REGION']` gives a region view of the same spend instead: the two views
   * are alternative splits of one total and must not both be imported into one dataset (Cost Explorer cannot say how
   * a service's amount divides among regions without a third dimension, so they cannot be joined).
   */
  groupBy?: readonly [CeDimension, CeDimension] | readonly [CeDimension];
  /**
   * `true`: NetUnblendedCost and NetAmortizedCost (after EDP, private-pricing and bundled discounts: what the invoice
   * says for accounts with such discounts). Default: UnblendedCost → billedCostUsd, AmortizedCost → effectiveCostUsd.
   */
  net?: boolean;
  signal?: AbortSignal;
}

/** What {@link costExplorerSpend} read, and what it cost to ask. */
export interface CostExplorerSpend {
  rows: SpendRow[];
  /** Requests answered (pages). */
  calls: number;
  /** calls × USD 0.01. */
  estimatedCostUsd: number;
  /** Days Cost Explorer marks Estimated: their amounts may still change. */
  provisionalDays: string[];
  /** LINKED_ACCOUNT id → account name, when Cost Explorer sent them. */
  accountNames: Record<string, string>;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function checkRange(operation: string, start: string, end: string): void {
  if (!DAY.test(start) || !DAY.test(end) || start >= end) {
    throw new AwsBillingError('invalid-input', 'invalid-config', `aws ${operation}: expected start < end as YYYY-MM-DD (end exclusive), got ${start} .. ${end}`);
  }
}

/**
 * Daily spend from Cost Explorer (GetCostAndUsage, DAILY, grouped by two dimensions), every page followed. Each row
 * is one day × group. Needs ce:GetCostAndUsage.
 * @example const { rows, calls } = await costExplorerSpend({ client, start: '2026-11-01', end: '2026-12-01' });
 */
export async function costExplorerSpend(input: CostExplorerSpendInput): Promise<CostExplorerSpend> {
  const operation = 'ce:GetCostAndUsage';
  checkRange(operation, input.start, input.end);
  const groupBy = input.groupBy ?? (['LINKED_ACCOUNT', 'SERVICE'] as const);
  const [billedMetric, effectiveMetric] = input.net ? ['NetUnblendedCost', 'NetAmortizedCost'] : ['UnblendedCost', 'AmortizedCost'];
  const pages = [];
  let token: string | undefined;
  do {
    let out: unknown;
    try {
      out = await input.client.send(
        new GetCostAndUsageCommand({
          TimePeriod: { Start: input.start, End: input.end },
          Granularity: 'DAILY',
          Metrics: [billedMetric, effectiveMetric],
          GroupBy: groupBy.map((Key) => ({ Type: 'DIMENSION', Key })),
          ...(token ? { NextPageToken: token } : {}),
        }),
        input.signal ? { abortSignal: input.signal } : {},
      );
    } catch (err) {
      throw billingErrorOf(`${operation} ${input.start}..${input.end}`, err, 'ce:GetCostAndUsage');
    }
    const page = parseCeResponse(operation, CostAndUsagePageSchema, out);
    pages.push(page);
    token = page.NextPageToken;
  } while (token);
  const folded = foldCostAndUsage(pages, { groupBy, billedMetric, effectiveMetric });
  return { ...folded, calls: pages.length, estimatedCostUsd: roundUsd(pages.length * CE_REQUEST_USD) };
}

/** Options of {@link costExplorerForecast}. */
export interface CostExplorerForecastInput {
  client: CostExplorerClient;
  /** First forecast day (today or later), YYYY-MM-DD. */
  start: string;
  /** Exclusive end, YYYY-MM-DD (DAILY: up to 3 months ahead; MONTHLY: 18). */
  end: string;
  /** Default AMORTIZED_COST (commitments spread over their term, as budgets on amortized cost read). */
  metric?: 'AMORTIZED_COST' | 'UNBLENDED_COST' | 'NET_AMORTIZED_COST' | 'NET_UNBLENDED_COST';
  granularity?: 'DAILY' | 'MONTHLY';
  /** Prediction interval in percent (51–99); default 80. */
  predictionIntervalLevel?: number;
  signal?: AbortSignal;
}

/** A Cost Explorer forecast: the total and one entry per day (or month start, for MONTHLY). */
export interface CostExplorerForecast {
  totalUsd: number;
  byDay: { day: string; meanUsd: number; lowUsd?: number; highUsd?: number }[];
  calls: number;
  estimatedCostUsd: number;
}

/** Cost Explorer's forecast of spend (GetCostForecast). Needs ce:GetCostForecast. */
export async function costExplorerForecast(input: CostExplorerForecastInput): Promise<CostExplorerForecast> {
  const operation = 'ce:GetCostForecast';
  checkRange(operation, input.start, input.end);
  let out: unknown;
  try {
    out = await input.client.send(
      new GetCostForecastCommand({
        TimePeriod: { Start: input.start, End: input.end },
        Metric: input.metric ?? 'AMORTIZED_COST',
        Granularity: input.granularity ?? 'DAILY',
        PredictionIntervalLevel: input.predictionIntervalLevel ?? 80,
      }),
      input.signal ? { abortSignal: input.signal } : {},
    );
  } catch (err) {
    throw billingErrorOf(`${operation} ${input.start}..${input.end}`, err, 'ce:GetCostForecast');
  }
  const parsed = parseCeResponse(operation, CostForecastSchema, out);
  if (parsed.Total.Unit !== undefined && parsed.Total.Unit !== 'USD') throw new AwsBillingError('bad-response', 'parse-error', `aws ${operation}: forecast in ${parsed.Total.Unit}, not USD`);
  return {
    totalUsd: parsed.Total.Amount,
    byDay: parsed.ForecastResultsByTime.map((r) => ({
      day: r.TimePeriod.Start,
      meanUsd: r.MeanValue,
      ...(r.PredictionIntervalLowerBound !== undefined ? { lowUsd: r.PredictionIntervalLowerBound } : {}),
      ...(r.PredictionIntervalUpperBound !== undefined ? { highUsd: r.PredictionIntervalUpperBound } : {}),
    })),
    calls: 1,
    estimatedCostUsd: CE_REQUEST_USD,
  };
}

function roundUsd(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
