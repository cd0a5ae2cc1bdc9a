import { DescribeSpotPriceHistoryCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { GetProductsCommand, type PricingClient } from '@aws-sdk/client-pricing';
import { z } from 'zod';
import type { PricesFile } from '../../catalog/schema.js';
import type { ScopeResult } from '../../domain/snapshot.js';
import { CollectError } from '../collector.js';
import { DEFAULT_TIMEOUTS, withDeadline } from '../deadline.js';
import { failureOf } from '../failure.js';

const HOURS_3Y = 3 * 8760;

/** One Price List product (a JSON string in GetProducts' PriceList), the parts Rightsize reads. */
const DimensionSchema = z.object({ unit: z.string(), pricePerUnit: z.object({ USD: z.string().regex(/^\d+(\.\d+)?$/) }) });
const TermSchema = z.object({
  priceDimensions: z.record(z.string(), DimensionSchema),
  termAttributes: z.record(z.string(), z.string()).optional(),
});
const ProductSchema = z.object({
  product: z.object({ attributes: z.object({ instanceType: z.string().min(1) }) }),
  terms: z.object({ OnDemand: z.record(z.string(), TermSchema).optional(), Reserved: z.record(z.string(), TermSchema).optional() }),
});

/** On-demand Linux, shared tenancy, used capacity, no pre-installed software: the price the catalog columns hold. */
const PRODUCT_FILTERS = (region: string) =>
  [
    ['regionCode', region],
    ['operatingSystem', 'Linux'],
    ['tenancy', 'Shared'],
    ['capacitystatus', 'Used'],
    ['preInstalledSw', 'NA'],
  ].map(([Field, Value]) => ({ Type: 'TERM_MATCH' as const, Field, Value }));

export interface AwsPriceClients {
  /** The Price List API client (its endpoints are us-east-1, eu-central-1 and ap-south-1, whatever the region priced). */
  pricing: PricingClient;
  ec2For(region: string): EC2Client;
}

export interface PriceRefresh {
  file: PricesFile;
  scopes: ScopeResult[];
  calls: Record<string, number>;
}

/**
 * On-demand and 3-year standard all-upfront RI rates from the Price List API (GetProducts, paged), and the current
 * Linux spot price from DescribeSpotPriceHistory (mean of the latest price across the region's zones), for each
 * region. A region that fails is a status; the others are kept. Columns match data/catalog/aws-prices.json.
 */
export async function fetchAwsPrices(clients: AwsPriceClients, regions: readonly string[], nowMs: number, options: { regionTimeoutMs?: number } = {}): Promise<PriceRefresh> {
  const calls: Record<string, number> = {};
  const count = (op: string) => (calls[op] = (calls[op] ?? 0) + 1);
  const day = new Date(nowMs).toISOString().slice(0, 10);
  const file: PricesFile = {
    cloud: 'aws',
    columns: [{ option: 'on-demand' }, { option: 'spot' }, { option: 'commitment', term: { kind: 'ri', termYears: 3, payment: 'all-upfront' } }],
    sources: {
      'aws-pricing-api': { source: 'AWS Price List API GetProducts (AmazonEC2, Linux, Shared, Used, NA)', effectiveDate: day },
      'aws-spot-history': { source: 'EC2 DescribeSpotPriceHistory (Linux/UNIX, latest per zone, mean)', effectiveDate: day },
    },
    regions: {},
  };
  const scopes: ScopeResult[] = [];
  for (const region of regions) {
    // Which call was running when the region failed: a timeout names it.
    const progress = { operation: 'pricing:GetProducts' };
    try {
      const prices = await withDeadline(`aws prices ${region}`, options.regionTimeoutMs ?? DEFAULT_TIMEOUTS.scopeMs, (signal) => regionPrices(clients, region, nowMs, count, progress, signal));
      file.regions[region] = { sources: ['aws-pricing-api', 'aws-spot-history', 'aws-pricing-api'], prices };
      const priced = Object.keys(prices).length;
      scopes.push({ cloud: 'aws', account: 'prices', region, status: priced > 0 ? 'ok' : 'no-data', instanceCount: priced, ...(priced > 0 ? {} : { message: 'no products matched' }) });
    } catch (err) {
      const failure = failureOf('aws', progress.operation, err);
      // The deadline's error names the region; the call that was waiting is the useful part.
      if (failure.status === 'timeout' && !failure.message.startsWith(progress.operation)) failure.message = `${progress.operation}: ${failure.message}`;
      scopes.push({ cloud: 'aws', account: 'prices', region, ...failure, instanceCount: 0 });
    }
  }
  return { file, scopes, calls };
}

/** One region's prices by type: [on-demand, spot, 3-year RI] hourly USD (null where the source has none). */
async function regionPrices(clients: AwsPriceClients, region: string, nowMs: number, count: (op: string) => void, progress: { operation: string }, signal: AbortSignal): Promise<Record<string, (number | null)[]>> {
  const prices: Record<string, (number | null)[]> = {};
  let token: string | undefined;
  let n = 0;
  do {
    count('GetProducts');
    const out = await clients.pricing.send(new GetProductsCommand({ ServiceCode: 'AmazonEC2', Filters: PRODUCT_FILTERS(region), FormatVersion: 'aws_v1', MaxResults: 100, ...(token ? { NextToken: token } : {}) }), { abortSignal: signal });
    for (const item of out.PriceList ?? []) {
      const parsed = ProductSchema.safeParse(JSON.parse(String(item)));
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new CollectError('parse-error', `pricing:GetProducts ${region}: PriceList[${n}].${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
      }
      n++;
      const { onDemandUsd, ri3yUsd } = ratesOf(parsed.data);
      if (onDemandUsd === undefined) continue;
      prices[parsed.data.product.attributes.instanceType] = [onDemandUsd, null, ri3yUsd ?? null];
    }
    token = out.NextToken;
  } while (token);
  progress.operation = 'ec2:DescribeSpotPriceHistory';
  const spot = await spotPrices(clients.ec2For(region), nowMs, count, signal);
  for (const [type, usd] of spot) (prices[type] ??= [null, null, null])[1] = usd;
  return prices;
}

function usd(d: z.infer<typeof DimensionSchema>): number {
  return Number(d.pricePerUnit.USD);
}

/** The product's on-demand hourly rate and its 3-year standard all-upfront RI as an effective hourly rate. */
function ratesOf(p: z.infer<typeof ProductSchema>): { onDemandUsd?: number; ri3yUsd?: number } {
  const out: { onDemandUsd?: number; ri3yUsd?: number } = {};
  for (const term of Object.values(p.terms.OnDemand ?? {})) {
    const hourly = Object.values(term.priceDimensions).find((d) => d.unit === 'Hrs');
    if (hourly) out.onDemandUsd = usd(hourly);
  }
  for (const term of Object.values(p.terms.Reserved ?? {})) {
    const a = term.termAttributes ?? {};
    if (a['LeaseContractLength'] !== '3yr' || a['PurchaseOption'] !== 'All Upfront' || a['OfferingClass'] !== 'standard') continue;
    const dims = Object.values(term.priceDimensions);
    const upfront = dims.filter((d) => d.unit === 'Quantity').reduce((s, d) => s + usd(d), 0);
    const hourly = dims.filter((d) => d.unit === 'Hrs').reduce((s, d) => s + usd(d), 0);
    out.ri3yUsd = upfront / HOURS_3Y + hourly;
  }
  return out;
}

/** Latest Linux spot price per zone (StartTime now returns the price in effect), averaged over the region's zones. */
async function spotPrices(ec2: EC2Client, nowMs: number, count: (op: string) => void, signal?: AbortSignal): Promise<Map<string, number>> {
  const latest = new Map<string, { atMs: number; usd: number }>();
  let token: string | undefined;
  do {
    count('DescribeSpotPriceHistory');
    const out = await ec2.send(new DescribeSpotPriceHistoryCommand({ ProductDescriptions: ['Linux/UNIX'], StartTime: new Date(nowMs), MaxResults: 1000, ...(token ? { NextToken: token } : {}) }), signal ? { abortSignal: signal } : {});
    for (const h of out.SpotPriceHistory ?? []) {
      // The filter asks for Linux/UNIX; a response holding other products (VPC, SUSE, Windows) must not mix them in.
      if (!h.InstanceType || !h.AvailabilityZone || !h.SpotPrice || h.ProductDescription !== 'Linux/UNIX') continue;
      const price = Number(h.SpotPrice);
      if (!Number.isFinite(price) || price < 0) throw new CollectError('parse-error', `ec2:DescribeSpotPriceHistory: spotPrice "${h.SpotPrice}" for ${h.InstanceType} is not a price`);
      const key = `${h.InstanceType}|${h.AvailabilityZone}`;
      const atMs = h.Timestamp?.getTime() ?? 0;
      const prev = latest.get(key);
      if (!prev || atMs > prev.atMs) latest.set(key, { atMs, usd: price });
    }
    token = out.NextToken || undefined;
  } while (token);
  const byType = new Map<string, number[]>();
  for (const [key, v] of latest) {
    const type = key.slice(0, key.indexOf('|'));
    (byType.get(type) ?? byType.set(type, []).get(type)!).push(v.usd);
  }
  return new Map([...byType].map(([type, xs]) => [type, xs.reduce((a, b) => a + b, 0) / xs.length]));
}
