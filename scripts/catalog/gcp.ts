/**
 * GCP catalog: machine types from `gcloud compute machine-types list` (Cyclenerd tools/machinetypes.csv), GPU counts and
 * prices from Cyclenerd's price list built from Cloud Billing SKUs, and N1 + attachable GPU combinations priced from
 * the Kubernetes cluster-autoscaler's GPU list prices (one price for every region: the source is not regional).
 */
import type { PriceColumn, PricesFile, TypeRecord } from './types.js';
import { readGz, readJson, readSemicolonCsv, round } from './util.js';

export const GCP_REGIONS = ['us-central1', 'us-east1', 'europe-west4', 'europe-west1', 'asia-southeast1'] as const;

/** Cyclenerd's month_1y / month_3y are hourly × 730 (checked against hour_spot × 730 = month_spot). */
const SOURCE_HOURS_PER_MONTH = 730;

const ARM_FAMILIES = new Set(['t2a', 'c4a', 'n4a', 'a4x']);
const FIRST_GENERATION = new Set(['n1', 'f1', 'g1', 'm1']);

/** Price-list GPU keys → GPU model ids. */
const PRICE_KEY_GPU: Record<string, string> = {
  a100: 'a100-40gb',
  'a100-80gb': 'a100-80gb',
  'h100-80gb': 'h100-80gb',
  'h100-80gb-mega': 'h100-80gb',
  l4: 'l4',
  rtx6000: 'rtx-pro-6000',
};

/** GPU families whose count is in the name (`a3-highgpu-4g`) when the price list has no entry for the type. */
const NAME_GPU: [RegExp, string][] = [
  [/^a2-(highgpu|megagpu)-(\d+)g$/, 'a100-40gb'],
  [/^a2-ultragpu-(\d+)g$/, 'a100-80gb'],
  [/^a3-(highgpu|megagpu|edgegpu)-(\d+)g(-nolssd)?$/, 'h100-80gb'],
  [/^a3-ultragpu-(\d+)g(-nolssd)?$/, 'h200'],
  [/^a4-highgpu-(\d+)g$/, 'b200'],
];
const GPU_FAMILIES = new Set(['a2', 'a3', 'a4', 'a4x', 'g2', 'g4']);
/** HPC-only series (Google's H3 and H4D: compact placement, limited regions and images). */
const HPC_FAMILIES = new Set(['h3', 'h4d']);
/** TPU VM hosts (`ct5lp-hightpu-4t`, `tpu7x-standard-1t`): the chip count ends the name. */
const TPU_HOST = /^(ct\d+[a-z]*|tpu\d+[a-z]*)-[a-z]+-(\d+)t$/;

const GPU_MEMORY_GIB: Record<string, number> = { 'a100-40gb': 40, 'a100-80gb': 80, 'h100-80gb': 80, l4: 24, 'rtx-pro-6000': 96, h200: 141, b200: 180, t4: 16, 'v100-16gb': 16, p100: 16, p4: 8 };

/** Attachable GPUs for N1: accelerator type → model, allowed counts and the most vCPUs each count allows. */
const N1_GPUS: { accelerator: string; model: string; maxVcpuByCount: Record<number, number> }[] = [
  { accelerator: 'nvidia-tesla-t4', model: 't4', maxVcpuByCount: { 1: 48, 2: 48, 4: 96 } },
  { accelerator: 'nvidia-tesla-v100', model: 'v100-16gb', maxVcpuByCount: { 1: 12, 2: 24, 4: 48, 8: 96 } },
  { accelerator: 'nvidia-tesla-p100', model: 'p100', maxVcpuByCount: { 1: 16, 2: 32, 4: 96 } },
  { accelerator: 'nvidia-tesla-p4', model: 'p4', maxVcpuByCount: { 1: 24, 2: 48, 4: 96 } },
];
const N1_HOSTS = ['n1-standard-2', 'n1-standard-4', 'n1-standard-8', 'n1-standard-16', 'n1-standard-32', 'n1-highmem-8', 'n1-highmem-16'];

interface GcpPriceEntry {
  cpu: number;
  ram: number;
  cost?: Record<string, { hour?: number; hour_spot?: number; month_1y?: number; month_3y?: number }>;
  [gpuKey: string]: unknown;
}

function familyOf(name: string): string {
  return name.split('-')[0] ?? name;
}

function gpuFor(name: string, entry: GcpPriceEntry | undefined): { count: number; model: string } | undefined {
  if (entry) {
    for (const [key, model] of Object.entries(PRICE_KEY_GPU)) {
      const count = entry[key];
      if (typeof count === 'number' && count > 0) return { count, model };
    }
  }
  for (const [re, model] of NAME_GPU) {
    const m = re.exec(name);
    if (m) return { count: Number(m.find((g, i) => i > 0 && /^\d+$/.test(g ?? ''))), model };
  }
  return undefined;
}

