/**
 * The quality benchmark's scenarios: real VM traces, the first 14 days rolled up hourly (Maximum and Average, CPU
 * clipped at 100 % as the clouds report it) for sizing, the next 14 days at 5-minute resolution for judging.
 */
import type { Catalog } from '../../src/catalog/catalog.js';
import { createCatalog } from '../../src/catalog/memory-catalog.js';
import { loadCatalog } from '../../src/catalog/load.js';
import type { Cloud } from '../../src/domain/cloud.js';
import type { Instance } from '../../src/domain/instance.js';
import type { InstanceType } from '../../src/domain/instance-type.js';
import type { SnapshotMeta } from '../../src/domain/snapshot.js';
import type { UtilizationSeries } from '../../src/domain/utilization.js';
import { typesByPrice } from '../../src/engine/candidates.js';
import { type Corpus, hourly, type VmTrace } from './traces.js';

export const TRAIN_DAYS = 14;
export const TEST_DAYS = 14;

/** One VM placed on a type, with what the engine sees (train) and what judges it (test). */
export interface BenchVm {
  trace: VmTrace;
  instance: Instance;
  current: InstanceType;
  /** 5-minute CPU and memory of the test days, percent of the current type's capacity (CPU unclipped). */
  testCpuPct: Float32Array;
  testMemPct: Float32Array;
  /** Types the VM may move to, cheapest first (the engine's candidate rules: same arch, not burstable or special, ≥ minVcpu). */
  candidates: { type: InstanceType; hourlyUsd: number }[];
  hourlyUsdNow: number;
}

export interface Scenario {
  name: string;
  description: string;
  catalog: Catalog;
  cloud: Cloud;
  vms: (BenchVm & { testMemSource: Float32Array })[];
  meta: SnapshotMeta;
  series: { instanceId: string; series: UtilizationSeries[] }[];
}

function trainSeries(instanceId: string, cpuPct: Float32Array, memPct: Float32Array, slotsPerHour: number, startMs: number): UtilizationSeries[] {
  const trainSlots = TRAIN_DAYS * 24 * slotsPerHour;
  const cpu = hourly(cpuPct.map((v) => (v === v ? Math.min(100, v) : v)), 0, trainSlots, slotsPerHour);
  const mem = hourly(memPct.map((v) => (v === v ? Math.min(100, v) : v)), 0, trainSlots, slotsPerHour);
  return [
    { instanceId, metric: 'cpu', startMs, max: cpu.max, mean: cpu.mean },
    { instanceId, metric: 'mem', startMs, max: mem.max, mean: mem.mean },
  ];
}

function metaOf(startMs: number, count: number): SnapshotMeta {
  const endMs = startMs + TRAIN_DAYS * 24 * 3_600_000;
  return { id: 'quality', source: 'import', startedAt: new Date(endMs).toISOString(), finishedAt: new Date(endMs).toISOString(), windowStartMs: startMs, windowEndMs: endMs, scopes: [], instanceCount: count };
}

const instanceOf = (id: string, cloud: Cloud, region: string, type: string): Instance => ({
  id,
  cloud,
  account: 'bench',
  region,
  type,
  state: 'running',
  lifecycle: 'on-demand',
  os: 'linux',
  tags: {},
  launchedAt: '2013-01-01T00:00:00Z',
});

/**
 * Each VM on its own vCPUs and memory in a family of 1–64 vCPU power-of-two sizes, memory proportional, price
 * proportional to vCPUs (so savings by price equal savings by vCPU). Each VM is alone in its own region, so the
 * engine can only move it within its family.
 */
