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
  const timeouts = config.timeouts;
  const fresh: PricesFile[] = [];
  let advisorWritten = false;
  const scopes: ScopeResult[] = [];
  const regionsOf = (cloud: 'aws' | 'azure', configured: readonly string[]) => (configured.length > 0 ? [...configured] : catalog.regions(cloud).map((r) => r.id));
  const { failureOf } = await import('../collectors/failure.js');
  const { withDeadline } = await import('../collectors/deadline.js');
  // Each cloud fails alone: whatever one SDK throws (a credential chain that finds nothing, a client that cannot be
  // built) becomes that cloud's status, and the others' prices are still stored.
  // The clouds (and the Spot Advisor feed) run at once, so a run against endpoints that never answer ends within one
  // timeouts.scopeMs per region rather than one per cloud; their results are listed in a fixed order.
  const tasks: Promise<ScopeResult[]>[] = [];
  const isolated = (cloud: 'aws' | 'gcp' | 'azure', operation: string, work: (scopes: ScopeResult[]) => Promise<void>) =>
    tasks.push(
      (async () => {
        const scopes: ScopeResult[] = [];
        try {
          await work(scopes);
        } catch (err) {
          scopes.push({ cloud, account: 'prices', region: '*', ...failureOf(cloud, operation, err), instanceCount: 0 });
        }
        return scopes;
      })(),
    );
  if (config.aws.enabled) {
    isolated('aws', 'prices', async (scopes) => {
      const { PricingClient } = await import('@aws-sdk/client-pricing');
      const { EC2Client } = await import('@aws-sdk/client-ec2');
      const { fetchAwsPrices } = await import('../collectors/prices/aws.js');
      const { awsClientOptions } = await import('../collectors/aws/clients.js');
      const common = awsClientOptions(timeouts);
      const out = await fetchAwsPrices(
        {
          pricing: new PricingClient({ ...common, region: 'us-east-1', ...(config.aws.endpoints.pricing ? { endpoint: config.aws.endpoints.pricing } : {}) }),
          ec2For: (region) => new EC2Client({ ...common, region, ...(config.aws.endpoints.ec2 ? { endpoint: config.aws.endpoints.ec2 } : {}) }),
        },
        regionsOf('aws', config.aws.regions),
        nowMs,
        { regionTimeoutMs: timeouts.scopeMs },
      );
      fresh.push(out.file);
      scopes.push(...out.scopes);
    });
    // Interruption buckets for every region: public, one request.
    isolated('aws', 'Spot Instance Advisor feed', async (scopes) => {
      const { fetchSpotAdvisor } = await import('../collectors/prices/spot-advisor.js');
      try {
        const advisor = await withDeadline('Spot Instance Advisor feed', timeouts.scopeMs, (signal) =>
          fetchSpotAdvisor(nowMs, { ...(config.aws.endpoints.spotAdvisor ? { url: config.aws.endpoints.spotAdvisor } : {}), requestTimeoutMs: timeouts.requestMs, signal }),
        );
        await store.putBlob(SPOT_ADVISOR_KEY, 'application/json', JSON.stringify(SpotAdvisorFileSchema.parse(advisor)));
        advisorWritten = true;
        scopes.push({ cloud: 'aws', account: 'spot-advisor', region: '*', status: 'ok', instanceCount: Object.values(advisor.regions).reduce((n, r) => n + Object.keys(r).length, 0) });
      } catch (err) {
        scopes.push({ cloud: 'aws', account: 'spot-advisor', region: '*', ...failureOf('aws', 'Spot Instance Advisor feed', err), instanceCount: 0 });
      }
    });
  }
  if (config.gcp.enabled) {
    isolated('gcp', 'prices', async (scopes) => {
      const regions = config.gcp.regions.length > 0 ? [...config.gcp.regions] : catalog.regions('gcp').map((r) => r.id);
      try {
        await withDeadline('gcp prices', timeouts.scopeMs, async () => {
          // The one per-service client, as the collector does: the package index costs seconds of cold start.
          const { cjsExports, gaxEndpoint } = await import('../collectors/gcp/gax.js');
          const { CloudCatalogClient } = cjsExports(await import('@google-cloud/billing/build/src/v1/cloud_catalog_client.js'), 'CloudCatalogClient');
          const { fetchGcpPrices } = await import('../collectors/prices/gcp.js');
          const client = new CloudCatalogClient({
            fallback: 'rest',
            ...gaxEndpoint(config.gcp.endpoints.billing),
            ...(input.gcpAuthClient ? { authClient: input.gcpAuthClient } : {}),
          } as never);
          const { checkCredentials } = await import('../collectors/gcp/collector.js');
          await checkCredentials(client);
          const out = await fetchGcpPrices(client as never, catalog.types('gcp'), regions, nowMs, { requestTimeoutMs: timeouts.requestMs });
          fresh.push(out.file);
          scopes.push(...out.scopes);
        });
      } catch (err) {
        const failure = failureOf('gcp', 'cloudbilling skus.list', err);
        scopes.push(...regions.map((region) => ({ cloud: 'gcp' as const, account: 'prices', region, ...failure, instanceCount: 0 })));
      }
    });
  }
  if (config.azure.enabled) {
    isolated('azure', 'Retail Prices', async (scopes) => {
      const { fetchAzurePrices } = await import('../collectors/prices/azure.js');
      const out = await fetchAzurePrices(regionsOf('azure', config.azure.regions), nowMs, {
        ...(config.azure.endpoints.retailPrices ? { endpoint: config.azure.endpoints.retailPrices } : {}),
        requestTimeoutMs: timeouts.requestMs,
        regionTimeoutMs: timeouts.scopeMs,
      });
      fresh.push(out.file);
      scopes.push(...out.scopes);
    });
  }
  for (const done of await Promise.all(tasks)) scopes.push(...done);
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
