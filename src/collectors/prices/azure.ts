import { z } from 'zod';
import type { PricesFile } from '../../catalog/schema.js';
import type { ScopeResult } from '../../domain/snapshot.js';
import { CollectError } from '../collector.js';
import { DEFAULT_TIMEOUTS, withDeadline } from '../deadline.js';
import { failureOf } from '../failure.js';
import type { PriceRefresh } from './aws.js';
import { getJson } from './http-json.js';

/**
 * Azure Retail Prices API (https://learn.microsoft.com/rest/api/cost-management/retail-prices/azure-retail-prices):
 * anonymous, OData-filtered, paged by NextPageLink. Only the fields Rightsize reads are required.
 */
const ItemSchema = z.object({
  armSkuName: z.string(),
  armRegionName: z.string(),
  retailPrice: z.number().nonnegative(),
  unitOfMeasure: z.string(),
  type: z.string(),
  skuName: z.string(),
  productName: z.string(),
  reservationTerm: z.string().optional(),
});
const PageSchema = z.object({ Items: z.array(ItemSchema), NextPageLink: z.string().nullable().optional() });

const HOURS_PER_YEAR = 8760;

export interface AzurePriceOptions {
  /** Default https://prices.azure.com; overridable for sovereign clouds and tests. */
  endpoint?: string;
  fetch?: typeof fetch;
  /** Retries of a 429/5xx page, with backoff. */
  retries?: number;
  /** One page request, ms (config timeouts.requestMs). */
  requestTimeoutMs?: number;
  /** One region whole, every page and retry, ms (config timeouts.scopeMs). */
  regionTimeoutMs?: number;
}

/**
 * Linux pay-as-you-go, spot and 3-year reservation prices per region. Windows meters and Low Priority are skipped;
 * a reservation's price covers the whole term and becomes an effective hourly rate. Columns: on-demand, spot,
 * commitment (reservation, 3 years, all upfront).
 */
export async function fetchAzurePrices(regions: readonly string[], nowMs: number, options: AzurePriceOptions = {}): Promise<PriceRefresh> {
  const base = options.endpoint ?? 'https://prices.azure.com';
  const doFetch = options.fetch ?? fetch;
  const calls: Record<string, number> = {};
  const day = new Date(nowMs).toISOString().slice(0, 10);
  const file: PricesFile = {
    cloud: 'azure',
    columns: [{ option: 'on-demand' }, { option: 'spot' }, { option: 'commitment', term: { kind: 'reservation', termYears: 3, payment: 'all-upfront' } }],
    sources: { 'azure-retail-prices': { source: 'Azure Retail Prices API (Virtual Machines, Linux meters)', effectiveDate: day } },
    regions: {},
  };
  const scopes: ScopeResult[] = [];
  for (const region of regions) {
    try {
      const prices = await withDeadline(`azure prices ${region}`, options.regionTimeoutMs ?? DEFAULT_TIMEOUTS.scopeMs, (signal) => regionPrices(base, region, calls, signal, { ...options, fetch: doFetch }));
      file.regions[region] = { sources: ['azure-retail-prices', 'azure-retail-prices', 'azure-retail-prices'], prices };
      const priced = Object.keys(prices).length;
      scopes.push({ cloud: 'azure', account: 'prices', region, status: priced > 0 ? 'ok' : 'no-data', instanceCount: priced });
    } catch (err) {
      scopes.push({ cloud: 'azure', account: 'prices', region, ...failureOf('azure', 'Retail Prices', err), instanceCount: 0 });
    }
  }
  return { file, scopes, calls };
}

/** One region's Linux prices by VM size, every page: [pay-as-you-go, spot, 3-year reservation] hourly USD. */
async function regionPrices(base: string, region: string, calls: Record<string, number>, signal: AbortSignal, options: AzurePriceOptions): Promise<Record<string, (number | null)[]>> {
  const prices: Record<string, (number | null)[]> = {};
  const filter = `serviceName eq 'Virtual Machines' and armRegionName eq '${region.replace(/'/g, "''")}'`;
  let url: string | undefined = `${base}/api/retail/prices?api-version=2023-01-01-preview&$filter=${encodeURIComponent(filter)}`;
  let page = 0;
  while (url) {
    calls['retailPrices'] = (calls['retailPrices'] ?? 0) + 1;
    const body = await getJson(url, 'Retail Prices', { signal, ...(options.fetch ? { fetch: options.fetch } : {}), ...(options.retries !== undefined ? { retries: options.retries } : {}), ...(options.requestTimeoutMs ? { requestTimeoutMs: options.requestTimeoutMs } : {}) });
    const parsed = PageSchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new CollectError('parse-error', `Retail Prices ${region} page ${page}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
    }
    for (const item of parsed.data.Items) {
      if (/Windows/i.test(item.productName) || /Low Priority/i.test(item.skuName) || !item.armSkuName) continue;
      const row = (prices[item.armSkuName] ??= [null, null, null]);
      if (item.type === 'Consumption' && item.unitOfMeasure === '1 Hour') row[/Spot$/i.test(item.skuName) ? 1 : 0] = item.retailPrice;
      if (item.type === 'Reservation' && item.reservationTerm === '3 Years') row[2] = item.retailPrice / (3 * HOURS_PER_YEAR);
    }
    url = parsed.data.NextPageLink ?? undefined;
    page++;
  }
  return prices;
}
