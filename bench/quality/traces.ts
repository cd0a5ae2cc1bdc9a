/**
 * Reads the compact trace fixtures written by scripts/build-traces.ts (test/fixtures/traces/) and rolls them up the
 * way the clouds' monitoring serves them: hourly Maximum and Average of the finer samples.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { z } from 'zod';

const here = path.dirname(fileURLToPath(import.meta.url));
export const TRACES_DIR = path.resolve(here, '../../test/fixtures/traces');

const VmMetaSchema = z.object({ id: z.number().int(), vcpu: z.number().int().positive(), memoryGiB: z.number().positive(), cpuMhzPerCore: z.number() });
const CorpusMetaSchema = z.object({
  origin: z.string(),
  attribution: z.string(),
  gridStartMs: z.number(),
  stepMinutes: z.number().int().positive(),
  slots: z.number().int().positive(),
  scale: z.number().positive(),
  missing: z.number().int(),
  vms: z.array(VmMetaSchema).min(1),
});

/** One VM's fine-grained trace: CPU % of its vCPUs and memory % of its memory per step, NaN = missing. */
export interface VmTrace {
  id: string;
  vcpu: number;
  memoryGiB: number;
  cpuPct: Float32Array;
  memPct: Float32Array;
}

export interface Corpus {
  name: string;
  origin: string;
  attribution: string;
  gridStartMs: number;
  stepMinutes: number;
  vms: VmTrace[];
}

/** Loads a corpus folder (meta.json + series.bin.gz) in the bitbrains layout. */
export function loadVmCorpus(dir = path.join(TRACES_DIR, 'bitbrains-rnd-2013-08')): Corpus {
  const meta = CorpusMetaSchema.parse(JSON.parse(readFileSync(path.join(dir, 'meta.json'), 'utf8')));
  const raw = gunzipSync(readFileSync(path.join(dir, 'series.bin.gz')));
  const words = new Uint16Array(raw.buffer, raw.byteOffset, raw.byteLength / 2);
  if (words.length !== meta.vms.length * meta.slots * 2) throw new Error(`${dir}: series.bin.gz holds ${words.length} values, meta says ${meta.vms.length} × ${meta.slots} × 2`);
  const decode = (offset: number) => {
    const out = new Float32Array(meta.slots);
    for (let i = 0; i < meta.slots; i++) {
      const w = words[offset + i] as number;
      out[i] = w === meta.missing ? Number.NaN : w / meta.scale;
    }
    return out;
  };
  const vms = meta.vms.map((v, i) => ({ id: `vm-${v.id}`, vcpu: v.vcpu, memoryGiB: v.memoryGiB, cpuPct: decode(i * meta.slots * 2), memPct: decode(i * meta.slots * 2 + meta.slots) }));
  return { name: path.basename(dir), origin: meta.origin, attribution: meta.attribution, gridStartMs: meta.gridStartMs, stepMinutes: meta.stepMinutes, vms };
}

/** Hourly Maximum and Average of fine samples in [from, to) (indices), as CloudWatch / Azure Monitor roll them up. */
export function hourly(values: Float32Array, from: number, to: number, perHour: number): { max: Float32Array; mean: Float32Array } {
  const hours = Math.floor((to - from) / perHour);
  const max = new Float32Array(hours);
  const mean = new Float32Array(hours);
  for (let h = 0; h < hours; h++) {
    let n = 0;
    let sum = 0;
    let top = Number.NEGATIVE_INFINITY;
    for (let i = from + h * perHour; i < from + (h + 1) * perHour; i++) {
      const v = values[i] as number;
      if (v !== v) continue;
      n++;
      sum += v;
      if (v > top) top = v;
    }
    max[h] = n === 0 ? Number.NaN : top;
    mean[h] = n === 0 ? Number.NaN : sum / n;
  }
  return { max, mean };
}
