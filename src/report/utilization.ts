import type { Catalog } from '../catalog/catalog.js';
import type { Instance } from '../domain/instance.js';
import type { Store } from '../store/store.js';

export interface FleetUtilization {
  instancesMeasured: number;
  cpuP95MedianPct: number | null;
  memMaxMedianPct: number | null;
  gpu: {
    targetPct: number;
    gpuInstances: number;
    /** GPU-hours observed (GPU count × hours with a sample). */
    gpuHours: number;
    /** GPU-hours of capacity left unused below the target: Σ count × max(0, target − mean%) / target per hour. */
    idleGpuHours: number;
    /** What those idle GPU-hours cost at the instance's on-demand price (price × idle share of its GPUs). */
    idleGpuCostUsd: number;
  };
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/**
 * Fleet utilization of one snapshot's series, streamed one instance at a time: median of per-instance CPU p95
 * (nearest rank on hourly maxima) and memory maximum, and idle GPU capacity against `gpuTargetPct` using hourly
 * means (a GPU busy in bursts is not idle).
 */
export async function fleetUtilization(store: Store, catalog: Catalog, snapshotId: string, gpuTargetPct: number): Promise<FleetUtilization> {
  const instances = new Map<string, Instance>((await store.instances(snapshotId)).map((i) => [i.id, i]));
  const cpuP95s: number[] = [];
  const memMaxes: number[] = [];
  const gpu = { targetPct: gpuTargetPct, gpuInstances: 0, gpuHours: 0, idleGpuHours: 0, idleGpuCostUsd: 0 };
  for await (const group of store.seriesByInstance(snapshotId)) {
    const instance = instances.get(group.instanceId);
    const type = instance ? catalog.type(instance.cloud, instance.type) : undefined;
    for (const s of group.series) {
      const vals = Array.from(s.max).filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
      if (vals.length === 0) continue;
      if (s.metric === 'cpu') cpuP95s.push(vals[Math.min(vals.length - 1, Math.ceil(0.95 * vals.length) - 1)] as number);
      if (s.metric === 'mem') memMaxes.push(vals[vals.length - 1] as number);
      if (s.metric === 'gpu' && instance && type?.gpu) {
        const gpus = type.gpu.count;
        const hourlyUsd = catalog.onDemandHourlyUsd(instance.cloud, instance.region, instance.type) ?? 0;
        gpu.gpuInstances++;
        for (const meanPct of s.mean) {
          if (Number.isNaN(meanPct)) continue;
          const idleShare = Math.max(0, gpuTargetPct - meanPct) / gpuTargetPct;
          gpu.gpuHours += gpus;
          gpu.idleGpuHours += gpus * idleShare;
          gpu.idleGpuCostUsd += idleShare * hourlyUsd;
        }
      }
    }
  }
  return {
    instancesMeasured: cpuP95s.length,
    cpuP95MedianPct: median(cpuP95s),
    memMaxMedianPct: median(memMaxes),
    gpu: { ...gpu, idleGpuHours: Math.round(gpu.idleGpuHours), idleGpuCostUsd: Math.round(gpu.idleGpuCostUsd * 100) / 100 },
  };
}
