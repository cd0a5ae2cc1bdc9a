/**
 * `npm run bench -- api [--duration S] [--generator wrk|autocannon]`: 100,000 recommendations in the embedded
 * store; 50 connections for S seconds (default 20) each against a bare Hono JSON route,
 * `GET /v1/recommendations?limit=50&cloud=aws` (summary rows, the default), the same page with `view=full` and with
 * gzip, and `POST /v1/advice`, all on one server in one run. Each route is warmed up first (untimed). Prints req/s,
 * p50 and p99 latency, the server's CPU use, and each route's throughput relative to the bare route.
 *
 * The load generator runs in its own process so the server's CPU can be read on its own: `wrk` when it is on PATH
 * (`apt-get install wrk`), else autocannon. On 2 cores autocannon's JavaScript HTTP parser saturates before the
 * server on large bodies (server CPU well under 100 % is the sign), so wrk's figures are the ones that measure the API.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp } from '../src/api/app.js';
import { serve } from '../src/api/serve.js';
import { hashToken } from '../src/config.js';
import { loadCatalog } from '../src/catalog/load.js';
import { CLOUDS } from '../src/domain/cloud.js';
import type { Recommendation } from '../src/domain/recommendation.js';
import { adviseInstances } from '../src/engine/advice.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';

const TOKEN = 'bench-token';
const CONNECTIONS = 50;

/** Shaped like the engine's output on the demo fleet (~1.7 KB of JSON each): full evidence and two alternatives. */
export function recommendation(n: number, snapshotId: string): Recommendation {
  const cloud = CLOUDS[n % 3] as Recommendation['cloud'];
  const savings = ((n * 7919) % 100_000) / 100;
  const instanceId = `i-0${(n * 2654435761).toString(16).padStart(16, '0').slice(-16)}`;
  const idle = n % 5 === 0;
  const cpu = { p50: 20.25, p90: 67.88, p95: 74.49, p99: 77.33, max: 77.41, mean: 28.02, points: 336, coverage: 1 };
  const mem = { p50: 18.75, p90: 25.28, p95: 26.13, p99: 56.81, max: 56.81, mean: 20.98, points: 336, coverage: 1 };
  return {
    id: `${snapshotId}:${instanceId}`, snapshotId, instanceId, cloud, account: `1234567890${String(n % 40).padStart(2, '0')}`, region: 'us-east-1',
    kind: idle ? 'idle' : 'downsize', action: idle ? 'stop' : 'resize', currentType: 'm5.2xlarge', recommendedType: idle ? null : 'm5a.large',
    monthlyCostNow: { onDemandUsd: 280.32, actualUsd: 280.32 }, monthlyCostAfter: { onDemandUsd: 62.78, actualUsd: 62.78 }, monthlySavingsUsd: savings, risk: n % 5,
    evidence: {
      cpuPercentile: 'p95', cpuPct: 74.49, cpu, mem, memMaxPct: 56.81, memoryMeasured: true, demand: { cpuBaselineVcpu: 11.92, memoryGiB: 41.81 },
      projected: { cpuPctAtPercentile: 74.49, memPct: 65.33 }, current: { type: 'm5.2xlarge', vcpu: 8, memoryGiB: 32, gpu: null },
      recommended: { type: 'm5a.large', vcpu: 2, memoryGiB: 8, gpu: null }, settings: { cpuHeadroomPct: 20, memHeadroomPct: 15, gpuHeadroomPct: 20, lookbackDays: 14 },
      purchaseOption: 'on-demand', notes: ['no CPU benchmark for m5a.large: vCPUs treated as equal across types'],
    },
    backtest: { hoursObserved: 336, hoursSaturated: 0, hoursAboveTarget: 2, worstHour: { atMs: 1795766400000, metric: 'cpu', projectedPct: 77.41 } },
    crossCloud: [
      { cloud: 'gcp', region: 'us-east4', instanceType: 'e2-standard-2', distanceKm: 8, monthlyOnDemandUsd: 48.91, monthlySavingsUsd: 231.41, migration: true },
      { cloud: 'azure', region: 'eastus', instanceType: 'Standard_D2as_v5', distanceKm: 14, monthlyOnDemandUsd: 62.78, monthlySavingsUsd: 217.54, migration: true },
    ],
    summary: idle ? 'idle: stop m5.2xlarge (CPU p95 1.2%, no network)' : 'downsize: m5.2xlarge → m5a.large (CPU p95 74.49%); backtest: 0 of 336 h saturated.',
  };
}

