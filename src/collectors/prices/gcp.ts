import { z } from 'zod';
import type { PricesFile } from '../../catalog/schema.js';
import type { InstanceType } from '../../domain/instance-type.js';
import type { ScopeResult } from '../../domain/snapshot.js';
import { CollectError } from '../collector.js';
import { failureOf } from '../failure.js';
import type { PriceRefresh } from './aws.js';

/** Compute Engine's service id in the Cloud Billing Catalog. */
export const COMPUTE_SERVICE = 'services/6F81-5844-456A';

/** The SKU fields Rightsize reads (Cloud Billing Catalog API, `services.skus.list`). */
const MoneySchema = z.object({ units: z.union([z.string(), z.number()]).optional().nullable(), nanos: z.number().optional().nullable() });
const SkuSchema = z.object({
  description: z.string(),
  category: z.object({ resourceFamily: z.string().optional().nullable(), usageType: z.string().optional().nullable() }),
  serviceRegions: z.array(z.string()),
  pricingInfo: z
    .array(
      z.object({
        pricingExpression: z.object({
          usageUnit: z.string(),
          tieredRates: z.array(z.object({ startUsageAmount: z.number().optional().nullable(), unitPrice: MoneySchema })).min(1),
        }),
      }),
    )
    .min(1),
});

export interface GcpCatalogClient {
  listSkusAsync(request: { parent: string; currencyCode?: string; pageSize?: number }, call?: { timeout?: number }): AsyncIterable<unknown>;
}

type Usage = 'OnDemand' | 'Preemptible' | 'Commit1Yr' | 'Commit3Yr';
const COLUMN_OF: Record<Usage, number> = { OnDemand: 0, Preemptible: 1, Commit1Yr: 2, Commit3Yr: 3 };

/**
 * `N2 Instance Core running in Americas`, `Spot Preemptible N2D AMD Instance Ram running in Belgium`,
 * `N1 Predefined Instance Core running in Americas`, `Commitment v1: N2 Cpu in Americas for 3 Years`. The family is
 * the leading series token; descriptions naming no series (Memory-optimized, Compute optimized) are not priced here.
 */
function parseDescription(description: string): { family: string; resource: 'core' | 'ram' } | undefined {
  const onDemand = /^(?:Spot Preemptible )?([A-Z]\d+[A-Z]?)\b.*? Instance (Core|Ram) running in /.exec(description);
  if (onDemand) return { family: (onDemand[1] as string).toLowerCase(), resource: onDemand[2] === 'Core' ? 'core' : 'ram' };
  const commit = /^Commitment v1: ([A-Z]\d+[A-Z]?)\b.*? (Cpu|Ram) in .+ for [13] Years?$/.exec(description);
  if (commit) return { family: (commit[1] as string).toLowerCase(), resource: commit[2] === 'Cpu' ? 'core' : 'ram' };
  return undefined;
}

function usd(m: z.infer<typeof MoneySchema>): number {
  return Number(m.units ?? 0) + (m.nanos ?? 0) / 1e9;
}

/** Shared-core types and GPU types are priced by other SKUs: their bundled prices stay. */
function priceableByCoreAndRam(t: InstanceType): boolean {
  return !t.gpu && !t.burstable && !/^(e2-(micro|small|medium)|f1-|g1-)/.test(t.name);
}

/**
 * Compute Engine prices from the Cloud Billing Catalog: per series and region the vCPU-hour and GiB-hour rates for
 * on-demand, spot and 1- and 3-year resource CUDs; a machine type's price is vCPUs × core rate + GiB × RAM rate.
 * Columns match data/catalog/gcp-prices.json. Shared-core and GPU types keep their bundled prices.
 */