export function buildGcpCatalog(sharedDir: string): { types: TypeRecord[]; prices: PricesFile } {
  const csv = readSemicolonCsv(readGz(`${sharedDir}/pricing/gcp/cyclenerd_machinetypes.csv`));
  const priceList = readJson<{ compute: { instance: Record<string, GcpPriceEntry> } }>(readGz(`${sharedDir}/pricing/gcp/cyclenerd_gcp_pricing_2026-07-30.json.gz`)).compute.instance;
  const k8s = readJson<{ maps: { gpuPrices: { values: Record<string, number> }; preemptibleGpuPrices: { values: Record<string, number> } } }>(
    readGz(`${sharedDir}/pricing/gcp/k8s_autoscaler_gce_price_info.json`),
  );
  const accelRegions = readSemicolonCsv(readGz(`${sharedDir}/pricing/gcp/cyclenerd_acceleratortyperegion.csv`));

  const types: TypeRecord[] = [];
  const seen = new Set<string>();
  for (const row of csv) {
    const name = row['NAME'] as string;
    if (seen.has(name)) continue;
    seen.add(name);
    const family = familyOf(name);
    const entry = priceList[name];
    const gpu = gpuFor(name, entry);
    if (GPU_FAMILIES.has(family) && !gpu) continue; // a GPU family we cannot describe: left out rather than shown GPU-less
    if (gpu && !Number.isInteger(gpu.count)) continue; // fractional GPU (g4-standard-6 = 1/8): see data/README.md
    const rec: TypeRecord = {
      cloud: 'gcp',
      name,
      family,
      generation: Number(/^[a-z]+(\d+)/.exec(family)?.[1] ?? 0),
      vcpu: Number(row['CPUS']),
      memoryGiB: round(Number(row['MEMORY_GB']), 3),
      arch: ARM_FAMILIES.has(family) ? 'arm64' : 'x86_64',
      burstable: row['SHARED_CPU'] === 'True',
      currentGeneration: !row['DEPRECATED'] && !FIRST_GENERATION.has(family),
    };
    if (gpu) rec.gpu = { count: gpu.count, model: gpu.model, memoryGiBPerGpu: GPU_MEMORY_GIB[gpu.model] as number };
    const tpu = TPU_HOST.exec(name);
    // A TPU host is never a CPU workload's candidate: carried with its chips as accelerators.
    if (tpu) rec.accelerators = [{ kind: 'tpu', name: tpu[1] as string, count: Number(tpu[2]) }];
    if (HPC_FAMILIES.has(family)) rec.special = ['hpc'];
    types.push(rec);
  }

  const columns: PriceColumn[] = [
    { option: 'on-demand' },
    { option: 'spot' },
    { option: 'commitment', term: { kind: 'cud', termYears: 1, payment: 'no-upfront' } },
    { option: 'commitment', term: { kind: 'cud', termYears: 3, payment: 'no-upfront' } },
  ];
  const regions: PricesFile['regions'] = {};
  const typeByName = new Map(types.map((t) => [t.name, t]));
  for (const region of GCP_REGIONS) {
    const prices: Record<string, (number | null)[]> = {};
    for (const name of [...typeByName.keys()].sort()) {
      const c = priceList[name]?.cost?.[region];
      if (!c?.hour) continue;
      prices[name] = [
        round(c.hour, 6),
        c.hour_spot ? round(c.hour_spot, 6) : null,
        c.month_1y ? round(c.month_1y / SOURCE_HOURS_PER_MONTH, 6) : null,
        c.month_3y ? round(c.month_3y / SOURCE_HOURS_PER_MONTH, 6) : null,
      ];
    }
    regions[region] = { sources: ['cyclenerd', 'cyclenerd', 'cyclenerd', 'cyclenerd'], prices };
  }

  // N1 + attachable GPU combinations: VM price + count × GPU list price, where the accelerator is offered in the region.
  for (const gpu of N1_GPUS) {
    const gpuHourly = k8s.maps.gpuPrices.values[gpu.accelerator];
    const gpuSpot = k8s.maps.preemptibleGpuPrices.values[gpu.accelerator];
    if (!gpuHourly) continue;
    const offered = new Set(accelRegions.filter((r) => r['NAME'] === gpu.accelerator).map((r) => r['ZONE']));
    for (const host of N1_HOSTS) {
      const base = typeByName.get(host);
      if (!base) continue;
      for (const [countText, maxVcpu] of Object.entries(gpu.maxVcpuByCount)) {
        const count = Number(countText);
        if (base.vcpu > maxVcpu) continue;
        const name = `${host}+${gpu.accelerator}x${count}`;
        types.push({ ...base, name, gpu: { count, model: gpu.model, memoryGiBPerGpu: GPU_MEMORY_GIB[gpu.model] as number } });
        for (const region of GCP_REGIONS) {
          const vm = regions[region]?.prices[host];
          if (!vm || !offered.has(region)) continue;
          const spotVm = vm[1];
          (regions[region] as { prices: Record<string, (number | null)[]> }).prices[name] = [
            round((vm[0] as number) + count * gpuHourly, 6),
            spotVm !== null && spotVm !== undefined && gpuSpot ? round(spotVm + count * gpuSpot, 6) : null,
            null, // no CUD rate for attached GPUs in the sources
            null,
          ];
        }
      }
    }
  }
  for (const region of GCP_REGIONS) {
    const r = regions[region] as { prices: Record<string, (number | null)[]> };
    r.prices = Object.fromEntries(Object.entries(r.prices).sort(([a], [b]) => a.localeCompare(b)));
  }
  return {
    types,
    prices: {
      cloud: 'gcp',
      columns,
      sources: {
        cyclenerd: { source: 'Cyclenerd/google-cloud-pricing-cost-calculator@fd66b26ff84f:pricing.yml (Cloud Billing SKUs)', effectiveDate: '2026-07-30' },
      },
      regions,
    },
  };
}
