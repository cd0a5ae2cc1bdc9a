/**
 * AWS catalog from public sources (see data/README.md): moto's DescribeInstanceTypes snapshot for shapes,
 * opszero/ec2instances.info for GPU details moto lacks, spot averages and non-us-east-1 on-demand prices,
 * Karpenter's generated us-east-1 on-demand table, opencost's RI effective rates, ec2instances.info coremark
 * results for relative per-vCPU performance, and the Spot Instance Advisor feed.
 */
import { SpotAdvisorFeedSchema, spotAdvisorFromFeed } from '../../src/catalog/spot-advisor-feed.js';
import { awsFamilyOf, awsGenerationOf, awsSpecialKinds, type Ec2TypeInfo, instanceTypeFromEc2 } from '../../src/catalog/aws-type-info.js';
import type { PriceColumn, PricesFile, TypeRecord } from './types.js';
import { readGz, readJson, round } from './util.js';

type MotoType = Ec2TypeInfo;

interface OpszeroRow {
  'instance-type': string;
  region: string;
  GPU: number;
  GPU_memory: number;
  ondemand: string;
  spot_avg?: string;
}

export const AWS_REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-1'] as const;

/** GPU model of older families whose DescribeInstanceTypes entry in the snapshot has no GpuInfo (AWS's published specs). */
const LEGACY_GPU_MODEL: Record<string, string> = { p2: 'k80', p3: 'v100-16gb', p3dn: 'v100-32gb', g3: 'm60', g3s: 'm60', g4dn: 't4', g5g: 't4g' };

/**
 * Memory per GPU of those models (AWS's specs). opszero counts a K80 *board* (2 GPUs × 12 GiB) as one GPU on
 * p2.8xlarge and p2.16xlarge but not on p2.xlarge, so the count is derived from the total memory: p2.16xlarge is
 * 16 GPUs, as AWS and ec2instances.info's 2017 table list it.
 */
const LEGACY_GPU_MEM_GIB: Record<string, number> = { k80: 12, m60: 8, 'v100-16gb': 16, 'v100-32gb': 32, t4: 16, t4g: 16 };

function legacyGpu(model: string, count: number, totalGiB: number): { count: number; model: string; memoryGiBPerGpu: number } {
  const per = LEGACY_GPU_MEM_GIB[model];
  const n = per && totalGiB > 0 && Number.isInteger(round(totalGiB / per, 6)) ? round(totalGiB / per, 6) : count;
  return { count: n, model, memoryGiBPerGpu: round(totalGiB / n, 2) };
}

const familyOf = awsFamilyOf;
const generationOf = awsGenerationOf;

