import type { Catalog } from '../catalog/catalog.js';
import { priceOverlayKey, SPOT_ADVISOR_KEY } from '../catalog/load.js';
import { overlayPrices } from '../catalog/overlay.js';
import { PricesFileSchema, type PricesFile, SpotAdvisorFileSchema } from '../catalog/schema.js';
import type { Config } from '../config.js';
import type { ScopeResult } from '../domain/snapshot.js';
import type { Store } from '../store/store.js';

export interface PriceRefreshOutcome {
  scopes: ScopeResult[];
  /** Store keys written (one per cloud with at least one region refreshed). */
  written: string[];
}

/**
 * Refreshes prices of the enabled AWS, GCP and Azure regions (configured, or every region the catalog prices) and stores
 * them as an overlay on the bundled catalog. The new prices are laid over the previous refresh, so a region that
 * fails this time keeps its last refreshed prices, and the bundled data stays the fallback under both.
 * Each cloud's client is imported only when that cloud is enabled.
 */
export async function refreshPrices(input: { config: Config; catalog: Catalog; store: Store; nowMs: number; gcpAuthClient?: unknown }): Promise<PriceRefreshOutcome> {
  const { config, catalog, store, nowMs } = input;
  const fresh: PricesFile[] = [];
  let advisorWritten = false;
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
    // Interruption buckets for every region: public, one request.
    const { fetchSpotAdvisor } = await import('../collectors/prices/spot-advisor.js');
    const { statusOfError } = await import('../collectors/collector.js');
    try {
      const advisor = await fetchSpotAdvisor(nowMs, config.aws.endpoints.spotAdvisor ? { url: config.aws.endpoints.spotAdvisor } : {});
      await store.putBlob(SPOT_ADVISOR_KEY, 'application/json', JSON.stringify(SpotAdvisorFileSchema.parse(advisor)));
      advisorWritten = true;
      scopes.push({ cloud: 'aws', account: 'spot-advisor', region: '*', status: 'ok', instanceCount: Object.values(advisor.regions).reduce((n, r) => n + Object.keys(r).length, 0) });
    } catch (err) {
      scopes.push({ cloud: 'aws', account: 'spot-advisor', region: '*', status: statusOfError(err), message: (err as Error).message, instanceCount: 0 });
    }
  }
  if (config.gcp.enabled) {
    // The one per-service client, as the collector does: the package index costs seconds of cold start.
    const { cjsExports, gaxEndpoint } = await import('../collectors/gcp/gax.js');
    const { CloudCatalogClient } = cjsExports(await import('@google-cloud/billing/build/src/v1/cloud_catalog_client.js'), 'CloudCatalogClient');
    const { fetchGcpPrices } = await import('../collectors/prices/gcp.js');
    const client = new CloudCatalogClient({
      fallback: 'rest',
      ...gaxEndpoint(config.gcp.endpoints.billing),
      ...(input.gcpAuthClient ? { authClient: input.gcpAuthClient } : {}),
    } as never);
    const regions = config.gcp.regions.length > 0 ? [...config.gcp.regions] : catalog.regions('gcp').map((r) => r.id);
    const out = await fetchGcpPrices(client as never, catalog.types('gcp'), regions, nowMs);
    fresh.push(out.file);
    scopes.push(...out.scopes);
  }
  if (config.azure.enabled) {
    const { fetchAzurePrices } = await import('../collectors/prices/azure.js');
    const out = await fetchAzurePrices(regionsOf('azure', config.azure.regions), nowMs, config.azure.endpoints.retailPrices ? { endpoint: config.azure.endpoints.retailPrices } : {});
    fresh.push(out.file);
    scopes.push(...out.scopes);
  }
  const written: string[] = advisorWritten ? [SPOT_ADVISOR_KEY] : [];
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
