import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { findChromium } from '../helpers/binaries.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertBlocks, recommendationsToGetUnder } from '../../src/budgets/alert-message.js';
import { scopedRecommendations } from '../../src/budgets/alerts.js';
import { writeChannelStatus } from '../../src/budgets/channel-status.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { BudgetSchema, ConfigSchema } from '../../src/config.js';
import { demoHistorySnapshots, generateDemoFleet } from '../../src/demo/fleet.js';
import { analyzeSnapshot } from '../../src/engine/analyze.js';
import { evaluatePolicies, type PolicyEvaluation } from '../../src/engine/evaluate.js';
import { CANDIDATE_POLICIES } from '../../src/engine/validation.js';
import { renderHtml } from '../../src/report/html.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { buildWeeklyReport, reportWindow, writeWeeklyReport } from '../../src/report/weekly.js';
import { importFocusExport } from '../../src/billing/import.js';
import { localBillingSource } from '../../src/billing/local-source.js';
import { demoBillCsv } from '../../src/demo/bill.js';
import { openSqliteSpendLedger } from '../../src/store/spend/sqlite-spend-ledger.js';
import type { Recommendation } from '../../src/domain/recommendation.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { overflowOf } from './overflow.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const GOLDEN = path.join(here, '../golden');
// UPDATE_GOLDEN=1 npx vitest run test/report rewrites the golden files after an intended change.
const UPDATE = process.env['UPDATE_GOLDEN'] === '1';

