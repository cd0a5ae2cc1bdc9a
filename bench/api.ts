/**
 * `npm run bench -- api [--duration S] [--rounds R] [--generator wrk|autocannon]`: 100,000 recommendations in the
 * embedded store; 50 connections for S seconds (default 20) per route against a bare Hono JSON route,
 * `GET /v1/recommendations?limit=50&cloud=aws` (summary rows, the default), the same page with `view=full` and with
 * gzip, `POST /v1/advice` and `GET /v1/budgets` (three budgets over 360 hourly snapshots of 200 instances each: the
 * status is computed once per store change, so the route should cost about what a list page costs: target p99 ≤ 2×
 * the list's), all on one server in one run. Prints req/s, p50 and p99 latency, the server's CPU use, and each
 * route's throughput relative to the bare route.
 *
 * Then memory: a server in its own process (this file with `--rightsize-bench-server`, over the same SQLite file and
 * default settings), its RSS (VmRSS, and VmHWM for the peak, from /proc) before and after 2,000 distinct list URLs
 * (`limit=500&view=full` pages of ~900 KB, half of them gzipped, plus 1,000 URLs with an unknown parameter that must
 * be rejected), against a bound of 300 MB with the default 32 MiB response cache.
 *
 * Each route's S seconds are split into R interleaved rounds (default: 5 s each), bare route first in every round,
 * after one untimed warm-up per route: this 2-core VM drifts between fast and slow phases by up to 2× over tens of
 * seconds, and comparing each route with the bare route of the same round keeps that drift out of the ratios.
 * Figures: req/s over all rounds, the median round's p50 and p99 (the worst round's p99 is printed too), and the
 * median of the per-round ratios to the bare route.
 *
 * The load generator runs in its own process so the server's CPU can be read on its own: `wrk` when it is on PATH
 * (`apt-get install wrk`), else autocannon. On 2 cores autocannon's JavaScript HTTP parser saturates before the
 * server on large bodies (server CPU well under 100 % is the sign), so wrk's figures are the ones that measure the API.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp, DEFAULT_RESPONSE_CACHE_BYTES } from '../src/api/app.js';
import { budgetStatuses } from '../src/budgets/evaluate.js';
import { serve } from '../src/api/serve.js';
import { BudgetSchema, hashToken } from '../src/config.js';
import { loadCatalog } from '../src/catalog/load.js';
import { CLOUDS } from '../src/domain/cloud.js';
import type { Instance } from '../src/domain/instance.js';
import type { Recommendation } from '../src/domain/recommendation.js';
import { adviseInstances } from '../src/engine/advice.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';

const TOKEN = 'bench-token';
const CONNECTIONS = 50;
const HOUR_MS = 3_600_000;
/** The RSS bound the memory figure is checked against (issue 15): 300 MB with the default cache bound. */
const RSS_BOUND_MB = 300;

/** `count` running instances of a priced type, spread over three accounts and two tag values: ledger input. */
function ledgerInstances(count: number): Instance[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `i-ledger-${i}`, cloud: 'aws', account: `11111111111${i % 3}`, region: 'us-east-1', type: i % 2 ? 'm5.xlarge' : 'c5.2xlarge', state: 'running', lifecycle: 'on-demand', os: 'linux',
    name: `ledger-${i}`, tags: { team: i % 2 ? 'web' : 'data' }, launchedAt: '2026-10-01T00:00:00Z',
  }));
}

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

/** One timed run of the load generator. */
interface RunResult { requests: number; seconds: number; p50Ms: number; p99Ms: number; errors: number }
/** A route over all its rounds. */
interface LoadResult { reqPerSec: number; p50Ms: number; p99Ms: number; worstP99Ms: number; errors: number; serverCpuPct: number; ratioToBare: number; rounds: RunResult[] }
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

async function wrk(spec: LoadSpec, scratch: string): Promise<RunResult> {
  const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...spec.headers };
  const script = path.join(scratch, 'request.lua');
  writeFileSync(script, [`wrk.method = ${JSON.stringify(spec.method ?? 'GET')}`, ...(spec.body ? [`wrk.body = ${JSON.stringify(spec.body)}`] : []), ''].join('\n'));
  const args = ['-t1', `-c${CONNECTIONS}`, `-d${spec.durationS}s`, '--latency', '-s', script, ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]), spec.url];
  const out = await runProcess('wrk', args);
  const total = /(\d+) requests in ([\d.]+)(ms|s|m)\b/.exec(out);
  if (!total) throw new Error(`wrk output has no request count:\n${out}`);
  const seconds = Number(total[2]) * (total[3] === 'ms' ? 0.001 : total[3] === 'm' ? 60 : 1);
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const errors = non2xx + (socketErrors ? socketErrors.slice(1).reduce((s, v) => s + Number(v), 0) : 0);
  return { requests: Number(total[1]), seconds, p50Ms: wrkMs(out, '50%'), p99Ms: wrkMs(out, '99%'), errors };
}

