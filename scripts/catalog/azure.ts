/**
 * Azure catalog: VM sizes from the Kubernetes cluster-autoscaler's Resource SKUs snapshot (GPU count, no model),
 * GPU model and memory per GPU derived from the size series (Microsoft's published series specs), on-demand Linux
 * prices from Karpenter's Retail Prices API table. The sources carry no spot or reservation prices.
 */
import { instanceTypeFromAzureSize } from '../../src/catalog/azure-size.js';
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

export function buildAzureCatalog(sharedDir: string): { types: TypeRecord[]; prices: PricesFile } {
  const sizes = readJson<{ instanceTypes: AzSize[] }>(readGz(`${sharedDir}/pricing/azure/k8s_autoscaler_azure_instance_types.json`)).instanceTypes;
  const priceTable = readJson<{ regions: Record<string, Record<string, number>> }>(readGz(`${sharedDir}/pricing/azure/karpenter_azure_ondemand_linux_prices_2026-06-18.json.gz`)).regions;
  const types: TypeRecord[] = [];
  for (const s of [...sizes].sort((a, b) => a.InstanceType.localeCompare(b.InstanceType))) {
    const outcome = instanceTypeFromAzureSize({ name: s.InstanceType, skuFamily: s.SkuFamily, vcpu: s.VCPU, memoryMb: s.MemoryMb, gpus: s.GPU, arch: s.Architecture === 'arm64' ? 'arm64' : 'x86_64' });
    // Non-Standard sizes, sizes the source lists with 0 MiB, and fractional or unknown GPU series are left out.
    if ('type' in outcome) types.push(outcome.type);
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
