import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve } from '../../src/api/serve.js';
import { AUTH, makeApi } from './setup.js';

let api: Awaited<ReturnType<typeof makeApi>>;
beforeAll(async () => {
  api = await makeApi();
});
afterAll(async () => api.cleanup());

const get = (path: string, headers: Record<string, string> = AUTH) => api.app.request(path, { headers });

async function expectProblem(res: Response, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  const body = (await res.json()) as { status: number; title: string; type: string; detail: string; errors?: { path: string }[] };
  expect(body.status).toBe(status);
  expect(body.title.length).toBeGreaterThan(0);
  expect(JSON.stringify(body)).not.toMatch(/\n\s+at /); // no stack traces
  return body;
}

describe('auth', () => {
  it('leaves /healthz, /openapi.json and /docs open', async () => {
    for (const path of ['/healthz', '/openapi.json', '/docs']) expect((await api.app.request(path)).status, path).toBe(200);
  });
  it('answers 401 without a token and with a wrong one (RFC 6750), as problem+json', async () => {
    const none = await expectProblem(await get('/v1/recommendations', {}), 401);
    expect(none.detail).toContain('bearer');
    await expectProblem(await get('/v1/recommendations', { authorization: 'Bearer nope' }), 401);
    expect((await get('/v1/recommendations')).status).toBe(200);
  });
});

