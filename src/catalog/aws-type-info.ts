import type { InstanceType, SpecialSize } from '../domain/instance-type.js';
import { knownGpuModelId } from './gpu-names.js';

/**
 * The fields of EC2's InstanceTypeInfo (DescribeInstanceTypes) that make an InstanceType. Shared by the catalog build
 * (moto's DescribeInstanceTypes snapshot) and the AWS collector (types missing from the catalog).
 */
export interface Ec2TypeInfo {
  InstanceType: string;
  CurrentGeneration?: boolean;
  BurstablePerformanceSupported?: boolean;
  VCpuInfo: { DefaultVCpus: number };
  MemoryInfo: { SizeInMiB: number };
  ProcessorInfo?: { SupportedArchitectures?: string[] };
  NetworkInfo?: { NetworkPerformance?: string };
  GpuInfo?: { Gpus: { Name: string; Manufacturer: string; Count: number; GpuPartitionSize?: number; MemoryInfo: { SizeInMiB: number } }[] };
  InferenceAcceleratorInfo?: { Accelerators: { Name: string; Count: number }[] };
  NeuronInfo?: { NeuronDevices: { Name: string; Count: number }[] };
  FpgaInfo?: { Fpgas: { Name: string; Count: number }[] };
  MediaAcceleratorInfo?: { Accelerators: { Name: string; Count: number }[] };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function parseNetworkGbps(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const m = /^(?:Up to )?(?:(\d+)x )?([\d.]+) Gigabit/.exec(text);
  if (!m) return undefined;
  return round(Number(m[2]) * (m[1] ? Number(m[1]) : 1), 2);
}

export function awsFamilyOf(name: string): string {
  return name.split('.')[0] ?? name;
}

export function awsGenerationOf(family: string): number {
  const m = /^[a-z]+(\d+)/.exec(family);
  return m ? Number(m[1]) : 0;
}

/** `-flex` sizes (a 40 % sustained CPU baseline) and bare metal (`.metal`, a whole host) by name: AWS's naming. */
export function awsSpecialKinds(name: string): SpecialSize[] {
  const kinds: SpecialSize[] = [];
  if (/-flex\./.test(name)) kinds.push('flex');
  if (/\.metal(-|$)/.test(name)) kinds.push('bare-metal');
  return kinds;
}

export type Ec2TypeOutcome = { type: InstanceType } | { skipped: 'mac' | 'fractional-gpu' | 'unknown-gpu'; detail: string };

/**
 * Normalizes one InstanceTypeInfo. Mac hosts (dedicated hosts, not right-sizing targets), fractional GPUs (sized by
 * whole-GPU throughput they cannot be) and GPUs with no known model are skipped with the reason.
 */
export function instanceTypeFromEc2(t: Ec2TypeInfo): Ec2TypeOutcome {
  const name = t.InstanceType;
  const archs = t.ProcessorInfo?.SupportedArchitectures ?? [];
  if (archs.some((a) => a.endsWith('_mac'))) return { skipped: 'mac', detail: `${name}: a Mac dedicated host` };
  const gpuInfo = t.GpuInfo?.Gpus[0];
  if ((gpuInfo?.GpuPartitionSize ?? 1) < 1) return { skipped: 'fractional-gpu', detail: `${name}: a fraction of a GPU` };
  const family = awsFamilyOf(name);
  const type: InstanceType = {
    cloud: 'aws',
    name,
    family,
    generation: awsGenerationOf(family),
    vcpu: t.VCpuInfo.DefaultVCpus,
    memoryGiB: round(t.MemoryInfo.SizeInMiB / 1024, 3),
    arch: archs.includes('arm64') ? 'arm64' : 'x86_64',
    burstable: Boolean(t.BurstablePerformanceSupported),
    currentGeneration: Boolean(t.CurrentGeneration),
  };
  const special = awsSpecialKinds(name);
  if (special.length > 0) type.special = special;
  if (gpuInfo) {
    const model = knownGpuModelId(gpuInfo.Name, gpuInfo.MemoryInfo.SizeInMiB);
    if (!model) return { skipped: 'unknown-gpu', detail: `${name}: GPU "${gpuInfo.Manufacturer} ${gpuInfo.Name}" is not in the GPU model table` };
    type.gpu = { count: gpuInfo.Count, model, memoryGiBPerGpu: round(gpuInfo.MemoryInfo.SizeInMiB / 1024, 2) };
  }
  const accelerators: NonNullable<InstanceType['accelerators']> = [];
  for (const a of t.InferenceAcceleratorInfo?.Accelerators ?? []) accelerators.push({ kind: 'inferentia', name: a.Name, count: a.Count });
  if (accelerators.length === 0) {
    for (const a of t.NeuronInfo?.NeuronDevices ?? []) accelerators.push({ kind: /trainium/i.test(a.Name) ? 'trainium' : 'inferentia', name: a.Name, count: a.Count });
  }
  for (const a of t.FpgaInfo?.Fpgas ?? []) accelerators.push({ kind: 'fpga', name: a.Name, count: a.Count });
  for (const a of t.MediaAcceleratorInfo?.Accelerators ?? []) accelerators.push({ kind: 'media', name: a.Name, count: a.Count });
  if (accelerators.length > 0) type.accelerators = accelerators;
  const net = parseNetworkGbps(t.NetworkInfo?.NetworkPerformance);
  if (net !== undefined) type.networkGbps = net;
  return { type };
}
