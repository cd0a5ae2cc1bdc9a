import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { DataFileError, formatZodError } from '../errors.js';

const nullableSeries = z.array(z.number().nullable());

/** A fleet-aggregate hourly cycle, z-scored: (hourly value − mean of hourly means) / sd of hourly means. */
export const CycleShapeSchema = z
  .object({
    source: z.string().min(1),
    metric: z.enum(['cpu', 'mem']),
    meanZ: z.array(z.number()),
    maxZ: z.array(z.number()),
  })
  .refine((c) => c.meanZ.length === c.maxZ.length && c.meanZ.length >= 24, { message: 'meanZ and maxZ must have the same length ≥ 24', path: ['maxZ'] });
export type CycleShape = z.infer<typeof CycleShapeSchema>;

/** One real GPU pod, per hour: duty cycle % (mean and max of ~1/min samples) and GPU memory used, GiB. null: no sample that hour. */
export const GpuPodShapeSchema = z.object({
  pod: z.string().min(1),
  utilMeanPct: nullableSeries,
  utilMaxPct: nullableSeries,
  memMeanGiB: nullableSeries,
  memMaxGiB: nullableSeries,
});
export type GpuPodShape = z.infer<typeof GpuPodShapeSchema>;

/** One real container, per hour: memory utilization as a fraction 0-1 (mean and max of ~1/min samples). */
export const MemPodShapeSchema = z.object({ pod: z.string().min(1), meanFrac: nullableSeries, maxFrac: nullableSeries });
export type MemPodShape = z.infer<typeof MemPodShapeSchema>;

export const DemoShapesSchema = z.object({
  _provenance: z.object({
    generatedBy: z.string(),
    sources: z.array(z.object({ file: z.string(), origin: z.string(), licence: z.string(), use: z.string() })).min(1),
    notes: z.array(z.string()),
  }),
  cycles: z.array(CycleShapeSchema).min(1),
  gpuPods: z.array(GpuPodShapeSchema).min(1),
  memPods: z.array(MemPodShapeSchema).min(1),
});
export type DemoShapes = z.infer<typeof DemoShapesSchema>;

/** Where the bundled shapes live: `data/demo/shapes.json` at the repository root. */
export const DEFAULT_SHAPES_FILE = fileURLToPath(new URL('../../data/demo/shapes.json', import.meta.url));

const cache = new Map<string, DemoShapes>();

/**
 * Loads and validates the trace-derived shapes (built by `scripts/build-demo-shapes.ts`); cached per file,
 * since every demo snapshot reads the same ~100 KB.
 * @throws DataFileError naming the file and the first bad field.
 */
export function loadDemoShapes(file: string = DEFAULT_SHAPES_FILE): DemoShapes {
  const hit = cache.get(file);
  if (hit) return hit;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new DataFileError(`${file}: cannot read demo shapes (run "npx tsx scripts/build-demo-shapes.ts")`, { cause });
  }
  const parsed = DemoShapesSchema.safeParse(json);
  if (!parsed.success) throw new DataFileError(formatZodError(file, parsed.error), { cause: parsed.error });
  cache.set(file, parsed.data);
  return parsed.data;
}
