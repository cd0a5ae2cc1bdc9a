import { z } from 'zod';
import type { Instance } from '../../domain/instance.js';
import type { Metric, UtilizationSeries } from '../../domain/utilization.js';
import { HOUR_MS } from '../../domain/utilization.js';
import type { CollectWindow } from '../collector.js';
import { CollectError } from '../collector.js';
import { DEFAULT_TIMEOUTS, requestSignal } from '../deadline.js';
import { describeFailure, statusOf } from '../failure.js';

/** Prometheus HTTP API `query_range` response, validated at the boundary. */
const MatrixSchema = z.object({
  status: z.literal('success'),
  data: z.object({
    resultType: z.literal('matrix'),
    result: z.array(z.object({ metric: z.record(z.string(), z.string()), values: z.array(z.tuple([z.number(), z.string()])) })),
  }),
});

export interface PrometheusOptions {
  baseUrl: string;
  /** Labels naming the host, tried in order (DCGM exporter renamed `Hostname` to `hostname` in 2026 releases). */
  hostLabels?: string[];
  /** Maps a host label value to an instance: by default the instance whose `name` or id equals it. */
  matchInstance?: (host: string, instances: readonly Instance[]) => Instance | undefined;
  auth?: { bearerToken: string } | { username: string; password: string };
  fetch?: typeof fetch;
  /** One query, ms (config timeouts.requestMs). */
  requestTimeoutMs?: number;
  /** The collection's deadline: aborts the query in flight. */
  signal?: AbortSignal;
}

/** Hourly rollups of the DCGM exporter's per-minute gauges, evaluated at the end of each hour. */
const QUERIES: { metric: Metric; stat: 'max' | 'mean'; promql: string }[] = [
  { metric: 'gpu', stat: 'max', promql: 'max_over_time(DCGM_FI_DEV_GPU_UTIL[1h])' },
  { metric: 'gpu', stat: 'mean', promql: 'avg_over_time(DCGM_FI_DEV_GPU_UTIL[1h])' },
  { metric: 'gpuMem', stat: 'max', promql: 'max_over_time(DCGM_FI_DEV_FB_USED[1h])' },
  { metric: 'gpuMem', stat: 'mean', promql: 'avg_over_time(DCGM_FI_DEV_FB_USED[1h])' },
];

export async function queryRange(options: PrometheusOptions, promql: string, window: CollectWindow): Promise<z.infer<typeof MatrixSchema>['data']['result']> {
  const url = new URL('/api/v1/query_range', options.baseUrl);
  // Sample at each hour's end so [1h] ranges cover exactly the hour the series index names.
  url.search = new URLSearchParams({ query: promql, start: String((window.startMs + HOUR_MS) / 1000), end: String(window.endMs / 1000), step: '3600' }).toString();
  const headers: Record<string, string> = {};
  if (options.auth && 'bearerToken' in options.auth) headers['authorization'] = `Bearer ${options.auth.bearerToken}`;
  if (options.auth && 'username' in options.auth) headers['authorization'] = `Basic ${Buffer.from(`${options.auth.username}:${options.auth.password}`).toString('base64')}`;
  const requestMs = options.requestTimeoutMs ?? DEFAULT_TIMEOUTS.requestMs;
  let res: Response;
  let body: unknown;
  try {
    res = await (options.fetch ?? fetch)(url, { headers, signal: requestSignal(requestMs, options.signal) });
    body = res.ok ? await res.json().catch(() => undefined) : undefined;
  } catch (err) {
    if ((err as Error).name === 'TimeoutError') throw new CollectError('timeout', `prometheus query_range: no answer from ${url.host} within ${requestMs} ms (timeouts.requestMs)`, { cause: err });
    throw new CollectError(statusOf(err), describeFailure('prometheus query_range', options.signal?.aborted ? options.signal.reason : err), { cause: err });
  }
  if (res.status === 401 || res.status === 403) throw new CollectError('auth-failed', `prometheus query_range: HTTP ${res.status}`);
  if (res.status === 429) throw new CollectError('throttled', 'prometheus query_range: HTTP 429');
  if (!res.ok) throw new CollectError('error', `prometheus query_range: HTTP ${res.status}`);
  const parsed = MatrixSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CollectError('parse-error', `prometheus query_range: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data.data.result;
}

/**
 * GPU utilization and memory per instance from a Prometheus-compatible API in DCGM exporter naming. Per hour, `gpu`
 * is the mean across the host's GPUs and `gpuMem` the largest per-GPU framebuffer use in MiB (see
 * src/domain/utilization.ts). Hosts that match no instance are reported, not guessed.
 */
export async function collectPrometheusGpu(options: PrometheusOptions, instances: readonly Instance[], window: CollectWindow): Promise<{ series: UtilizationSeries[]; unmatchedHosts: string[] }> {
  const hostLabels = options.hostLabels ?? ['Hostname', 'hostname'];
  const match = options.matchInstance ?? ((host, all) => all.find((i) => i.name === host || i.id === host));
  const hours = Math.round((window.endMs - window.startMs) / HOUR_MS);
  // host → metric → stat → per-hour per-GPU values
  const acc = new Map<string, Map<string, (number[] | undefined)[]>>();
  const unmatched = new Set<string>();
  for (const q of QUERIES) {
    for (const s of await queryRange(options, q.promql, window)) {
      const host = hostLabels.map((l) => s.metric[l]).find((v) => v !== undefined);
      if (!host) continue;
      const byMetric: Map<string, (number[] | undefined)[]> = acc.get(host) ?? new Map();
      acc.set(host, byMetric);
      const key = `${q.metric}|${q.stat}`;
      const perHour: (number[] | undefined)[] = byMetric.get(key) ?? Array.from({ length: hours }, () => undefined);
      byMetric.set(key, perHour);
      for (const [t, v] of s.values) {
        const h = Math.round((t * 1000 - window.startMs) / HOUR_MS) - 1;
        const value = Number(v);
        if (h < 0 || h >= hours || !Number.isFinite(value)) continue;
        (perHour[h] ??= []).push(value);
      }
    }
  }
  const series: UtilizationSeries[] = [];
  for (const [host, byMetric] of [...acc.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const instance = match(host, instances);
    if (!instance) {
      unmatched.add(host);
      continue;
    }
    for (const metric of ['gpu', 'gpuMem'] as const) {
      const combine = (values: number[]) => (metric === 'gpu' ? values.reduce((a, b) => a + b, 0) / values.length : Math.max(...values));
      const fill = (stat: 'max' | 'mean') => {
        const out = new Float32Array(hours).fill(Number.NaN);
        (byMetric.get(`${metric}|${stat}`) ?? []).forEach((vals, h) => {
          if (vals && vals.length > 0) out[h] = combine(vals);
        });
        return out;
      };
      series.push({ instanceId: instance.id, metric, startMs: window.startMs, max: fill('max'), mean: fill('mean') });
    }
  }
  return { series, unmatchedHosts: [...unmatched].sort() };
}