interface LoadResult { reqPerSec: number; p50Ms: number; p99Ms: number; errors: number; serverCpuPct: number }
interface LoadSpec { url: string; durationS: number; method?: 'GET' | 'POST'; body?: string; headers?: Record<string, string> }

function hasWrk(): boolean {
  return spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error === undefined;
}

function runProcess(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} exited ${code}: ${err.slice(0, 500)}`))));
  });
}

/** wrk prints latencies as "1.23ms", "850.00us" or "1.02s". */
function wrkMs(text: string, label: string): number {
  const m = new RegExp(`^\\s*${label}\\s+([\\d.]+)(us|ms|s)\\b`, 'm').exec(text);
  if (!m) throw new Error(`wrk output has no ${label} line:\n${text}`);
  const v = Number(m[1]);
  return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v;
}

async function wrk(spec: LoadSpec, scratch: string): Promise<Omit<LoadResult, 'serverCpuPct'>> {
  const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...spec.headers };
  const script = path.join(scratch, 'request.lua');
  writeFileSync(script, [`wrk.method = ${JSON.stringify(spec.method ?? 'GET')}`, ...(spec.body ? [`wrk.body = ${JSON.stringify(spec.body)}`] : []), ''].join('\n'));
  const args = ['-t1', `-c${CONNECTIONS}`, `-d${spec.durationS}s`, '--latency', '-s', script, ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]), spec.url];
  const out = await runProcess('wrk', args);
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
  if (!rps) throw new Error(`wrk output has no Requests/sec:\n${out}`);
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const errors = non2xx + (socketErrors ? socketErrors.slice(1).reduce((s, v) => s + Number(v), 0) : 0);
  return { reqPerSec: Math.round(Number(rps[1])), p50Ms: wrkMs(out, '50%'), p99Ms: wrkMs(out, '99%'), errors };
}

async function autocannon(spec: LoadSpec): Promise<Omit<LoadResult, 'serverCpuPct'>> {
  const bin = createRequire(import.meta.url).resolve('autocannon/autocannon.js');
  const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...spec.headers };
  const args = [bin, '--json', '-c', String(CONNECTIONS), '-d', String(spec.durationS), '-m', spec.method ?? 'GET', ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}=${v}`]), ...(spec.body ? ['-b', spec.body] : []), spec.url];
  const result = JSON.parse(await runProcess(process.execPath, args)) as { requests: { average: number }; latency: { p50: number; p99: number }; errors: number; non2xx: number };
  return { reqPerSec: Math.round(result.requests.average), p50Ms: result.latency.p50, p99Ms: result.latency.p99, errors: result.errors + result.non2xx };
}