export function familyScenario(corpus: Corpus, minVcpu: number): Scenario {
  const sizes = [1, 2, 4, 8, 16, 32, 64];
  const slotsPerHour = 60 / corpus.stepMinutes;
  const types: InstanceType[] = [];
  const regions: Record<string, { sources: string[]; prices: Record<string, (number | null)[]> }> = {};
  const regionList: { cloud: Cloud; id: string; name: string; latitude: number; longitude: number }[] = [];
  for (const vm of corpus.vms) {
    const region = `bench-${vm.id}`;
    regionList.push({ cloud: 'aws', id: region, name: region, latitude: 0, longitude: 0 });
    const prices: Record<string, (number | null)[]> = {};
    for (const k of sizes) {
      const name = `${vm.id}.x${k}`;
      types.push({ cloud: 'aws', name, family: vm.id, generation: 1, vcpu: k, memoryGiB: Math.max(0.01, (vm.memoryGiB * k) / vm.vcpu), arch: 'x86_64', burstable: false, currentGeneration: true });
      prices[name] = [0.05 * k];
    }
    // The VM's own size, when it is not a power of two (6 vCPUs), is priced the same way.
    if (!sizes.includes(vm.vcpu)) {
      const name = `${vm.id}.x${vm.vcpu}`;
      types.push({ cloud: 'aws', name, family: vm.id, generation: 1, vcpu: vm.vcpu, memoryGiB: vm.memoryGiB, arch: 'x86_64', burstable: false, currentGeneration: true });
      prices[name] = [0.05 * vm.vcpu];
    }
    regions[region] = { sources: ['bench'], prices };
  }
  const real = loadCatalog();
  const catalog = createCatalog({
    types: [{ cloud: 'aws', types }, { cloud: 'gcp', types: [] }, { cloud: 'azure', types: [] }],
    prices: [{ cloud: 'aws', columns: [{ option: 'on-demand' }], sources: { bench: { source: 'price ∝ vCPU', effectiveDate: '2013-08-01' } }, regions }],
    gpuModels: { models: [...real.gpuModels()] },
    regions: { regions: regionList },
  });
  const vms = corpus.vms.map((trace) => {
    const region = `bench-${trace.id}`;
    const current = catalog.type('aws', `${trace.id}.x${trace.vcpu}`) as InstanceType;
    const candidates = typesByPrice(catalog, 'aws', region).filter((p) => p.type.vcpu >= Math.min(minVcpu, trace.vcpu));
    return testVm(trace, instanceOf(trace.id, 'aws', region, current.name), current, candidates, slotsPerHour, trace.cpuPct, trace.memPct);
  });
  return {
    name: 'family',
    description: 'each VM on its own vCPUs in a 1–64 vCPU power-of-two family, memory and price ∝ vCPU',
    catalog,
    cloud: 'aws',
    vms,
    meta: metaOf(corpus.gridStartMs, vms.length),
    series: vms.map((v) => ({ instanceId: v.instance.id, series: trainSeries(v.instance.id, v.trace.cpuPct, v.testMemSource, slotsPerHour, corpus.gridStartMs) })),
  };
}

/**
 * The setup of the issue's own trial: every VM on one real 8-vCPU general-purpose size (Azure Standard_D8s_v5 in
 * eastus, bundled catalog), its CPU % taken as a share of those 8 vCPUs and its memory use in GiB as a share of the
 * size's 32 GiB (low: memory does not bind). The engine may pick any type of the region under its rules.
 */
export function realCatalogScenario(corpus: Corpus, minVcpu: number): Scenario {
  const catalog = loadCatalog();
  const cloud: Cloud = 'azure';
  const region = 'eastus';
  const current = catalog.type(cloud, 'Standard_D8s_v5') as InstanceType;
  const slotsPerHour = 60 / corpus.stepMinutes;
  const candidates = typesByPrice(catalog, cloud, region).filter(
    (p) => !p.type.gpu && !p.type.accelerators && !p.type.burstable && !p.type.special && p.type.arch === current.arch && p.type.generation >= current.generation && p.type.vcpu >= Math.min(minVcpu, current.vcpu),
  );
  const vms = corpus.vms.map((trace) => {
    const memPct = trace.memPct.map((v) => (v === v ? Math.min(100, (v * trace.memoryGiB) / current.memoryGiB) : v));
    return testVm(trace, instanceOf(trace.id, cloud, region, current.name), current, candidates, slotsPerHour, trace.cpuPct, memPct);
  });
  return {
    name: 'azure-d8s-v5',
    description: 'every VM as Azure Standard_D8s_v5 (8 vCPU, 32 GiB) in eastus, real catalog and prices',
    catalog,
    cloud,
    vms,
    meta: metaOf(corpus.gridStartMs, vms.length),
    series: vms.map((v) => ({ instanceId: v.instance.id, series: trainSeries(v.instance.id, v.trace.cpuPct, v.testMemSource, slotsPerHour, corpus.gridStartMs) })),
  };
}

function testVm(
  trace: VmTrace,
  instance: Instance,
  current: InstanceType,
  candidates: { type: InstanceType; hourlyUsd: number }[],
  slotsPerHour: number,
  cpuPct: Float32Array,
  memPct: Float32Array,
): BenchVm & { testMemSource: Float32Array } {
  const from = TRAIN_DAYS * 24 * slotsPerHour;
  const to = from + TEST_DAYS * 24 * slotsPerHour;
  const hourlyUsdNow = candidates.find((c) => c.type.name === current.name)?.hourlyUsd ?? Number.NaN;
  return { trace, instance, current, testCpuPct: cpuPct.subarray(from, to), testMemPct: memPct.subarray(from, to), candidates, hourlyUsdNow, testMemSource: memPct };
}
