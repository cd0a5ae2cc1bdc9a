import { z } from 'zod';
import { CloudSchema } from './cloud.js';

export const ARCHITECTURES = ['x86_64', 'arm64'] as const;
export const ArchitectureSchema = z.enum(ARCHITECTURES);
export type Architecture = z.infer<typeof ArchitectureSchema>;

/** GPUs attached to a type. `model` is a key of the GPU model table (data/gpu-models.json). */
export const GpuSpecSchema = z.object({
  count: z.number().int().positive(),
  model: z.string().min(1),
  memoryGiBPerGpu: z.number().positive(),
});
export type GpuSpec = z.infer<typeof GpuSpecSchema>;

/** Non-GPU accelerators (Inferentia, Trainium, FPGAs, media accelerators): carried, never sized against. */
export const AcceleratorSpecSchema = z.object({
  kind: z.enum(['inferentia', 'trainium', 'fpga', 'media', 'tpu', 'other']),
  name: z.string().min(1),
  count: z.number().int().positive(),
});
export type AcceleratorSpec = z.infer<typeof AcceleratorSpecSchema>;

/**
 * Sizes that are not general right-sizing targets: offered for a special purpose or on special terms. They are
 * carried (a fleet may run them) but excluded from candidates and advice unless the current type is one of the same
 * kind or the settings allow them (`allowSpecialSizes`).
 * - `confidential`: confidential-computing sizes (Azure DC*, EC*, NCC*, `_cc_`), needing attestation-aware images.
 * - `hpc`: HPC-only sizes (Azure HB/HC/HX/H, GCP H3/H4D): InfiniBand clusters, limited OS images and regions.
 * - `isolated`: a whole-host size (Azure `…i_v5`, dedicated-host-like): bought for isolation, not for its shape.
 * - `constrained-core`: an Azure size with vCPUs disabled (`E4-2as_v5`): bought to cut per-core licences.
 * - `flex`: AWS `-flex` sizes, which sustain a 40 % CPU baseline and burst only in part of the time.
 * - `bare-metal`: AWS `.metal`: a whole host without a hypervisor, not a resize target for a running VM.
 * - `preview`: sizes in preview (not generally available).
 */
export const SPECIAL_SIZES = ['confidential', 'hpc', 'isolated', 'constrained-core', 'flex', 'bare-metal', 'preview'] as const;
export const SpecialSizeSchema = z.enum(SPECIAL_SIZES);
export type SpecialSize = z.infer<typeof SpecialSizeSchema>;

export const InstanceTypeSchema = z.object({
  cloud: CloudSchema,
  /** The cloud's own name: `m5.2xlarge`, `n2-standard-8`, `Standard_D8s_v5`. */
  name: z.string().min(1),
  /** Family as the cloud prices reservations: `m5`, `n2`, `standardDSv5Family`-like series `Dsv5`. */
  family: z.string().min(1),
  /** Generation number within the family line (m5 → 5, n2 → 2, Dsv5 → 5); 0 when unknown. */
  generation: z.number().int().nonnegative(),
  /** vCPUs the guest can use: what sizing counts. For an Azure constrained-core size, the active vCPUs (`E4-2as_v5` → 2). */
  vcpu: z.number().positive(),
  /**
   * vCPUs the size is priced and licensed on when that differs from `vcpu` (constrained-core: the parent size's 4
   * for `E4-2as_v5`; Azure's Linux price is the parent's, per-core software licences count the active vCPUs).
   */
  licensedVcpu: z.number().positive().optional(),
  /** Special-purpose kinds (see SPECIAL_SIZES); absent for an ordinary size. */
  special: z.array(SpecialSizeSchema).min(1).optional(),
  memoryGiB: z.number().positive(),
  arch: ArchitectureSchema,
  /** Shared-core / burstable types (t3, e2-micro, B-series): their vCPU is not a full core. */
  burstable: z.boolean(),
  currentGeneration: z.boolean(),
  gpu: GpuSpecSchema.optional(),
  accelerators: z.array(AcceleratorSpecSchema).optional(),
  networkGbps: z.number().nonnegative().optional(),
  /**
   * Relative per-vCPU performance (1.0 = the cloud's baseline); absent when the source has no benchmark,
   * in which case the engine treats vCPUs as equal and says so in the evidence.
   */
  cpuPerfRel: z.number().positive().optional(),
});
export type InstanceType = z.infer<typeof InstanceTypeSchema>;

/** A GPU model from public spec sheets: what lets an A100 be compared with an L4 in another cloud. */
export const GpuModelSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  vendor: z.string().min(1),
  memoryGiB: z.number().positive(),
  fp32Tflops: z.number().positive(),
  /** Dense (no sparsity) FP16 tensor throughput. */
  fp16TensorTflops: z.number().positive(),
  /** Dense BF16 tensor throughput; absent on GPUs without BF16 (T4, V100). */
  bf16TensorTflops: z.number().positive().optional(),
  /** Throughput relative to the reference GPU (A100 40 GB = 1.0), from dense FP16 tensor TFLOPS. */
  relThroughput: z.number().positive(),
  source: z.string().min(1),
});
export type GpuModel = z.infer<typeof GpuModelSchema>;
