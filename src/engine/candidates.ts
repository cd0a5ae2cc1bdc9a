import type { Catalog } from '../catalog/catalog.js';
import type { Cloud } from '../domain/cloud.js';
import type { InstanceType } from '../domain/instance-type.js';
import type { Demand, Fit } from './demand.js';
import { fitOf } from './demand.js';
import type { EngineSettings } from './settings.js';

export interface PricedType {
  type: InstanceType;
  hourlyUsd: number;
}

const sortedCache = new WeakMap<Catalog, Map<string, PricedType[]>>();

/** Types priced on-demand in a region, cheapest first (ties by name), computed once per catalog and region. */
export function typesByPrice(catalog: Catalog, cloud: Cloud, region: string): PricedType[] {
  let byRegion = sortedCache.get(catalog);
  if (!byRegion) {
    byRegion = new Map();
    sortedCache.set(catalog, byRegion);
  }
  const key = `${cloud}|${region}`;
  let list = byRegion.get(key);
  if (!list) {
    list = [];
    for (const type of catalog.pricedTypes(cloud, region)) {
      const hourlyUsd = catalog.onDemandHourlyUsd(cloud, region, type.name);
      // Bare-metal and dedicated-host-only shapes are not resize targets for a running VM.
      if (hourlyUsd === undefined || type.name.includes('metal')) continue;
      list.push({ type, hourlyUsd });
    }
    list.sort((a, b) => a.hourlyUsd - b.hourlyUsd || a.type.name.localeCompare(b.type.name));
    byRegion.set(key, list);
  }
  return list;
}

export interface CandidateOptions {
  /** The current type: generation and burstable rules are relative to it. */
  current?: InstanceType;
  /** Only return candidates priced strictly below this (a downsize search stops early). */
  belowHourlyUsd?: number;
}

/** The cheapest type in the region that fits the demand under the settings, with its fit. */
export function cheapestFit(
  catalog: Catalog,
  cloud: Cloud,
  region: string,
  demand: Demand,
  settings: EngineSettings,
  options: CandidateOptions = {},
): { candidate: PricedType; fit: Fit } | undefined {
  const current = options.current;
  for (const priced of typesByPrice(catalog, cloud, region)) {
    if (options.belowHourlyUsd !== undefined && priced.hourlyUsd >= options.belowHourlyUsd) return undefined;
    const t = priced.type;
    if (t.burstable && !settings.allowBurstable && !current?.burstable) continue;
    if (t.vcpu < Math.min(settings.minVcpu, current?.vcpu ?? settings.minVcpu)) continue;
    if (current && !settings.allowOlderGeneration && t.generation < current.generation && t.cloud === current.cloud) continue;
    const fit = fitOf(demand, t, catalog, settings);
    if (fit.fits) return { candidate: priced, fit };
  }
  return undefined;
}
