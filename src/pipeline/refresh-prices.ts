import type { Catalog } from '../catalog/catalog.js';
import { priceOverlayKey } from '../catalog/load.js';
import { overlayPrices } from '../catalog/overlay.js';
import { PricesFileSchema, type PricesFile } from '../catalog/schema.js';
import type { Config } from '../config.js';
import type { ScopeResult } from '../domain/snapshot.js';
import type { Store } from '../store/store.js';

export interface PriceRefreshOutcome {
  scopes: ScopeResult[];
  /** Store keys written (one per cloud with at least one region refreshed). */
  written: string[];
}

/**
 * Refreshes prices of the enabled AWS and Azure regions (configured, or every region the catalog prices) and stores
 * them as an overlay on the bundled catalog. The new prices are laid over the previous refresh, so a region that
 * fails this time keeps its last refreshed prices, and the bundled data stays the fallback under both.
 * Each cloud's client is imported only when that cloud is enabled.
 */
export async function refreshPrices(input: { config: Config; catalog: Catalog; store: Store; nowMs: number }): Promise<PriceRefreshOutcome> {
  const { config, catalog, store, nowMs } = input;
  const fresh: PricesFile[] = [];
  const scopes: ScopeResult[] = [];
  const regionsOf = (cloud: 'aws' | 'azure', configured: readonly string[]) => (configured.length > 0 ? [...configured] : catalog.regions(cloud).map((r) => r.id));
  if (config.aws.enabled) {
    const { PricingClient } = await import('@aws-sdk/client-pricing');
    const { EC2Client } = await import('@aws-sdk/client-ec2');
    const { fetchAwsPrices } = await import('../collectors/prices/aws.js');
    const common = { retryMode: 'adaptive' as const, maxAttempts: 6 };
    const out = await fetchAwsPrices(
      {
        pricing: new PricingClient({ ...common, region: 'us-east-1', ...(config.aws.endpoints.pricing ? { endpoint: config.aws.endpoints.pricing } : {}) }),
        ec2For: (region) => new EC2Client({ ...common, region, ...(config.aws.endpoints.ec2 ? { endpoint: config.aws.endpoints.ec2 } : {}) }),
      },
      regionsOf('aws', config.aws.regions),
      nowMs,
    );
    fresh.push(out.file);
    scopes.push(...out.scopes);
  }
  if (config.azure.enabled) {
    const { fetchAzurePrices } = await import('../collectors/prices/azure.js');
    const out = await fetchAzurePrices(regionsOf('azure', config.azure.regions), nowMs, config.azure.endpoints.retailPrices ? { endpoint: config.azure.endpoints.retailPrices } : {});
    fresh.push(out.file);
    scopes.push(...out.scopes);
  }
  const written: string[] = [];
  for (const file of fresh) {
    if (Object.keys(file.regions).length === 0) continue; // every region failed: keep what is stored
    const key = priceOverlayKey(file.cloud);
    const previousBlob = await store.getBlob(key);
    const previous = previousBlob ? PricesFileSchema.safeParse(JSON.parse(previousBlob.body)) : undefined;
    const merged = previous?.success && previous.data.cloud === file.cloud ? overlayPrices(previous.data, file) : file;
    await store.putBlob(key, 'application/json', JSON.stringify(PricesFileSchema.parse(merged)));
    written.push(key);
  }
  return { scopes, written };
}
