import type { Catalog } from '../catalog/catalog.js';
import type { Instance } from '../domain/instance.js';

/**
 * Hourly cost of an instance at its purchase option: spot instances at the catalog's spot price (on-demand when
 * the catalog has no spot price for it), everything else on-demand. Undefined when the type is unpriced there.
 * Stopped instances cost nothing for compute.
 */
export function instanceHourlyCostUsd(instance: Instance, catalog: Catalog): number | undefined {
  if (instance.state !== 'running' && instance.state !== 'pending') return 0;
  return hourlyCostUsd(catalog, instance.cloud, instance.region, instance.type, instance.lifecycle);
}

export function hourlyCostUsd(catalog: Catalog, cloud: Instance['cloud'], region: string, type: string, lifecycle: Instance['lifecycle']): number | undefined {
  const od = catalog.onDemandHourlyUsd(cloud, region, type);
  if (lifecycle === 'spot') return catalog.spotHourlyUsd(cloud, region, type) ?? od;
  return od;
}
