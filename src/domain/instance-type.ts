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

export const InstanceTypeSchema = z.object({
  cloud: CloudSchema,
  /** The cloud's own name: `m5.2xlarge`, `n2-standard-8`, `Standard_D8s_v5`. */
  name: z.string().min(1),
  /** Family as the cloud prices reservations: `m5`, `n2`, `standardDSv5Family`-like series `Dsv5`. */
  family: z.string().min(1),
  /** Generation number within the family line (m5 → 5, n2 → 2, Dsv5 → 5); 0 when unknown. */
  generation: z.number().int().nonnegative(),
  vcpu: z.number().positive(),
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
