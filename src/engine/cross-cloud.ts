import type { Catalog } from '../catalog/catalog.js';
import type { Cloud, Region } from '../domain/cloud.js';
import { CLOUDS } from '../domain/cloud.js';
import type { Instance } from '../domain/instance.js';
import type { CrossCloudAlternative } from '../domain/recommendation.js';
import { cheapestFit } from './candidates.js';
import type { Demand } from './demand.js';
import type { EngineSettings } from './settings.js';

const EARTH_RADIUS_KM = 6371;

/** Great-circle distance between two regions' metros. */
export function distanceKm(a: Pick<Region, 'latitude' | 'longitude'>, b: Pick<Region, 'latitude' | 'longitude'>): number {
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLon = (b.longitude - a.longitude) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

const nearestCache = new WeakMap<Catalog, Map<string, { region: Region; km: number } | undefined>>();

/** The priced region of `cloud` nearest to `from`; ties by region id. Memoized per catalog. */
export function nearestRegion(catalog: Catalog, from: Region, cloud: Cloud): { region: Region; km: number } | undefined {
  let memo = nearestCache.get(catalog);
  if (!memo) {
    memo = new Map();
    nearestCache.set(catalog, memo);
  }
  const key = `${from.cloud}|${from.id}|${cloud}`;
  if (memo.has(key)) return memo.get(key);
  let best: { region: Region; km: number } | undefined;
  for (const region of catalog.regions(cloud)) {
    const km = distanceKm(from, region);
    if (!best || km < best.km - 1e-9 || (Math.abs(km - best.km) < 1e-9 && region.id < best.region.id)) best = { region, km };
  }
  memo.set(key, best);
  return best;
}

/**
 * For each other cloud: the cheapest type fitting the same demand in the nearest region, marked as a migration —
 * only when it costs less on demand than today's type, cheapest first. Candidates follow the right-sizing rules
 * (same architecture, no burstable or special-purpose sizes unless the settings allow them).
 */
export function crossCloudAlternatives(instance: Instance, demand: Demand, currentOnDemandHourlyUsd: number, catalog: Catalog, settings: EngineSettings): CrossCloudAlternative[] {
  const here = catalog.region(instance.cloud, instance.region);
  if (!here) return [];
  // The catalogs benchmark only AWS types, so across clouds vCPUs count as equal; a GPU is matched by throughput.
  const perf = demand.cpuPerfAssumedEqual ? 1 : (catalog.type(instance.cloud, instance.type)?.cpuPerfRel ?? 1);
  const crossDemand: Demand = { ...demand, cpuBaselineVcpu: demand.cpuBaselineVcpu / perf, cpuPerfAssumedEqual: true };
  if (demand.gpu) {
    const { keepModel: _model, keepCount: _count, ...gpu } = demand.gpu;
    crossDemand.gpu = gpu;
  }
  const out: CrossCloudAlternative[] = [];
  for (const cloud of CLOUDS) {
    if (cloud === instance.cloud) continue;
    const near = nearestRegion(catalog, here, cloud);
    if (!near) continue;
    const best = cheapestFit(catalog, cloud, near.region.id, crossDemand, settings, { coarse: true });
    // A move that costs more than staying is not an alternative.
    if (!best || best.candidate.hourlyUsd >= currentOnDemandHourlyUsd) continue;
    out.push({
      cloud,
      region: near.region.id,
      instanceType: best.candidate.type.name,
      distanceKm: Math.round(near.km),
      monthlyOnDemandUsd: Math.round(best.candidate.hourlyUsd * settings.hoursPerMonth * 100) / 100,
      monthlySavingsUsd: Math.round((currentOnDemandHourlyUsd - best.candidate.hourlyUsd) * settings.hoursPerMonth * 100) / 100,
      migration: true,
    });
  }
  return out.sort((a, b) => a.monthlyOnDemandUsd - b.monthlyOnDemandUsd || a.cloud.localeCompare(b.cloud));
}
