import type { Catalog } from '../catalog/catalog.js';
import type { Cloud } from '../domain/cloud.js';
import type { InstanceType } from '../domain/instance-type.js';
import type { Demand, Fit } from './demand.js';
import { creditedPerf, fitOf } from './demand.js';
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

/**
 * Whether a special-purpose size (confidential, HPC, isolated, constrained-core, -flex, bare metal) may be a
 * candidate: with `allowSpecialSizes`, or when the current type carries every special kind the candidate has (a
 * confidential VM may move to another confidential size, never an ordinary VM to one). Ordinary sizes always may.
 */
export function specialAllowed(candidate: Pick<InstanceType, 'special'>, current: Pick<InstanceType, 'special'> | undefined, settings: Pick<EngineSettings, 'allowSpecialSizes'>): boolean {
  if (!candidate.special || settings.allowSpecialSizes) return true;
  const have = current?.special ?? [];
  return candidate.special.every((k) => have.includes(k));
}

export interface CandidateOptions {
  /** The current type: generation and burstable rules are relative to it. */
  current?: InstanceType;
  /** Only return candidates priced strictly below this (a downsize search stops early). */
  belowHourlyUsd?: number;
  /**
   * Round demand up to a coarser grid (0.25 vCPU, 1 GiB, 0.05 GPU): for indicative answers such as cross-cloud
   * alternatives, where sharing cached answers matters more than the last quarter-vCPU.
   */
  coarse?: boolean;
}

type Memo<V> = WeakMap<Catalog, WeakMap<EngineSettings, Map<string, V>>>;

/** The memo table for one catalog and one settings object (both immutable for the life of an analysis). */
function memoFor<V>(root: Memo<V>, catalog: Catalog, settings: EngineSettings): Map<string, V> {
  let bySettings = root.get(catalog);
  if (!bySettings) {
    bySettings = new WeakMap();
    root.set(catalog, bySettings);
  }
  let table = bySettings.get(settings);
  if (!table) {
    table = new Map();
    bySettings.set(settings, table);
  }
  return table;
}

const fitCache: Memo<{ candidate: PricedType; fit: Fit } | null> = new WeakMap();

/** Demand rounded *up* to a small grid: a fit for the rounded demand is a fit for the real one, and fleets share answers. */
function roundedUp(d: Demand, coarse: boolean): Demand {
  const up = (x: number, step: number) => Math.ceil(x / step - 1e-9) * step;
  const out: Demand = { ...d, cpuBaselineVcpu: up(d.cpuBaselineVcpu, coarse ? 0.25 : 0.05), memoryGiB: up(d.memoryGiB, coarse ? 1 : 0.25) };
  if (d.gpu) out.gpu = { ...d.gpu, throughputA100: up(d.gpu.throughputA100, coarse ? 0.05 : 0.01), memoryGiBPerGpu: up(d.gpu.memoryGiBPerGpu, coarse ? 1 : 0.25) };
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
  const d = roundedUp(demand, options.coarse === true);
  const g = d.gpu;
  // Integer grid indices make a cheap key (toFixed in a hot loop costs more than the search it saves).
  const key = `${cloud}|${region}|${options.current?.name ?? ''}|${options.belowHourlyUsd ?? ''}|${options.coarse ? 'c' : 'f'}|${d.arch}|${d.cpuPerfAssumedEqual ? 1 : 0}|${d.cpuPerfCeiling}|${d.cpuTargetUtil}|${Math.round(d.cpuBaselineVcpu * 20)}|${Math.round(d.memoryGiB * 4)}|${g ? `${Math.round(g.throughputA100 * 100)}|${Math.round(g.memoryGiBPerGpu * 4)}|${g.vendor}|${g.unused ? 1 : 0}|${g.keepModel ?? ''}|${g.keepCount ?? ''}` : '-'}`;
  const cache = memoFor(fitCache, catalog, settings);
  const hit = cache.get(key);
  if (hit !== undefined) return hit === null ? undefined : { candidate: hit.candidate, fit: fitOf(demand, hit.candidate.type, catalog, settings) };
  const found = searchCheapestFit(catalog, cloud, region, d, settings, options);
  cache.set(key, found ?? null);
  return found ? { candidate: found.candidate, fit: fitOf(demand, found.candidate.type, catalog, settings) } : undefined;
}

const frontierCache: Memo<PricedType[]> = new WeakMap();

/**
 * For CPU-only demand: the region's eligible types, cheapest first, keeping only those no cheaper kept type
 * dominates (at least the CPU capacity and the memory). The first fit on this frontier is the first fit in the
 * full price-ordered list — a dominated fit would have a cheaper dominating fit before it — but the frontier is a
 * few dozen types instead of hundreds.
 */
function cpuFrontier(catalog: Catalog, cloud: Cloud, region: string, settings: EngineSettings, current: InstanceType | undefined, demand: Pick<Demand, 'cpuPerfAssumedEqual' | 'cpuPerfCeiling' | 'arch'>): PricedType[] {
  const perfEqual = demand.cpuPerfAssumedEqual;
  const arch = demand.arch;
  const cache = memoFor(frontierCache, catalog, settings);
  const minGeneration = current && !settings.allowOlderGeneration && current.cloud === cloud ? current.generation : -1;
  const burstableOk = settings.allowBurstable || current?.burstable === true;
  const minVcpu = Math.min(settings.minVcpu, current?.vcpu ?? settings.minVcpu);
  const specialKey = current?.special?.join(',') ?? '';
  const key = `${cloud}|${region}|${minGeneration}|${burstableOk}|${minVcpu}|${perfEqual ? 'eq' : demand.cpuPerfCeiling}|${settings.allowArchChange ? '*' : arch}|${specialKey}`;
  let frontier = cache.get(key);
  if (!frontier) {
    frontier = [];
    const caps: [number, number][] = [];
    for (const priced of typesByPrice(catalog, cloud, region)) {
      const t = priced.type;
      if (t.gpu || t.accelerators) continue;
      if (t.burstable && !burstableOk) continue;
      if (!specialAllowed(t, current, settings)) continue;
      if (t.vcpu < minVcpu || t.generation < minGeneration) continue;
      if (!settings.allowArchChange && t.arch !== arch) continue;
      const cap = t.vcpu * creditedPerf(t, demand);
      if (caps.some(([c, m]) => c >= cap && m >= t.memoryGiB)) continue;
      caps.push([cap, t.memoryGiB]);
      frontier.push(priced);
    }
    cache.set(key, frontier);
  }
  return frontier;
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
  const list = demand.gpu ? typesByPrice(catalog, cloud, region) : cpuFrontier(catalog, cloud, region, settings, current, demand);
  for (const priced of list) {
    if (options.belowHourlyUsd !== undefined && priced.hourlyUsd >= options.belowHourlyUsd) return undefined;
    const t = priced.type;
    if (t.burstable && !settings.allowBurstable && !current?.burstable) continue;
    if (!specialAllowed(t, current, settings)) continue;
    if (t.vcpu < Math.min(settings.minVcpu, current?.vcpu ?? settings.minVcpu)) continue;
    if (current && !settings.allowOlderGeneration && t.generation < current.generation && t.cloud === current.cloud) continue;
    const fit = fitOf(demand, t, catalog, settings);
    if (fit.fits) return { candidate: priced, fit };
  }
  return undefined;
}
