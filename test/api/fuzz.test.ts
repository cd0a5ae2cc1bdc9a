import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, makeApi } from './setup.js';

let api: Awaited<ReturnType<typeof makeApi>>;
beforeAll(async () => {
  api = await makeApi();
});
afterAll(async () => api.cleanup());

// 2,000 cases per route in CI, fewer locally.
const RUNS = process.env['CI'] ? 2000 : 200;

const b64 = (s: string) => Buffer.from(s).toString('base64url');
/** Cursors a client could forge: offsets with trailing junk, store keys, our envelope with wrong fields. */
const forgedCursor = fc.oneof(
  fc.constantFrom(b64('1abc'), b64('01'), b64('-1'), b64('1e3'), b64('[1,"x"]'), b64('{"v":1}'), 'MQ=', 'M!Q', 'MR', b64('\u0000')),
  fc.record({ v: fc.constantFrom(1, 2, '1'), s: fc.oneof(fc.string({ maxLength: 10 }), fc.constant('demo')), q: fc.string({ minLength: 11, maxLength: 11 }), c: fc.string({ maxLength: 20 }) }).map((o) => b64(JSON.stringify(o))),
  fc.string({ maxLength: 40 }).map(b64),
);
const junk = fc.oneof(
  fc.string({ maxLength: 30 }),
  forgedCursor,
  fc.constantFrom('', '-1', '0', '1e309', 'NaN', 'aws', 'gcp', 'azure', 'p95', '%00', '../..', '🙂', 'a'.repeat(600), '2026-W47', 'true', 'null', 'summary', 'full'),
  fc.integer({ min: -1e6, max: 1e6 }).map(String),
);
const query = fc.dictionary(fc.constantFrom('limit', 'cursor', 'cloud', 'account', 'region', 'type', 'state', 'tag', 'kind', 'sort', 'minMonthlySavingsUsd', 'snapshot', 'purchaseOption', 'format', 'view', 'x', 'debug', '__proto__', 'constructor'), junk, { maxKeys: 5 });
const qs = (q: Record<string, string>) => new URLSearchParams(q).toString();

async function assertWellFormed(res: Response, method = 'GET') {
  expect(res.status).toBeLessThan(500);
  // Every response, whatever its status, carries the security headers (issue 15).
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
  if (res.status === 401) expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="rightsize"/);
  expect(res.status).not.toBe(403); // RFC 6750: a bad token is 401 invalid_token
  if (res.status >= 400 && method === 'HEAD') {
    expect(res.headers.get('content-type')).toContain('application/problem+json'); // HEAD carries no body
  } else if (res.status >= 400) {
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const body = (await res.json()) as { status: number; title: string; type: string };
    expect(body.status).toBe(res.status);
    expect(typeof body.title).toBe('string');
    expect(typeof body.type).toBe('string');
  } else {
    await res.arrayBuffer();
  }
}

const GET_ROUTES = ['/v1/snapshots', '/v1/instances', '/v1/recommendations', '/v1/purchase-plans', '/v1/prices', '/v1/budgets', '/v1/reports/weekly/latest', '/v1/policy-evaluation'];
const PARAM_ROUTES = ['/v1/instances/', '/v1/recommendations/', '/v1/purchase-plans/', '/v1/budgets/', '/v1/reports/weekly/'];

