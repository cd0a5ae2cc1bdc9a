import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateDemoFleet } from '../../src/demo/fleet.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { startSlackServer } from '../helpers/slack-server.js';

let dir: string;
let slack: Awaited<ReturnType<typeof startSlackServer>>;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'rightsize-sched-'));
  slack = await startSlackServer();
  const store = openSqliteStore({ dataDir: dir });
  await store.writeSnapshot(generateDemoFleet({ seed: 5, nowMs: Date.now() - 3_600_000, instanceCount: 80 }));
  await store.close();
  const configFile = path.join(dir, 'rightsize.config.json');
  writeFileSync(configFile, JSON.stringify({ dataDir: dir, report: { slackWebhook: { env: 'SLACK_REPORT' } }, budgets: [{ name: 'tiny', amountUsd: 1, thresholds: [{ pct: 100, kind: 'actual' }], channels: [{ slackWebhook: { env: 'SLACK_ALERTS' } }] }] }));
  process.env['RIGHTSIZE_CONFIG'] = configFile;
  process.env['SLACK_REPORT'] = slack.url('/report');
  process.env['SLACK_ALERTS'] = slack.url('/alerts');
});
afterAll(async () => {
  await slack.close();
  rmSync(dir, { recursive: true, force: true });
});

it('the weekly-report handler stores the report and posts the summary to Slack', async () => {
  const { handler } = await import('../../functions/weekly-report.js');
  const out = await handler();
  expect(out.slack).toBe('sent');
  expect(out.keys).toHaveLength(3);
  const store = openSqliteStore({ dataDir: dir });
  expect((await store.getBlob(out.keys[1] as string))?.body).toContain('<svg');
  await store.close();
  expect(slack.requests.filter((r) => r.path === '/report')).toHaveLength(1);
});

it('the alerts handler sends a crossed threshold once, however often it runs', async () => {
  const { handler } = await import('../../functions/alerts.js');
  expect(await handler()).toEqual({ sent: 1, failed: 0, dead: 0 });
  // Same snapshot, same day, nothing to retry: the evaluation is skipped.
  expect(await handler()).toEqual({ sent: 0, failed: 0, dead: 0, skipped: 'no new snapshot since the last evaluation today' });
  // A new snapshot is evaluated again, and the threshold already sent this period is not sent twice.
  const store = openSqliteStore({ dataDir: dir });
  await store.writeSnapshot({ ...generateDemoFleet({ seed: 5, nowMs: Date.now() - 60_000, instanceCount: 80 }), id: 'second' });
  await store.close();
  expect(await handler()).toEqual({ sent: 0, failed: 0, dead: 0 });
  expect(slack.requests.filter((r) => r.path === '/alerts')).toHaveLength(1);
});