async function autocannon(spec: LoadSpec): Promise<RunResult> {
  const bin = createRequire(import.meta.url).resolve('autocannon/autocannon.js');
  const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...spec.headers };
  const args = [bin, '--json', '-c', String(CONNECTIONS), '-d', String(spec.durationS), '-m', spec.method ?? 'GET', ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}=${v}`]), ...(spec.body ? ['-b', spec.body] : []), spec.url];
  const result = JSON.parse(await runProcess(process.execPath, args)) as { requests: { total: number }; duration: number; latency: { p50: number; p99: number }; errors: number; non2xx: number };
  return { requests: result.requests.total, seconds: result.duration, p50Ms: result.latency.p50, p99Ms: result.latency.p99, errors: result.errors + result.non2xx };
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const flag = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const durationS = Number(flag('--duration') ?? 20);
  const rounds = Number(flag('--rounds') ?? Math.max(1, Math.round(durationS / 5)));
  const generator = flag('--generator') ?? (hasWrk() ? 'wrk' : 'autocannon');
  if (!['wrk', 'autocannon'].includes(generator)) throw new Error('--generator: wrk or autocannon');
  if (!(durationS > 0) || !Number.isInteger(rounds) || rounds < 1) throw new Error('--duration: seconds > 0; --rounds: an integer ≥ 1');
  const roundS = Math.max(1, Math.round(durationS / rounds));
  const dir = mkdtempSync(path.join(tmpdir(), 'rightsize-bench-api-'));
  const store = openSqliteStore({ dataDir: dir });
  const catalog = loadCatalog();
  const snapshotId = 'bench-snapshot';
  await store.writeSnapshot({ id: snapshotId, source: 'import', startedAt: '2026-11-16T00:00:00Z', finishedAt: '2026-11-16T00:00:00Z', windowStartMs: 0, windowEndMs: 0, scopes: [], instanceCount: 0, instances: [], series: [] });
  await store.writeResults({ snapshotId, recommendations: Array.from({ length: 100_000 }, (_, n) => recommendation(n, snapshotId)), skips: [], plans: [] });
  // The spend ledger of budgets: hourly snapshots of 200 instances from Nov 1 up to the bench snapshot (which stays
  // the latest, so the list routes still read it).
  const instances = ledgerInstances(200);
  for (let h = 0; h < 360; h++) {
    const at = new Date(Date.UTC(2026, 10, 1) + h * HOUR_MS).toISOString();
    await store.writeSnapshot({ id: `ledger-${h}`, source: 'import', startedAt: at, finishedAt: at, windowStartMs: 0, windowEndMs: 0, scopes: [], instanceCount: instances.length, instances, series: [] });
  }
  const budgetConfig = [
    BudgetSchema.parse({ name: 'fleet', amountUsd: 50_000 }),
    BudgetSchema.parse({ name: 'aws-web', amountUsd: 10_000, scope: { cloud: 'aws', tags: { team: 'web' } } }),
    BudgetSchema.parse({ name: 'account-0', amountUsd: 5_000, period: 'week', scope: { account: '111111111110' } }),
  ];
  const budgetNowMs = Date.UTC(2026, 10, 16, 1);
  const computeStarted = performance.now();
  const statuses = await budgetStatuses({ store, catalog, budgets: budgetConfig, nowMs: budgetNowMs });
  const budgetComputeMs = Math.round(performance.now() - computeStarted);
  console.log(`api: budget status computed from the ledger in ${budgetComputeMs} ms (${statuses.length} budgets, 360 snapshots × 200 instances): what each GET /v1/budgets cost before it was cached`);
  const app = createApp({
    store, catalog, advise: (r) => adviseInstances(r, catalog), auth: { tokenSha256: [hashToken(TOKEN)] },
    // As `rightsize serve` wires it: the ledger evaluated at "now" (fixed here so every run computes the same).
    budgets: {
      list: () => budgetStatuses({ store, catalog, budgets: budgetConfig, nowMs: budgetNowMs }),
      get: async (name) => (await budgetStatuses({ store, catalog, budgets: budgetConfig.filter((b) => b.name === name), nowMs: budgetNowMs }))[0],
    },
  });
  // The bare route lives in the same app and server (same request-id and logging middleware, no auth), so the
  // comparison isolates the work of the real routes.
  app.get('/bare', (c) => c.json({ ok: true }));
  const server = await serve({ app, port: 0 });

  const listUrl = `${server.url}/v1/recommendations?limit=50&cloud=aws`;
  const routes: { key: string; label: string; spec: Omit<LoadSpec, 'durationS'> }[] = [
    { key: 'bare', label: 'GET /bare (bare Hono JSON route)', spec: { url: `${server.url}/bare` } },
    { key: 'list', label: 'GET /v1/recommendations?limit=50&cloud=aws', spec: { url: listUrl } },
    { key: 'listFull', label: '  same, view=full', spec: { url: `${listUrl}&view=full` } },
    // What browsers, curl --compressed and most HTTP clients send: the cached page's gzip form.
    { key: 'listGzip', label: '  same as the first, Accept-Encoding: gzip', spec: { url: listUrl, headers: { 'accept-encoding': 'gzip' } } },
    { key: 'advice', label: 'POST /v1/advice {vcpu: 4, memoryGiB: 16, limit: 10}', spec: { url: `${server.url}/v1/advice`, method: 'POST', body: JSON.stringify({ vcpu: 4, memoryGiB: 16, limit: 10 }) } },
    { key: 'budgets', label: 'GET /v1/budgets (3 budgets, 360-snapshot ledger)', spec: { url: `${server.url}/v1/budgets` } },
  ];
  const once = (spec: Omit<LoadSpec, 'durationS'>, seconds: number) => (generator === 'wrk' ? wrk({ ...spec, durationS: seconds }, dir) : autocannon({ ...spec, durationS: seconds }));

  try {
    console.log(`api: 100,000 recommendations in SQLite; ${generator}, ${CONNECTIONS} connections; per route ${rounds} interleaved round(s) × ${roundS} s after a 2 s warm-up`);
    for (const route of routes) await once(route.spec, 2);
    const runs = new Map<string, (RunResult & { cpuMs: number })[]>(routes.map((r) => [r.key, []]));
    for (let round = 0; round < rounds; round++) {
      const line: string[] = [];
      for (const route of routes) {
        const cpuBefore = process.cpuUsage();
        const result = await once(route.spec, roundS);
        const cpu = process.cpuUsage(cpuBefore);
        runs.get(route.key)?.push({ ...result, cpuMs: (cpu.user + cpu.system) / 1000 });
        line.push(`${route.key} ${Math.round(result.requests / result.seconds)}`);
      }
      console.log(`  round ${round + 1}/${rounds}: ${line.join(' · ')} req/s`);
    }
    const bareRuns = runs.get('bare') ?? [];
    const results = new Map<string, LoadResult>();
    for (const route of routes) {
      const rs = runs.get(route.key) ?? [];
      const requests = rs.reduce((n, r) => n + r.requests, 0);
      const seconds = rs.reduce((n, r) => n + r.seconds, 0);
      results.set(route.key, {
        reqPerSec: Math.round(requests / seconds),
        p50Ms: Math.round(median(rs.map((r) => r.p50Ms)) * 100) / 100,
        p99Ms: Math.round(median(rs.map((r) => r.p99Ms)) * 100) / 100,
        worstP99Ms: Math.max(...rs.map((r) => r.p99Ms)),
        errors: rs.reduce((n, r) => n + r.errors, 0),
        serverCpuPct: Math.round((rs.reduce((n, r) => n + r.cpuMs, 0) / 1000 / seconds) * 100),
        ratioToBare: Math.round(median(rs.map((r, i) => r.requests / r.seconds / ((bareRuns[i]?.requests ?? 0) / (bareRuns[i]?.seconds ?? 1)))) * 100) / 100,
        rounds: rs,
      });
    }
    const bytes = async (url: string) => (await (await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } })).arrayBuffer()).byteLength;
    const sizes = { list: await bytes(listUrl), listFull: await bytes(`${listUrl}&view=full`) };
    console.log(`  (page sizes: summary ${(sizes.list / 1024).toFixed(0)} KB, full ${(sizes.listFull / 1024).toFixed(0)} KB)`);
    for (const route of routes) {
      const r = results.get(route.key) as LoadResult;
      console.log(
        `  ${route.label.padEnd(52)} ${String(r.reqPerSec).padStart(7)} req/s  p50 ${r.p50Ms.toFixed(2).padStart(6)} ms  p99 ${r.p99Ms.toFixed(2).padStart(6)} ms (worst round ${r.worstP99Ms.toFixed(2)})  ${r.ratioToBare.toFixed(2)}× bare  server CPU ${r.serverCpuPct} %  errors ${r.errors}`,
      );
    }
    if (generator === 'autocannon') console.log('  (autocannon: where server CPU is well under 100 %, the load generator was the limit; install wrk for server-bound figures)');
    const figures: Record<string, unknown> = { generator, durationSeconds: durationS, rounds, connections: CONNECTIONS, listBytes: sizes.list, listFullBytes: sizes.listFull };
    let errors = 0;
    for (const [key, r] of results) {
      Object.assign(figures, {
        [`${key}ReqPerSec`]: r.reqPerSec, [`${key}P50Ms`]: r.p50Ms, [`${key}P99Ms`]: r.p99Ms, [`${key}WorstP99Ms`]: r.worstP99Ms, [`${key}ServerCpuPct`]: r.serverCpuPct,
        ...(key === 'bare' ? {} : { [`${key}RatioToBare`]: r.ratioToBare }),
      });
      errors += r.errors;
    }
    const budgetsP99 = results.get('budgets')?.p99Ms ?? Number.NaN;
    const listP99 = results.get('list')?.p99Ms ?? Number.NaN;
    console.log(`  GET /v1/budgets p99 ${budgetsP99} ms vs list p99 ${listP99} ms: ${(budgetsP99 / listP99).toFixed(2)}× (target ≤ 2×) ${budgetsP99 <= 2 * listP99 ? 'met' : 'NOT met'}; uncached compute ${budgetComputeMs} ms`);
    Object.assign(figures, { budgetComputeMs, budgetsP99ToListP99: Math.round((budgetsP99 / listP99) * 100) / 100 });
    Object.assign(figures, await memoryFigure(dir));
    figures.errors = errors;
    return figures;
  } finally {
    await server.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A process's resident set and its peak, MB, from /proc (Linux). */
function rssOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) };
}

/**
 * The API on its own over the bench's SQLite file, with the defaults `rightsize serve` uses; prints `PORT <n>` once
 * listening. Started by memoryFigure as `node --import tsx bench/api.ts --rightsize-bench-server <dataDir>`.
 */
async function benchServer(dataDir: string): Promise<void> {
  const store = openSqliteStore({ dataDir });
  const catalog = loadCatalog();
  const app = createApp({ store, catalog, advise: (r) => adviseInstances(r, catalog), auth: { tokenSha256: [hashToken(TOKEN)] } });
  const server = await serve({ app, port: 0 });
  process.stdout.write(`PORT ${server.port}\n`);
}

/**
 * A server in its own process: its RSS once started, then after 2,000 distinct valid list URLs
 * (`limit=500&view=full`, ~900 KB each, every other one gzipped) and 1,000 with an unknown parameter (rejected with
 * 400 before any work), eight at a time. Without a byte bound the cache kept 512 such pages (~690 MB, the issue's
 * finding); with it the cache holds at most DEFAULT_RESPONSE_CACHE_BYTES.
 */
async function memoryFigure(dataDir: string): Promise<Record<string, unknown>> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--rightsize-bench-server', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /PORT (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.on('exit', (code) => reject(new Error(`bench server exited ${code}`)));
    });
    const pid = child.pid as number;
    const baseUrl = `http://127.0.0.1:${port}`;
    await (await fetch(`${baseUrl}/healthz`)).arrayBuffer();
    const before = rssOf(pid);
    const urls: { url: string; gzip: boolean; expect: number }[] = [];
    for (let i = 0; i < 2000; i++) urls.push({ url: `${baseUrl}/v1/recommendations?limit=500&view=full&minMonthlySavingsUsd=${(i / 100).toFixed(2)}`, gzip: i % 2 === 1, expect: 200 });
    for (let i = 0; i < 1000; i++) urls.push({ url: `${baseUrl}/v1/recommendations?limit=500&view=full&junk=${i}`, gzip: i % 2 === 1, expect: 400 });
    let unexpected = 0;
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < urls.length) {
          const u = urls[next++] as (typeof urls)[number];
          const res = await fetch(u.url, { headers: { authorization: `Bearer ${TOKEN}`, 'accept-encoding': u.gzip ? 'gzip' : 'identity' } });
          await res.arrayBuffer();
          if (res.status !== u.expect) unexpected++;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const after = rssOf(pid);
    // The bound is on the RSS after the run (what the server keeps); the peak, garbage included, is printed beside it.
    const within = after.rssMb <= RSS_BOUND_MB;
    const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
    console.log(`  memory (server in its own process): RSS ${before.rssMb} MB started, ${after.rssMb} MB after 2,000 distinct list URLs (~900 KB pages, half gzipped) and 1,000 rejected ones (peak ${after.peakMb} MB, ${seconds.toFixed(1)} s); bound ${RSS_BOUND_MB} MB with the default ${mb(DEFAULT_RESPONSE_CACHE_BYTES)} MiB cache: ${within ? 'within' : 'OVER'}; unexpected statuses ${unexpected}`);
    return { serverRssStartMb: before.rssMb, serverRssAfterMb: after.rssMb, serverPeakRssMb: after.peakMb, rssBoundMb: RSS_BOUND_MB, rssWithinBound: within, memoryUnexpectedStatuses: unexpected };
  } finally {
    child.kill();
  }
}

if (process.argv.includes('--rightsize-bench-server')) await benchServer(process.argv[process.argv.indexOf('--rightsize-bench-server') + 1] as string);
