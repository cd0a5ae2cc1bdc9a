import { z } from 'zod';
import type { InstanceType } from '../../domain/instance-type.js';

/** The MachineType fields Rightsize reads (Compute Engine `machineTypes.get`). */
const MachineTypeSchema = z.object({
  name: z.string().min(1),
  guestCpus: z.number().int().positive(),
  memoryMb: z.number().positive(),
  isSharedCpu: z.boolean().optional().nullable(),
  accelerators: z.array(z.object({ guestAcceleratorType: z.string(), guestAcceleratorCount: z.number().int().positive() })).optional().nullable(),
});

/** Accelerator type → GPU model key and memory per GPU (Google's GPU platform specs). */
const ACCELERATORS: Record<string, [string, number]> = {
  'nvidia-tesla-t4': ['t4', 16],
  'nvidia-l4': ['l4', 24],
  'nvidia-tesla-a100': ['a100-40gb', 40],
  'nvidia-a100-80gb': ['a100-80gb', 80],
  'nvidia-h100-80gb': ['h100-80gb', 80],
  'nvidia-h100-mega-80gb': ['h100-80gb', 80],
  'nvidia-h200-141gb': ['h200', 141],
  'nvidia-b200': ['b200', 180],
  'nvidia-tesla-v100': ['v100-16gb', 16],
  'nvidia-tesla-p100': ['p100', 16],
  'nvidia-tesla-p4': ['p4', 8],
  'nvidia-rtx-pro-6000': ['rtx-pro-6000', 96],
};
const ARM_FAMILIES = new Set(['t2a', 'c4a', 'n4a', 'a4x']);

export type MachineTypeOutcome = { type: InstanceType } | { skipped: string };

/** Normalizes a machine type the catalog lacks; unknown accelerators leave it out rather than shown GPU-less. */
export function instanceTypeFromMachineType(raw: unknown): MachineTypeOutcome {
  const parsed = MachineTypeSchema.safeParse(raw);
  if (!parsed.success) return { skipped: `machineTypes.get: ${parsed.error.issues[0]?.path.join('.') ?? ''}: ${parsed.error.issues[0]?.message ?? 'invalid'}` };
  const m = parsed.data;
  const family = m.name.split('-')[0] ?? m.name;
  const generation = Number(/^[a-z]+(\d+)/.exec(family)?.[1] ?? 0);
  const type: InstanceType = {
    cloud: 'gcp',
    name: m.name,
    family,
    generation,
    vcpu: m.guestCpus,
    memoryGiB: Math.round((m.memoryMb / 1024) * 1000) / 1000,
    arch: ARM_FAMILIES.has(family) ? 'arm64' : 'x86_64',
    burstable: Boolean(m.isSharedCpu),
    currentGeneration: generation >= 2,
  };
  const accel = m.accelerators?.[0];
  if (accel) {
    const known = ACCELERATORS[accel.guestAcceleratorType];
    if (!known) return { skipped: `${m.name}: accelerator ${accel.guestAcceleratorType} is not in the GPU model table` };
    type.gpu = { count: accel.guestAcceleratorCount, model: known[0], memoryGiBPerGpu: known[1] };
  }
  return { type };
}
