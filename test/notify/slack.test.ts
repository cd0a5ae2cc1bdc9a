import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postToSlack, retryAfterToMs } from '../../src/notify/slack.js';
import { startSlackServer } from '../helpers/slack-server.js';

let slack: Awaited<ReturnType<typeof startSlackServer>>;
beforeAll(async () => {
  slack = await startSlackServer({
    '/rate': [{ status: 429, headers: { 'retry-after': '2' } }],
    '/rate-long': [{ status: 429, headers: { 'retry-after': '120' } }],
    '/flaky': [{ status: 500 }, { status: 503 }],
    '/down': Array.from({ length: 5 }, () => ({ status: 502 })),
    '/gone': [{ status: 404, body: 'no_service' }],
    '/archived': [{ status: 410, body: 'channel_is_archived' }],
    '/bad': [{ status: 400, body: 'invalid_payload' }],
  });
});
afterAll(() => slack.close());

const run = async (path: string) => {
  const sleeps: number[] = [];
  const outcome = await postToSlack(slack.url(path), { text: 'hi' }, { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5, baseDelayMs: 100 });
  return { outcome, sleeps, hits: slack.attempts.filter((a) => a.path === path).map((a) => a.status) };
};

describe('Slack webhook delivery', () => {
  it('waits Retry-After seconds on 429, then sends', async () => {
    expect(await run('/rate')).toEqual({ outcome: { status: 'sent', attempts: 2 }, sleeps: [2000], hits: [429, 200] });
  });

  it('gives up for this run when Retry-After is longer than it may wait', async () => {
    const r = await run('/rate-long');
    expect(r.outcome).toMatchObject({ status: 'failed', attempts: 1 });
    expect(r.sleeps).toEqual([]);
  });

  it('retries 5xx with full-jitter exponential backoff', async () => {
    // random 0.5 × 100 ms × 2^(n−1): 50, 100
    expect(await run('/flaky')).toEqual({ outcome: { status: 'sent', attempts: 3 }, sleeps: [50, 100], hits: [500, 503, 200] });
    const down = await run('/down');
    expect(down.outcome).toEqual({ status: 'failed', attempts: 5, detail: 'webhook answered 502' });
    expect(down.sleeps).toEqual([50, 100, 200, 400]);
  });

  it('reports a dead webhook (404, 410) after one request', async () => {
    expect(await run('/gone')).toEqual({ outcome: { status: 'dead', attempts: 1, detail: 'webhook answered 404 no_service' }, sleeps: [], hits: [404] });
    expect((await run('/archived')).outcome).toMatchObject({ status: 'dead', attempts: 1 });
  });

  it('does not retry a 400 (our payload is wrong; retrying cannot help within the run)', async () => {
    expect(await run('/bad')).toEqual({ outcome: { status: 'failed', attempts: 1, detail: 'webhook answered 400 invalid_payload' }, sleeps: [], hits: [400] });
  });

  it('treats a refused connection as retryable', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((r) => closed.close(() => r()));
    const sleeps: number[] = [];
    const outcome = await postToSlack(`http://127.0.0.1:${port}/x`, {}, { maxAttempts: 2, sleep: async (ms) => void sleeps.push(ms), random: () => 1, baseDelayMs: 10 });
    expect(outcome).toMatchObject({ status: 'failed', attempts: 2, detail: expect.stringContaining('network error') });
    expect(sleeps).toEqual([10]);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.UTC(2026, 10, 23, 8, 0, 0);
    expect(retryAfterToMs('30', now)).toBe(30_000);
    expect(retryAfterToMs('Mon, 23 Nov 2026 08:00:45 GMT', now)).toBe(45_000);
    expect(retryAfterToMs('Mon, 23 Nov 2026 07:00:00 GMT', now)).toBe(0);
    expect(retryAfterToMs(null, now)).toBe(1000);
    expect(retryAfterToMs('soon', now)).toBe(1000);
  });
});
