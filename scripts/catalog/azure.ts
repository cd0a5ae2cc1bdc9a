/**
 * Azure catalog: VM sizes from the Kubernetes cluster-autoscaler's Resource SKUs snapshot (GPU count, no model),
 * GPU model and memory per GPU derived from the size series (Microsoft's published series specs), on-demand Linux
 * prices from Karpenter's Retail Prices API table. The sources carry no spot or reservation prices.
 */
import { instanceTypeFromAzureSize } from '../../src/catalog/azure-size.js';
import type { PriceColumn, PricesFile, TypeRecord } from './types.js';
import { readGz, readJson, round } from './util.js';

export const AZURE_REGIONS = ['eastus', 'westus2', 'westeurope', 'northeurope', 'southeastasia'] as const;

export interface AzSize {
  InstanceType: string;
  SkuFamily: string;
  VCPU: number;
  MemoryMb: number;
  GPU: number;
  Architecture: string;
}

/** One Linux price the source table got wrong (a Windows meter under a Linux key) and the price used instead. */
export interface AzurePriceCorrection {
  region: string;
  type: string;
  sourceHourlyUsd: number;
  hourlyUsd: number;
  /** The series' Linux price per (licensed) vCPU-hour, from its cheapest sizes in the same table and region. */
  seriesLinuxUsdPerVcpu: number;
  reason: string;
}

/** Windows Server's licence on Azure pay-as-you-go: $0.046 per vCPU-hour on top of the Linux price (most series). */
const WINDOWS_USD_PER_VCPU = 0.046;
const WINDOWS_BAND = [WINDOWS_USD_PER_VCPU - 0.006, WINDOWS_USD_PER_VCPU + 0.006] as const;

/**
 * A series: the name without its size number and constrained-core count, the SKU family, memory per vCPU and GPUs
 * per vCPU. Azure prices a series' Linux sizes in proportion to their (licensed) vCPUs, and a constrained-core size
 * at its parent's price, so within a series every Linux price per vCPU is the same.
 */
function seriesKey(s: AzSize): string {
  const pattern = s.InstanceType.replace(/^Standard_([A-Z]+)\d+(-\d+)?/, '$1#');
  return `${pattern}|${s.SkuFamily}|${(s.MemoryMb / 1024 / s.VCPU).toFixed(1)}|${(s.GPU / s.VCPU).toFixed(4)}`;
}

/**
 * Karpenter's Retail Prices table holds, for some sizes and regions, the Windows meter under the Linux key
 * (`Standard_E4as_v5` eastus 0.41 = 0.226 + 4 × 0.046, while `E2as_v5` is 0.113 and `E4-2as_v5` 0.226). Within a
 * series, a size whose price per vCPU exceeds the series' Linux rate by the Windows licence ($0.046 per vCPU-hour,
 * ± 0.006), or any B-series size above its series' rate by more than 2 % (burstable sizes carry a smaller,
 * size-dependent Windows fee), is priced at the series' Linux rate instead, and the correction recorded.
 */
export function correctWindowsMeters(region: string, table: Record<string, number>, sizes: ReadonlyMap<string, AzSize>): { prices: Record<string, number>; corrections: AzurePriceCorrection[] } {
  const groups = new Map<string, { name: string; perVcpu: number }[]>();
  for (const [name, price] of Object.entries(table)) {
    const s = sizes.get(name);
    if (!s || !(price > 0) || s.VCPU <= 0) continue;
    const key = seriesKey(s);
    const g = groups.get(key) ?? [];
    g.push({ name, perVcpu: price / s.VCPU });
    groups.set(key, g);
  }
  const prices = { ...table };
  const corrections: AzurePriceCorrection[] = [];
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    const rate = Math.min(...g.map((x) => x.perVcpu));
    for (const x of g) {
      const excess = x.perVcpu - rate;
      const burstable = /^Standard_B\d/.test(x.name);
      const windows = excess >= WINDOWS_BAND[0] && excess <= WINDOWS_BAND[1];
      if (!windows && !(burstable && excess > 0.02 * rate)) continue;
      const s = sizes.get(x.name) as AzSize;
      const hourlyUsd = round(rate * s.VCPU, 6);
      corrections.push({
        region,
        type: x.name,
        sourceHourlyUsd: table[x.name] as number,
        hourlyUsd,
        seriesLinuxUsdPerVcpu: round(rate, 6),
        reason: windows
          ? `price per vCPU is the series' Linux rate + ${round(excess, 4)} (the Windows licence, ${WINDOWS_USD_PER_VCPU}/vCPU-h): a Windows meter`
          : `B-series Linux prices are proportional to vCPUs; ${round(excess, 4)}/vCPU-h above the series' rate is a Windows meter`,
      });
      prices[x.name] = hourlyUsd;
    }
  }
  corrections.sort((a, b) => a.type.localeCompare(b.type));
  return { prices, corrections };
}

export function buildAzureCatalog(sharedDir: string): { types: TypeRecord[]; prices: PricesFile; corrections: AzurePriceCorrection[] } {
  const sizes = readJson<{ instanceTypes: AzSize[] }>(readGz(`${sharedDir}/pricing/azure/k8s_autoscaler_azure_instance_types.json`)).instanceTypes;
  const priceTable = readJson<{ regions: Record<string, Record<string, number>> }>(readGz(`${sharedDir}/pricing/azure/karpenter_azure_ondemand_linux_prices_2026-06-18.json.gz`)).regions;
  const types: TypeRecord[] = [];
  for (const s of [...sizes].sort((a, b) => a.InstanceType.localeCompare(b.InstanceType))) {
    // vCPUsAvailable is not in this source: the constrained-core count comes from the size name (azure-size.ts).
    const outcome = instanceTypeFromAzureSize({ name: s.InstanceType, skuFamily: s.SkuFamily, vcpu: s.VCPU, memoryMb: s.MemoryMb, gpus: s.GPU, arch: s.Architecture === 'arm64' ? 'arm64' : 'x86_64' });
    // Non-Standard sizes, sizes the source lists with 0 MiB, and fractional or unknown GPU series are left out.
    if ('type' in outcome) types.push(outcome.type);
  }
  const names = new Set(types.map((t) => t.name));
  const columns: PriceColumn[] = [{ option: 'on-demand' }];
  const regions: PricesFile['regions'] = {};
  const corrections: AzurePriceCorrection[] = [];
  const sizeByName = new Map(sizes.map((s) => [s.InstanceType, s]));
  for (const region of AZURE_REGIONS) {
    const corrected = correctWindowsMeters(region, priceTable[region] ?? {}, sizeByName);
    corrections.push(...corrected.corrections);
    const table = corrected.prices;
    const prices: Record<string, (number | null)[]> = {};
    for (const name of Object.keys(table).sort()) {
      const price = table[name] as number;
      if (names.has(name) && price > 0) prices[name] = [round(price, 6)];
    }
    regions[region] = { sources: ['karpenter'], prices };
  }
  return {
    types,
    corrections,
    prices: {
      cloud: 'azure',
      columns,
      sources: {
        karpenter: { source: 'Azure/karpenter-provider-azure@352646f59929:pkg/providers/pricing/zz_generated.pricing.go (Azure Retail Prices API)', effectiveDate: '2026-06-18' },
      },
      regions,
    },
  };
}
