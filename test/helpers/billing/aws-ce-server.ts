import { type JsonReply, type JsonRequest, startAwsJsonServer } from './aws-json-server.js';

/** One group of one day as Cost Explorer would answer it: keys in GroupBy order, amounts as strings. */
export interface CeGroup {
  keys: string[];
  /** Metric name → amount string (e.g. UnblendedCost: '12.5'). */
  amounts: Record<string, string>;
  unit?: string;
}

export interface CeDay {
  day: string;
  estimated?: boolean;
  groups: CeGroup[];
}

export interface CeServerOptions {
  /** What GetCostAndUsage must be asked (the server fails the test on any other request body). */
  expect: { start: string; end: string; metrics: string[]; groupBy: string[] };
  days: CeDay[];
  /** Groups per page; the rest continue via NextPageToken (a day may straddle two pages, as in Cost Explorer). */
  groupsPerPage?: number;
  /** The first N GetCostAndUsage calls answer 400 with this error (then success). */
  throttleFirst?: { count: number; error: 'LimitExceededException' | 'ThrottlingException' };
  /** Every call answers this error instead (AccessDeniedException, DataUnavailableException, BillExpirationException). */
  failWith?: { status: 400 | 403; error: string; message: string };
  /** LINKED_ACCOUNT id → name, sent as DimensionValueAttributes. */
  accountNames?: Record<string, string>;
  /** GetCostForecast: what it must be asked and what it answers. */
  forecast?: { expect: { start: string; end: string; metric: string; granularity: string }; total: string; days: { day: string; mean: string; low?: string; high?: string }[] };
  /** GetSavingsPlansUtilization: the days' [total, used] commitment (strings); the server derives unused, %, and the total. */
  savingsPlans?: { expect: { start: string; end: string; granularity: string }; days: { day: string; total: string; used: string }[] };
}

function expectEqual(what: string, actual: unknown, expected: unknown): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) throw new Error(`${what}: got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
}

const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/**
 * A Cost Explorer stand-in (AWS JSON 1.1, `X-Amz-Target: AWSInsightsIndexService.*`) answering with the model's
 * shapes (ResultsByTime[{TimePeriod, Total, Groups[{Keys, Metrics}], Estimated}], NextPageToken,
 * DimensionValueAttributes). It checks every request body against `expect`.
 */
export async function startCeServer(options: CeServerOptions) {
  const flat = options.days.flatMap((d) => d.groups.map((g) => ({ day: d, group: g })));
  const perPage = options.groupsPerPage ?? Math.max(flat.length, 1);
  let throttled = 0;
  const handle = (req: JsonRequest): JsonReply => {
    if (options.failWith) return options.failWith;
    if (req.operation === 'GetCostAndUsage') {
      const b = req.body;
      expectEqual('TimePeriod', b['TimePeriod'], { Start: options.expect.start, End: options.expect.end });
      expectEqual('Granularity', b['Granularity'], 'DAILY');
      expectEqual('Metrics', b['Metrics'], options.expect.metrics);
      expectEqual('GroupBy', b['GroupBy'], options.expect.groupBy.map((Key) => ({ Type: 'DIMENSION', Key })));
      if (options.throttleFirst && throttled < options.throttleFirst.count) {
        throttled += 1;
        return { status: 400, error: options.throttleFirst.error, message: 'Rate exceeded' };
      }
      const token = b['NextPageToken'];
      const offset = token === undefined ? 0 : Number(/^page-(\d+)$/.exec(String(token))?.[1] ?? NaN);
      if (!Number.isInteger(offset) || offset >= flat.length + (flat.length === 0 ? 1 : 0)) throw new Error(`unknown NextPageToken ${String(token)}`);
      const slice = flat.slice(offset, offset + perPage);
      const days = [...new Set(slice.map((s) => s.day))];
      const more = offset + perPage < flat.length;
      return {
        body: {
          GroupDefinitions: options.expect.groupBy.map((Key) => ({ Type: 'DIMENSION', Key })),
          ResultsByTime: days.map((d) => ({
            TimePeriod: { Start: d.day, End: nextDay(d.day) },
            Total: {},
            Groups: slice.filter((s) => s.day === d).map((s) => ({ Keys: s.group.keys, Metrics: Object.fromEntries(Object.entries(s.group.amounts).map(([m, a]) => [m, { Amount: a, Unit: s.group.unit ?? 'USD' }])) })),
            Estimated: d.estimated ?? false,
          })),
          DimensionValueAttributes: Object.entries(options.accountNames ?? {}).map(([Value, description]) => ({ Value, Attributes: { description } })),
          ...(more ? { NextPageToken: `page-${offset + perPage}` } : {}),
        },
      };
    }
    if (req.operation === 'GetCostForecast' && options.forecast) {
      const f = options.forecast;
      expectEqual('TimePeriod', req.body['TimePeriod'], { Start: f.expect.start, End: f.expect.end });
      expectEqual('Metric', req.body['Metric'], f.expect.metric);
      expectEqual('Granularity', req.body['Granularity'], f.expect.granularity);
      return {
        body: {
          Total: { Amount: f.total, Unit: 'USD' },
          ForecastResultsByTime: f.days.map((d) => ({
            TimePeriod: { Start: d.day, End: nextDay(d.day) },
            MeanValue: d.mean,
            ...(d.low ? { PredictionIntervalLowerBound: d.low } : {}),
            ...(d.high ? { PredictionIntervalUpperBound: d.high } : {}),
          })),
        },
      };
    }
    if (req.operation === 'GetSavingsPlansUtilization' && options.savingsPlans) {
      const sp = options.savingsPlans;
      expectEqual('TimePeriod', req.body['TimePeriod'], { Start: sp.expect.start, End: sp.expect.end });
      expectEqual('Granularity', req.body['Granularity'], sp.expect.granularity);
      const util = (total: number, used: number) => ({ TotalCommitment: String(total), UsedCommitment: String(used), UnusedCommitment: String(total - used), UtilizationPercentage: String((used / total) * 100) });
      const total = sp.days.reduce((s, d) => s + Number(d.total), 0);
      const used = sp.days.reduce((s, d) => s + Number(d.used), 0);
      return {
        body: {
          SavingsPlansUtilizationsByTime: sp.days.map((d) => ({ TimePeriod: { Start: d.day, End: nextDay(d.day) }, Utilization: util(Number(d.total), Number(d.used)) })),
          Total: { Utilization: util(total, used), Savings: { NetSavings: '12.5', OnDemandCostEquivalent: String(used + 12.5) } },
        },
      };
    }
    throw new Error(`operation ${req.operation} not expected`);
  };
  return startAwsJsonServer('AWSInsightsIndexService', handle);
}