/** Markdown with CommonMark's backslash escapes removed: what a reader sees. */
const unescapeMd = (md: string) => md.replace(/\\([!-/:-@[-`{-~])/g, '$1');

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
let emptyStore: Awaited<ReturnType<typeof buildWeeklyReport>>;
/** The configured settings evaluated as they are (a candidate laying nothing over them), next to every candidate. */
let asConfigured: PolicyEvaluation;
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
  // The demo's bill of the same days (src/demo/bill.ts) through the real import: the report's "From the bill".
  const ledger = openSqliteSpendLedger({ dataDir: dir });
  const billDir = path.join(dir, 'bill');
  mkdirSync(billDir, { recursive: true });
  const history = demoHistorySnapshots({ seed: 3, nowMs: NOW, current: fleet });
  writeFileSync(path.join(billDir, 'focus-demo.csv'), demoBillCsv(history, catalog).csv);
  // A fixed dataset id: the golden files must not carry the temp directory's name.
  const source = { ...(await localBillingSource(billDir)), datasetId: 'file:///demo/bill' };
  await importFocusExport(source, ledger, { exchangeRatesToUsd: { USD: 1 }, nowMs: NOW });
  out = await writeWeeklyReport({ store, catalog, config, nowMs: NOW, link: 'https://rightsize.example/v1/reports/weekly/latest', ledger });
  await ledger.close();
  pastWeek = await buildWeeklyReport({ store, catalog, config, nowMs: NOW, isoWeek: '2026-W46' });
  awsRecs = (await scopedRecommendations(store, config.budgets)).get('aws-small') ?? [];
  asConfigured = await evaluatePolicies({ meta: fleet, instances: fleet.instances, seriesByInstance: store.seriesByInstance(fleet.id), catalog, settings: config.engine, policies: [{ id: 'as-configured', label: 'as configured', settings: {} }] });
  await store.close();
  const empty = openSqliteStore({ dataDir: path.join(dir, 'empty') });
  emptyStore = await buildWeeklyReport({ store: empty, catalog, config, nowMs: NOW });
  await empty.close();
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
    expect(unescapeMd(out.markdown)).toContain('env:SLACK dead (webhook answered 404 no_service)');
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

  it('shows the right-sizing policy frontier: a point and a row per candidate, auto\'s pick and the configured policy marked', () => {
    const f = out.report.policyFrontier;
    if (f.status !== 'ok') throw new Error(`no frontier: ${f.reason}`);
    expect(f.snapshotId).toBe(out.report.snapshotId);
    expect(f.scopes.map((s) => s.scope)).toEqual(['fleet']);
    const fleet = f.scopes[0]!;
    expect(fleet.points.map((p) => p.id)).toEqual(CANDIDATE_POLICIES.map((p) => p.id));
    expect(fleet.budgetPct).toBe(config.engine.fleetRiskBudgetPct);
    // auto: the within-budget point saving most, found here without the engine's chooser.
    const within = fleet.points.filter((p) => p.outOfSampleOverPct <= fleet.budgetPct);
    expect(within.length).toBeGreaterThan(0);
    expect(fleet.points.find((p) => p.id === fleet.autoPick)?.savingsPct).toBe(Math.max(...within.map((p) => p.savingsPct)));
    // The configured (fixed) policy's point scores exactly what the configured settings score on their own.
    expect(fleet.policy).toBe('fixed');
    const configured = fleet.points.find((p) => p.id === fleet.configuredPolicyId);
    const own = asConfigured.scopes[0]?.scores[0];
    expect(configured && { savingsPct: configured.savingsPct, over: configured.outOfSampleOverPct }).toEqual(own && { savingsPct: own.savingsPct, over: own.outOfSampleOverPct });

    const html = out.html.slice(out.html.indexOf('<h2>Right-sizing policy frontier</h2>'), out.html.indexOf('<h2>Purchase plans</h2>'));
    const svg = html.match(/<svg class="chart frontier"[\s\S]*?<\/svg>/g) ?? [];
    expect(svg).toHaveLength(1);
    expect(svg[0]!.match(/<circle class="policy[ "]/g)).toHaveLength(CANDIDATE_POLICIES.length);
    expect([...svg[0]!.matchAll(/<circle class="policy auto[^"]*" data-policy="([^"]+)"/g)].map((m) => m[1])).toEqual([fleet.autoPick]);
    expect([...svg[0]!.matchAll(/<circle class="policy[^"]*configured" data-policy="([^"]+)"/g)].map((m) => m[1])).toEqual([fleet.configuredPolicyId]);
    expect(svg[0]!.match(/<line class="budget"/g)).toHaveLength(1);
    expect(html.match(/<tr><td>/g)).toHaveLength(CANDIDATE_POLICIES.length);
    expect(html).toContain(`auto picks ${fleet.autoPick} (`);

    const md = unescapeMd(out.markdown.slice(out.markdown.indexOf('## Right-sizing policy frontier'), out.markdown.indexOf('## Purchase plans')));
    const rows = md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| policy |'));
    expect(rows.map((r) => r.split(' | ')[0]!.slice(2))).toEqual(CANDIDATE_POLICIES.map((p) => p.id));
    expect(rows.filter((r) => r.includes('auto pick')).map((r) => r.split(' | ')[0]!.slice(2))).toEqual([fleet.autoPick]);
    expect(md).toContain(`configured policy: fixed (runs as ${fleet.configuredPolicyId})`);
  });

  it('says why there is no frontier when the store holds no snapshot', () => {
    expect(emptyStore.report.policyFrontier).toEqual({ status: 'unavailable', snapshotId: null, reason: 'no snapshot in the store yet' });
    expect(emptyStore.markdown).toContain('## Right-sizing policy frontier\n\nNo policy frontier: no snapshot in the store yet.');
    expect(emptyStore.html).toContain('<h2>Right-sizing policy frontier</h2>\n<p>No policy frontier: no snapshot in the store yet.</p>');
  });

  it('escapes the frontier\'s strings in HTML and Markdown', () => {
    const f = out.report.policyFrontier;
    if (f.status !== 'ok') throw new Error('no frontier');
    const evil = '<img src=x onerror=alert(1)>|x';
    const scope = { ...f.scopes[0]!, scope: evil, points: f.scopes[0]!.points.map((p, i) => (i === 0 ? { ...p, id: evil, label: evil } : p)) };
    const report = { ...out.report, policyFrontier: { ...f, scopes: [{ ...scope, autoPick: evil }] } };
    const html = renderHtml(report);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;|x');
    const md = renderMarkdown(report);
    expect(md).not.toMatch(/[^\\]\|x/);
    expect(md).not.toMatch(/[^\\]</);
    expect(md).toContain('\\<img src=x onerror=alert(1)\\>\\|x');
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

  it('labels every headline figure with its period and unit, and says the current day is partial', () => {
    const r = out.report;
    expect(r.spend.daily.at(-1)).toEqual({ day: '2026-11-23', usd: expect.any(Number), partial: { hours: 8 } });
    expect(r.spend.daily.slice(0, -1).every((d) => d.partial === undefined)).toBe(true);
    expect(pastWeek.report.spend.daily.every((d) => d.partial === undefined)).toBe(true);
    expect(r.fleetWindow).toEqual({ start: '2026-11-09T08:00:00.000Z', end: '2026-11-23T08:00:00.000Z', days: 14 });
    for (const label of ['spend, 7 days 2026-11-16 → 2026-11-23 (USD)', 'savings found (USD per month)', 'idle GPU capacity, 14 days to 2026-11-23 (USD)', '2026-11-23 is still running: its point is the spend of its first 8 of 24 hours']) expect(out.html).toContain(label);
    expect(unescapeMd(out.markdown)).toContain('**Idle GPU capacity, 14 days to 2026-11-23:');
  });

  it('shows names first, Azure ids as the VM name, and what to do per finding', () => {
    const top = out.report.recommendations.top;
    expect(top).toHaveLength(10);
    const azure = top.find((t) => t.cloud === 'azure')!;
    expect(azure.shortId).toBe(azure.instanceId.split('/').at(-1));
    expect(out.html).toContain(`title="${azure.instanceId}"`);
    for (const t of top) {
      expect(t.actions.cli).toBe(`rightsize explain ${t.id}`);
      expect(t.actions.api).toBe(`/v1/recommendations/${encodeURIComponent(t.id)}`);
      expect(out.html).toContain(`<a href="${t.actions.api}">`);
    }
    // No full Azure resource id is shown as text: only in title attributes, links and the two commands.
    const text = out.html.replace(/<[^>]*>/g, ' ');
    expect(text.split(azure.instanceId).length - 1).toBe(2); // `rightsize explain` and `az vm …`
    expect(text).toMatch(/az vm (resize|deallocate) --ids/);
  });

  it('builds a past week from the last snapshot of that week, analyzed for the report (the demo\'s history holds no series)', () => {
    expect(pastWeek.report.snapshotId).toBe('demo-s3-2026-11-15T08');
    expect(pastWeek.report.fleetWindow?.end).toBe('2026-11-15T08:00:00.000Z');
    expect(pastWeek.report.recommendations.source).toBe('computed');
    expect(pastWeek.html).toContain('its findings were computed for this report');
    expect(out.report.recommendations.source).toBe('stored');
  });

  it('on an empty store says there is no snapshot yet instead of "All scopes collected"', () => {
    expect(emptyStore.html).toContain('No snapshot in the store yet');
    expect(emptyStore.html).not.toContain('All scopes collected');
    expect(emptyStore.markdown).toContain('no snapshot in the store yet');
    expect(emptyStore.markdown).not.toContain('All scopes collected');
  });

  it('renders in headless Chromium with every chart and no console errors, offline', async () => {
    const chromiumPath = findChromium();
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
      // Spend per cloud, daily spend, the bill against the model per day, the policy frontier.
      expect(await charts.count()).toBe(5);
      for (let i = 0; i < 5; i++) {
        const box = await charts.nth(i).boundingBox();
        expect(box?.width).toBeGreaterThan(100);
        expect(await charts.nth(i).locator('rect, path, circle').count()).toBeGreaterThan(0);
      }
      // The frontier: one visible dot per candidate policy.
      const dots = page.locator('svg.frontier circle.policy');
      expect(await dots.count()).toBe(CANDIDATE_POLICIES.length);
      for (let i = 0; i < CANDIDATE_POLICIES.length; i++) expect((await dots.nth(i).boundingBox())?.width).toBeGreaterThan(0);
      expect(await page.locator('h2').allInnerTexts()).toEqual(['Spend (modeled: running instances × catalog prices)', 'From the bill', 'Fleet utilization', 'Top recommendations', 'Week over week', 'Right-sizing policy frontier', 'Purchase plans', 'Budgets', 'Data quality']);
      expect(errors).toEqual([]);
      expect(requests.filter((u) => !u.startsWith('file://') && !u.startsWith('data:'))).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('fits a 960 px window and a printed page: no element wider than the page, labels and links visible (screenshot)', async () => {
    const file = path.join(dir, 'report-960.html');
    writeFileSync(file, out.html);
    const browser = await chromium.launch({ executablePath: findChromium(), args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    try {
      const page = await browser.newPage({ viewport: { width: 960, height: 1200 } });
      await page.goto(`file://${file}`);
      const screen = await overflowOf(page);
      expect(screen.wider, screen.wider.join('\n')).toEqual([]);
      expect(screen.scrollWidth).toBeLessThanOrEqual(960);
      const text = await page.locator('body').innerText();
      for (const label of ['spend, 7 days 2026-11-16 → 2026-11-23 (USD)', 'savings found (USD per month)', 'idle GPU capacity, 14 days to 2026-11-23 (USD)', 'Daily spend, last 14 days', 'still running', 'What to do: open in the aws console', 'API: full evidence', 'saves/month', 'showcase-serve-h100', 'vm-feature-store-prod-01', 'rightsize explain']) expect(text).toContain(label);
      // The partial day: drawn hollow, not as a plunge of the solid line.
      expect(await page.locator('svg.chart circle.partial').count()).toBe(1);
      expect(await page.locator('svg.chart text.partial').textContent()).toBe('partial: 8 of 24 hours');
      // Each finding: a console link and an API link, each row at most a few lines tall.
      const rows = page.locator('table.findings tbody tr.finding');
      expect(await rows.count()).toBe(10);
      expect(await page.locator('table.findings a[href^="https://"]').count()).toBe(10);
      expect(await page.locator('table.findings a[href^="/v1/recommendations/"]').count()).toBe(10);
      for (let i = 0; i < 10; i++) expect((await rows.nth(i).boundingBox())?.height).toBeLessThan(80);
      const shot = await page.screenshot({ fullPage: true, path: process.env["REPORT_SHOT"] ?? path.join(dir, "report-960.png") });
      expect(shot.byteLength).toBeGreaterThan(10_000);
      // Printed (A4 portrait is about 720 CSS px wide inside its margins).
      await page.setViewportSize({ width: 720, height: 1000 });
      await page.emulateMedia({ media: 'print' });
      const printed = await overflowOf(page);
      expect(printed.wider, printed.wider.join('\n')).toEqual([]);
      expect((await page.pdf({ format: 'A4' })).byteLength).toBeGreaterThan(10_000);
    } finally {
      await browser.close();
    }
  });
});
