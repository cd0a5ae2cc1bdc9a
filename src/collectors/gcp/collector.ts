import type { Config } from '../../config.js';
import type { CollectScope, CollectWindow, PartialSnapshot } from '../collector.js';
import type { CloudCollector } from '../run.js';
import { foldRegions } from '../run.js';
import { gcpScopes } from '../scopes.js';
import { cjsExports, gaxEndpoint } from './gax.js';

/** The GCP collector over config: each project (Application Default Credentials), results per region. */
export async function gcpCollector(config: Config['gcp'], isKnownType?: (name: string) => boolean): Promise<CloudCollector> {
  // Only the per-service clients used: the package index costs ~2 s of cold start.
  const { InstancesClient } = cjsExports(await import('@google-cloud/compute/build/src/v1/instances_client.js'), 'InstancesClient');
  const { MachineTypesClient } = cjsExports(await import('@google-cloud/compute/build/src/v1/machine_types_client.js'), 'MachineTypesClient');
  const { MetricServiceClient } = cjsExports(await import('@google-cloud/monitoring/build/src/v3/metric_service_client.js'), 'MetricServiceClient');
  const { collectGcpProject } = await import('./collect.js');
  const instances = new InstancesClient({ fallback: 'rest', ...gaxEndpoint(config.endpoints.compute) } as never);
  const monitoring = new MetricServiceClient({ fallback: 'rest', ...gaxEndpoint(config.endpoints.monitoring) } as never);
  const machineTypes = new MachineTypesClient({ fallback: 'rest', ...gaxEndpoint(config.endpoints.compute) } as never);
  const clients = { instances: instances as never, monitoring: monitoring as never, machineTypes: machineTypes as never };
  return {
    cloud: 'gcp',
    scopes: async () => gcpScopes(config),
    async collect(scope, window) {
      const parts = await collectGcpProject(scope.account, window, clients, isKnownType ? { isKnownType } : {});
      return foldRegions(scope.account, 'gcp', parts, config.regions);
    },
  };
}
