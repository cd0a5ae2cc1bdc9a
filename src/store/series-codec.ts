import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import { MetricSchema, type UtilizationSeries } from '../domain/utilization.js';

/**
 * One S3 object holds the series of a run of instances (in id order): gzip of JSON whose float arrays are base64 of
 * their little-endian Float32 bytes, so missing hours (NaN) survive and a chunk costs about what the raw floats do.
 */
const ChunkSchema = z.object({
  version: z.literal(1),
  series: z.array(z.object({ instanceId: z.string(), metric: MetricSchema, startMs: z.number().int(), max: z.string(), mean: z.string() })),
});

function f32ToBase64(values: Float32Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

function base64ToF32(text: string, field: string): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.byteLength % 4 !== 0) throw new Error(`series chunk: ${field}: not a whole number of float32 values`);
  const out = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

export function encodeSeriesChunk(series: readonly UtilizationSeries[]): Buffer {
  const body = { version: 1, series: series.map((s) => ({ instanceId: s.instanceId, metric: s.metric, startMs: s.startMs, max: f32ToBase64(s.max), mean: f32ToBase64(s.mean) })) };
  return gzipSync(JSON.stringify(body));
}

export function decodeSeriesChunk(bytes: Uint8Array, label: string): UtilizationSeries[] {
  const parsed = ChunkSchema.safeParse(JSON.parse(gunzipSync(bytes).toString('utf8')));
  if (!parsed.success) throw new Error(`${label}: not a series chunk: ${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? ''}`);
  return parsed.data.series.map((s, i) => ({
    instanceId: s.instanceId,
    metric: s.metric,
    startMs: s.startMs,
    max: base64ToF32(s.max, `${label}: series.${i}.max`),
    mean: base64ToF32(s.mean, `${label}: series.${i}.mean`),
  }));
}

/** Consecutive series of the same instance, grouped (both stores keep an instance's series together). */
export function* groupByInstance(series: Iterable<UtilizationSeries>): Generator<{ instanceId: string; series: UtilizationSeries[] }> {
  let current: { instanceId: string; series: UtilizationSeries[] } | undefined;
  for (const s of series) {
    if (current && current.instanceId !== s.instanceId) {
      yield current;
      current = undefined;
    }
    current ??= { instanceId: s.instanceId, series: [] };
    current.series.push(s);
  }
  if (current) yield current;
}
