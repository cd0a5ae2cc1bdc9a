import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';

const dir = mkdtempSync(path.join(tmpdir(), 'rightsize-fn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function event(rawPath: string, headers: Record<string, string> = {}, post?: string) {
  return {
    version: '2.0', routeKey: '$default', rawPath, rawQueryString: '', headers: { host: 'api.example', ...headers }, isBase64Encoded: false,
    ...(post !== undefined ? { body: post } : {}),
    requestContext: { accountId: '1', apiId: 'a', domainName: 'api.example', domainPrefix: 'api', http: { method: post !== undefined ? 'POST' : 'GET', path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' }, requestId: 'r', routeKey: '$default', stage: '$default', time: '', timeEpoch: 0 },
  };
}

it('the Lambda handler serves the same app: open health check, bearer auth on /v1', async () => {
  process.env['RIGHTSIZE_DATA_DIR'] = dir;
  process.env['RIGHTSIZE_API_TOKENS'] = 'lambda-token';
  const { handler } = await import('../../functions/api.js');
  const call = handler as unknown as (e: unknown, ctx: unknown) => Promise<{ statusCode: number; body: string; headers: Record<string, string> }>;
  const health = await call(event('/healthz'), {});
  expect(health.statusCode).toBe(200);
  const denied = await call(event('/v1/snapshots'), {});
  expect(denied.statusCode).toBe(401);
  expect(denied.headers['content-type']).toContain('application/problem+json');
  const ok = await call(event('/v1/snapshots', { authorization: 'Bearer lambda-token' }), {});
  expect(ok.statusCode).toBe(200);
  expect(JSON.parse(ok.body)).toMatchObject({ items: [] });
});

it('the Lambda handler advises, and refuses an oversized body whatever Content-Length the client claimed', async () => {
  process.env['RIGHTSIZE_DATA_DIR'] = dir;
  process.env['RIGHTSIZE_API_TOKENS'] = 'lambda-token';
  const { handler } = await import('../../functions/api.js');
  const call = handler as unknown as (e: unknown, ctx: unknown) => Promise<{ statusCode: number; body: string; headers: Record<string, string> }>;
  const headers = { authorization: 'Bearer lambda-token', 'content-type': 'application/json' };
  const advice = await call(event('/v1/advice', headers, JSON.stringify({ vcpu: 2, memoryGiB: 8, limit: 2 })), {});
  expect(advice.statusCode).toBe(200);
  expect((JSON.parse(advice.body) as { options: unknown[] }).options).toHaveLength(2);
  const big = JSON.stringify({ vcpu: 2, memoryGiB: 4, regions: Array(20_000).fill('us-east-1') });
  const tooLarge = await call(event('/v1/advice', { ...headers, 'content-length': '40' }, big), {});
  expect(tooLarge.statusCode).toBe(413);
  expect(tooLarge.headers['content-type']).toContain('application/problem+json');
});
