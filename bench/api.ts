/**
 * `npm run bench -- api [--duration S]`: 100,000 recommendations in the embedded store; 50 connections for 20 s
 * each against a bare Hono JSON route, `GET /v1/recommendations?limit=50&cloud=aws` and `POST /v1/advice`, all on
 * one server in one run. Prints req/s, p50 and p99 latency, and each route's throughput relative to the bare route.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
// @ts-expect-error autocannon ships no type declarations
import autocannon from 'autocannon';
import { createApp } from '../src/api/app.js';
import { serve } from '../src/api/serve.js';
import { hashToken } from '../src/config.js';
import { loadCatalog } from '../src/catalog/load.js';
import { CLOUDS } from '../src/domain/cloud.js';
import type { Recommendation } from '../src/domain/recommendation.js';
import { adviseInstances } from '../src/engine/advice.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';

const TOKEN = 'bench-token';

function recommendation(n: number, snapshotId: string): Recommendation {
  const cloud = CLOUDS[n % 3] as Recommendation['cloud'];
  const savings = ((n * 7919) % 100_000) / 100;
  return {
    id: `${snapshotId}:i-${String(n).padStart(8, '0')}`, snapshotId, instanceId: `i-${String(n).padStart(8, '0')}`, cloud, account: `acct-${n % 40}`, region: 'us-east-1',
    kind: n % 5 === 0 ? 'idle' : 'downsize', action: n % 5 === 0 ? 'stop' : 'resize', currentType: 'm5.2xlarge', recommendedType: n % 5 === 0 ? null : 'm5a.large',
    monthlyCostNow: { onDemandUsd: 280.32, actualUsd: 280.32 }, monthlyCostAfter: { onDemandUsd: 62.78, actualUsd: 62.78 }, monthlySavingsUsd: savings, risk: n % 5,
    evidence: { cpuPercentile: 'p95', cpuPct: 12, memMaxPct: 20, notes: [] }, backtest: { hoursObserved: 336, hoursSaturated: 0, hoursAboveTarget: 2, worstHour: null },
    crossCloud: [], summary: 'downsize: m5.2xlarge → m5a.large',
  };
}

async function load(url: string, durationS: number, init: { method?: 'GET' | 'POST'; body?: string; headers?: Record<string, string> }) {
  const result: { requests: { average: number }; latency: { p50: number; p99: number }; errors: number; non2xx: number } = await autocannon({
    url,
    connections: 50,
    duration: durationS,
    // The load generator runs in its own worker thread, so it does not steal the server's event loop.
    workers: 1,
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...init.headers },
    ...(init.body ? { body: init.body } : {}),
  });
  return { reqPerSec: Math.round(result.requests.average), p50Ms: result.latency.p50, p99Ms: result.latency.p99, errors: result.errors + result.non2xx };
}

export async function run(args: string[]): Promise<Record<string, number | string>> {
  const durIdx = args.indexOf('--duration');
  const durationS = durIdx >= 0 ? Number(args[durIdx + 1]) : 20;
  const dir = mkdtempSync(path.join(tmpdir(), 'rightsize-bench-api-'));
  const store = openSqliteStore({ dataDir: dir });
  const catalog = loadCatalog();
  const snapshotId = 'bench-snapshot';
  await store.writeSnapshot({ id: snapshotId, source: 'import', startedAt: '2026-11-16T00:00:00Z', finishedAt: '2026-11-16T00:00:00Z', windowStartMs: 0, windowEndMs: 0, scopes: [], instanceCount: 0, instances: [], series: [] });
  const recommendations = Array.from({ length: 100_000 }, (_, n) => recommendation(n, snapshotId));
  await store.writeResults({ snapshotId, recommendations, skips: [], plans: [] });
  const app = createApp({ store, catalog, advise: (r) => adviseInstances(r, catalog), auth: { tokenSha256: [hashToken(TOKEN)] } });
  // The bare route lives in the same app and server, so the comparison isolates the work of the real routes.
  app.get('/bare', (c) => c.json({ ok: true }));
  const server = await serve({ app, port: 0 });
  try {
    console.log(`api: 100,000 recommendations in SQLite; 50 connections × ${durationS} s per route`);
    const bare = await load(`${server.url}/bare`, durationS, {});
    const list = await load(`${server.url}/v1/recommendations?limit=50&cloud=aws`, durationS, {});
    // What browsers, curl --compressed and most HTTP clients send: the cached page's gzip form (~5 KB, not ~35 KB).
    const listGzip = await load(`${server.url}/v1/recommendations?limit=50&cloud=aws`, durationS, { headers: { 'accept-encoding': 'gzip' } });
    const advice = await load(`${server.url}/v1/advice`, durationS, { method: 'POST', body: JSON.stringify({ vcpu: 4, memoryGiB: 16, limit: 10 }) });
    const row = (name: string, r: typeof bare) =>
      console.log(`  ${name.padEnd(44)} ${String(r.reqPerSec).padStart(7)} req/s  p50 ${String(r.p50Ms).padStart(3)} ms  p99 ${String(r.p99Ms).padStart(3)} ms  ${(r.reqPerSec / bare.reqPerSec).toFixed(2)}× bare  errors ${r.errors}`);
    row('GET /bare (bare Hono JSON route)', bare);
    row('GET /v1/recommendations?limit=50&cloud=aws', list);
    row('  same, Accept-Encoding: gzip', listGzip);
    row('POST /v1/advice', advice);
    return {
      durationSeconds: durationS,
      bareReqPerSec: bare.reqPerSec, bareP50Ms: bare.p50Ms, bareP99Ms: bare.p99Ms,
      listReqPerSec: list.reqPerSec, listP50Ms: list.p50Ms, listP99Ms: list.p99Ms, listRatioToBare: Math.round((list.reqPerSec / bare.reqPerSec) * 100) / 100,
      listGzipReqPerSec: listGzip.reqPerSec, listGzipP50Ms: listGzip.p50Ms, listGzipP99Ms: listGzip.p99Ms, listGzipRatioToBare: Math.round((listGzip.reqPerSec / bare.reqPerSec) * 100) / 100,
      adviceReqPerSec: advice.reqPerSec, adviceP50Ms: advice.p50Ms, adviceP99Ms: advice.p99Ms, adviceRatioToBare: Math.round((advice.reqPerSec / bare.reqPerSec) * 100) / 100,
      errors: bare.errors + list.errors + listGzip.errors + advice.errors,
    };
  } finally {
    await server.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
