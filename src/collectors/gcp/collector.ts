import type { Config } from '../../config.js';
import { CollectError } from '../collector.js';
import { DEFAULT_TIMEOUTS, type Timeouts } from '../deadline.js';
import { failureOf } from '../failure.js';
import type { CloudCollector } from '../run.js';
import { foldRegions } from '../run.js';
import { gcpScopes } from '../scopes.js';
import { cjsExports, gaxEndpoint } from './gax.js';

export interface GcpCollectorOptions {
  isKnownType?: (name: string) => boolean;
  timeouts?: Timeouts;
  /** Default: Application Default Credentials. Anything with `getRequestHeaders` and `fetch` (google-auth-library). */
  authClient?: unknown;
}

/** The GCP collector over config: each project (Application Default Credentials), results per region. */
export async function gcpCollector(config: Config['gcp'], options: GcpCollectorOptions = {}): Promise<CloudCollector> {
  const { isKnownType } = options;
  const timeouts = options.timeouts ?? DEFAULT_TIMEOUTS;
  const auth = options.authClient ? { authClient: options.authClient } : {};
  // Only the per-service clients used: the package index costs ~2 s of cold start.
  const { InstancesClient } = cjsExports(await import('@google-cloud/compute/build/src/v1/instances_client.js'), 'InstancesClient');
  const { MachineTypesClient } = cjsExports(await import('@google-cloud/compute/build/src/v1/machine_types_client.js'), 'MachineTypesClient');
  const { MetricServiceClient } = cjsExports(await import('@google-cloud/monitoring/build/src/v3/metric_service_client.js'), 'MetricServiceClient');
  const { collectGcpProject } = await import('./collect.js');
  const instances = new InstancesClient({ fallback: 'rest', ...gaxEndpoint(config.endpoints.compute), ...auth } as never);
  const monitoring = new MetricServiceClient({ fallback: 'rest', ...gaxEndpoint(config.endpoints.monitoring), ...auth } as never);
  const machineTypes = new MachineTypesClient({ fallback: 'rest', ...gaxEndpoint(config.endpoints.compute), ...auth } as never);
  const clients = { instances: instances as never, monitoring: monitoring as never, machineTypes: machineTypes as never };
  return {
    cloud: 'gcp',
    scopes: async () => gcpScopes(config),
    async collect(scope, window) {
      await checkCredentials(instances);
      const parts = await collectGcpProject(scope.account, window, clients, { ...(isKnownType ? { isKnownType } : {}), requestTimeoutMs: timeouts.requestMs });
      return foldRegions(scope.account, 'gcp', parts, config.regions);
    },
  };
}

/**
 * Resolves the credentials before any gax call: every generated gax method starts `initialize().catch((err) => {
 * throw err; })` without awaiting it, so a credential chain that finds nothing becomes an unhandled rejection that
 * kills the process. Asked here first, the failure is this project's `auth-failed` and nothing else.
 */
export async function checkCredentials(client: unknown): Promise<void> {
  const auth = (client as { auth?: { getClient?: () => Promise<unknown> } }).auth;
  try {
    await auth?.getClient?.();
  } catch (err) {
    const failure = failureOf('gcp', 'credentials', err);
    throw new CollectError(failure.status, failure.message, { cause: err });
  }
}