export async function run(args: string[]): Promise<Record<string, number | string>> {
  const flag = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const durationS = Number(flag('--duration') ?? 20);
  const generator = flag('--generator') ?? (hasWrk() ? 'wrk' : 'autocannon');
  if (!['wrk', 'autocannon'].includes(generator)) throw new Error('--generator: wrk or autocannon');
  const warmupS = Math.max(1, Math.min(3, Math.round(durationS / 5)));
  const dir = mkdtempSync(path.join(tmpdir(), 'rightsize-bench-api-'));
  const store = openSqliteStore({ dataDir: dir });
  const catalog = loadCatalog();
  const snapshotId = 'bench-snapshot';
  await store.writeSnapshot({ id: snapshotId, source: 'import', startedAt: '2026-11-16T00:00:00Z', finishedAt: '2026-11-16T00:00:00Z', windowStartMs: 0, windowEndMs: 0, scopes: [], instanceCount: 0, instances: [], series: [] });
  await store.writeResults({ snapshotId, recommendations: Array.from({ length: 100_000 }, (_, n) => recommendation(n, snapshotId)), skips: [], plans: [] });
  const app = createApp({ store, catalog, advise: (r) => adviseInstances(r, catalog), auth: { tokenSha256: [hashToken(TOKEN)] } });
  // The bare route lives in the same app and server (same middleware: request id, auth-free, logging hook), so the
  // comparison isolates the work of the real routes.
  app.get('/bare', (c) => c.json({ ok: true }));
  const server = await serve({ app, port: 0 });

  const load = async (spec: Omit<LoadSpec, 'durationS'>): Promise<LoadResult> => {
    const once = (durationS: number) => (generator === 'wrk' ? wrk({ ...spec, durationS }, dir) : autocannon({ ...spec, durationS }));
    await once(warmupS);
    const cpuBefore = process.cpuUsage();
    const wallBefore = performance.now();
    const result = await once(durationS);
    const cpu = process.cpuUsage(cpuBefore);
    return { ...result, serverCpuPct: Math.round(((cpu.user + cpu.system) / 1000 / (performance.now() - wallBefore)) * 100) };
  };

  try {
    const listUrl = `${server.url}/v1/recommendations?limit=50&cloud=aws`;
    console.log(`api: 100,000 recommendations in SQLite; ${generator}, ${CONNECTIONS} connections × ${durationS} s per route after a ${warmupS} s warm-up`);
    const bare = await load({ url: `${server.url}/bare` });
    const list = await load({ url: listUrl });
    const listFull = await load({ url: `${listUrl}&view=full` });
    // What browsers, curl --compressed and most HTTP clients send: the cached page's gzip form.
    const listGzip = await load({ url: listUrl, headers: { 'accept-encoding': 'gzip' } });
    const advice = await load({ url: `${server.url}/v1/advice`, method: 'POST', body: JSON.stringify({ vcpu: 4, memoryGiB: 16, limit: 10 }) });
    const bytes = async (url: string, headers: Record<string, string> = {}) =>
      (await (await fetch(url, { headers: { authorization: `Bearer ${TOKEN}`, ...headers } })).arrayBuffer()).byteLength;
    const sizes = { list: await bytes(listUrl), listFull: await bytes(`${listUrl}&view=full`) };
    const row = (name: string, r: LoadResult) =>
      console.log(`  ${name.padEnd(52)} ${String(r.reqPerSec).padStart(7)} req/s  p50 ${r.p50Ms.toFixed(2).padStart(6)} ms  p99 ${r.p99Ms.toFixed(2).padStart(6)} ms  ${(r.reqPerSec / bare.reqPerSec).toFixed(2)}× bare  server CPU ${String(r.serverCpuPct).padStart(3)} %  errors ${r.errors}`);
    row('GET /bare (bare Hono JSON route)', bare);
    row(`GET /v1/recommendations?limit=50&cloud=aws (${(sizes.list / 1024).toFixed(0)} KB)`, list);
    row(`  same, view=full (${(sizes.listFull / 1024).toFixed(0)} KB)`, listFull);
    row('  same as the first, Accept-Encoding: gzip', listGzip);
    row('POST /v1/advice', advice);
    if (generator === 'autocannon') console.log('  (autocannon: where server CPU is well under 100 %, the load generator was the limit; install wrk for server-bound figures)');
    const figures = (prefix: string, r: LoadResult) => ({
      [`${prefix}ReqPerSec`]: r.reqPerSec, [`${prefix}P50Ms`]: r.p50Ms, [`${prefix}P99Ms`]: r.p99Ms, [`${prefix}ServerCpuPct`]: r.serverCpuPct,
      ...(prefix === 'bare' ? {} : { [`${prefix}RatioToBare`]: Math.round((r.reqPerSec / bare.reqPerSec) * 100) / 100 }),
    });
    return {
      generator, durationSeconds: durationS, connections: CONNECTIONS, listBytes: sizes.list, listFullBytes: sizes.listFull,
      ...figures('bare', bare), ...figures('list', list), ...figures('listFull', listFull), ...figures('listGzip', listGzip), ...figures('advice', advice),
      errors: bare.errors + list.errors + listFull.errors + listGzip.errors + advice.errors,
    };
  } finally {
    await server.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
