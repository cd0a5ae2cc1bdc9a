import type { Catalog } from '../catalog/catalog.js';
import type { Cloud } from '../domain/cloud.js';
import { CLOUDS } from '../domain/cloud.js';
import type { Architecture, InstanceType } from '../domain/instance-type.js';
import type { PurchaseOption } from '../domain/price.js';
import { specialAllowed, typesByPrice } from './candidates.js';
import { spotReworkOverhead } from './purchase-mix.js';
import type { EngineSettings } from './settings.js';
import { defaultEngineSettings } from './settings.js';

/** "Which instance fits these needs, cheapest, across clouds": the request behind POST /v1/advice. */
export interface AdviceRequest {
  vcpu: number;
  memoryGiB: number;
  gpu?: { count: number; model?: string; minMemoryGiB?: number; minThroughput?: number };
  arch?: Architecture;
  clouds?: Cloud[];
  regions?: string[];
  purchaseOptions?: PurchaseOption[];
  hoursPerMonth?: number;
  interruptible?: boolean;
  limit?: number;
  /** Answer burstable / shared-core types too (default: the settings' allowBurstable, off). */
  includeBurstable?: boolean;
  /** Answer special-purpose sizes too: confidential, HPC, isolated, constrained-core, -flex, bare metal (default: allowSpecialSizes, off). */
  includeSpecial?: boolean;
  /** List a type once per region (and keep a slot for each region's best) instead of once, at its cheapest region. */
  perRegion?: boolean;
}

export interface AdvicePrice {
  purchaseOption: PurchaseOption;
  term?: string;
  hourlyUsd: number;
  monthlyUsd: number;
  /** Spot only: effective hourly price with interruption rework priced in. */
  riskAdjustedHourlyUsd?: number;
}

export interface AdviceOption {
  cloud: Cloud;
  region: string;
  instanceType: string;
  vcpu: number;
  memoryGiB: number;
  arch: Architecture;
  gpu: InstanceType['gpu'] | null;
  /** Capacity ÷ request per dimension (1.0 = exact fit); GPU throughput in A100-equivalents. */
  fitMargin: { vcpu: number; memory: number; gpuThroughput?: number; gpuMemory?: number };
  prices: AdvicePrice[];
  /** The cheapest price among the requested purchase options. */
  cheapestMonthlyUsd: number;
  /** Ranking key: the on-demand monthly price when on-demand was asked for (no term to sign), else the cheapest. */
  rankMonthlyUsd: number;
}

const r4 = (x: number) => Math.round(x * 10000) / 10000;
const r2 = (x: number) => Math.round(x * 100) / 100;

interface Fit {
  cloud: Cloud;
  region: string;
  type: InstanceType;
  hourlyUsd: number;
  margin: AdviceOption['fitMargin'];
  rankMonthlyUsd: number;
}

/** The answer's order: rank price, then cloud, region and type name, so equal prices list deterministically. */
function byRank(a: Fit, b: Fit): number {
  return a.rankMonthlyUsd - b.rankMonthlyUsd || a.cloud.localeCompare(b.cloud) || a.region.localeCompare(b.region) || a.type.name.localeCompare(b.type.name);
}

/**
 * Right-sizing's candidate rules, without a current type: no burstable and no special-purpose size unless asked
 * (request or settings). Bare metal is already out of typesByPrice.
 */
function eligible(type: InstanceType, request: AdviceRequest, settings: EngineSettings): boolean {
  if (type.burstable && !(request.includeBurstable ?? settings.allowBurstable)) return false;
  return specialAllowed(type, undefined, { allowSpecialSizes: request.includeSpecial ?? settings.allowSpecialSizes });
}

/** The capacity margins of a type against the request, or undefined when it does not fit. */
function fitOf(type: InstanceType, request: AdviceRequest, catalog: Catalog): AdviceOption['fitMargin'] | undefined {
  if (type.vcpu < request.vcpu || type.memoryGiB < request.memoryGiB) return undefined;
  if (request.arch && type.arch !== request.arch) return undefined;
  const margin: AdviceOption['fitMargin'] = { vcpu: r2(type.vcpu / request.vcpu), memory: r2(type.memoryGiB / Math.max(request.memoryGiB, 1e-9)) };
  if (request.gpu) {
    const g = type.gpu;
    if (!g || g.count < request.gpu.count) return undefined;
    if (request.gpu.model && g.model !== request.gpu.model) return undefined;
    if (request.gpu.minMemoryGiB !== undefined && g.memoryGiBPerGpu < request.gpu.minMemoryGiB) return undefined;
    const throughput = g.count * (catalog.gpuModel(g.model)?.relThroughput ?? 0);
    if (request.gpu.minThroughput !== undefined && throughput < request.gpu.minThroughput) return undefined;
    if (request.gpu.minThroughput) margin.gpuThroughput = r2(throughput / request.gpu.minThroughput);
    if (request.gpu.minMemoryGiB) margin.gpuMemory = r2(g.memoryGiBPerGpu / request.gpu.minMemoryGiB);
  } else if (type.gpu || type.accelerators) {
    return undefined; // a CPU request is not answered with a GPU box
  }
  return margin;
}