describe('routes', () => {
  it('pages through every recommendation, sorted by savings, with a request id and an ETag', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let savings = Number.POSITIVE_INFINITY;
    do {
      const res = await get(`/v1/recommendations?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-request-id')).toBeTruthy();
      const body = (await res.json()) as { items: { id: string; monthlySavingsUsd: number }[]; nextCursor?: string };
      for (const item of body.items) {
        expect(item.monthlySavingsUsd).toBeLessThanOrEqual(savings);
        savings = item.monthlySavingsUsd;
        seen.push(item.id);
      }
      cursor = body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(api.results.recommendations.length);
    const first = await get('/v1/recommendations?limit=5&cloud=aws');
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    expect((await get('/v1/recommendations?limit=5&cloud=aws', { ...AUTH, 'if-none-match': etag as string })).status).toBe(304);
  });

  it('serves list pages gzipped to clients that accept it: the same JSON, its own ETag, Vary: accept-encoding', async () => {
    const plain = await get('/v1/recommendations?limit=50');
    const plainText = await plain.text();
    for (let round = 0; round < 2; round++) {
      // The second round is served from the cache, where the gzip form is kept.
      const gz = await get('/v1/recommendations?limit=50', { ...AUTH, 'accept-encoding': 'br, gzip' });
      expect(gz.status).toBe(200);
      expect(gz.headers.get('content-encoding')).toBe('gzip');
      expect(gz.headers.get('vary')).toContain('accept-encoding');
      const bytes = Buffer.from(await gz.arrayBuffer());
      expect(bytes.length).toBeLessThan(Buffer.byteLength(plainText) / 3);
      expect(gunzipSync(bytes).toString('utf8')).toBe(plainText);
      expect(gz.headers.get('etag')).not.toBe(plain.headers.get('etag'));
      expect((await get('/v1/recommendations?limit=50', { ...AUTH, 'accept-encoding': 'gzip', 'if-none-match': gz.headers.get('etag') as string })).status).toBe(304);
    }
  });

  it('filters recommendations and returns one with its evidence and backtest', async () => {
    const res = await get('/v1/recommendations?cloud=gcp&kind=downsize&limit=500');
    const body = (await res.json()) as { items: { id: string; cloud: string; kind: string }[] };
    const expected = api.results.recommendations.filter((r) => r.cloud === 'gcp' && r.kind === 'downsize');
    expect(body.items.map((r) => r.id).sort()).toEqual(expected.map((r) => r.id).sort());
    const one = expected[0];
    if (!one) throw new Error('fixture has no gcp downsize');
    const detail = (await (await get(`/v1/recommendations/${encodeURIComponent(one.id)}`)).json()) as typeof one;
    expect(detail).toEqual(one);
    await expectProblem(await get('/v1/recommendations/nope'), 404);
  });

  it('lists summary rows by default and full recommendations with ?view=full', async () => {
    const expected = [...api.results.recommendations].sort((a, b) => b.monthlySavingsUsd - a.monthlySavingsUsd || a.id.localeCompare(b.id)).slice(0, 20);
    const summary = (await (await get('/v1/recommendations?limit=20')).json()) as { items: Record<string, unknown>[] };
    const full = (await (await get('/v1/recommendations?limit=20&view=full')).json()) as { items: Record<string, unknown>[] };
    expect(full.items).toEqual(expected);
    expect(summary.items.map((s) => s.id)).toEqual(expected.map((r) => r.id));
    const withAlternatives = expected.findIndex((r) => r.crossCloud.length > 1);
    expect(withAlternatives, 'fixture needs a recommendation with several cross-cloud alternatives').toBeGreaterThanOrEqual(0);
    for (const [i, rec] of expected.entries()) {
      const row = summary.items[i] as Record<string, unknown>;
      expect(row).not.toHaveProperty('evidence');
      expect(row.monthlyCostNowUsd).toBe(rec.monthlyCostNow.actualUsd);
      expect(row.monthlyCostAfterUsd).toBe(rec.monthlyCostAfter.actualUsd);
      expect(row.hoursSaturated).toBe(rec.backtest.hoursSaturated);
      const best = rec.crossCloud.reduce<(typeof rec.crossCloud)[number] | null>((b, a) => (!b || a.monthlySavingsUsd > b.monthlySavingsUsd ? a : b), null);
      expect(row.crossCloudBest).toEqual(best ? { cloud: best.cloud, region: best.region, instanceType: best.instanceType, monthlySavingsUsd: best.monthlySavingsUsd } : null);
    }
    expect(JSON.stringify(summary).length).toBeLessThan(JSON.stringify(full).length / 2);
    await expectProblem(await get('/v1/recommendations?view=everything'), 400);
  });

  it('lists instances with filters and returns one with its utilization summary', async () => {
    const body = (await (await get('/v1/instances?cloud=azure&state=running&limit=500')).json()) as { items: { id: string }[]; snapshotId: string };
    expect(body.snapshotId).toBe(api.fleet.id);
    expect(body.items.length).toBe(api.fleet.instances.filter((i) => i.cloud === 'azure' && i.state === 'running').length);
    const withSeries = api.fleet.series[0];
    if (!withSeries) throw new Error('no series');
    const detail = (await (await get(`/v1/instances/${encodeURIComponent(withSeries.instanceId)}`)).json()) as { utilization: { metric: string; p95: number }[] };
    expect(detail.utilization.map((u) => u.metric)).toContain('cpu');
  });

  it('rejects bad queries with the failing field path', async () => {
    const body = await expectProblem(await get('/v1/recommendations?limit=0&cloud=ibm'), 400);
    expect(body.errors?.map((e) => e.path).sort()).toEqual(['query.cloud', 'query.limit']);
    const cursor = await expectProblem(await get('/v1/instances?cursor=garbage'), 400);
    expect(cursor.errors?.[0]?.path).toBe('query.cursor');
  });

  it('advises the cheapest fitting types across clouds, on-demand first', async () => {
    const res = await api.app.request('/v1/advice', { method: 'POST', headers: { ...AUTH, 'content-type': 'application/json' }, body: JSON.stringify({ vcpu: 4, memoryGiB: 16, limit: 10 }) });
    expect(res.status).toBe(200);
    const { options } = (await res.json()) as { options: { cloud: string; vcpu: number; memoryGiB: number; rankMonthlyUsd: number; prices: { purchaseOption: string; monthlyUsd: number }[] }[] };
    expect(options).toHaveLength(10);
    expect(new Set(options.map((o) => o.cloud)).size).toBeGreaterThan(1);
    for (const o of options) {
      expect(o.vcpu).toBeGreaterThanOrEqual(4);
      expect(o.memoryGiB).toBeGreaterThanOrEqual(16);
    }
    for (let i = 1; i < options.length; i++) expect(options[i]!.rankMonthlyUsd).toBeGreaterThanOrEqual(options[i - 1]!.rankMonthlyUsd);
    // Independent check of the winner: no priced 4 vCPU / 16 GiB CPU type anywhere is cheaper on-demand (burstable,
    // special sizes and bare metal only when asked for).
    let cheapest = Number.POSITIVE_INFINITY;
    for (const cloud of ['aws', 'gcp', 'azure'] as const) {
      for (const region of api.catalog.regions(cloud)) {
        for (const t of api.catalog.pricedTypes(cloud, region.id)) {
          if (t.vcpu >= 4 && t.memoryGiB >= 16 && !t.gpu && !t.accelerators && !t.burstable && !t.special && !t.name.includes('metal')) cheapest = Math.min(cheapest, api.catalog.onDemandHourlyUsd(cloud, region.id, t.name) ?? Infinity);
        }
      }
    }
    expect(options[0]!.rankMonthlyUsd).toBeCloseTo(Math.round(cheapest * 730 * 100) / 100, 2);
  });

  it('validates advice bodies: unknown fields, unknown GPU models, malformed JSON, oversized bodies', async () => {
    const post = (body: string) => api.app.request('/v1/advice', { method: 'POST', headers: { ...AUTH, 'content-type': 'application/json' }, body });
    const unknown = await expectProblem(await post(JSON.stringify({ vcpu: 2, memoryGiB: 4, colour: 'red' })), 400);
    expect(unknown.errors?.[0]?.path).toBe('body.colour');
    const gpu = await expectProblem(await post(JSON.stringify({ vcpu: 2, memoryGiB: 4, gpu: { count: 1, model: 'voodoo2' } })), 400);
    expect(gpu.errors?.[0]?.path).toBe('body.gpu.model');
    const neg = await expectProblem(await post(JSON.stringify({ vcpu: -1, memoryGiB: 4 })), 400);
    expect(neg.errors?.[0]?.path).toBe('body.vcpu');
    await expectProblem(await post('{"vcpu": 2,'), 400);
    await expectProblem(await post(JSON.stringify({ vcpu: 2, memoryGiB: 4, regions: Array(3000).fill('us-east-1') })), 413);
  });

  it('serves purchase plans, prices, snapshots and budgets', async () => {
    const plans = (await (await get('/v1/purchase-plans')).json()) as { items: { pool: string }[] };
    expect(plans.items.length).toBe(api.results.plans.length);
    const pool = plans.items[0]?.pool as string;
    expect(((await (await get(`/v1/purchase-plans/${encodeURIComponent(pool)}`)).json()) as { pool: string }).pool).toBe(pool);
    const prices = (await (await get('/v1/prices?cloud=aws&region=us-east-1&type=g5.xlarge&purchaseOption=on-demand')).json()) as { items: { hourlyUsd: number }[] };
    expect(prices.items.map((p) => p.hourlyUsd)).toEqual([1.006]);
    const snaps = (await (await get('/v1/snapshots')).json()) as { items: { id: string; scopes: unknown[] }[] };
    expect(snaps.items[0]?.id).toBe(api.fleet.id);
    expect(snaps.items[0]?.scopes.length).toBeGreaterThan(0);
    expect(((await (await get('/v1/budgets')).json()) as { items: unknown[] }).items).toEqual([]);
    await expectProblem(await get('/v1/budgets/none'), 404);
  });

  it('serves stored weekly reports by Accept or ?format=', async () => {
    await expectProblem(await get('/v1/reports/weekly/latest'), 404);
    await api.store.putBlob('reports/weekly/2026-W46.json', 'application/json', '{"week":"2026-W46"}');
    await api.store.putBlob('reports/weekly/2026-W47.json', 'application/json', '{"week":"2026-W47"}');
    await api.store.putBlob('reports/weekly/2026-W47.html', 'text/html', '<h1>W47</h1>');
    expect(await (await get('/v1/reports/weekly/latest')).json()).toEqual({ week: '2026-W47' });
    const html = await get('/v1/reports/weekly/2026-W47', { ...AUTH, accept: 'text/html' });
    expect(html.headers.get('content-type')).toContain('text/html');
    expect(await html.text()).toBe('<h1>W47</h1>');
    expect(await (await get('/v1/reports/weekly/2026-W46?format=json')).json()).toEqual({ week: '2026-W46' });
    const bad = await expectProblem(await get('/v1/reports/weekly/2026-47'), 400);
    expect(bad.errors?.[0]?.path).toBe('param.isoWeek');
  });

  it('answers unknown routes 404 as problem+json', async () => {
    await expectProblem(await get('/v2/anything'), 404);
  });

  it('documents every route in an OpenAPI 3.1 document', async () => {
    const doc = (await (await api.app.request('/openapi.json')).json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    const routes = Object.entries(doc.paths).flatMap(([p, ms]) => Object.keys(ms).map((m) => `${m.toUpperCase()} ${p}`)).sort();
    expect(routes).toEqual(
      [
        'GET /healthz', 'GET /v1/snapshots', 'GET /v1/instances', 'GET /v1/instances/{id}', 'GET /v1/recommendations', 'GET /v1/recommendations/{id}', 'POST /v1/advice',
        'GET /v1/purchase-plans', 'GET /v1/purchase-plans/{pool}', 'GET /v1/prices', 'GET /v1/budgets', 'GET /v1/budgets/{name}',
        'GET /v1/reports/weekly/latest', 'GET /v1/reports/weekly/{isoWeek}', 'GET /v1/policy-evaluation', 'GET /v1/spend', 'GET /v1/spend/imports', 'GET /v1/commitments',
      ].sort(),
    );
  });

  it('logs one line per request with its request id and no token', async () => {
    api.logs.length = 0;
    const res = await get('/v1/snapshots');
    const id = res.headers.get('x-request-id') as string;
    expect(api.logs.some((l) => l.startsWith(id) && l.includes('GET /v1/snapshots 200'))).toBe(true);
    expect(api.logs.join('\n')).not.toContain('test-token');
  });
});

describe('response cache', () => {
  it('serves fresh pages after results change, from this connection or another one', async () => {
    const url = '/v1/recommendations?limit=3&sort=risk';
    const before = (await (await get(url)).json()) as { items: { id: string }[] };
    expect(before.items).toHaveLength(3);
    // Another connection (as `rightsize analyze` in another process would) replaces the snapshot's results.
    const { openSqliteStore, CHANGE_CHECK_INTERVAL_MS } = await import('../../src/store/sqlite/sqlite-store.js');
    const other = openSqliteStore({ dataDir: path.dirname((api.store as unknown as { file: string }).file) });
    const kept = api.results.recommendations.slice(0, 2);
    await other.writeResults({ snapshotId: api.fleet.id, recommendations: kept, skips: [], plans: [] });
    await other.close();
    // Other processes' commits are noticed within CHANGE_CHECK_INTERVAL_MS.
    await new Promise((r) => setTimeout(r, CHANGE_CHECK_INTERVAL_MS + 20));
    const after = (await (await get(url)).json()) as { items: { id: string }[] };
    expect(after.items.map((r) => r.id).sort()).toEqual(kept.map((r) => r.id).sort());
    // And back through the app's own connection.
    await api.store.writeResults(api.results);
    expect(((await (await get(url)).json()) as { items: unknown[] }).items).toHaveLength(3);
  });
});

describe('through a real listening server', () => {
  it('serves on 127.0.0.1 with a free port', async () => {
    const server = await serve({ app: api.app, port: 0 });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${server.url}/v1/recommendations?limit=3&cloud=aws`, { headers: AUTH });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { items: { cloud: string }[] };
      expect(body.items.every((r) => r.cloud === 'aws')).toBe(true);
      const unauth = await fetch(`${server.url}/v1/instances`);
      expect(unauth.status).toBe(401);
    } finally {
      await server.close();
    }
  });

  it('limits request bodies whether their length is declared or they stream in chunks, and advises within the limit', async () => {
    const server = await serve({ app: api.app, port: 0 });
    const headers = { ...AUTH, 'content-type': 'application/json' };
    const big = JSON.stringify({ vcpu: 2, memoryGiB: 4, regions: Array(3000).fill('us-east-1') });
    try {
      const declared = await fetch(`${server.url}/v1/advice`, { method: 'POST', headers, body: big });
      expect(declared.status).toBe(413);
      expect(declared.headers.get('content-type')).toContain('application/problem+json');
      // A stream body goes out with Transfer-Encoding: chunked and no Content-Length.
      const chunks = [big.slice(0, 5000), big.slice(5000, 12000), big.slice(12000)];
      const streamed = await fetch(`${server.url}/v1/advice`, {
        method: 'POST', headers, duplex: 'half',
        body: new ReadableStream({ pull(ctl) { const next = chunks.shift(); if (next === undefined) ctl.close(); else ctl.enqueue(new TextEncoder().encode(next)); } }),
      } as RequestInit);
      expect(streamed.status).toBe(413);
      const small = JSON.stringify({ vcpu: 4, memoryGiB: 16, limit: 3 });
      const smallChunks = [small.slice(0, 10), small.slice(10)];
      const streamedOk = await fetch(`${server.url}/v1/advice`, {
        method: 'POST', headers, duplex: 'half',
        body: new ReadableStream({ pull(ctl) { const next = smallChunks.shift(); if (next === undefined) ctl.close(); else ctl.enqueue(new TextEncoder().encode(next)); } }),
      } as RequestInit);
      const viaStream = (await streamedOk.json()) as { options: unknown[] };
      const declaredOk = await fetch(`${server.url}/v1/advice`, { method: 'POST', headers, body: small });
      expect(declaredOk.status).toBe(200);
      const viaLength = (await declaredOk.json()) as { options: unknown[] };
      expect(viaLength.options).toHaveLength(3);
      expect(viaStream).toEqual(viaLength);
    } finally {
      await server.close();
    }
  });
});