describe('fuzzing: no 5xx, and every 4xx is well-formed problem+json', () => {
  for (const route of GET_ROUTES) {
    it(`GET ${route} with random queries`, async () => {
      await fc.assert(fc.asyncProperty(query, async (q) => assertWellFormed(await api.app.request(`${route}?${qs(q)}`, { headers: AUTH }))), { numRuns: RUNS });
    });
  }
  for (const route of PARAM_ROUTES) {
    it(`GET ${route}{param} with random path segments`, async () => {
      await fc.assert(
        fc.asyncProperty(junk, query, async (segment, q) => assertWellFormed(await api.app.request(`${route}${encodeURIComponent(segment)}?${qs(q)}`, { headers: AUTH }))),
        { numRuns: RUNS },
      );
    });
  }
  it('POST /v1/advice with random bodies', async () => {
    const body = fc.oneof(
      fc.json(),
      fc.record(
        {
          vcpu: fc.oneof(fc.double(), fc.integer({ min: -5, max: 300 }), junk),
          memoryGiB: fc.oneof(fc.double(), fc.integer({ min: -5, max: 3000 }), junk),
          gpu: fc.oneof(fc.constant(undefined), fc.record({ count: fc.integer({ min: -1, max: 20 }), model: fc.oneof(junk, fc.constantFrom('a100-40gb', 'l4', 't4')), minMemoryGiB: fc.double() }, { requiredKeys: ['count'] })),
          arch: fc.oneof(junk, fc.constantFrom('x86_64', 'arm64')),
          clouds: fc.array(fc.oneof(junk, fc.constantFrom('aws', 'gcp', 'azure')), { maxLength: 4 }),
          purchaseOptions: fc.array(fc.constantFrom('on-demand', 'spot', 'commitment', 'lease'), { maxLength: 4 }),
          interruptible: fc.oneof(fc.boolean(), junk),
          limit: fc.integer({ min: -2, max: 300 }),
        },
        { requiredKeys: [] },
      ).map((o) => JSON.stringify(o)),
      junk,
    );
    await fc.assert(
      fc.asyncProperty(body, fc.constantFrom('application/json', 'text/plain', ''), async (b, type) =>
        assertWellFormed(await api.app.request('/v1/advice', { method: 'POST', headers: { ...AUTH, ...(type ? { 'content-type': type } : {}) }, body: typeof b === 'string' ? b : JSON.stringify(b) })),
      ),
      { numRuns: RUNS },
    );
  });
  it('random and forged cursors on every paged route: 400, 409 or 410 problems, never a page of another list', async () => {
    const routes = ['/v1/instances', '/v1/recommendations', '/v1/prices', '/v1/snapshots'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), forgedCursor, async (route, cursor) => {
        const res = await api.app.request(`${route}?limit=5&cursor=${encodeURIComponent(cursor)}`, { headers: AUTH });
        // /v1/snapshots pages by (finishedAt, id) and /v1/prices by offset, over one list each: a well-formed key such as
        // [1,"x"] or "5" is a position in that same list, so a page is a fair answer there. The snapshot-bound lists
        // accept only the envelopes they issued.
        expect(route === '/v1/snapshots' || route === '/v1/prices' ? [200, 400] : [400, 409, 410]).toContain(res.status);
        await assertWellFormed(res);
      }),
      { numRuns: RUNS },
    );
  });
  it('random Authorization headers: 401 (with the Bearer challenge) or 400, never a page', async () => {
    const header = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.string({ maxLength: 40 }).map((t) => `Bearer ${t}`),
      fc.constantFrom('Bearer', 'Bearer ', 'bearer x', 'Basic dXNlcjpwYXNz', 'Bearer a b', 'Bearer \u0000', `Bearer ${'a'.repeat(5000)}`, 'Token x'),
    );
    await fc.assert(
      fc.asyncProperty(header, fc.constantFrom(...GET_ROUTES), async (authorization, route) => {
        let res: Response;
        try {
          res = await api.app.request(route, { headers: { authorization } });
        } catch {
          return; // a header value fetch itself refuses (control characters) never reaches the app
        }
        expect([400, 401]).toContain(res.status);
        await assertWellFormed(res);
      }),
      { numRuns: RUNS },
    );
  });
  it('random methods and paths', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'), fc.webPath(), async (method, path) =>
        assertWellFormed(await api.app.request(path || '/', { method, headers: AUTH }), method),
      ),
      { numRuns: RUNS },
    );
  });
});
