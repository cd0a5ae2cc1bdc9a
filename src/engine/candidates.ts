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

const fitCache = new WeakMap<Catalog, WeakMap<EngineSettings, Map<string, { candidate: PricedType; fit: Fit } | null>>>();

/** Demand rounded *up* to a small grid: a fit for the rounded demand is a fit for the real one, and fleets share answers. */
function roundedUp(d: Demand): Demand {
  const up = (x: number, step: number) => Math.ceil(x / step - 1e-9) * step;
  const out: Demand = { ...d, cpuBaselineVcpu: up(d.cpuBaselineVcpu, 0.05), memoryGiB: up(d.memoryGiB, 0.25) };
  if (d.gpu) out.gpu = { ...d.gpu, throughputA100: up(d.gpu.throughputA100, 0.01), memoryGiBPerGpu: up(d.gpu.memoryGiBPerGpu, 0.25) };
  return out;
}

/**
 * The cheapest type in the region that fits the demand under the settings, with its fit (computed for the demand
 * rounded up to a 0.05-vCPU / 0.25-GiB / 0.01-GPU grid, and memoized per catalog and settings).
 */
export function cheapestFit(
  catalog: Catalog,
  cloud: Cloud,
  region: string,
  demand: Demand,
  settings: EngineSettings,
  options: CandidateOptions = {},
): { candidate: PricedType; fit: Fit } | undefined {
  const d = roundedUp(demand);
  const g = d.gpu;
  // Integer grid indices make a cheap key (toFixed in a hot loop costs more than the search it saves).
  const key = `${cloud}|${region}|${options.current?.name ?? ''}|${options.belowHourlyUsd ?? ''}|${d.arch}|${d.cpuPerfAssumedEqual ? 1 : 0}|${Math.round(d.cpuBaselineVcpu * 20)}|${Math.round(d.memoryGiB * 4)}|${g ? `${Math.round(g.throughputA100 * 100)}|${Math.round(g.memoryGiBPerGpu * 4)}|${g.vendor}|${g.unused ? 1 : 0}|${g.keepModel ?? ''}|${g.keepCount ?? ''}` : '-'}`;
  let bySettings = fitCache.get(catalog);
  if (!bySettings) {
    bySettings = new WeakMap();
    fitCache.set(catalog, bySettings);
  }
  let cache = bySettings.get(settings);
  if (!cache) {
    cache = new Map();
    bySettings.set(settings, cache);
  }
  const hit = cache.get(key);
  if (hit !== undefined) return hit === null ? undefined : { candidate: hit.candidate, fit: fitOf(demand, hit.candidate.type, catalog, settings) };
  const found = searchCheapestFit(catalog, cloud, region, d, settings, options);
  cache.set(key, found ?? null);
  return found ? { candidate: found.candidate, fit: fitOf(demand, found.candidate.type, catalog, settings) } : undefined;
}

function searchCheapestFit(
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
