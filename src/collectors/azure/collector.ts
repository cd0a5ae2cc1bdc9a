import type { Config } from '../../config.js';
import type { CollectWindow } from '../collector.js';
import type { TokenCredential } from '@azure/core-auth';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { DEFAULT_TIMEOUTS, type Timeouts } from '../deadline.js';
import type { CloudCollector } from '../run.js';
import { foldRegions } from '../run.js';
import { azureScopes } from '../scopes.js';

export interface AzureCollectorOptions {
  isKnownSize?: (vmSize: string) => boolean;
  timeouts?: Timeouts;
  /** Default: DefaultAzureCredential (environment, workload/managed identity, Azure CLI, PowerShell, azd). */
  credential?: TokenCredential;
}

/** The Azure collector over config: each subscription (DefaultAzureCredential), every region it has VMs in. */
export async function azureCollector(config: Config['azure'], memoryGiBOf: (vmSize: string) => number | undefined, options: AzureCollectorOptions = {}): Promise<CloudCollector> {
  const { ComputeManagementClient } = await import('@azure/arm-compute');
  const { collectAzureSubscription } = await import('./collect.js');
  const credential = options.credential ?? new (await import('@azure/identity')).DefaultAzureCredential();
  const endpoint = config.endpoints.arm ?? 'https://management.azure.com';
  const timeouts = options.timeouts ?? DEFAULT_TIMEOUTS;
  // listAll is per subscription and returns every region at once, so a scope is a subscription; results per region.
  const bySubscription = (subscription: string, window: CollectWindow, signal?: AbortSignal) => {
    const compute = new ComputeManagementClient(credential, subscription, { endpoint, ...(endpoint.startsWith('http://') ? { allowInsecureConnection: true } : {}) });
    // An http endpoint is a local emulator: it takes no token, and the SDK refuses to send one over http anyway.
    if (endpoint.startsWith('http://')) compute.pipeline.removePolicy({ name: 'bearerTokenAuthenticationPolicy' });
    compute.pipeline.addPolicy(deadlinePolicy(timeouts.requestMs, signal));
    return collectAzureSubscription(subscription, window, { compute, armEndpoint: endpoint, memoryGiBOf, ...(options.isKnownSize ? { isKnownSize: options.isKnownSize } : {}) });
  };
  return {
    cloud: 'azure',
    scopes: async () => azureScopes(config),
    async collect(scope, window, signal) {
      const parts = await bySubscription(scope.account, window, signal);
      return foldRegions(scope.account, 'azure', parts, config.regions);
    },
  };
}

/**
 * Every request of the client (each retry too) gets the per-attempt timeout and the scope's abort signal. Azure's
 * default is no timeout at all: a server that accepts and never answers would hold the run forever.
 */
function deadlinePolicy(requestMs: number, signal: AbortSignal | undefined): PipelinePolicy {
  return {
    name: 'rightsizeDeadline',
    sendRequest: (request, next) => {
      request.timeout = request.timeout > 0 ? Math.min(request.timeout, requestMs) : requestMs;
      if (signal) request.abortSignal = request.abortSignal ? AbortSignal.any([request.abortSignal as AbortSignal, signal]) : signal;
      return next(request);
    },
  };
}

