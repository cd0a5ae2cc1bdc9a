import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAlerts } from '../../src/budgets/alerts.js';
import { readChannelStatus } from '../../src/budgets/channel-status.js';
import { evaluateBudget } from '../../src/budgets/evaluate.js';
import { BudgetSchema } from '../../src/config.js';
import { forecastPeriodEnd, ledgerEntries, spendBetween } from '../../src/engine/ledger.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { startSlackServer } from '../helpers/slack-server.js';
import type { Instance } from '../../src/domain/instance.js';
import type { SnapshotMeta } from '../../src/domain/snapshot.js';

const catalog = loadCatalog();
const H = 3_600_000;
const T0 = Date.UTC(2026, 10, 10, 0);
const inst = (id: string, type: string): Instance => ({ id, cloud: 'aws', account: '111111111111', region: 'us-east-1', type, state: 'running', lifecycle: 'on-demand', os: 'linux', tags: { team: 'web' }, launchedAt: '2026-01-01T00:00:00Z' });
const meta = (id: string, atMs: number): SnapshotMeta => ({ id, source: 'demo', startedAt: new Date(atMs).toISOString(), finishedAt: new Date(atMs).toISOString(), windowStartMs: 0, windowEndMs: 0, scopes: [], instanceCount: 0 });

describe('spend ledger and forecast (by hand)', () => {
  it('integrates each snapshot until the next one', () => {
    // m5.large $0.096/h for 20 h, m5.xlarge $0.192/h for the last 10 h → 1.92 + 1.92 = 3.84
    const { entries } = ledgerEntries([{ meta: meta('a', T0), instances: [inst('i-1', 'm5.large')] }, { meta: meta('b', T0 + 10 * H), instances: [inst('i-1', 'm5.large'), inst('i-2', 'm5.xlarge')] }], catalog, T0 + 20 * H);
    expect(spendBetween(entries, {}, T0, T0 + 20 * H)).toBeCloseTo(3.84, 10);
    expect(spendBetween(entries, { tags: { team: 'data' } }, T0, T0 + 20 * H)).toBe(0);
    expect(spendBetween(entries, {}, T0 + 5 * H, T0 + 15 * H)).toBeCloseTo(5 * 0.096 + 5 * 0.288, 10);
  });

  it('forecasts by run-rate and by trend', () => {
    // 10 days at $100/day, 20 days left: 1,000 + 20 × 100 = 3,000 either way
    expect(forecastPeriodEnd({ actualUsd: 1000, lastDayUsd: 100, daily: Array(10).fill(100), nowMs: 10 * 86_400_000, periodEndMs: 30 * 86_400_000 })).toEqual({ runRateUsd: 3000, trendUsd: 3000, forecastUsd: 3000 });
    // Rising 10, 20, …, 100 (day x spends 10 + 10x): days 10 … 29 spend Σ(10 + 10x) = 200 + 10 · 390 = 4,100; 550 + 4,100 = 4,650
    const rising = forecastPeriodEnd({ actualUsd: 550, lastDayUsd: 100, daily: Array.from({ length: 10 }, (_, i) => 10 * (i + 1)), nowMs: 10 * 86_400_000, periodEndMs: 30 * 86_400_000 });
    expect(rising.trendUsd).toBeCloseTo(4650, 6);
    expect(rising.forecastUsd).toBeCloseTo(4650, 6);
  });
});

