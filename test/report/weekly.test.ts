import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertBlocks } from '../../src/budgets/alerts.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { BudgetSchema, ConfigSchema } from '../../src/config.js';
import { demoHistorySnapshots, generateDemoFleet } from '../../src/demo/fleet.js';
import { analyzeSnapshot } from '../../src/engine/analyze.js';
import { writeWeeklyReport } from '../../src/report/weekly.js';
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
const catalog = loadCatalog();
const config = ConfigSchema.parse({ budgets: [{ name: 'fleet', amountUsd: 450000 }, { name: 'aws-small', amountUsd: 50000, scope: { cloud: 'aws' }, channels: [{ slackWebhook: { env: 'SLACK' } }] }] });

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'rightsize-report-'));
  const store = openSqliteStore({ dataDir: dir });
  const fleet = generateDemoFleet({ seed: 3, nowMs: NOW, instanceCount: 300 });
  for (const s of [...demoHistorySnapshots({ seed: 3, nowMs: NOW, current: fleet }), fleet]) await store.writeSnapshot(s);
  await store.writeResults(await analyzeSnapshot({ meta: fleet, instances: fleet.instances, seriesByInstance: store.seriesByInstance(fleet.id), catalog, settings: config.engine, nowMs: NOW }));
  out = await writeWeeklyReport({ store, catalog, config, nowMs: NOW, link: 'https://rightsize.example/v1/reports/weekly/latest' });
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

  it('matches the golden Markdown, JSON and Slack summary', () => {
    golden('weekly-report.md', out.markdown);
    golden('weekly-report.json', out.json);
    golden('weekly-slack-summary.json', `${JSON.stringify(out.slackSummary, null, 2)}\n`);
  });

  it('matches the golden Block Kit alert payload', () => {
    const status = out.report.budgets.find((b) => b.name === 'aws-small');
    if (!status) throw new Error('missing budget');
    golden('budget-alert-blocks.json', `${JSON.stringify(alertBlocks(status, { pct: 100, kind: 'forecast' }, [], 'https://rightsize.example/r'), null, 2)}\n`);
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
