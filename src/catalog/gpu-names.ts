/**
 * Maps a vendor's GPU name (and memory, where one name covers two memory sizes) to a key of
 * data/catalog/gpu-models.json. Unknown names fail the catalog build (every GPU type must reference a known model);
 * collectors use `knownGpuModelId` and leave such a type out instead.
 */
export function gpuModelId(name: string, memoryMiB?: number): string {
  const id = knownGpuModelId(name, memoryMiB);
  if (!id) throw new Error(`unknown GPU name "${name}": add it to src/catalog/gpu-names.ts and data/catalog/gpu-models.json`);
  return id;
}

/** The GPU model key for a vendor name, or undefined when the table does not know it (a collector keeps going). */
export function knownGpuModelId(name: string, memoryMiB?: number): string | undefined {
  const n = name.toLowerCase().replace(/^nvidia\s+/, '').trim();
  const gib = memoryMiB !== undefined ? memoryMiB / 1024 : undefined;
  if (n === 'a100') return gib !== undefined && gib > 60 ? 'a100-80gb' : 'a100-40gb';
  if (n === 'v100') return gib !== undefined && gib > 20 ? 'v100-32gb' : 'v100-16gb';
  const table: Record<string, string> = {
    'h100': 'h100-80gb',
    'h200': 'h200',
    'b200': 'b200',
    'b300': 'b300',
    'a10g': 'a10g',
    'a10': 'a10',
    'l4': 'l4',
    'l40s': 'l40s',
    't4': 't4',
    't4g': 't4g',
    'k80': 'k80',
    'm60': 'm60',
    'rtx pro 4500': 'rtx-pro-4500',
    'rtx pro server 6000': 'rtx-pro-6000',
    'radeon pro v520': 'radeon-pro-v520',
  };
  return table[n];
}