/**
 * Ranks the priced types that meet the request across clouds and regions, cheapest on-demand first, and answers
 * the question asked:
 * - each type once, at its cheapest region (`perRegion`: once per region);
 * - the best fit of every cloud asked (`perRegion`: of every cloud and region) always has a place, so an answer
 *   across clouds shows each cloud's best even when one cloud is cheapest throughout; the other places go by rank;
 * - right-sizing's candidate rules: no burstable or special-purpose sizes unless asked, no bare metal, no GPU or
 *   accelerator box for a CPU request.
 * A type fits when vCPU, memory and (if asked) GPU count, model, per-GPU memory and throughput are all met.
 *
 * When on-demand ranks, a region's types come cheapest first, so its scan stops once `limit` distinct types have
 * fitted there and the price has passed theirs: those types and that region's first fit (its group's candidate)
 * rank at or below everything after it. Prices are built for the answer alone.
 */
export function adviseInstances(request: AdviceRequest, catalog: Catalog, settings: EngineSettings = defaultEngineSettings()): AdviceOption[] {
  const clouds = request.clouds ?? [...CLOUDS];
  const options = request.purchaseOptions ?? (request.interruptible ? ['on-demand', 'spot', 'commitment'] : ['on-demand', 'commitment']);
  const hoursPerMonth = request.hoursPerMonth ?? settings.hoursPerMonth;
  const limit = request.limit ?? 20;
  const perRegion = request.perRegion === true;
  const rankOnDemand = options.includes('on-demand');
  const pricesOf = (cloud: Cloud, region: string, type: InstanceType, hourlyUsd: number): AdvicePrice[] => {
    const prices: AdvicePrice[] = [];
    if (rankOnDemand) prices.push({ purchaseOption: 'on-demand', hourlyUsd: r4(hourlyUsd), monthlyUsd: r2(hourlyUsd * hoursPerMonth) });
    if (options.includes('spot')) {
      const spot = catalog.spotHourlyUsd(cloud, region, type.name);
      if (spot !== undefined) {
        const { overhead } = spotReworkOverhead(catalog.spotInterruption(cloud, region, type.name), settings);
        prices.push({ purchaseOption: 'spot', hourlyUsd: r4(spot), monthlyUsd: r2(spot * hoursPerMonth), riskAdjustedHourlyUsd: r4(spot * (1 + overhead)) });
      }
    }
    if (options.includes('commitment')) {
      for (const term of catalog.commitmentTerms(cloud, region, type.name)) {
        const c = catalog.commitmentHourlyUsd(cloud, region, type.name, term);
        if (c !== undefined) prices.push({ purchaseOption: 'commitment', term: `${term.kind} ${term.termYears}y ${term.payment}`, hourlyUsd: r4(c), monthlyUsd: r2(c * hoursPerMonth) });
      }
    }
    return prices;
  };

  // The best (lowest-ranked) fit per distinct type: cloud|type, or cloud|region|type per region.
  const best = new Map<string, Fit>();
  for (const cloud of clouds) {
    for (const region of catalog.regions(cloud)) {
      if (request.regions && !request.regions.includes(region.id)) continue;
      let fitted = 0;
      let cutoffMonthlyUsd = Infinity;
      for (const { type, hourlyUsd } of typesByPrice(catalog, cloud, region.id)) {
        if (rankOnDemand && r2(hourlyUsd * hoursPerMonth) > cutoffMonthlyUsd) break;
        if (!eligible(type, request, settings)) continue;
        const margin = fitOf(type, request, catalog);
        if (!margin) continue;
        let rankMonthlyUsd: number;
        if (rankOnDemand) {
          rankMonthlyUsd = r2(hourlyUsd * hoursPerMonth);
          if (++fitted === limit) cutoffMonthlyUsd = rankMonthlyUsd;
        } else {
          const prices = pricesOf(cloud, region.id, type, hourlyUsd);
          if (prices.length === 0) continue;
          rankMonthlyUsd = Math.min(...prices.map((p) => p.monthlyUsd));
        }
        const fit: Fit = { cloud, region: region.id, type, hourlyUsd, margin, rankMonthlyUsd };
        const key = perRegion ? `${cloud}|${region.id}|${type.name}` : `${cloud}|${type.name}`;
        const held = best.get(key);
        if (!held || byRank(fit, held) < 0) best.set(key, fit);
      }
    }
  }
  const ranked = [...best.values()].sort(byRank);
  // Each group's best first (cheapest groups first when the limit is below the number of groups), then by rank.
  const groupBest = new Map<string, Fit>();
  for (const fit of ranked) {
    const group = perRegion ? `${fit.cloud}|${fit.region}` : fit.cloud;
    if (!groupBest.has(group)) groupBest.set(group, fit);
  }
  const chosen = new Set<Fit>([...groupBest.values()].slice(0, limit));
  for (const fit of ranked) {
    if (chosen.size >= limit) break;
    chosen.add(fit);
  }
  const kept = [...chosen].sort(byRank);
  return kept.map(({ cloud, region, type, hourlyUsd, margin, rankMonthlyUsd }) => {
    const prices = pricesOf(cloud, region, type, hourlyUsd);
    return {
      cloud,
      region,
      instanceType: type.name,
      vcpu: type.vcpu,
      memoryGiB: type.memoryGiB,
      arch: type.arch,
      gpu: type.gpu ?? null,
      fitMargin: margin,
      prices,
      cheapestMonthlyUsd: Math.min(...prices.map((p) => p.monthlyUsd)),
      rankMonthlyUsd,
    };
  });
}
