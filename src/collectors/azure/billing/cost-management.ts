import type { ChargeCategory, SpendRow } from '../../../domain/spend.js';
import { CollectError } from '../../collector.js';
import { armPoster, type ArmCallOptions } from './arm-post.js';
import { parseCostTable, type CostCell } from './cost-table.js';

export const COST_MANAGEMENT_API_VERSION = '2024-08-01';

/** Dimensions a query may group by (the API allows two) and the SpendRow field each one fills. */
export const COST_GROUPINGS = { ServiceName: 'service', ResourceLocation: 'region', SubscriptionId: 'account', ChargeType: 'chargeCategory' } as const;
export type CostGrouping = keyof typeof COST_GROUPINGS;

export interface CostQueryInput {
  /** `subscriptions/<id>` or `providers/Microsoft.Billing/billingAccounts/<id>` (a leading `/` is fine). */
  scope: string;
  /** First and last day, YYYY-MM-DD, both included (UTC). */
  fromDay: string;
  toDay: string;
  /**
   * At most two. Default: `ServiceName` + `ResourceLocation` on a subscription (the account is the scope), and
   * `SubscriptionId` + `ServiceName` on a billing account (so spend lands on its subscriptions; regions summed).
   */
  groupBy?: CostGrouping[];
}

export interface CostQueryResult {
  rows: SpendRow[];
  /** HTTP calls made (pages and retries included). */
  calls: number;
  /** Cost left out because it was not in USD, by currency (billing-currency accounts; no conversion here). */
  nonUsd: Record<string, number>;
}

interface Scope {
  path: string;
  kind: 'subscription' | 'billingAccount';
  id: string;
}

function parseScope(scope: string): Scope {
  const path = scope.replace(/^\/+|\/+$/g, '');
  const sub = /^subscriptions\/([^/]+)$/i.exec(path);
  if (sub) return { path, kind: 'subscription', id: sub[1] as string };
  const ba = /^providers\/Microsoft\.Billing\/billingAccounts\/([^/]+)$/i.exec(path);
  if (ba) return { path, kind: 'billingAccount', id: ba[1] as string };
  throw new CollectError('error', `azure cost management: scope ${scope} is neither subscriptions/<id> nor providers/Microsoft.Billing/billingAccounts/<id>`);
}

/** Azure ChargeType → FOCUS ChargeCategory, as the FOCUS conversion of Cost Management does (refunds are purchases). */
const CHARGE_TYPES: Record<string, ChargeCategory> = {
  usage: 'Usage', unusedreservation: 'Usage', unusedsavingsplan: 'Usage', purchase: 'Purchase', refund: 'Purchase', tax: 'Tax', credit: 'Credit', roundingadjustment: 'Adjustment', adjustment: 'Adjustment',
};

const timePeriod = (input: { fromDay: string; toDay: string }) => ({ from: `${input.fromDay}T00:00:00+00:00`, to: `${input.toDay}T23:59:59+00:00` });

/**
 * Daily spend of a scope from the Cost Management Query API: one `ActualCost` query (→ billedCostUsd, cash as
 * invoiced: purchases on their day) and one `AmortizedCost` query (→ effectiveCostUsd, purchases spread over their
 * term), both `timeframe: Custom`, `granularity: Daily`, `Sum` of `Cost`, pages followed by `nextLink`. List and
 * contracted cost are not in this API: they are 0 here. Without a `ChargeType` grouping every row counts as Usage.
 * @example const { rows } = await queryAzureCosts({ scope: 'subscriptions/0000…', fromDay: '2024-08-01', toDay: '2024-08-31' });
 */
export async function queryAzureCosts(input: CostQueryInput, options: ArmCallOptions = {}): Promise<CostQueryResult> {
  const scope = parseScope(input.scope);
  const groupBy = input.groupBy ?? (scope.kind === 'subscription' ? ['ServiceName', 'ResourceLocation'] : ['SubscriptionId', 'ServiceName']);
  if (groupBy.length > 2) throw new CollectError('error', `azure cost management: at most 2 groupings (got ${groupBy.join(', ')})`);
  const arm = armPoster(options);
  const nonUsd: Record<string, number> = {};
  const merged = new Map<string, SpendRow>();
  for (const [type, field] of [['ActualCost', 'billedCostUsd'], ['AmortizedCost', 'effectiveCostUsd']] as const) {
    const body = { type, timeframe: 'Custom', timePeriod: timePeriod(input), dataset: { granularity: 'Daily', aggregation: { totalCost: { name: 'Cost', function: 'Sum' } }, grouping: groupBy.map((name) => ({ type: 'Dimension', name })) } };
    for await (const cell of pages(arm, `${scope.path}/providers/Microsoft.CostManagement/query?api-version=${COST_MANAGEMENT_API_VERSION}`, body, `Cost Management Query ${type} ${scope.path}`, groupBy)) {
      if (cell.currency.toUpperCase() !== 'USD') {
        // Each type sums the same usage: count it once (from ActualCost) so the figure is the bill's.
        if (type === 'ActualCost') nonUsd[cell.currency] = (nonUsd[cell.currency] ?? 0) + cell.cost;
        continue;
      }
      const row = rowOf(cell, scope);
      const key = [row.day, row.account, row.service, row.region, row.chargeCategory].join('\u0000');
      const have = merged.get(key);
      if (have) {
        have[field] += cell.cost;
        have.rowCount += 1;
      } else merged.set(key, { ...row, [field]: cell.cost });
    }
  }
  const rows = [...merged.values()].sort((a, b) => a.day.localeCompare(b.day) || a.account.localeCompare(b.account) || a.service.localeCompare(b.service) || a.region.localeCompare(b.region));
  return { rows, calls: arm.calls(), nonUsd };
}