export function buildAwsTypes(sharedDir: string): TypeRecord[] {
  const moto = readJson<Record<string, MotoType>>(readGz(`${sharedDir}/pricing/aws/moto_instance_types.json.gz`));
  const opszero = readJson<{ data: OpszeroRow[] }>(readGz(`${sharedDir}/pricing/aws/ec2instances_opszero_region_prices_2024-04.json.gz`)).data;
  const bench = readJson<Record<string, { coremark?: { iterations_second?: number } | null }>>(
    readGz(`${sharedDir}/pricing/aws/ec2instances_info_benchmarks_nvidia_smi_2026.json.gz`),
  );
  const opsGpu = new Map<string, { count: number; memGiB: number }>();
  for (const row of opszero) if (row.GPU > 0) opsGpu.set(row['instance-type'], { count: row.GPU, memGiB: row.GPU_memory });

  // Baseline for cpuPerfRel: m5.large's coremark per vCPU = 1.0.
  const perVcpu = (name: string): number | undefined => {
    const it = bench[name]?.coremark?.iterations_second;
    const vcpu = moto[name]?.VCpuInfo.DefaultVCpus;
    return it && vcpu ? it / vcpu : undefined;
  };
  const baseline = perVcpu('m5.large');
  if (!baseline) throw new Error('m5.large coremark missing: cannot normalize cpuPerfRel');

  const out: TypeRecord[] = [];
  for (const name of Object.keys(moto).sort()) {
    const t = moto[name] as MotoType;
    const outcome = instanceTypeFromEc2(t);
    if ('skipped' in outcome) {
      // Mac hosts and fractional GPUs are left out on purpose (data/README.md); an unknown GPU fails the build.
      if (outcome.skipped === 'unknown-gpu') throw new Error(`${outcome.detail}: add it to src/catalog/gpu-names.ts and data/catalog/gpu-models.json`);
      continue;
    }
    const rec: TypeRecord = outcome.type as TypeRecord;
    const family = rec.family;
    if (!rec.gpu && LEGACY_GPU_MODEL[family] && opsGpu.has(name)) {
      const g = opsGpu.get(name) as { count: number; memGiB: number };
      rec.gpu = legacyGpu(LEGACY_GPU_MODEL[family] as string, g.count, g.memGiB);
    }
    const perf = perVcpu(name);
    if (perf !== undefined) rec.cpuPerfRel = round(perf / baseline, 3);
    out.push(rec);
  }
  // Types the moto snapshot no longer lists (p2, p3, g3, …) but fleets still run: shapes from opszero (2024-04).
  const known = new Set(out.map((t) => t.name));
  const extra = new Map<string, OpszeroRow & { vCPU: number; memory: number; arch: string; 'current-generation': boolean }>();
  for (const row of opszero as (OpszeroRow & { vCPU: number; memory: number; arch: string; 'current-generation': boolean })[]) {
    if (!known.has(row['instance-type']) && !extra.has(row['instance-type'])) extra.set(row['instance-type'], row);
  }
  for (const [name, row] of [...extra.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const family = familyOf(name);
    if (row.GPU > 0 && !LEGACY_GPU_MODEL[family]) continue; // a GPU we cannot name: left out rather than shown GPU-less
    const rec: TypeRecord = {
      cloud: 'aws',
      name,
      family,
      generation: generationOf(family),
      vcpu: row.vCPU,
      memoryGiB: round(row.memory, 3),
      arch: row.arch === 'arm64' ? 'arm64' : 'x86_64',
      burstable: /^t\d/.test(family),
      currentGeneration: Boolean(row['current-generation']),
    };
    const special = awsSpecialKinds(name);
    if (special.length > 0) rec.special = special;
    if (row.GPU > 0) rec.gpu = legacyGpu(LEGACY_GPU_MODEL[family] as string, row.GPU, row.GPU_memory);
    out.push(rec);
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

export function buildAwsPrices(sharedDir: string, typeNames: Set<string>): PricesFile {
  const karpenter = readJson<{ files: Record<string, { generated_at: string; regions: Record<string, Record<string, number>> }> }>(
    readGz(`${sharedDir}/pricing/aws/karpenter_aws_ondemand_linux_prices.json`),
  );
  const kFile = karpenter.files['pkg/providers/pricing/zz_generated.pricing_aws.go'];
  if (!kFile) throw new Error('karpenter aws file missing');
  const opszero = readJson<{ data: OpszeroRow[] }>(readGz(`${sharedDir}/pricing/aws/ec2instances_opszero_region_prices_2024-04.json.gz`)).data;
  const ri = readJson<Record<string, number>>(readGz(`${sharedDir}/pricing/aws/opencost_awsreservationofferings.json.gz`));

  const columns: PriceColumn[] = [
    { option: 'on-demand' },
    { option: 'spot' },
    // opencost's table matches ec2instances.info's yrTerm3Standard.allUpfront effective rates (checked on 80+ pairs).
    { option: 'commitment', term: { kind: 'ri', termYears: 3, payment: 'all-upfront' } },
  ];
  const sources = {
    karpenter: { source: 'aws/karpenter-provider-aws@1d927085dd81:pkg/providers/pricing/zz_generated.pricing_aws.go (AWS Pricing API)', effectiveDate: kFile.generated_at.slice(0, 10) },
    opszero: { source: 'vantage-sh/ec2instances.info@a19cd859f059:opszero-app/instances.json', effectiveDate: '2024-04-04' },
    opencost: { source: 'opencost/opencost@5f6533303e38:configs/awsreservationofferings.json (3y standard all-upfront effective)', effectiveDate: '2021-09-27' },
  };
  const regions: PricesFile['regions'] = {};
  for (const region of AWS_REGIONS) {
    const prices: Record<string, (number | null)[]> = {};
    const useKarpenter = kFile.regions[region] !== undefined;
    const od = new Map<string, number>();
    const spot = new Map<string, number>();
    for (const row of opszero) {
      if (row.region !== region) continue;
      const o = Number(row.ondemand);
      if (Number.isFinite(o) && o > 0) od.set(row['instance-type'], o);
      const s = Number(row.spot_avg);
      if (row.spot_avg && Number.isFinite(s) && s > 0) spot.set(row['instance-type'], s);
    }
    if (useKarpenter) {
      od.clear();
      for (const [type, price] of Object.entries(kFile.regions[region] as Record<string, number>)) if (price > 0) od.set(type, price);
    }
    for (const type of [...od.keys()].sort()) {
      if (!typeNames.has(type)) continue;
      const r = ri[`${type}/${region}`];
      prices[type] = [round(od.get(type) as number, 6), spot.has(type) ? round(spot.get(type) as number, 6) : null, r !== undefined ? round(r, 6) : null];
    }
    regions[region] = { sources: [useKarpenter ? 'karpenter' : 'opszero', 'opszero', 'opencost'], prices };
  }
  return { cloud: 'aws', columns, sources, regions };
}

export interface SpotAdvisorFile {
  source: string;
  effectiveDate: string;
  ranges: { bucket: number; label: string; maxMonthlyRate: number }[];
  /** region → type → [bucket, savingsPct] (Linux). */
  regions: Record<string, Record<string, [number, number]>>;
}

export function buildSpotAdvisor(sharedDir: string): SpotAdvisorFile {
  const feed = SpotAdvisorFeedSchema.parse(readJson<unknown>(readGz(`${sharedDir}/pricing/aws/spot_advisor_data_2025-06-28.json.gz`)));
  return spotAdvisorFromFeed(feed, { source: 'alexei-led/spotinfo@5eedf20a9961:internal/spot/data/spot-advisor-data.json (AWS Spot Instance Advisor feed)', effectiveDate: '2025-06-28' }, AWS_REGIONS);
}
