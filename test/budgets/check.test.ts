import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { scopedRecommendations } from '../../src/budgets/alerts.js';
import { checkBudgets } from '../../src/budgets/check.js';
import { budgetStatuses } from '../../src/budgets/evaluate.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { BudgetSchema } from '../../src/config.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { makeRecommendation, makeSnapshot } from '../helpers/fixtures-snapshot.js';
import { startSlackServer } from '../helpers/slack-server.js';

const catalog = loadCatalog();
const NOW = Date.UTC(2026, 10, 20, 12);
const snap = makeSnapshot('s1', Date.UTC(2026, 10, 1), 12);
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'rightsize-check-'));
  const store = openSqliteStore({ dataDir: dir });
  await store.writeSnapshot(snap);
  // Savings 10, 20, …, 120 by instance number: the biggest ones belong to odd (team=data) instances half the time.
  await store.writeResults({ snapshotId: 's1', recommendations: snap.instances.map((i, n) => makeRecommendation('s1', i, 10 * (n + 1), n % 3)), skips: [], plans: [] });
  await store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const web = BudgetSchema.parse({ name: 'web', amountUsd: 100, scope: { tags: { team: 'web' } }, thresholds: [{ pct: 100, kind: 'actual' }], channels: [{ slackWebhook: { env: 'HOOK' } }] });
const awsAcct0 = BudgetSchema.parse({ name: 'aws0', amountUsd: 1e6, scope: { cloud: 'aws', account: 'acct-0' } });

it('cites only recommendations inside a budget\'s scope, tags included, largest savings first', async () => {
  const store = openSqliteStore({ dataDir: dir });
  try {
    const recs = await scopedRecommendations(store, [web, awsAcct0]);
    // team=web are the even-numbered instances (fixture rule); n = 10, 8, 6, … have savings 110, 90, 70, …
    expect(recs.get('web')?.map((r) => r.monthlySavingsUsd)).toEqual([110, 90, 70, 50, 30, 10]);
    // aws is n % 3 == 0 (0, 3, 6, 9) and acct-0 is n % 4 == 0 → n = 0 only
    expect(recs.get('aws0')?.map((r) => r.instanceId)).toEqual(['s1-i-00000']);
  } finally {
    await store.close();
  }
});

it('rightsize alerts end to end: evaluates, sends one Block Kit message, and the status shows the channel', async () => {
  const slack = await startSlackServer();
  const store = openSqliteStore({ dataDir: dir });
  try {
    const before = await budgetStatuses({ store, catalog, budgets: [web], nowMs: NOW });
    expect(before[0]?.channels).toEqual([{ channel: 'env:HOOK', state: 'never-used' }]);
    const run = () => checkBudgets({ store, catalog, budgets: [web], resolveWebhook: async () => slack.url('/hook'), nowMs: NOW, claimant: 'x', link: 'https://rs.example/report' });
    const { statuses, result } = await run();
    expect(result.sent).toEqual(['budget-alert:web:2026-11:actual:100:env:HOOK']);
    expect(statuses[0]?.channels).toEqual([{ channel: 'env:HOOK', state: 'ok', atMs: NOW }]);
    // By hand: s1-i-00006 is an on-demand m5.large at $0.096/h running Nov 1 00:00 → Nov 20 12:00 = 468 h.
    const status = statuses[0];
    expect(status?.topDrivers.find((d) => d.instanceId === 's1-i-00006')?.usd).toBe(44.93);
    // Six team=web instances (even n); the five drivers listed plus s1-i-00000 (a spot m5.large, cheaper than on-demand).
    const rest = (status?.actualUsd ?? 0) - (status?.topDrivers ?? []).reduce((a, d) => a + d.usd, 0);
    expect(rest).toBeGreaterThan(0);
    expect(rest).toBeLessThan(44.93);
    // Constant spend: forecast = actual × 30 days / 19.5 days.
    expect(status?.forecastUsd).toBeCloseTo(((status?.actualUsd ?? 0) * 30) / 19.5, 1);
    const text = JSON.stringify(slack.requests[0]?.body);
    expect(text).toContain('s1-i-00010: n2-standard-4 → smaller (downsize) saves $110/month');
    expect(text).not.toContain('s1-i-00011'); // team=data
    expect((await run()).result.alreadySent).toHaveLength(1);
    expect(slack.requests).toHaveLength(1);
  } finally {
    await store.close();
    await slack.close();
  }
});
