import type { Rng } from './prng.js';
import { busyFromIdle, burstyCpu, cycleCpu, gpuFromPod, memoryFromPod, scaleToPercentile, steadyCpu, zeros, type HourlyPair } from './series-shapes.js';
import type { DemoShapes } from './shapes.js';

/** Utilization archetypes of CPU boxes; each maps to what the engine should conclude (see data/demo/README.md). */
export const CPU_ARCHETYPES = ['steady-low', 'web-cycle', 'bursty-batch', 'idle', 'saturated', 'memory-heavy', 'well-sized'] as const;
export type CpuArchetype = (typeof CPU_ARCHETYPES)[number];

/** GPU archetypes: most GPUs mostly idle (as in the trace), a few busy training nodes, some never touched. */
export const GPU_ARCHETYPES = ['gpu-trace', 'gpu-busy', 'gpu-unused', 'idle'] as const;
export type GpuArchetype = (typeof GPU_ARCHETYPES)[number];

export type Archetype = CpuArchetype | GpuArchetype;

/** Everything needed to draw an instance's series; chosen at planning time, drawn only for the current snapshot. */
export interface Profile {
  archetype: Archetype;
  cpu: { kind: 'steady' | 'cycle' | 'bursty'; amp: number; p95Pct: number };
  /** Peak memory %, or null when memory is not measured (no agent). */
  memPeakPct: number | null;
  gpu?: { kind: 'trace' | 'busy' | 'unused'; pod: number; utilScale: number; memPeakGiB: number; utilP95Pct?: number };
}

const CPU_WEIGHTS: readonly (readonly [CpuArchetype, number])[] = [
  ['steady-low', 0.25],
  ['web-cycle', 0.2],
  ['bursty-batch', 0.12],
  ['idle', 0.06],
  ['saturated', 0.05],
  ['memory-heavy', 0.1],
  ['well-sized', 0.22],
];

/** Draws a CPU box's profile. Targets are percentiles of hourly maxima, as the engine judges them. */
export function drawCpuProfile(rng: Rng, memMeasured: boolean): Profile {
  const archetype = rng.weighted(CPU_WEIGHTS);
  const mem = (lo: number, hi: number) => (memMeasured ? rng.range(lo, hi) : null);
  switch (archetype) {
    case 'steady-low':
      return { archetype, cpu: { kind: 'steady', amp: 0, p95Pct: rng.range(5, 20) }, memPeakPct: mem(15, 45) };
    case 'web-cycle':
      return { archetype, cpu: { kind: 'cycle', amp: rng.range(0.2, 0.4), p95Pct: rng.range(25, 60) }, memPeakPct: mem(30, 65) };
    case 'bursty-batch':
      return { archetype, cpu: { kind: 'bursty', amp: 0, p95Pct: rng.range(50, 90) }, memPeakPct: mem(20, 60) };
    case 'idle':
      return { archetype, cpu: { kind: 'steady', amp: 0, p95Pct: rng.range(0.3, 1.8) }, memPeakPct: mem(5, 15) };
    case 'saturated':
      return { archetype, cpu: { kind: 'cycle', amp: 0.3, p95Pct: rng.range(97, 99.5) }, memPeakPct: mem(40, 80) };
    case 'memory-heavy':
      return { archetype, cpu: { kind: 'cycle', amp: 0.2, p95Pct: rng.range(15, 40) }, memPeakPct: mem(80, 95) };
    case 'well-sized':
      return { archetype, cpu: { kind: 'cycle', amp: 0.25, p95Pct: rng.range(45, 70) }, memPeakPct: mem(45, 70) };
  }
}

/** Draws a GPU box's profile; `training` boxes (8-GPU) are the only ones that can be busy. */
export function drawGpuProfile(rng: Rng, shapes: DemoShapes, memMeasured: boolean, gpuMemGiB: number, training: boolean): Profile {
  const archetype = rng.weighted<GpuArchetype>([
    ['gpu-trace', 0.75],
    ['gpu-busy', training ? 0.5 : 0],
    ['gpu-unused', 0.12],
    ['idle', 0.06],
  ]);
  const pod = rng.int(0, shapes.gpuPods.length - 1);
  const memPeakPct = memMeasured ? rng.range(20, 60) : null;
  const hostCpu = { kind: 'steady' as const, amp: 0, p95Pct: rng.range(8, 35) };
  switch (archetype) {
    case 'gpu-trace':
      // utilScale < 1 for most: the trace's hourly peaks (~50 %) thinned to inference boxes that idle more.
      return { archetype, cpu: hostCpu, memPeakPct, gpu: { kind: 'trace', pod, utilScale: rng.range(0.15, 1), memPeakGiB: gpuMemGiB * rng.range(0.25, 0.9) } };
    case 'gpu-busy':
      return { archetype, cpu: { kind: 'cycle', amp: 0.2, p95Pct: rng.range(40, 75) }, memPeakPct, gpu: { kind: 'busy', pod, utilScale: 1, memPeakGiB: gpuMemGiB * rng.range(0.7, 0.95) } };
    case 'gpu-unused':
      return { archetype, cpu: { kind: 'cycle', amp: 0.3, p95Pct: rng.range(20, 50) }, memPeakPct, gpu: { kind: 'unused', pod, utilScale: 0, memPeakGiB: 0 } };
    case 'idle':
      return { archetype, cpu: { kind: 'steady', amp: 0, p95Pct: rng.range(0.3, 1.8) }, memPeakPct: memMeasured ? rng.range(5, 12) : null, gpu: { kind: 'unused', pod, utilScale: 0, memPeakGiB: 0 } };
  }
}

/** The four metric pairs of one instance (mem/gpu/gpuMem absent when not measured or no GPU). */
export interface DrawnSeries {
  cpu: HourlyPair;
  mem?: HourlyPair;
  gpu?: HourlyPair;
  gpuMem?: HourlyPair;
}

/** Draws the hourly series of a profile over `hours` hours (before NaN masking). */
export function drawSeries(rng: Rng, shapes: DemoShapes, hours: number, p: Profile): DrawnSeries {
  const rawCpu =
    p.cpu.kind === 'bursty' ? burstyCpu(rng, shapes, hours) : p.cpu.kind === 'cycle' ? cycleCpu(rng, shapes, hours, p.cpu.amp) : steadyCpu(rng, shapes, hours);
  const out: DrawnSeries = { cpu: scaleToPercentile(rawCpu, 95, p.cpu.p95Pct) };
  if (p.memPeakPct !== null) out.mem = memoryFromPod(rng, shapes.memPods, hours, p.memPeakPct);
  if (p.gpu) {
    const pod = shapes.gpuPods[p.gpu.pod];
    if (p.gpu.kind === 'unused' || !pod) {
      out.gpu = zeros(hours);
      out.gpuMem = zeros(hours);
    } else {
      let g = gpuFromPod(rng, pod, hours, p.gpu.utilScale, p.gpu.memPeakGiB);
      if (p.gpu.kind === 'busy') g = busyFromIdle(g);
      out.gpu = p.gpu.utilP95Pct === undefined ? g.util : scaleToPercentile(g.util, 95, p.gpu.utilP95Pct);
      out.gpuMem = g.memMiB;
    }
  }
  return out;
}
