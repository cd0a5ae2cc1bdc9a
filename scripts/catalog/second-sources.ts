/**
 * The second sources the catalog audit (src/catalog/audit.ts) checks the bundled catalog against, extracted from
 * public files independent of the ones each builder reads. Written to data/catalog/second-sources.json so the audit
 * runs from a fresh clone without the shared data folder.
 *
 * Independence: each fact is checked against a file that did not produce it. AWS shapes come from moto
 * (DescribeInstanceTypes) and are checked against ec2instances.info (opszero 2024-04, classic 2017-11), the Spot
 * Instance Advisor feed and the nvidia-smi runs; the opszero-only shapes against the feed and the runs. AWS us-east-1
 * prices come from Karpenter (Pricing API) and are checked against opszero; other regions come from opszero and are
 * checked against ec2instances.info's 2026 single-instance page and its 2017 table. GCP shapes come from
 * `gcloud compute machine-types list` and are checked against the Billing-SKU price list's cpu/ram/GPU keys and the
 * GPU count in the machine-type name; GCP prices against the cluster-autoscaler's list prices. Azure shapes against
 * the Resource SKUs sample. Azure prices have no second source here (see the audit's series check).
 */
import type { SecondSourcesFile, ShapeFacts } from '../../src/catalog/audit-schema.js';
import { readGz, readJson, readSemicolonCsv, round } from './util.js';
import { AWS_REGIONS } from './aws.js';

/** nvidia-smi's GPU names → GPU model ids (data/catalog/gpu-models.json). */
const SMI_GPU: [RegExp, string][] = [
  [/A100.*80GB/, 'a100-80gb'],
  [/A100/, 'a100-40gb'],
  [/H100/, 'h100-80gb'],
  [/H200/, 'h200'],
  [/B200/, 'b200'],
  [/L40S/, 'l40s'],
  [/\bL4$/, 'l4'],
  [/A10G/, 'a10g'],
  [/T4G/, 't4g'],
  [/\bT4$/, 't4'],
  [/RTX PRO 6000/, 'rtx-pro-6000'],
];

/** GPU counts GCP puts in the machine-type name (`a2-highgpu-1g`, `g2-standard-4` = 1 L4). */
const GCP_NAME_GPU: [RegExp, string][] = [
  [/^a2-(?:highgpu|megagpu)-(\d+)g$/, 'a100-40gb'],
  [/^a2-ultragpu-(\d+)g$/, 'a100-80gb'],
  [/^a3-(?:highgpu|megagpu|edgegpu)-(\d+)g(?:-nolssd)?$/, 'h100-80gb'],
  [/^a3-ultragpu-(\d+)g(?:-nolssd)?$/, 'h200'],
  [/^a4-highgpu-(\d+)g$/, 'b200'],
];

/** Price-list GPU keys (Cyclenerd) → GPU model ids. */
const GCP_PRICE_GPU: Record<string, string> = { a100: 'a100-40gb', 'a100-80gb': 'a100-80gb', 'h100-80gb': 'h100-80gb', 'h100-80gb-mega': 'h100-80gb', l4: 'l4', rtx6000: 'rtx-pro-6000' };

const GCP_PRICE_REGION = 'us-central1';

function compact(f: ShapeFacts): ShapeFacts {
  return Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as ShapeFacts;
}

