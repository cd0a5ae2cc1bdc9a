/**
 * Azure catalog: VM sizes from the Kubernetes cluster-autoscaler's Resource SKUs snapshot (GPU count, no model),
 * GPU model and memory per GPU derived from the size series (Microsoft's published series specs), on-demand Linux
 * prices from Karpenter's Retail Prices API table. The sources carry no spot or reservation prices.
 */
import type { PriceColumn, PricesFile, TypeRecord } from './types.js';
import { readGz, readJson, round } from './util.js';

export const AZURE_REGIONS = ['eastus', 'westus2', 'westeurope', 'northeurope', 'southeastasia'] as const;

interface AzSize {
  InstanceType: string;
  SkuFamily: string;
  VCPU: number;
  MemoryMb: number;
  GPU: number;
  Architecture: string;
}

/**
 * Series → GPU model and memory per GPU. Fractional-GPU sizes (NVv4 below NV32as, NVadsA10v5 below NV36ads,
 * NCadsA10v4) are not listed: a share of a GPU cannot be sized by whole-GPU throughput, so they are left out.
 */
const GPU_SERIES: [RegExp, string, number][] = [
  [/^NC\d+as_T4_v3$/, 't4', 16],
  [/^NC\d+ads_A100_v4$/, 'a100-80gb', 80],
  [/^ND96asr_v4$/, 'a100-40gb', 40],
  [/^ND96amsr_A100_v4$/, 'a100-80gb', 80],
  [/^ND\d+isr_H100_v5$/, 'h100-80gb', 80],
  [/^ND\d+isr_H200_v5$/, 'h200', 141],
  [/^ND\d+isr_MI300X_v5$/, 'mi300x', 192],
  [/^NCC?\d+adi?s_H100_v5$/, 'h100-nvl', 94],
  [/^NC\d+r?s_v3$/, 'v100-16gb', 16],
  [/^ND40rs_v2$/, 'v100-32gb', 32],
  [/^NV\d+s_v[23]$/, 'm60', 8],
  [/^NV(36|36m|72)ad[m]?s_A10_v5$/, 'a10', 24],
  [/^NV32as_v4$/, 'mi25', 16],
];
/** FPGA sizes listed with a GPU count by the source: carried as accelerators, not GPUs. */
const FPGA_SERIES = /^NP\d+s$/;

/** `standardDSv5Family` / `Standard NCASv3_T4 Family` → `DSv5` / `NCASv3_T4`: the reservation flexibility group. */
function familyOf(skuFamily: string): string {
  return skuFamily.replace(/^standard\s*/i, '').replace(/\s*family$/i, '').replace(/\s+/g, '') || skuFamily;
}

export function buildAzureCatalog(sharedDir: string): { types: TypeRecord[]; prices: PricesFile } {
  const sizes = readJson<{ instanceTypes: AzSize[] }>(readGz(`${sharedDir}/pricing/azure/k8s_autoscaler_azure_instance_types.json`)).instanceTypes;
  const priceTable = readJson<{ regions: Record<string, Record<string, number>> }>(readGz(`${sharedDir}/pricing/azure/karpenter_azure_ondemand_linux_prices_2026-06-18.json.gz`)).regions;
  const types: TypeRecord[] = [];
  for (const s of [...sizes].sort((a, b) => a.InstanceType.localeCompare(b.InstanceType))) {
    if (!s.InstanceType.startsWith('Standard_')) continue;
    if (s.VCPU <= 0 || s.MemoryMb <= 0) continue; // the source lists a few sizes with 0 MiB: unusable for sizing
    const short = s.InstanceType.slice('Standard_'.length);
    const version = /_v(\d+)$/.exec(short);
    const rec: TypeRecord = {
      cloud: 'azure',
      name: s.InstanceType,
      family: familyOf(s.SkuFamily),
      generation: version ? Number(version[1]) : 1,
      vcpu: s.VCPU,
      memoryGiB: round(s.MemoryMb / 1024, 3),
      arch: s.Architecture === 'arm64' ? 'arm64' : 'x86_64',
      burstable: /^B\d/.test(short),
      // v1/v2 of the general-purpose lines and the A-series are previous generation by Microsoft's own labels.
      currentGeneration: !/^(A\d|Basic_)/.test(short) && !(version === null && /^[DEF]\d/.test(short)),
    };
    if (s.GPU > 0) {
      if (FPGA_SERIES.test(short)) {
        rec.accelerators = [{ kind: 'fpga', name: 'Xilinx U250', count: s.GPU }];
      } else {
        const match = GPU_SERIES.find(([re]) => re.test(short));
        if (!match) continue; // fractional or unknown GPU series: see GPU_SERIES
        rec.gpu = { count: s.GPU, model: match[1], memoryGiBPerGpu: match[2] };
      }
    }
    types.push(rec);
  }
  const names = new Set(types.map((t) => t.name));
  const columns: PriceColumn[] = [{ option: 'on-demand' }];
  const regions: PricesFile['regions'] = {};
  for (const region of AZURE_REGIONS) {
    const table = priceTable[region] ?? {};
    const prices: Record<string, (number | null)[]> = {};
    for (const name of Object.keys(table).sort()) {
      const price = table[name] as number;
      if (names.has(name) && price > 0) prices[name] = [round(price, 6)];
    }
    regions[region] = { sources: ['karpenter'], prices };
  }
  return {
    types,
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
