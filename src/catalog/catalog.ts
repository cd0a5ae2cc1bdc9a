import type { Cloud, Region } from '../domain/cloud.js';
import type { GpuModel, InstanceType } from '../domain/instance-type.js';
import type { CommitmentTerm, Price, PurchaseOption, SpotInterruption } from '../domain/price.js';

/** Filter for listing prices (API, reports). Every field narrows; absent means any. */
export interface PriceFilter {
  cloud?: Cloud;
  region?: string;
  instanceType?: string;
  purchaseOption?: PurchaseOption;
}

/**
 * Read-only view of instance types, regions, GPU models and prices for all clouds.
 * Prices are Linux, shared tenancy, USD per hour; commitment prices are effective hourly rates.
 * Lookups are O(1): the engine calls them in its inner loops.
 */
export interface Catalog {
  types(cloud: Cloud): readonly InstanceType[];
  type(cloud: Cloud, name: string): InstanceType | undefined;
  /** Regions of a cloud that carry prices in this catalog. */
  regions(cloud: Cloud): readonly Region[];
  region(cloud: Cloud, id: string): Region | undefined;
  onDemandHourlyUsd(cloud: Cloud, region: string, type: string): number | undefined;
  spotHourlyUsd(cloud: Cloud, region: string, type: string): number | undefined;
  commitmentHourlyUsd(cloud: Cloud, region: string, type: string, term: CommitmentTerm): number | undefined;
  /** Commitment terms with a price for this type and region. */
  commitmentTerms(cloud: Cloud, region: string, type: string): readonly CommitmentTerm[];
  /** Types with an on-demand price in a region (candidates for right-sizing there). */
  pricedTypes(cloud: Cloud, region: string): readonly InstanceType[];
  prices(filter: PriceFilter): Price[];
  gpuModel(id: string): GpuModel | undefined;
  gpuModels(): readonly GpuModel[];
  spotInterruption(cloud: Cloud, region: string, type: string): SpotInterruption | undefined;
  /** Where and when each cloud's data came from, for evidence and the report. */
  sources(cloud: Cloud): readonly { what: string; source: string; effectiveDate: string }[];
}
