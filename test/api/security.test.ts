import { connect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BodyCache } from '../../src/api/body-cache.js';
import { createApp } from '../../src/api/app.js';
import type { BudgetStatus } from '../../src/api/schemas.js';
import { serve } from '../../src/api/serve.js';
import { hashToken } from '../../src/config.js';
import { generateDemoFleet } from '../../src/demo/fleet.js';
import { AUTH, makeApi, TOKEN } from './setup.js';

// One test per finding of issue 15 (security and resource bounds); each fails on the code before it.

let api: Awaited<ReturnType<typeof makeApi>>;
beforeEach(async () => {
  api = await makeApi();
});
afterEach(async () => api.cleanup());

const get = (path: string, headers: Record<string, string> = AUTH) => api.app.request(path, { headers });

async function problemOf(res: Response, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  return (await res.json()) as { status: number; detail: string; errors?: { path: string; message: string }[] };
}

/** Raw HTTP over a socket: what Node answers before the app, for requests fetch() refuses to send. */
function raw(port: number, request: string | Buffer, waitMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(data);
    }, waitMs);
    socket.on('data', (d) => (data += d.toString('latin1')));
    socket.on('end', () => {
      clearTimeout(timer);
      resolve(data);
    });
    socket.on('error', reject);
    socket.write(request);
  });
}