export function buildSecondSources(sharedDir: string): SecondSourcesFile {
  const p = `${sharedDir}/pricing`;
  // AWS types whose catalog shape came from moto; the others were built from opszero and are not checked against it.
  const moto = readJson<Record<string, { GpuInfo?: unknown; NeuronInfo?: unknown; InferenceAcceleratorInfo?: unknown }>>(readGz(`${p}/aws/moto_instance_types.json.gz`));
  const motoNames = new Set(Object.keys(moto));
  // Inferentia/Trainium devices, which opszero lists under "GPU" (with their memory): not GPUs.
  const neuron = (t: string) => !moto[t]?.GpuInfo && (moto[t]?.NeuronInfo !== undefined || moto[t]?.InferenceAcceleratorInfo !== undefined);
  const out: SecondSourcesFile = {
    _provenance: 'Second sources for `npm run catalog:check`, extracted by scripts/catalog/second-sources.ts; see data/README.md',
    sources: {
      opszero: { what: 'AWS shapes and on-demand prices', source: 'vantage-sh/ec2instances.info@a19cd859f059:opszero-app/instances.json', effectiveDate: '2024-04-04' },
      'ec2instances-2017': { what: 'AWS shapes and on-demand prices', source: 'vantage-sh/ec2instances.info@94e1f006efae:www/instances.json', effectiveDate: '2017-11-12' },
      'ec2instances-2026': { what: 'AWS on-demand prices of x2iedn.32xlarge', source: 'vantage-sh/ec2instances.info@4ef36cd2c986:next/utils/mocks/ec2_single_instance.json', effectiveDate: '2026-07-20' },
      'spot-advisor': { what: 'AWS vCPUs and memory', source: 'alexei-led/spotinfo@5eedf20a9961:internal/spot/data/spot-advisor-data.json (AWS Spot Instance Advisor feed)', effectiveDate: '2025-06-28' },
      'nvidia-smi': { what: 'AWS GPU model and count, vCPUs (threads), measured on running instances', source: 'vantage-sh/ec2instances.info@4ef36cd2c986:scraper/aws/ec2/extras/manually_fetched_data.json', effectiveDate: '2026-07-06' },
      'gcp-pricelist': { what: 'GCP vCPUs, memory, GPU model and count', source: 'Cyclenerd/google-cloud-pricing-cost-calculator@fd66b26ff84f:pricing.yml (Cloud Billing SKUs)', effectiveDate: '2026-07-30' },
      'gcp-name': { what: 'GCP GPU count in the machine-type name', source: 'GCP machine-type naming (`a2-highgpu-<n>g`)', effectiveDate: '2026-07-01' },
      'k8s-gce': { what: 'GCP on-demand list prices (us-central1)', source: 'kubernetes/autoscaler@55c37cd5eb55:cluster-autoscaler/cloudprovider/gce/gce_price_info.go', effectiveDate: '2026-06-23' },
      'azure-resource-skus': { what: 'Azure vCPUsAvailable, memory, GPUs, architecture', source: 'Azure/karpenter-provider-azure@352646f59929:pkg/fake/zz_generated.sku.*.go (Resource SKUs, captured 2025-06-03)', effectiveDate: '2025-06-03' },
    },
    shapes: [],
    prices: [],
  };

  // --- AWS ---
  interface OpszeroRow { 'instance-type': string; region: string; arch: string; memory: number; vCPU: number; GPU: number; GPU_memory: number; ondemand: string }
  const opszero = readJson<{ data: OpszeroRow[] }>(readGz(`${p}/aws/ec2instances_opszero_region_prices_2024-04.json.gz`)).data;
  const opsShapes: Record<string, ShapeFacts> = {};
  for (const r of opszero) {
    // Only types whose catalog shape came from moto: the others were built from opszero itself.
    if (!motoNames.has(r['instance-type']) || opsShapes[r['instance-type']]) continue;
    // opszero counts Inferentia/Trainium/FPGA devices as "GPU" with no GPU memory: those counts are not GPUs.
    const gpu = r.GPU > 0 && r.GPU_memory > 0 && !neuron(r['instance-type']);
    opsShapes[r['instance-type']] = compact({
      vcpu: r.vCPU,
      memoryGiB: round(r.memory, 3),
      arch: r.arch === 'arm64' ? 'arm64' : 'x86_64',
      gpuCount: r.GPU > 0 && !gpu ? undefined : r.GPU,
      gpuMemoryGiB: gpu ? round(r.GPU_memory / r.GPU, 2) : undefined,
    });
  }
  out.shapes.push({ source: 'opszero', cloud: 'aws', types: opsShapes });

  interface Old { instance_type: string; vCPU: number; memory: number; GPU: number; pricing: Record<string, { linux?: { ondemand?: string } }> }
  const old = readJson<Old[]>(readGz(`${p}/aws/ec2instances_info_instances_2017-11.json.gz`));
  out.shapes.push({ source: 'ec2instances-2017', cloud: 'aws', types: Object.fromEntries(old.map((o) => [o.instance_type, compact({ vcpu: o.vCPU, memoryGiB: o.memory, gpuCount: o.GPU })])) });

  const advisor = readJson<{ instance_types: Record<string, { cores: number; ram_gb: number }> }>(readGz(`${p}/aws/spot_advisor_data_2025-06-28.json.gz`));
  out.shapes.push({ source: 'spot-advisor', cloud: 'aws', types: Object.fromEntries(Object.entries(advisor.instance_types).map(([t, v]) => [t, { vcpu: v.cores, memoryGiB: v.ram_gb }])) });

  const smi = readJson<Record<string, { cpu?: { threads?: number } | null; nvidia_gpus?: { name: string }[] | null }>>(readGz(`${p}/aws/ec2instances_info_benchmarks_nvidia_smi_2026.json.gz`));
  const smiShapes: Record<string, ShapeFacts> = {};
  for (const [t, v] of Object.entries(smi)) {
    const gpus = v.nvidia_gpus ?? [];
    const model = gpus[0] ? SMI_GPU.find(([re]) => re.test(gpus[0]?.name ?? ''))?.[1] : undefined;
    const facts = compact({ vcpu: v.cpu?.threads ?? undefined, gpuCount: gpus.length > 0 ? gpus.length : undefined, gpuModel: model });
    if (Object.keys(facts).length > 0) smiShapes[t] = facts;
  }
  out.shapes.push({ source: 'nvidia-smi', cloud: 'aws', types: smiShapes });

  for (const region of AWS_REGIONS) {
    // us-east-1's catalog price is Karpenter's: opszero checks it. Elsewhere the catalog price is opszero's.
    if (region === 'us-east-1') {
      const prices: Record<string, number> = {};
      for (const r of opszero) if (r.region === region && Number(r.ondemand) > 0) prices[r['instance-type']] = Number(r.ondemand);
      out.prices.push({ source: 'opszero', cloud: 'aws', region, prices });
    }
    const oldPrices: Record<string, number> = {};
    for (const o of old) {
      const v = Number(o.pricing[region]?.linux?.ondemand);
      if (v > 0) oldPrices[o.instance_type] = v;
    }
    out.prices.push({ source: 'ec2instances-2017', cloud: 'aws', region, prices: oldPrices });
  }
  const single = readJson<{ instance_type: string; pricing: Record<string, { linux?: { ondemand?: string } }> }>(readGz(`${p}/aws/ec2instances_info_single_instance_x2iedn.32xlarge_2026.json.gz`));
  for (const region of AWS_REGIONS) {
    const v = Number(single.pricing[region]?.linux?.ondemand);
    if (v > 0) out.prices.push({ source: 'ec2instances-2026', cloud: 'aws', region, prices: { [single.instance_type]: v } });
  }

  // --- GCP ---
  const priceList = readJson<{ compute: { instance: Record<string, Record<string, unknown> & { cpu: number; ram: number }> } }>(readGz(`${p}/gcp/cyclenerd_gcp_pricing_2026-07-30.json.gz`)).compute.instance;
  const plShapes: Record<string, ShapeFacts> = {};
  for (const [name, e] of Object.entries(priceList)) {
    const gpuKey = Object.keys(GCP_PRICE_GPU).find((k) => typeof e[k] === 'number' && (e[k] as number) > 0);
    plShapes[name] = compact({ vcpu: e.cpu, memoryGiB: e.ram, gpuCount: gpuKey ? (e[gpuKey] as number) : undefined, gpuModel: gpuKey ? GCP_PRICE_GPU[gpuKey] : undefined });
  }
  out.shapes.push({ source: 'gcp-pricelist', cloud: 'gcp', types: plShapes });
  const nameShapes: Record<string, ShapeFacts> = {};
  for (const row of readSemicolonCsv(readGz(`${p}/gcp/cyclenerd_machinetypes.csv`))) {
    const name = row['NAME'] as string;
    for (const [re, model] of GCP_NAME_GPU) {
      const m = re.exec(name);
      if (m) nameShapes[name] = { gpuCount: Number(m[1]), gpuModel: model };
    }
    const g2 = /^g2-standard-(\d+)$/.exec(name);
    // G2: 1 L4 up to 32 vCPUs, 2 at 24, 4 at 48, 8 at 96 (Google's G2 table).
    if (g2) nameShapes[name] = { gpuCount: ({ 4: 1, 8: 1, 12: 1, 16: 1, 32: 1, 24: 2, 48: 4, 96: 8 } as Record<number, number>)[Number(g2[1])] ?? 0, gpuModel: 'l4' };
  }
  out.shapes.push({ source: 'gcp-name', cloud: 'gcp', types: nameShapes });
  const k8s = readJson<{ maps: { instancePrices: { values: Record<string, number> } } }>(readGz(`${p}/gcp/k8s_autoscaler_gce_price_info.json`));
  // e2-micro and e2-small are inflated on purpose upstream (a scale-down heuristic): not list prices.
  const listPrices = Object.fromEntries(Object.entries(k8s.maps.instancePrices.values).filter(([t]) => t !== 'e2-micro' && t !== 'e2-small'));
  out.prices.push({ source: 'k8s-gce', cloud: 'gcp', region: GCP_PRICE_REGION, prices: listPrices });

  // --- Azure ---
  const skus = readJson<{ value: { resourceType: string; name: string; capabilities: { name: string; value: string }[] }[] }>(readGz(`${p}/azure/karpenter_azure_resource_skus_sample.json`));
  const azShapes: Record<string, ShapeFacts> = {};
  for (const s of skus.value) {
    if (s.resourceType !== 'virtualMachines') continue;
    const c = new Map(s.capabilities.map((x) => [x.name, x.value] as const));
    azShapes[s.name] = compact({
      vcpu: Number(c.get('vCPUsAvailable') ?? c.get('vCPUs')),
      memoryGiB: Number(c.get('MemoryGB')),
      gpuCount: c.has('GPUs') ? Number(c.get('GPUs')) : undefined,
      arch: (c.get('CpuArchitectureType') ?? '').toLowerCase() === 'arm64' ? 'arm64' : 'x86_64',
    });
  }
  out.shapes.push({ source: 'azure-resource-skus', cloud: 'azure', types: azShapes });
  return out;
}
