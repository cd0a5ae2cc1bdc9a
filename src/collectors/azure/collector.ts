import type { Config } from '../../config.js';
import type { CollectScope, CollectWindow, PartialSnapshot } from '../collector.js';
import type { CloudCollector } from '../run.js';
import { foldRegions } from '../run.js';
import { azureScopes } from '../scopes.js';

/** The Azure collector over config: each subscription (DefaultAzureCredential), every region it has VMs in. */
export async function azureCollector(config: Config['azure'], memoryGiBOf: (vmSize: string) => number | undefined, isKnownSize?: (vmSize: string) => boolean): Promise<CloudCollector> {
  const { ComputeManagementClient } = await import('@azure/arm-compute');
  const { DefaultAzureCredential } = await import('@azure/identity');
  const { collectAzureSubscription } = await import('./collect.js');
  const credential = new DefaultAzureCredential();
  const endpoint = config.endpoints.arm ?? 'https://management.azure.com';
  // listAll is per subscription and returns every region at once, so a scope is a subscription; results per region.
  const cache = new Map<string, Promise<PartialSnapshot[]>>();
  const bySubscription = (subscription: string, window: CollectWindow) => {
    let p = cache.get(subscription);
    if (!p) {
      const compute = new ComputeManagementClient(credential, subscription, { endpoint, ...(endpoint.startsWith('http://') ? { allowInsecureConnection: true } : {}) });
      p = collectAzureSubscription(subscription, window, { compute, armEndpoint: endpoint, memoryGiBOf, ...(isKnownSize ? { isKnownSize } : {}) });
      cache.set(subscription, p);
    }
    return p;
  };
  return {
    cloud: 'azure',
    scopes: async () => azureScopes(config),
    async collect(scope, window) {
      const parts = await bySubscription(scope.account, window);
      return foldRegions(scope.account, 'azure', parts, config.regions);
    },
  };
}

