import type { InstanceType, SpecialSize } from '../domain/instance-type.js';

/**
 * One Azure VM size as the Resource SKUs API describes it (capabilities vCPUs, MemoryGB, GPUs, CpuArchitectureType;
 * the SKU family). Shared by the catalog build (the cluster-autoscaler's Resource SKUs snapshot) and the Azure
 * collector (sizes missing from the catalog).
 */
export interface AzureSize {
  name: string;
  skuFamily: string;
  /** The `vCPUs` capability: for a constrained-core size, the parent's count (what the size is priced on). */
  vcpu: number;
  /** The `vCPUsAvailable` capability where the source has it: the vCPUs the guest can use. */
  vcpuAvailable?: number;
  memoryMb: number;
  gpus: number;
  arch: 'x86_64' | 'arm64';
}

/**
 * Series → GPU model and memory per GPU (Microsoft's published series specs; the API gives only a count).
 * Fractional-GPU sizes (NVv4 below NV32as, NVadsA10v5 below NV36ads, NCadsA10v4) are not listed: a share of a GPU
 * cannot be sized by whole-GPU throughput, so they are left out.
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
/** FPGA sizes listed with a GPU count: carried as accelerators, not GPUs. */
const FPGA_SERIES = /^NP\d+s$/;

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** `standardDSv5Family` / `Standard NCASv3_T4 Family` → `DSv5` / `NCASv3_T4`: the reservation flexibility group. */
export function azureFamilyOf(skuFamily: string): string {
  return skuFamily.replace(/^standard\s*/i, '').replace(/\s*family$/i, '').replace(/\s+/g, '') || skuFamily;
}

/**
 * A constrained-core size names its active vCPUs after a dash (`E4-2as_v5`: parent E4as_v5, 2 active), Microsoft's
 * documented naming; the Resource SKUs API lists `vCPUs` = 4 (the parent's) and `vCPUsAvailable` = 2.
 */
export function azureConstrainedVcpu(name: string): { active: number; parent: string } | undefined {
  const m = /^Standard_([A-Z]+)(\d+)-(\d+)(.*)$/.exec(name);
  if (!m) return undefined;
  return { active: Number(m[3]), parent: `Standard_${m[1]}${m[2]}${m[4]}` };
}

/** Special-purpose kinds by series (Microsoft's series documentation); see SPECIAL_SIZES. */
export function azureSpecialKinds(name: string): SpecialSize[] {
  const short = name.replace(/^Standard_/, '');
  const kinds: SpecialSize[] = [];
  // DCsv2/v3 (SGX), DCasv5/DCadsv5 and EC* (SEV-SNP), *_cc_* (confidential child-capable), NCC H100 (confidential GPU).
  if (/^(DC|EC|NCC)\d/.test(short) || /_cc_/.test(short)) kinds.push('confidential');
  // H-series family (HB, HC, HX, H16r…): InfiniBand HPC sizes.
  if (/^H[BCX]?\d/.test(short)) kinds.push('hpc');
  // Isolated sizes (`E104i_v5`, `E80ids_v4`, `M192is_v2`): a whole host for one customer.
  if (/^[A-Z]+\d+i[a-z]*_v\d+$/.test(short)) kinds.push('isolated');
  if (azureConstrainedVcpu(name)) kinds.push('constrained-core');
  return kinds;
}

export type AzureSizeOutcome = { type: InstanceType } | { skipped: 'not-standard' | 'no-shape' | 'unknown-gpu'; detail: string };

export function instanceTypeFromAzureSize(s: AzureSize): AzureSizeOutcome {
  if (!s.name.startsWith('Standard_')) return { skipped: 'not-standard', detail: `${s.name}: not a Standard_ size` };
  if (s.vcpu <= 0 || s.memoryMb <= 0) return { skipped: 'no-shape', detail: `${s.name}: no vCPU or memory figure` };
  const short = s.name.slice('Standard_'.length);
  const version = /_v(\d+)$/.exec(short);
  // Active vCPUs: vCPUsAvailable where the source gives it, else the constrained count in the name.
  const active = s.vcpuAvailable ?? azureConstrainedVcpu(s.name)?.active ?? s.vcpu;
  const type: InstanceType = {
    cloud: 'azure',
    name: s.name,
    family: azureFamilyOf(s.skuFamily),
    generation: version ? Number(version[1]) : 1,
    vcpu: active,
    memoryGiB: round(s.memoryMb / 1024, 3),
    arch: s.arch,
    burstable: /^B\d/.test(short),
    // v1/v2 of the general-purpose lines and the A-series are previous generation by Microsoft's own labels.
    currentGeneration: !/^(A\d|Basic_)/.test(short) && !(version === null && /^[DEF]\d/.test(short)),
  };
  if (active !== s.vcpu) type.licensedVcpu = s.vcpu;
  const special = azureSpecialKinds(s.name);
  if (special.length > 0) type.special = special;
  if (s.gpus > 0) {
    if (FPGA_SERIES.test(short)) {
      type.accelerators = [{ kind: 'fpga', name: 'Xilinx U250', count: s.gpus }];
    } else {
      const match = GPU_SERIES.find(([re]) => re.test(short));
      if (!match) return { skipped: 'unknown-gpu', detail: `${s.name}: GPU series not in the model table (or a fractional GPU)` };
      type.gpu = { count: s.gpus, model: match[1], memoryGiBPerGpu: match[2] };
    }
  }
  return { type };
}