function rowOf(cell: CostCell, scope: Scope): SpendRow {
  const d = cell.dims;
  return {
    day: cell.day, provider: 'Microsoft', cloud: 'azure',
    billingAccountId: scope.kind === 'billingAccount' ? scope.id : '',
    account: d['SubscriptionId'] || scope.id,
    service: d['ServiceName'] ?? '', serviceCategory: '', region: d['ResourceLocation'] ?? '', resourceId: '',
    chargeCategory: d['ChargeType'] !== undefined ? (CHARGE_TYPES[d['ChargeType'].toLowerCase()] ?? 'Adjustment') : 'Usage',
    pricingCategory: '', commitmentDiscountId: '', commitmentDiscountType: '', commitmentDiscountCategory: '', commitmentDiscountStatus: '', tagsJson: '{}',
    billedCostUsd: 0, effectiveCostUsd: 0, listCostUsd: 0, contractedCostUsd: 0, commitmentDiscountQuantity: 0, rowCount: 1,
  };
}

async function* pages(arm: ReturnType<typeof armPoster>, first: string, body: unknown, what: string, dims: readonly string[]): AsyncGenerator<CostCell> {
  let next: string | undefined = first;
  for (let page = 0; next; page++) {
    if (page >= 1000) throw new CollectError('error', `${what}: more than 1000 pages (nextLink loop?)`);
    // nextLink is POSTed with the same body: it carries only the $skiptoken.
    const parsed = parseCostTable(await arm.post(next, body, what), what, dims);
    yield* parsed.cells;
    next = parsed.nextLink;
  }
}

export interface CostForecast {
  /** Actual cost to date plus forecast cost for the rest of the period, USD. */
  totalUsd: number;
  actualUsd: number;
  forecastUsd: number;
  byDay: { day: string; costUsd: number; status: 'Actual' | 'Forecast' }[];
  calls: number;
}

/**
 * The Cost Management forecast of a scope's `ActualCost` over [fromDay, toDay], with actual cost included for the
 * days already past (rows carry `CostStatus` Actual or Forecast); rows of one day and status are summed.
 * @example const f = await forecastAzureCosts({ scope: 'subscriptions/0000…', fromDay: '2024-08-01', toDay: '2024-08-31' });
 */
export async function forecastAzureCosts(input: Omit<CostQueryInput, 'groupBy'>, options: ArmCallOptions = {}): Promise<CostForecast> {
  const scope = parseScope(input.scope);
  const arm = armPoster(options);
  const body = { type: 'ActualCost', timeframe: 'Custom', timePeriod: timePeriod(input), dataset: { granularity: 'Daily', aggregation: { totalCost: { name: 'Cost', function: 'Sum' } } }, includeActualCost: true, includeFreshPartialCost: false };
  const what = `Cost Management Forecast ${scope.path}`;
  const days = new Map<string, { day: string; costUsd: number; status: 'Actual' | 'Forecast' }>();
  for await (const cell of pages(arm, `${scope.path}/providers/Microsoft.CostManagement/forecast?api-version=${COST_MANAGEMENT_API_VERSION}`, body, what, ['CostStatus'])) {
    if (cell.currency.toUpperCase() !== 'USD') throw new CollectError('error', `${what}: forecast in ${cell.currency}, not USD`);
    const status = cell.dims['CostStatus'] === 'Actual' ? 'Actual' : cell.dims['CostStatus'] === 'Forecast' ? 'Forecast' : undefined;
    if (!status) throw new CollectError('parse-error', `${what}: CostStatus ${JSON.stringify(cell.dims['CostStatus'])} is neither Actual nor Forecast`);
    const key = `${cell.day}|${status}`;
    const have = days.get(key) ?? days.set(key, { day: cell.day, costUsd: 0, status }).get(key)!;
    have.costUsd += cell.cost;
  }
  const byDay = [...days.values()].sort((a, b) => a.day.localeCompare(b.day) || a.status.localeCompare(b.status));
  const actualUsd = byDay.filter((d) => d.status === 'Actual').reduce((s, d) => s + d.costUsd, 0);
  const forecastUsd = byDay.filter((d) => d.status === 'Forecast').reduce((s, d) => s + d.costUsd, 0);
  return { totalUsd: actualUsd + forecastUsd, actualUsd, forecastUsd, byDay, calls: arm.calls() };
}
