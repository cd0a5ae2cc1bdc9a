import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPrometheusGpu, queryRange } from '../../src/collectors/prometheus/collect.js';
import type { Instance } from '../../src/domain/instance.js';
import { summarize } from '../../src/engine/summary.js';
import { startPrometheus } from '../helpers/prometheus.js';

const H = 3_600_000;
// Hour-aligned, in the recent past so Prometheus's retention keeps the backfilled blocks.
const END = Math.floor(Date.now() / H) * H - 2 * H;
const START = END - 48 * H;

/** DCGM exporter series, one sample a minute; host-a labelled `Hostname` (pre-2026), host-b `hostname` (2026+). */
function openMetrics(): string {
  const lines: string[] = ['# TYPE DCGM_FI_DEV_GPU_UTIL gauge', '# TYPE DCGM_FI_DEV_FB_USED gauge'];
  const gpus = [
    { host: 'host-a', label: 'Hostname', gpu: '0', util: (m: number) => (m % 60 < 6 ? 90 : 5) },
    { host: 'host-a', label: 'Hostname', gpu: '1', util: (m: number) => (m % 60 < 6 ? 70 : 3) },
    { host: 'host-b', label: 'hostname', gpu: '0', util: (m: number) => (m * 37) % 101 },
    { host: 'host-c', label: 'Hostname', gpu: '0', util: () => 50 },
  ];
  const utilLines: string[] = [];
  const memLines: string[] = [];
  for (const g of gpus) {
    const labels = `gpu="${g.gpu}",UUID="GPU-${g.host}-${g.gpu}",modelName="NVIDIA A100-SXM4-40GB",${g.label}="${g.host}"`;
    for (let m = 0; m < 48 * 60; m++) {
      const t = (START + m * 60_000 + 30_000) / 1000;
      utilLines.push(`DCGM_FI_DEV_GPU_UTIL{${labels}} ${g.util(m)} ${t}`);
      memLines.push(`DCGM_FI_DEV_FB_USED{${labels}} ${1000 + ((m * 13) % 5000) + (g.gpu === '1' ? 20000 : 0)} ${t}`);
    }
  }
  return `${[...lines.slice(0, 1), ...utilLines, ...lines.slice(1), ...memLines].join('\n')}\n# EOF\n`;
}

let prom: Awaited<ReturnType<typeof startPrometheus>>;
beforeAll(async () => {
  prom = await startPrometheus(openMetrics());
}, 60_000);
afterAll(async () => prom?.close());

const instance = (id: string, name: string): Instance => ({ id, name, cloud: 'aws', account: '1', region: 'us-east-1', type: 'p4d.24xlarge', state: 'running', lifecycle: 'on-demand', os: 'linux', tags: {}, launchedAt: '2026-01-01T00:00:00Z' });

describe('Prometheus / DCGM GPU metrics from a real Prometheus', () => {
  it('maps hosts by either Hostname label, averages GPUs and keeps the largest framebuffer', async () => {
    const { series, unmatchedHosts } = await collectPrometheusGpu({ baseUrl: prom.url }, [instance('i-a', 'host-a'), instance('i-b', 'host-b')], { startMs: START, endMs: END });
    expect(unmatchedHosts).toEqual(['host-c']);
    const a = series.find((s) => s.instanceId === 'i-a' && s.metric === 'gpu');
    // Each hour host-a's GPUs peak at 90 and 70: the hourly max of the mean across GPUs is (90 + 70) / 2 = 80.
    expect(Array.from(a?.max.slice(0, 3) ?? [])).toEqual([80, 80, 80]);
    // Hourly means: GPU 0 = (6 × 90 + 54 × 5) / 60 = 13.5, GPU 1 = (6 × 70 + 54 × 3) / 60 = 9.7 → 11.6.
    expect(a?.mean[5]).toBeCloseTo(11.6, 4);
    const mem = series.find((s) => s.instanceId === 'i-a' && s.metric === 'gpuMem');
    expect(mem?.max[0]).toBeGreaterThan(20000); // GPU 1 carries 20,000 MiB more
    expect(series.filter((s) => s.instanceId === 'i-b')).toHaveLength(2);
  });

  it('p95 of hourly maxima matches PromQL quantile_over_time over the same window', async () => {
    const { series } = await collectPrometheusGpu({ baseUrl: prom.url }, [instance('i-b', 'host-b')], { startMs: START, endMs: END });
    const gpu = series.find((s) => s.metric === 'gpu');
    if (!gpu) throw new Error('no series');
    const ours = summarize(gpu, START, END);
    expect(ours.coverage.points).toBe(48);
    const url = new URL('/api/v1/query', prom.url);
    url.search = new URLSearchParams({ query: 'quantile_over_time(0.95, max_over_time(DCGM_FI_DEV_GPU_UTIL{hostname="host-b"}[1h])[48h:1h])', time: String(END / 1000) }).toString();
    const body = (await (await fetch(url)).json()) as { data: { result: { value: [number, string] }[] } };
    const theirs = Number(body.data.result[0]?.value[1]);
    expect(ours.p95).toBeCloseTo(theirs, 6);
  });

  it('reports a malformed answer as parse-error', async () => {
    const fakeFetch = (async () => new Response(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [] } }))) as typeof fetch;
    await expect(queryRange({ baseUrl: prom.url, fetch: fakeFetch }, 'up', { startMs: START, endMs: END })).rejects.toMatchObject({ status: 'parse-error' });
  });
});
