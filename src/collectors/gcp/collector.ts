import type { Config } from '../../config.js';
import type { CollectScope, CollectWindow, PartialSnapshot } from '../collector.js';
import type { CloudCollector } from '../run.js';
import { foldRegions } from '../run.js';
import { gcpScopes } from '../scopes.js';

/** The GCP collector over config: each project (Application Default Credentials), results per region. */
export async function gcpCollector(config: Config['gcp'], isKnownType?: (name: string) => boolean): Promise<CloudCollector> {
  // Only the two per-service clients: the package index costs ~2 s of cold start.
  // CommonJS modules: Node exposes their exports as named exports, a bundler only as `default`; accept both.
  const computeModule = await import('@google-cloud/compute/build/src/v1/instances_client.js');
  const monitoringModule = await import('@google-cloud/monitoring/build/src/v3/metric_service_client.js');
  const machineTypesModule = await import('@google-cloud/compute/build/src/v1/machine_types_client.js');
  const { MachineTypesClient } = (machineTypesModule.MachineTypesClient ? machineTypesModule : (machineTypesModule as unknown as { default: typeof machineTypesModule }).default);
  const { InstancesClient } = (computeModule.InstancesClient ? computeModule : (computeModule as unknown as { default: typeof computeModule }).default);
  const { MetricServiceClient } = (monitoringModule.MetricServiceClient ? monitoringModule : (monitoringModule as unknown as { default: typeof monitoringModule }).default);
  const { collectGcpProject } = await import('./collect.js');
  const endpoint = (url: string | undefined) => {
    if (!url) return {};
    const u = new URL(url);
    return { apiEndpoint: u.hostname, port: Number(u.port || (u.protocol === 'http:' ? 80 : 443)), protocol: u.protocol.replace(':', '') };
  };
  const instances = new InstancesClient({ fallback: 'rest', ...endpoint(config.endpoints.compute) } as never);
  const monitoring = new MetricServiceClient({ fallback: 'rest', ...endpoint(config.endpoints.monitoring) } as never);
  const machineTypes = new MachineTypesClient({ fallback: 'rest', ...endpoint(config.endpoints.compute) } as never);
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