describe('budget alerts through a local Slack', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'rightsize-alerts-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  // $0.288/h for 12 days of November = $82.94 actual; forecast at the run-rate to Dec 1 = $207.36.
  const now = Date.UTC(2026, 10, 13, 0);
  const snapshots = [{ meta: meta('a', Date.UTC(2026, 10, 1)), instances: [inst('i-1', 'm5.large'), inst('i-2', 'm5.xlarge')] }];
  const entries = ledgerEntries(snapshots, catalog, now).entries;
  const budget = (webhookEnv: string) =>
    BudgetSchema.parse({ name: 'web', amountUsd: 160, scope: { cloud: 'aws' }, thresholds: [{ pct: 50, kind: 'actual' }, { pct: 100, kind: 'actual' }, { pct: 100, kind: 'forecast' }], channels: [{ slackWebhook: { env: webhookEnv } }] });

  it('evaluates actual and forecast against thresholds', () => {
    const s = evaluateBudget(budget('X'), entries, now);
    expect(s.actualUsd).toBeCloseTo(0.288 * 24 * 12, 2);
    expect(s.forecastUsd).toBeCloseTo(0.288 * 24 * 30, 2);
    expect(s.thresholdsCrossed).toEqual([{ pct: 50, kind: 'actual' }, { pct: 100, kind: 'forecast' }]);
    expect(s.period).toBe('2026-11');
    expect(s.topDrivers[0]).toMatchObject({ instanceId: 'i-2', type: 'm5.xlarge' });
  });

  it('twenty concurrent runs send exactly one message per crossed threshold; a rerun sends nothing', async () => {
    const slack = await startSlackServer();
    const b = budget('SLACK_URL');
    const status = evaluateBudget(b, entries, now);
    const env = { SLACK_URL: slack.url('/hook') };
    try {
      const runs = await Promise.all(
        Array.from({ length: 20 }, async (_, n) => {
          const store = openSqliteStore({ dataDir: dir }); // one connection per run, as separate Lambdas would have
          try {
            return await runAlerts({ store, statuses: [status], budgets: [b], resolveWebhook: async (ref) => ('env' in ref ? env[ref.env as 'SLACK_URL'] : undefined), recommendations: new Map(), nowMs: now, claimant: `run-${n}` });
          } finally {
            await store.close();
          }
        }),
      );
      expect(slack.requests).toHaveLength(2);
      expect(runs.flatMap((r) => r.sent).sort()).toEqual(['budget-alert:web:2026-11:actual:50:env:SLACK_URL', 'budget-alert:web:2026-11:forecast:100:env:SLACK_URL']);
      expect(runs.flatMap((r) => [...r.alreadySent, ...r.claimedByOther])).toHaveLength(38);
      const blocks = slack.requests.map((r) => r.body as { text: string; blocks: { type: string }[] });
      expect(blocks.every((b) => b.blocks[0]?.type === 'header')).toBe(true);
      expect(blocks.map((b) => b.text).sort()).toEqual([
        // 82.94 / 160 = 52 %; 207.36 / 160 = 130 %
        'Budget web has spent 52% of $160 (2026-11, past the 50% actual threshold)',
        'Budget web is forecast to spend 130% of $160 (2026-11, past the 100% forecast threshold)',
      ]);
      const store = openSqliteStore({ dataDir: dir });
      const again = await runAlerts({ store, statuses: [status], budgets: [b], resolveWebhook: async () => env.SLACK_URL, recommendations: new Map(), nowMs: now + H, claimant: 'later' });
      await store.close();
      expect(again.alreadySent).toHaveLength(2);
      expect(slack.requests).toHaveLength(2);
    } finally {
      await slack.close();
    }
  });

  it('a budget found far over on its first run sends only the highest crossed threshold of each kind; the lower ones never fire', async () => {
    const slack = await startSlackServer();
    const store = openSqliteStore({ dataDir: dir });
    // Actual $82.94 of $35.44 = 234 %; forecast $207.36 = 585 %.
    const b = BudgetSchema.parse({
      name: 'over',
      amountUsd: 35.44,
      thresholds: [50, 80, 100, 200, 300].map((pct) => ({ pct, kind: 'actual' })).concat([{ pct: 100, kind: 'forecast' }, { pct: 150, kind: 'forecast' }]),
      channels: [{ slackWebhook: { env: 'A' } }, { slackWebhook: { env: 'B' } }],
    });
    const status = evaluateBudget(b, entries, now);
    expect(status.thresholdsCrossed.map((t) => `${t.kind} ${t.pct}`)).toEqual(['actual 50', 'actual 80', 'actual 100', 'actual 200', 'forecast 100', 'forecast 150']);
    const input = { store, statuses: [status], budgets: [b], resolveWebhook: async (ref: object) => ('env' in ref ? slack.url(`/${String(ref.env)}`) : undefined), recommendations: new Map(), nowMs: now };
    try {
      const first = await runAlerts({ ...input, claimant: 'one' });
      expect(first.sent).toEqual(['actual:200:env:A', 'actual:200:env:B', 'forecast:150:env:A', 'forecast:150:env:B'].map((k) => `budget-alert:over:2026-11:${k}`));
      expect(first.superseded).toHaveLength(8); // actual 50, 80, 100 and forecast 100, on each of two channels
      expect(slack.requests.filter((r) => r.path === '/A').map((r) => (r.body as { text: string }).text)).toEqual([
        'Budget over has spent 234% of $35 (2026-11, past the 200% actual threshold)',
        'Budget over is forecast to spend 585% of $35 (2026-11, past the 150% forecast threshold)',
      ]);
      const again = await runAlerts({ ...input, claimant: 'two', nowMs: now + H });
      expect(again.sent).toEqual([]);
      expect(again.alreadySent).toHaveLength(12);
      expect(slack.requests).toHaveLength(4);
      // Spend keeps rising past 300 %: only that one is new.
      const later = evaluateBudget(b, ledgerEntries(snapshots, catalog, now + 6 * 86_400_000).entries, now + 6 * 86_400_000);
      const third = await runAlerts({ ...input, statuses: [later], claimant: 'three', nowMs: now + 6 * 86_400_000 });
      expect(later.actualUsd / b.amountUsd).toBeGreaterThan(3);
      expect(third.sent).toEqual(['budget-alert:over:2026-11:actual:300:env:A', 'budget-alert:over:2026-11:actual:300:env:B']);
      expect(third.superseded).toEqual([]);
    } finally {
      await store.close();
      await slack.close();
    }
  });

  it('folds the lower thresholds even when the highest send fails; the next run retries only the highest', async () => {
    const slack = await startSlackServer({ '/down': [{ status: 500 }, { status: 500 }] });
    const store = openSqliteStore({ dataDir: dir });
    const b = BudgetSchema.parse({ name: 'retry', amountUsd: 10, thresholds: [{ pct: 50, kind: 'actual' }, { pct: 100, kind: 'actual' }], channels: [{ slackWebhook: { env: 'U' } }] });
    const input = { store, statuses: [evaluateBudget(b, entries, now)], budgets: [b], resolveWebhook: async () => slack.url('/down'), recommendations: new Map(), nowMs: now, slack: { maxAttempts: 2, sleep: async () => undefined } };
    try {
      const first = await runAlerts({ ...input, claimant: 'one' });
      expect(first.failed.map((f) => f.key)).toEqual(['budget-alert:retry:2026-11:actual:100:env:U']);
      expect(first.superseded).toEqual(['budget-alert:retry:2026-11:actual:50:env:U']);
      const second = await runAlerts({ ...input, claimant: 'two' });
      expect(second.sent).toEqual(['budget-alert:retry:2026-11:actual:100:env:U']);
      expect(second.alreadySent).toEqual(['budget-alert:retry:2026-11:actual:50:env:U']);
      expect(slack.requests).toHaveLength(1);
    } finally {
      await store.close();
      await slack.close();
    }
  });

  it('honours 429 Retry-After, retries 5xx, and turns 404 into a dead-webhook status without retrying forever', async () => {
    const slack = await startSlackServer({
      '/rate': [{ status: 429, headers: { 'retry-after': '2' } }],
      '/flaky': [{ status: 500 }, { status: 503 }],
      '/gone': [{ status: 404, body: 'no_service' }],
    });
    const sleeps: number[] = [];
    const opts = { sleep: async (ms: number) => void sleeps.push(ms), random: () => 0.5, baseDelayMs: 100 };
    const store = openSqliteStore({ dataDir: dir });
    try {
      const run = async (hook: string, name: string) => {
        const b = BudgetSchema.parse({ name, amountUsd: 10, thresholds: [{ pct: 100, kind: 'actual' }], channels: [{ slackWebhook: { env: 'U' } }] });
        const status = evaluateBudget(b, entries, now);
        return runAlerts({ store, statuses: [status], budgets: [b], resolveWebhook: async () => slack.url(hook), recommendations: new Map(), nowMs: now, claimant: 'c', slack: opts });
      };
      expect((await run('/rate', 'rate')).sent).toHaveLength(1);
      expect(sleeps).toEqual([2000]);
      expect(slack.attempts.filter((a) => a.path === '/rate').map((a) => a.status)).toEqual([429, 200]);
      sleeps.length = 0;
      expect((await run('/flaky', 'flaky')).sent).toHaveLength(1);
      expect(sleeps).toEqual([50, 100]); // full jitter at 0.5: 0.5 × 100 × 2^(n−1)
      const gone = await run('/gone', 'gone');
      expect(gone.dead).toHaveLength(1);
      expect((await run('/gone', 'gone')).alreadySent).toHaveLength(1); // not retried forever
      expect(await store.alertError('budget-alert:gone:2026-11:actual:100:env:U')).toMatchObject({ error: expect.stringContaining('dead webhook') });
      expect(slack.requests.map((r) => r.path).sort()).toEqual(['/flaky', '/rate']);
      expect(slack.attempts.filter((a) => a.path === '/gone').map((a) => a.status)).toEqual([404]); // one request, ever
      expect(await readChannelStatus(store, 'env:U')).toMatchObject({ state: 'dead', detail: 'webhook answered 404 no_service' });
    } finally {
      await store.close();
      await slack.close();
    }
  });

  it('a failed send is released and retried on the next run, never marked sent', async () => {
    const slack = await startSlackServer({ '/down': Array.from({ length: 5 }, () => ({ status: 500 })) });
    const store = openSqliteStore({ dataDir: dir });
    const b = BudgetSchema.parse({ name: 'down', amountUsd: 10, thresholds: [{ pct: 100, kind: 'actual' }], channels: [{ slackWebhook: { env: 'U' } }] });
    const status = evaluateBudget(b, entries, now);
    const input = { store, statuses: [status], budgets: [b], resolveWebhook: async () => slack.url('/down'), recommendations: new Map(), nowMs: now, slack: { sleep: async () => undefined } };
    try {
      const first = await runAlerts({ ...input, claimant: 'one' });
      expect(first.failed).toHaveLength(1);
      expect(slack.requests).toHaveLength(0);
      const second = await runAlerts({ ...input, claimant: 'two' });
      expect(second.sent).toHaveLength(1);
      expect(slack.requests).toHaveLength(1);
    } finally {
      await store.close();
      await slack.close();
    }
  });
  it('gives each channel its own claim: a failing channel is retried without repeating the message to the others', async () => {
    const slack = await startSlackServer({ '/b': Array.from({ length: 2 }, () => ({ status: 500 })) });
    const store = openSqliteStore({ dataDir: dir });
    const b = BudgetSchema.parse({ name: 'two', amountUsd: 10, thresholds: [{ pct: 100, kind: 'actual' }], channels: [{ slackWebhook: { env: 'A' } }, { slackWebhook: { env: 'B' } }, { slackWebhook: { env: 'C' } }] });
    const env: Record<string, string | undefined> = { A: slack.url('/a'), B: slack.url('/b') }; // C is not set
    const input = { store, statuses: [evaluateBudget(b, entries, now)], budgets: [b], resolveWebhook: async (ref: { env: string } | object) => ('env' in ref ? env[ref.env] : undefined), recommendations: new Map(), nowMs: now, slack: { maxAttempts: 2, sleep: async () => undefined } };
    try {
      const first = await runAlerts({ ...input, claimant: 'one' });
      expect(first.sent).toEqual(['budget-alert:two:2026-11:actual:100:env:A']);
      expect(first.failed.map((f) => f.key)).toEqual(['budget-alert:two:2026-11:actual:100:env:B', 'budget-alert:two:2026-11:actual:100:env:C']);
      expect(first.failed[1]?.detail).toBe('webhook secret env:C is not set');
      expect(await readChannelStatus(store, 'env:B')).toMatchObject({ state: 'failing', detail: 'webhook answered 500' });
      expect(await readChannelStatus(store, 'env:C')).toMatchObject({ state: 'unset' });
      env['C'] = slack.url('/c');
      const second = await runAlerts({ ...input, claimant: 'two', nowMs: now + H });
      expect(second.alreadySent).toEqual(['budget-alert:two:2026-11:actual:100:env:A']);
      expect(second.sent).toEqual(['budget-alert:two:2026-11:actual:100:env:B', 'budget-alert:two:2026-11:actual:100:env:C']);
      expect(slack.requests.map((r) => r.path)).toEqual(['/a', '/b', '/c']);
      expect(await readChannelStatus(store, 'env:B')).toMatchObject({ state: 'ok', atMs: now + H });
    } finally {
      await store.close();
      await slack.close();
    }
  });

  it('a secret store error is a failed send, retried next run', async () => {
    const slack = await startSlackServer();
    const store = openSqliteStore({ dataDir: dir });
    const b = BudgetSchema.parse({ name: 'ssm', amountUsd: 10, thresholds: [{ pct: 100, kind: 'actual' }], channels: [{ slackWebhook: { ssmParameter: '/rs/slack' } }] });
    let calls = 0;
    const resolveWebhook = async () => {
      if (calls++ === 0) throw new Error('ThrottlingException: Rate exceeded');
      return slack.url('/ssm');
    };
    const input = { store, statuses: [evaluateBudget(b, entries, now)], budgets: [b], resolveWebhook, recommendations: new Map(), nowMs: now };
    try {
      expect((await runAlerts({ ...input, claimant: 'one' })).failed).toEqual([{ key: 'budget-alert:ssm:2026-11:actual:100:ssm:/rs/slack', detail: 'reading webhook secret ssm:/rs/slack: ThrottlingException: Rate exceeded' }]);
      expect((await runAlerts({ ...input, claimant: 'two' })).sent).toHaveLength(1);
      expect(slack.requests).toHaveLength(1);
    } finally {
      await store.close();
      await slack.close();
    }
  });
});
