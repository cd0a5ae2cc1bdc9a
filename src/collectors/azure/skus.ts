import type { ComputeManagementClient } from '@azure/arm-compute';
import { z } from 'zod';
import { instanceTypeFromAzureSize } from '../../catalog/azure-size.js';
import type { InstanceType } from '../../domain/instance-type.js';

/** The Resource SKU fields Rightsize reads (GET /subscriptions/{id}/providers/Microsoft.Compute/skus). */
const SkuSchema = z.object({
  resourceType: z.string(),
  name: z.string(),
  family: z.string().optional(),
  capabilities: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
});

/**
 * Describes VM sizes the catalog lacks from the Resource SKUs API, one listing per location (the API filters by
 * location only). GPU models come from the size series (the API gives a count only).
 */
export async function describeAzureSizes(compute: Pick<ComputeManagementClient, 'resourceSkus'>, wanted: ReadonlyMap<string, ReadonlySet<string>>, calls: Record<string, number>): Promise<{ types: InstanceType[]; notes: string[] }> {
  const types = new Map<string, InstanceType>();
  const notes: string[] = [];
  for (const [location, names] of wanted) {
    const left = new Set(names);
    calls['resourceSkus.list'] = (calls['resourceSkus.list'] ?? 0) + 1;
    for await (const raw of compute.resourceSkus.list({ filter: `location eq '${location}'` })) {
      const parsed = SkuSchema.safeParse(raw);
      if (!parsed.success || parsed.data.resourceType !== 'virtualMachines' || !left.has(parsed.data.name)) continue;
      const caps = new Map((parsed.data.capabilities ?? []).map((c) => [c.name, c.value] as const));
      const outcome = instanceTypeFromAzureSize({
        name: parsed.data.name,
        skuFamily: parsed.data.family ?? '',
        vcpu: Number(caps.get('vCPUs') ?? 0),
        // Constrained-core sizes list the parent's vCPUs in `vCPUs`; the guest gets `vCPUsAvailable`.
        ...(caps.has('vCPUsAvailable') ? { vcpuAvailable: Number(caps.get('vCPUsAvailable')) } : {}),
        memoryMb: Number(caps.get('MemoryGB') ?? 0) * 1024,
        gpus: Number(caps.get('GPUs') ?? 0),
        arch: (caps.get('CpuArchitectureType') ?? '').toLowerCase() === 'arm64' ? 'arm64' : 'x86_64',
      });
      left.delete(parsed.data.name);
      if ('type' in outcome) types.set(outcome.type.name, outcome.type);
      else notes.push(outcome.detail);
    }
    if (left.size > 0) notes.push(`${location}: no Resource SKU for ${[...left].sort().join(', ')}`);
  }
  return { types: [...types.values()].sort((a, b) => a.name.localeCompare(b.name)), notes };
}
