import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertBlocks, recommendationsToGetUnder } from '../../src/budgets/alert-message.js';
import { scopedRecommendations } from '../../src/budgets/alerts.js';
import { writeChannelStatus } from '../../src/budgets/channel-status.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { BudgetSchema, ConfigSchema } from '../../src/config.js';
import { demoHistorySnapshots, generateDemoFleet } from '../../src/demo/fleet.js';
import { analyzeSnapshot } from '../../src/engine/analyze.js';
import { buildWeeklyReport, reportWindow, writeWeeklyReport } from '../../src/report/weekly.js';
import type { Recommendation } from '../../src/domain/recommendation.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const GOLDEN = path.join(here, '../golden');
// UPDATE_GOLDEN=1 npx vitest run test/report rewrites the golden files after an intended change.
const UPDATE = process.env['UPDATE_GOLDEN'] === '1';

function golden(name: string, actual: string) {
  const file = path.join(GOLDEN, name);
  if (UPDATE || !existsSync(file)) writeFileSync(file, actual);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

const NOW = Date.UTC(2026, 10, 23, 8); // Monday 08:00 UTC, when the scheduled report runs
let dir: string;
let out: Awaited<ReturnType<typeof writeWeeklyReport>>;
let pastWeek: Awaited<ReturnType<typeof buildWeeklyReport>>;
let awsRecs: Recommendation[] = [];
const catalog = loadCatalog();
const config = ConfigSchema.parse({ budgets: [{ name: 'fleet', amountUsd: 450000 }, { name: 'aws-small', amountUsd: 50000, scope: { cloud: 'aws' }, channels: [{ slackWebhook: { env: 'SLACK' } }] }] });

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'rightsize-report-'));
  const store = openSqliteStore({ dataDir: dir });
  const fleet = generateDemoFleet({ seed: 3, nowMs: NOW, instanceCount: 300 });
  for (const s of [...demoHistorySnapshots({ seed: 3, nowMs: NOW, current: fleet }), fleet]) await store.writeSnapshot(s);
  await store.writeResults(await analyzeSnapshot({ meta: fleet, instances: fleet.instances, seriesByInstance: store.seriesByInstance(fleet.id), catalog, settings: config.engine, nowMs: NOW }));
  // A dead alert channel must show in the report's budget section.
  await writeChannelStatus(store, { channel: 'env:SLACK', state: 'dead', atMs: NOW - 3_600_000, alertKey: 'budget-alert:aws-small:2026-11:actual:50:env:SLACK', detail: 'webhook answered 404 no_service' });
  out = await writeWeeklyReport({ store, catalog, config, nowMs: NOW, link: 'https://rightsize.example/v1/reports/weekly/latest' });
  pastWeek = await buildWeeklyReport({ store, catalog, config, nowMs: NOW, isoWeek: '2026-W46' });
  awsRecs = (await scopedRecommendations(store, config.budgets)).get('aws-small') ?? [];
  await store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('weekly report', () => {
  it('compares this week with last week, per cloud adding up to the total', () => {
    const s = out.report.spend;
    expect(out.report.isoWeek).toBe('2026-W47');
    expect(s.thisWeekUsd).toBeGreaterThan(0);
    expect(s.lastWeekUsd).toBeGreaterThan(0);
    expect(s.byCloud.reduce((a, c) => a + c.thisWeekUsd, 0)).toBeCloseTo(s.thisWeekUsd, 0);
    expect(s.changePct).toBeCloseTo((100 * (s.thisWeekUsd - s.lastWeekUsd)) / s.lastWeekUsd, 1);
    expect(s.daily).toHaveLength(14);
    expect(out.report.budgets.map((b) => b.name)).toEqual(['fleet', 'aws-small']);
    expect(out.report.utilization.gpu.gpuInstances).toBeGreaterThan(0);
    expect(out.report.utilization.gpu.idleGpuHours).toBeLessThanOrEqual(out.report.utilization.gpu.gpuHours);
    expect(out.report.dataQuality.scopes.some((q) => q.status === 'throttled')).toBe(true);
    expect(out.keys).toEqual(['reports/weekly/2026-W47.json', 'reports/weekly/2026-W47.html', 'reports/weekly/2026-W47.md']);
  });

  it('shows each budget channel\'s delivery state, a dead webhook with its reason', () => {
    const aws = out.report.budgets.find((b) => b.name === 'aws-small');
    expect(aws?.channels).toEqual([{ channel: 'env:SLACK', state: 'dead', atMs: NOW - 3_600_000, detail: 'webhook answered 404 no_service' }]);
    expect(out.markdown).toContain('env:SLACK dead (webhook answered 404 no_service)');
    expect(JSON.stringify(out.slackSummary)).toContain('env:SLACK (dead)');
  });

  it('reports an exact ISO week on request: Monday to Monday UTC, compared with the week before', () => {
    expect(reportWindow(NOW, '2026-W46')).toEqual({ isoWeek: '2026-W46', startMs: Date.UTC(2026, 10, 9), endMs: Date.UTC(2026, 10, 16) });
    expect(reportWindow(NOW, '2026-W48')).toEqual({ isoWeek: '2026-W48', startMs: Date.UTC(2026, 10, 23), endMs: NOW }); // the current week, so far
    expect(() => reportWindow(NOW, '2026-W49')).toThrow('has not started');
    expect(pastWeek.isoWeek).toBe('2026-W46');
    expect(pastWeek.report.weekStart).toBe('2026-11-09T00:00:00.000Z');
    expect(pastWeek.report.spend.daily.map((d) => d.day)).toEqual(Array.from({ length: 14 }, (_, i) => new Date(Date.UTC(2026, 10, 2 + i)).toISOString().slice(0, 10)));
    // The daily spends of the window's 7 days add up to its weekly total (independent sums of the same ledger).
    const week = pastWeek.report.spend.daily.slice(7).reduce((a, d) => a + d.usd, 0);
    expect(week).toBeCloseTo(pastWeek.report.spend.thisWeekUsd, 0);
    const prior = pastWeek.report.spend.daily.slice(0, 7).reduce((a, d) => a + d.usd, 0);
    expect(prior).toBeCloseTo(pastWeek.report.spend.lastWeekUsd, 0);
  });

  it('matches the golden Markdown, JSON and Slack summary', () => {
    golden('weekly-report.md', out.markdown);
    golden('weekly-report.json', out.json);
    golden('weekly-slack-summary.json', `${JSON.stringify(out.slackSummary, null, 2)}\n`);
  });

  it('matches the golden Block Kit alert payload', () => {
    const status = out.report.budgets.find((b) => b.name === 'aws-small');
    if (!status) throw new Error('missing budget');
    expect(awsRecs.length).toBeGreaterThan(3);
    expect(awsRecs.every((r) => r.cloud === 'aws')).toBe(true);
    const plan = recommendationsToGetUnder(status, awsRecs);
    expect(plan.picks.map((r) => r.monthlySavingsUsd)).toEqual([...awsRecs.map((r) => r.monthlySavingsUsd)].sort((a, b) => b - a).slice(0, 3));
    golden('budget-alert-blocks.json', `${JSON.stringify(alertBlocks(status, { pct: 100, kind: 'forecast' }, plan, 'https://rightsize.example/r'), null, 2)}\n`);
    expect(BudgetSchema.parse({ name: 'x', amountUsd: 1 }).timeZone).toBe('UTC');
  });

  it('renders in headless Chromium with every chart and no console errors, offline', async () => {
    const chromiumPath = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
    if (!chromiumPath) throw new Error('Debian chromium is required (apt-get install chromium); .ci/run installs it');
    const file = path.join(dir, 'report.html');
    writeFileSync(file, out.html);
    const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(`file://${file}`);
      const charts = page.locator('svg.chart');
      expect(await charts.count()).toBe(3);
      for (let i = 0; i < 3; i++) {
        const box = await charts.nth(i).boundingBox();
        expect(box?.width).toBeGreaterThan(100);
        expect(await charts.nth(i).locator('rect, path').count()).toBeGreaterThan(0);
      }
      expect(await page.locator('h2').allInnerTexts()).toEqual(['Spend', 'Fleet utilization', 'Top recommendations', 'Purchase plans', 'Budgets', 'Data quality']);
      expect(errors).toEqual([]);
      expect(requests.filter((u) => !u.startsWith('file://') && !u.startsWith('data:'))).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