describe('auth (RFC 6750)', () => {
  it('a wrong token is 401 with WWW-Authenticate: Bearer error="invalid_token"', async () => {
    const res = await get('/v1/recommendations', { authorization: 'Bearer not-the-token' });
    await problemOf(res, 401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="rightsize", error="invalid_token"/);
  });
  it('no token (or another scheme) is 401 with a bare Bearer realm challenge; a malformed Bearer header is 400 invalid_request', async () => {
    for (const headers of [{}, { authorization: 'Basic dXNlcjpwYXNz' }]) {
      const res = await get('/v1/recommendations', headers);
      await problemOf(res, 401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="rightsize"');
    }
    const res = await get('/v1/recommendations', { authorization: `Bearer ${TOKEN} extra` });
    await problemOf(res, 400);
    expect(res.headers.get('www-authenticate')).toContain('error="invalid_request"');
  });
});

describe('headers on every response', () => {
  it('nosniff, no framing, no referrer and a CSP on lists, 304s, problems, 404s, /healthz and /openapi.json', async () => {
    const list = await get('/v1/recommendations?limit=2');
    const responses = [
      list,
      await get('/v1/recommendations?limit=2', { ...AUTH, 'if-none-match': list.headers.get('etag') ?? '' }),
      await get('/v1/recommendations', {}),
      await get('/v1/nope'),
      await get('/v1/prices?limit=0'),
      await api.app.request('/healthz'),
      await api.app.request('/openapi.json'),
      await api.app.request('/docs'),
    ];
    expect(responses.map((r) => r.status)).toEqual([200, 304, 401, 404, 400, 200, 200, 200]);
    for (const r of responses) {
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('x-frame-options')).toBe('DENY');
      expect(r.headers.get('referrer-policy')).toBe('no-referrer');
      expect(r.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    }
    // The /docs page runs its own script (by hash) and nothing else.
    expect(responses[7]?.headers.get('content-security-policy')).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
  });
  it('serves the HTML report with Content-Security-Policy: default-src \'none\'; style-src \'unsafe-inline\'; img-src data:', async () => {
    await api.store.putBlob('reports/weekly/2026-W47.html', 'text/html', '<!doctype html><title>r</title>');
    const res = await get('/v1/reports/weekly/2026-W47?format=html');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
  it('CORS preflight advertises only the methods some route serves', async () => {
    const app = createApp({ store: api.store, catalog: api.catalog, advise: () => [], auth: { tokenSha256: [hashToken(TOKEN)] }, cors: { origins: ['https://app.example'] } });
    const res = await app.request('/v1/recommendations', { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'GET' } });
    expect(res.status).toBe(204);
    const methods = (res.headers.get('access-control-allow-methods') ?? '').split(/\s*,\s*/).sort();
    expect(methods).toEqual(['GET', 'HEAD', 'POST']);
  });
});

describe('queries and cursors', () => {
  it('rejects an unknown query parameter with 400 naming it, on every /v1 route', async () => {
    for (const route of ['/v1/recommendations?limit=5&view2=full', '/v1/instances?x=1', '/v1/prices?foo=bar', '/v1/budgets?debug=1', '/v1/snapshots?snapshot=s', '/v1/purchase-plans?x=1', '/v1/policy-evaluation?x=1']) {
      const body = await problemOf(await get(route), 400);
      expect(body.errors?.[0]?.message, route).toBe('unknown parameter');
    }
    const body = await problemOf(await get('/v1/recommendations?limit=5&view2=full'), 400);
    expect(body.errors).toEqual([{ path: 'query.view2', message: 'unknown parameter' }]);
  });
  it('rejects a repeated parameter instead of picking one', async () => {
    await problemOf(await get('/v1/recommendations?limit=5&limit=500'), 400);
  });
  it('parses /v1/prices cursors strictly: base64url("1abc") is not offset 1', async () => {
    const first = (await (await get('/v1/prices?limit=1')).json()) as { nextCursor: string };
    expect(Buffer.from(first.nextCursor, 'base64url').toString()).toBe('1');
    for (const bad of ['1abc', '0', '01', '1 ', '+1', '1e0', '-1'].map((s) => Buffer.from(s).toString('base64url')).concat(['MQ=', 'M!Q', 'MR'])) {
      const body = await problemOf(await get(`/v1/prices?limit=1&cursor=${encodeURIComponent(bad)}`), 400);
      expect(body.errors?.[0]?.path).toBe('query.cursor');
    }
    expect((await get(`/v1/prices?limit=1&cursor=${first.nextCursor}`)).status).toBe(200);
  });
  it('a traversal of "latest" stays on the snapshot it started on while a new one lands; 409 against another ?snapshot=, 410 once pruned', async () => {
    const page1 = (await (await get('/v1/instances?limit=50')).json()) as { items: { id: string }[]; nextCursor: string; snapshotId: string };
    expect(page1.snapshotId).toBe(api.fleet.id);
    const newer = generateDemoFleet({ seed: 8, nowMs: Date.UTC(2026, 10, 21, 12), instanceCount: 60 });
    await api.store.writeSnapshot(newer);
    expect((await api.store.latestSnapshot())?.id).toBe(newer.id);

    const page2 = (await (await get(`/v1/instances?limit=50&cursor=${page1.nextCursor}`)).json()) as { items: { id: string }[]; nextCursor?: string; snapshotId: string };
    expect(page2.snapshotId).toBe(api.fleet.id);
    const page3 = (await (await get(`/v1/instances?limit=50&cursor=${page2.nextCursor}`)).json()) as { items: { id: string }[]; nextCursor?: string; snapshotId: string };
    expect([...page1.items, ...page2.items, ...page3.items].map((i) => i.id)).toEqual(api.fleet.instances.map((i) => i.id).sort());
    expect(page3.nextCursor).toBeUndefined();

    const conflict = await problemOf(await get(`/v1/instances?limit=50&snapshot=${newer.id}&cursor=${page1.nextCursor}`), 409);
    expect(conflict.detail).toContain(api.fleet.id);
    await problemOf(await get(`/v1/instances?limit=50&cloud=aws&cursor=${page1.nextCursor}`), 400); // another filter

    await api.store.prune(Date.parse(newer.finishedAt));
    const gone = await problemOf(await get(`/v1/instances?limit=50&cursor=${page1.nextCursor}`), 410);
    expect(gone.detail).toContain('start again');
  });
  it('recommendation cursors are bound to their snapshot and query too', async () => {
    const page1 = (await (await get('/v1/recommendations?limit=5&sort=savings')).json()) as { nextCursor: string };
    await problemOf(await get(`/v1/recommendations?limit=5&sort=risk&cursor=${page1.nextCursor}`), 400);
    await problemOf(await get(`/v1/recommendations?limit=5&snapshot=other&cursor=${page1.nextCursor}`), 409);
    expect((await get(`/v1/recommendations?limit=5&sort=savings&cursor=${page1.nextCursor}`)).status).toBe(200);
  });
});

describe('bounded caches and costly routes', () => {
  it('the list cache is keyed on the normalized query: parameter order does not make a second entry', async () => {
    let reads = 0;
    const store = new Proxy(api.store, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver) as unknown;
        if (prop === 'listRecommendationsJson' && typeof v === 'function') return (...args: unknown[]) => (reads++, (v as (...a: unknown[]) => unknown).apply(target, args));
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    const app = createApp({ store, catalog: api.catalog, advise: () => [], auth: { disabled: true } });
    for (const q of ['cloud=aws&limit=5', 'limit=5&cloud=aws', 'limit=5&cloud=aws']) expect((await app.request(`/v1/recommendations?${q}`)).status).toBe(200);
    expect(reads).toBe(1);
  });
  it('the body cache is bounded in bytes, not entries', () => {
    const cache = new BodyCache(1024 * 1024);
    for (let i = 0; i < 2000; i++) cache.set(`k${i}`, { bytes: new Uint8Array(100 * 1024), tag: `"${i}"` });
    expect(cache.bytes).toBeLessThanOrEqual(1024 * 1024);
    expect(cache.size).toBeLessThanOrEqual(10);
    cache.grow('k1999', 600 * 1024);
    expect(cache.bytes).toBeLessThanOrEqual(1024 * 1024);
    cache.set('huge', { bytes: new Uint8Array(200 * 1024), tag: '"h"' }); // over an eighth of the bound: not kept
    expect(cache.get('huge')).toBeUndefined();
  });
  it('GET /v1/budgets computes budget status once per store change, not once per request', async () => {
    let computed = 0;
    const status: BudgetStatus = { name: 'b', period: '2026-11', periodStart: '2026-11-01', periodEnd: '2026-12-01', amountUsd: 1, actualUsd: 1, forecastUsd: 1, thresholdsCrossed: [], sources: [] };
    const budgets = { list: async () => (computed++, [status]), get: async () => (computed++, status) };
    const app = createApp({ store: api.store, catalog: api.catalog, advise: () => [], auth: { disabled: true }, budgets });
    for (let i = 0; i < 50; i++) expect((await app.request(i % 2 ? '/v1/budgets' : '/v1/budgets/b')).status).toBe(200);
    expect(computed).toBe(1);
    await api.store.putBlob('ledger-change', 'text/plain', 'x'); // any store write moves the change token
    await app.request('/v1/budgets');
    expect(computed).toBe(2);
  });
});

describe('the Node server', () => {
  it('sets request and header timeouts, and answers a body that never finishes with 408 problem+json', async () => {
    const server = await serve({ app: api.app, port: 0, timeouts: { requestTimeoutMs: 1000, headersTimeoutMs: 500 } });
    try {
      expect(server.server.requestTimeout).toBe(1000);
      expect(server.server.headersTimeout).toBe(500);
      const started = Date.now();
      const answer = await raw(server.port, `POST /v1/advice HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"vcpu"`);
      expect(Date.now() - started).toBeLessThan(4000);
      expect(answer).toMatch(/^HTTP\/1\.1 408 /);
      expect(answer).toMatch(/content-type: application\/problem\+json/i);
      expect(answer).toMatch(/x-request-id: [0-9a-f-]{36}/i);
    } finally {
      await server.close();
    }
  });
  it('defaults: 30 s per request, 10 s for headers (Node\'s are 300 s and 60 s)', async () => {
    const server = await serve({ app: api.app, port: 0 });
    try {
      expect(server.server.requestTimeout).toBe(30_000);
      expect(server.server.headersTimeout).toBe(10_000);
    } finally {
      await server.close();
    }
  });
  it('requests Node rejects before the app (bad framing, a NUL in the path, over-long headers) get problem+json with a request id', async () => {
    const server = await serve({ app: api.app, port: 0 });
    try {
      const cases: [string | Buffer, number][] = [
        ['GET /v1/\u0000x HTTP/1.1\r\nHost: x\r\n\r\n', 400],
        ['POST /v1/advice HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', 400],
        ['NOT HTTP AT ALL\r\n\r\n', 400],
        [`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431],
      ];
      for (const [request, status] of cases) {
        const answer = await raw(server.port, request);
        expect(answer, JSON.stringify(request).slice(0, 60)).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
        expect(answer).toMatch(/content-type: application\/problem\+json/i);
        expect(answer).toMatch(/x-content-type-options: nosniff/i);
        const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { status: number; requestId: string };
        expect(body.status).toBe(status);
        expect(body.requestId).toMatch(/^[0-9a-f-]{36}$/);
      }
    } finally {
      await server.close();
    }
  });
});
