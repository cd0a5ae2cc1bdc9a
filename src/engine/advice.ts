import type { Catalog } from '../catalog/catalog.js';
import type { Cloud } from '../domain/cloud.js';
import { CLOUDS } from '../domain/cloud.js';
import type { Architecture, InstanceType } from '../domain/instance-type.js';
import type { PurchaseOption } from '../domain/price.js';
import { typesByPrice } from './candidates.js';
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

/**
 * Ranks every priced type that meets the request across clouds and regions, cheapest on-demand first.
 * A type fits when vCPU, memory and (if asked) GPU count, model, per-GPU memory and throughput are all met.
 */
export function adviseInstances(request: AdviceRequest, catalog: Catalog, settings: EngineSettings = defaultEngineSettings()): AdviceOption[] {
  const clouds = request.clouds ?? [...CLOUDS];
  const options = request.purchaseOptions ?? (request.interruptible ? ['on-demand', 'spot', 'commitment'] : ['on-demand', 'commitment']);
  const hoursPerMonth = request.hoursPerMonth ?? settings.hoursPerMonth;
  const limit = request.limit ?? 20;
  // Types come cheapest on-demand first, so when on-demand ranks, each region needs only its first `limit` fits.
  const rankOnDemand = options.includes('on-demand');
  const out: AdviceOption[] = [];
  for (const cloud of clouds) {
    for (const region of catalog.regions(cloud)) {
      if (request.regions && !request.regions.includes(region.id)) continue;
      let fitsInRegion = 0;
      for (const { type, hourlyUsd } of typesByPrice(catalog, cloud, region.id)) {
        if (rankOnDemand && fitsInRegion >= limit) break;
        if (type.vcpu < request.vcpu || type.memoryGiB < request.memoryGiB) continue;
        if (request.arch && type.arch !== request.arch) continue;
        const margin: AdviceOption['fitMargin'] = { vcpu: r2(type.vcpu / request.vcpu), memory: r2(type.memoryGiB / Math.max(request.memoryGiB, 1e-9)) };
        if (request.gpu) {
          const g = type.gpu;
          if (!g || g.count < request.gpu.count) continue;
          if (request.gpu.model && g.model !== request.gpu.model) continue;
          if (request.gpu.minMemoryGiB !== undefined && g.memoryGiBPerGpu < request.gpu.minMemoryGiB) continue;
          const rel = catalog.gpuModel(g.model)?.relThroughput ?? 0;
          const throughput = g.count * rel;
          if (request.gpu.minThroughput !== undefined && throughput < request.gpu.minThroughput) continue;
          if (request.gpu.minThroughput) margin.gpuThroughput = r2(throughput / request.gpu.minThroughput);
          if (request.gpu.minMemoryGiB) margin.gpuMemory = r2(g.memoryGiBPerGpu / request.gpu.minMemoryGiB);
        } else if (type.gpu || type.accelerators) {
          continue; // a CPU request is not answered with a GPU box
        }
        const prices: AdvicePrice[] = [];
        if (options.includes('on-demand')) prices.push({ purchaseOption: 'on-demand', hourlyUsd: r4(hourlyUsd), monthlyUsd: r2(hourlyUsd * hoursPerMonth) });
        if (options.includes('spot')) {
          const spot = catalog.spotHourlyUsd(cloud, region.id, type.name);
          if (spot !== undefined) {
            const { overhead } = spotReworkOverhead(catalog.spotInterruption(cloud, region.id, type.name), settings);
            prices.push({ purchaseOption: 'spot', hourlyUsd: r4(spot), monthlyUsd: r2(spot * hoursPerMonth), riskAdjustedHourlyUsd: r4(spot * (1 + overhead)) });
          }
        }
        if (options.includes('commitment')) {
          for (const term of catalog.commitmentTerms(cloud, region.id, type.name)) {
            const c = catalog.commitmentHourlyUsd(cloud, region.id, type.name, term);
            if (c !== undefined) prices.push({ purchaseOption: 'commitment', term: `${term.kind} ${term.termYears}y ${term.payment}`, hourlyUsd: r4(c), monthlyUsd: r2(c * hoursPerMonth) });
          }
        }
        if (prices.length === 0) continue;
        fitsInRegion++;
        out.push({
          cloud,
          region: region.id,
          instanceType: type.name,
          vcpu: type.vcpu,
          memoryGiB: type.memoryGiB,
          arch: type.arch,
          gpu: type.gpu ?? null,
          fitMargin: margin,
          prices,
          cheapestMonthlyUsd: Math.min(...prices.map((p) => p.monthlyUsd)),
          rankMonthlyUsd: prices.find((p) => p.purchaseOption === 'on-demand')?.monthlyUsd ?? Math.min(...prices.map((p) => p.monthlyUsd)),
        });
      }
    }
  }
  out.sort((a, b) => a.rankMonthlyUsd - b.rankMonthlyUsd || a.cloud.localeCompare(b.cloud) || a.region.localeCompare(b.region) || a.instanceType.localeCompare(b.instanceType));
  return out.slice(0, limit);
}
