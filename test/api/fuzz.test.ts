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

const junk = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom('', '-1', '0', '1e309', 'NaN', 'aws', 'gcp', 'azure', 'p95', '%00', '../..', '🙂', 'a'.repeat(600), '2026-W47', 'true', 'null', 'summary', 'full'),
  fc.integer({ min: -1e6, max: 1e6 }).map(String),
);
const query = fc.dictionary(fc.constantFrom('limit', 'cursor', 'cloud', 'account', 'region', 'type', 'state', 'tag', 'kind', 'sort', 'minMonthlySavingsUsd', 'snapshot', 'purchaseOption', 'format', 'view', 'x'), junk, { maxKeys: 5 });
const qs = (q: Record<string, string>) => new URLSearchParams(q).toString();

async function assertWellFormed(res: Response, method = 'GET') {
  expect(res.status).toBeLessThan(500);
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
  it('random methods and paths', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'), fc.webPath(), async (method, path) =>
        assertWellFormed(await api.app.request(path || '/', { method, headers: AUTH }), method),
      ),
      { numRuns: RUNS },
    );
  });
});
