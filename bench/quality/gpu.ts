/**
 * GPU section of the quality benchmark: Alibaba GenTD26 pods (1-minute GPU duty cycle and GPU memory used, 22.8 h),
 * each taken to run on one A100 80 GB (GCP a2-ultragpu-1g, us-central1). The first 12 hours, rolled up hourly
 * (Maximum and Average), size the GPU; the rest judge it at 1-minute resolution: a minute is over capacity when its
 * duty cycle, scaled by the A100's throughput over the new GPU's (dense FP16 tensor TFLOPS), exceeds 100 %, or its
 * memory exceeds the new GPU's. Candidates: the cheapest single-GPU shape of each GPU model in the region, priced
 * whole (the host is not measured in this trace and is not sized). The rules are the engine's own functions.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { z } from 'zod';
import { loadCatalog } from '../../src/catalog/load.js';
import type { InstanceType } from '../../src/domain/instance-type.js';
import { spikeModelOf } from '../../src/engine/cpu-sizing.js';
import type { EngineSettings } from '../../src/engine/settings.js';
import { digestOf, quantile } from '../../src/engine/summary.js';
import { exceedanceCurve, requiredCapacityPct } from '../../src/engine/within-hour.js';
import { hourly, TRACES_DIR } from './traces.js';

const MetaSchema = z.object({ origin: z.string(), attribution: z.string(), slots: z.number().int().positive(), missing: z.number().int(), pods: z.array(z.object({ pod: z.string() })).min(1) });

interface Pod {
  id: string;
  dutyPct: Float32Array;
  memMiB: Float32Array;
}

export function loadGpuPods(dir = path.join(TRACES_DIR, 'alibaba-genai-2026')): { origin: string; attribution: string; pods: Pod[] } {
  const meta = MetaSchema.parse(JSON.parse(readFileSync(path.join(dir, 'meta.json'), 'utf8')));
  const raw = gunzipSync(readFileSync(path.join(dir, 'series.bin.gz')));
  const words = new Uint16Array(raw.buffer, raw.byteOffset, raw.byteLength / 2);
  const decode = (offset: number, scale: number) => Float32Array.from(words.subarray(offset, offset + meta.slots), (w) => (w === meta.missing ? Number.NaN : w * scale));
  const pods = meta.pods.map((p, i) => ({ id: p.pod.slice(0, 8), dutyPct: decode(i * meta.slots * 2, 0.1), memMiB: decode(i * meta.slots * 2 + meta.slots, 16) }));
  return { origin: meta.origin, attribution: meta.attribution, pods };
}

interface Shape {
  type: InstanceType;
  hourlyUsd: number;
  rel: number;
  memMiB: number;
}

const TRAIN_MINUTES = 12 * 60;

export interface GpuRow {
  policy: string;
  savingsPricePct: number;
  overPct: number;
  moves: number;
}

/** Runs the GPU section; prints its table and returns its rows. */
export function gpuSection(defaults: EngineSettings): GpuRow[] {
  const catalog = loadCatalog();
  const region = 'us-central1';
  const byModel = new Map<string, Shape>();
  for (const t of catalog.pricedTypes('gcp', region)) {
    if (!t.gpu || t.gpu.count !== 1) continue;
    const usd = catalog.onDemandHourlyUsd('gcp', region, t.name);
    const model = catalog.gpuModel(t.gpu.model);
    if (usd === undefined || !model || model.vendor !== 'NVIDIA') continue;
    const have = byModel.get(t.gpu.model);
    if (!have || usd < have.hourlyUsd) byModel.set(t.gpu.model, { type: t, hourlyUsd: usd, rel: model.relThroughput, memMiB: t.gpu.memoryGiBPerGpu * 1024 });
  }
  const shapes = [...byModel.values()].sort((a, b) => a.hourlyUsd - b.hourlyUsd);
  const current = byModel.get('a100-80gb') as Shape;
  const { pods, attribution } = loadGpuPods();
  const headroom = 1 - defaults.gpuHeadroomPct / 100;
  const memHeadroom = 1 + defaults.gpuMemHeadroomPct / 100;
  const fits = (s: Shape, utilPct: number, memPeakMiB: number) => current.rel * (utilPct / 100) <= s.rel * headroom + 1e-12 && memPeakMiB * memHeadroom <= s.memMiB;
  const cheapest = (utilPct: number, memPeakMiB: number) => shapes.find((s) => fits(s, utilPct, memPeakMiB)) ?? current;
  const over = (pod: Pod, s: Shape) => {
    let n = 0;
    let o = 0;
    for (let i = TRAIN_MINUTES; i < pod.dutyPct.length; i++) {
      const d = pod.dutyPct[i] as number;
      if (d !== d) continue;
      n++;
      const m = pod.memMiB[i] as number;
      if ((d * current.rel) / s.rel > 100 + 1e-9 || (m === m && m > s.memMiB)) o++;
    }
    return { o, n };
  };
  const rules: [string, (pod: Pod) => Shape][] = [];
  const train = (pod: Pod) => ({ duty: hourly(pod.dutyPct, 0, TRAIN_MINUTES, 60), memPeak: quantile(digestOf(pod.memMiB.subarray(0, TRAIN_MINUTES)), 1) || 0 });
  rules.push(['keep (A100 80 GB)', () => current]);
  rules.push([`Rightsize defaults (risk ${defaults.riskBudgetPct} %, ≤ ${Math.round(headroom * 100)} % of the new GPU)`, (pod) => {
    const t = train(pod);
    return cheapest(requiredCapacityPct(exceedanceCurve(t.duty.mean, t.duty.max, 0, t.duty.mean.length, spikeModelOf(defaults)), defaults.riskBudgetPct / 100), t.memPeak);
  }]);
  rules.push([`p95 of hourly maxima ≤ ${Math.round(headroom * 100)} % (the rule before)`, (pod) => {
    const t = train(pod);
    return cheapest(quantile(digestOf(t.duty.max), 0.95), t.memPeak);
  }]);
  rules.push([`max of hourly maxima ≤ ${Math.round(headroom * 100)} %`, (pod) => {
    const t = train(pod);
    return cheapest(quantile(digestOf(t.duty.max), 1), t.memPeak);
  }]);
  for (const share of [0.001, 0.01]) {
    rules.push([`hindsight ≤ ${share * 100} % of test minutes per pod`, (pod) => {
      for (const s of shapes) {
        const r = over(pod, s);
        if (r.o <= share * r.n) return s;
      }
      return current;
    }]);
  }
  const rows: GpuRow[] = rules.map(([policy, pick]) => {
    let now = 0;
    let after = 0;
    let o = 0;
    let n = 0;
    let moves = 0;
    for (const pod of pods) {
      const s = pick(pod);
      now += current.hourlyUsd;
      after += s.hourlyUsd;
      if (s !== current) moves++;
      const r = over(pod, s);
      o += r.o;
      n += r.n;
    }
    return { policy, savingsPricePct: Math.round((1 - after / now) * 1000) / 10, overPct: Math.round((o / n) * 100_000) / 1000, moves };
  });
  console.log('');
  console.log(`GPU: ${pods.length} pods of Alibaba GenTD26, each on one A100 80 GB (GCP a2-ultragpu-1g); train hours 1–12 hourly, test the rest per minute`);
  console.log(`  ${attribution}`);
  console.log(`  candidates: ${shapes.map((s) => `${s.type.gpu?.model} (${s.type.name} $${s.hourlyUsd.toFixed(2)}/h)`).join(', ')}`);
  const w = Math.max(...rows.map((r) => r.policy.length));
  console.log(`  ${'policy'.padEnd(w)}  savings $  test time over capacity  moved`);
  for (const r of rows) console.log(`  ${r.policy.padEnd(w)}  ${`${r.savingsPricePct.toFixed(1)} %`.padStart(9)}  ${`${r.overPct.toFixed(3)} %`.padStart(23)}  ${String(r.moves).padStart(5)}`);
  return rows;
}