export async function fetchGcpPrices(client: GcpCatalogClient, types: readonly InstanceType[], regions: readonly string[], nowMs: number, options: { requestTimeoutMs?: number } = {}): Promise<PriceRefresh> {
  const calls: Record<string, number> = { 'skus.list': 1 };
  const day = new Date(nowMs).toISOString().slice(0, 10);
  const file: PricesFile = {
    cloud: 'gcp',
    columns: [
      { option: 'on-demand' },
      { option: 'spot' },
      { option: 'commitment', term: { kind: 'cud', termYears: 1, payment: 'no-upfront' } },
      { option: 'commitment', term: { kind: 'cud', termYears: 3, payment: 'no-upfront' } },
    ],
    sources: { 'gcp-billing-catalog': { source: `Cloud Billing Catalog API (${COMPUTE_SERVICE}: per-series core and RAM SKUs)`, effectiveDate: day } },
    regions: {},
  };
  const wanted = new Set(regions);
  // rates[region][family][resource][column]
  const rates = new Map<string, Map<string, { core: (number | undefined)[]; ram: (number | undefined)[] }>>();
  let n = 0;
  try {
    for await (const raw of client.listSkusAsync({ parent: COMPUTE_SERVICE, currencyCode: 'USD', pageSize: 5000 }, options.requestTimeoutMs ? { timeout: options.requestTimeoutMs } : {})) {
      const parsed = SkuSchema.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new CollectError('parse-error', `cloudbilling skus.list: skus[${n}].${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
      }
      n++;
      const sku = parsed.data;
      if (sku.category.resourceFamily !== 'Compute') continue;
      const usage = sku.category.usageType as Usage;
      if (!(usage in COLUMN_OF)) continue;
      const what = parseDescription(sku.description);
      if (!what) continue;
      const expr = (sku.pricingInfo[0] as (typeof sku.pricingInfo)[number]).pricingExpression;
      if (what.resource === 'core' ? expr.usageUnit !== 'h' : expr.usageUnit !== 'GiBy.h') continue;
      const tier = expr.tieredRates.find((r) => (r.startUsageAmount ?? 0) === 0) ?? expr.tieredRates[0];
      const rate = usd((tier as (typeof expr.tieredRates)[number]).unitPrice);
      for (const region of sku.serviceRegions) {
        if (!wanted.has(region)) continue;
        const byFamily = rates.get(region) ?? rates.set(region, new Map()).get(region)!;
        const entry = byFamily.get(what.family) ?? byFamily.set(what.family, { core: [], ram: [] }).get(what.family)!;
        entry[what.resource][COLUMN_OF[usage]] = rate;
      }
    }
  } catch (err) {
    const failure = failureOf('gcp', 'cloudbilling skus.list', err);
    return { file, calls, scopes: regions.map((region) => ({ cloud: 'gcp', account: 'prices', region, ...failure, instanceCount: 0 })) };
  }
  const scopes: ScopeResult[] = [];
  for (const region of regions) {
    const byFamily = rates.get(region);
    const prices: Record<string, (number | null)[]> = {};
    for (const t of types) {
      if (t.cloud !== 'gcp' || !priceableByCoreAndRam(t)) continue;
      const r = byFamily?.get(t.family);
      if (!r) continue;
      const row = [0, 1, 2, 3].map((c) => {
        const core = r.core[c];
        const ram = r.ram[c];
        return core === undefined || ram === undefined ? null : Math.round((t.vcpu * core + t.memoryGiB * ram) * 1e6) / 1e6;
      });
      if (row.some((v) => v !== null)) prices[t.name] = row;
    }
    const priced = Object.keys(prices).length;
    if (priced > 0) file.regions[region] = { sources: ['gcp-billing-catalog', 'gcp-billing-catalog', 'gcp-billing-catalog', 'gcp-billing-catalog'], prices };
    scopes.push({ cloud: 'gcp', account: 'prices', region, status: priced > 0 ? 'ok' : 'no-data', instanceCount: priced, ...(priced > 0 ? {} : { message: 'no core and RAM SKUs for this region' }) });
  }
  return { file, scopes, calls };
}
