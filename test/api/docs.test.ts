import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { findChromium } from '../helpers/binaries.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { serve } from '../../src/api/serve.js';
import { overflowOf } from '../report/overflow.js';
import { makeApi, TOKEN } from './setup.js';

const CHROMIUM = findChromium();
let api: Awaited<ReturnType<typeof makeApi>>;
let server: Awaited<ReturnType<typeof serve>>;
let browser: Browser;
let page: Page;
let dir: string;
const errors: string[] = [];

beforeAll(async () => {
  api = await makeApi();
  server = await serve({ app: api.app, port: 0 });
  dir = mkdtempSync(path.join(tmpdir(), 'rightsize-docs-'));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 960, height: 1200 } });
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  const res = await page.goto(`${server.url}/docs`);
  expect(res?.status()).toBe(200);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await api.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const section = (id: string) => page.locator(`section.route[id="${id}"]`);

it('the docs page renders in headless Chromium with every route visible and no console errors', async () => {
  const text = await page.locator('body').innerText();
  for (const route of ['/healthz', '/v1/recommendations', '/v1/advice', '/v1/instances/{id}', '/v1/purchase-plans', '/v1/prices', '/v1/budgets', '/v1/reports/weekly/{isoWeek}', '/v1/snapshots', '/v1/policy-evaluation']) {
    expect(text).toContain(route);
  }
  expect(await page.locator('section.route').count()).toBe(18);
  expect(errors, errors.join('\n')).toEqual([]);
});

it('fits 960 px: no element wider than the page (screenshot)', async () => {
  const o = await overflowOf(page);
  expect(o.wider, o.wider.join('\n')).toEqual([]);
  expect(o.scrollWidth).toBeLessThanOrEqual(960);
  const shot = await page.screenshot({ fullPage: true, path: path.join(dir, 'docs-960.png') });
  expect(shot.byteLength).toBeGreaterThan(10_000);
});

it('renders the Markdown of descriptions: no backtick is shown literally', async () => {
  const tag = section('get/v1/instances').locator('table.params tr', { hasText: 'tag' });
  expect(await tag.locator('code').allInnerTexts()).toEqual(['tag', 'key', 'key=value']);
  expect(await page.locator('.desc, table').evaluateAll((els) => els.filter((e) => (e as { innerText: string }).innerText.includes('`')).length)).toBe(0);
});

it('describes every query parameter, with the allowed values of kind, sort, cloud and view', async () => {
  const params = section('get/v1/recommendations').locator('table.params tbody tr');
  const rows = await params.allInnerTexts();
  const row = (name: string) => rows.find((r) => r.startsWith(name)) ?? '';
  expect(row('kind')).toContain('one of downsize, upsize, modernize, idle, gpu-fewer, gpu-model, gpu-to-cpu');
  expect(row('sort')).toContain('one of savings, risk; default savings');
  expect(row('cloud')).toContain('one of aws, gcp, azure');
  expect(row('view')).toContain('one of summary, full; default summary');
  expect(row('limit')).toContain('integer 1–500; default 50');
  // Every query parameter of every route has a description.
  const empty = await page.locator('table.params tbody tr').evaluateAll((trs) => trs.filter((tr) => (tr.lastElementChild as { innerText: string } | null)?.innerText.trim() === '').map((tr) => (tr as { innerText: string }).innerText));
  expect(empty).toEqual([]);
});

it('documents POST /v1/advice\'s body and sends it from "try it"', async () => {
  const advice = section('post/v1/advice');
  const fields = await advice.locator('table.body tbody tr td:first-child').allInnerTexts();
  expect(fields).toEqual(expect.arrayContaining(['vcpu required', 'memoryGiB required', 'gpu', 'gpu.count required', 'gpu.model', 'clouds', 'purchaseOptions', 'limit']));
  await page.fill('#token', TOKEN);
  await advice.locator('button[type=submit]').click();
  const out = advice.locator('pre.out');
  await expect.poll(() => out.innerText()).toMatch(/^200 OK\n\{\n {2}"options": \[/);
  expect(JSON.parse((await out.innerText()).split('\n').slice(1).join('\n')).options.length).toBeGreaterThan(0);
});

it('"try it" takes parameters: a query filter and a path parameter', async () => {
  const recs = section('get/v1/recommendations');
  await recs.locator('select[name=cloud]').selectOption('aws');
  await recs.locator('input[name=limit]').fill('3');
  await recs.locator('button[type=submit]').click();
  const out = recs.locator('pre.out');
  await expect.poll(() => out.innerText()).toMatch(/^200 OK/);
  const items = (JSON.parse((await out.innerText()).split('\n').slice(1).join('\n')) as { items: { cloud: string }[] }).items;
  expect(items.length).toBe(3);
  expect(items.every((i) => i.cloud === 'aws')).toBe(true);

  const week = section('get/v1/reports/weekly/{isoWeek}');
  await week.locator('input[name=isoWeek]').fill('not-a-week');
  await week.locator('button[type=submit]').click();
  await expect.poll(() => week.locator('pre.out').innerText()).toMatch(/^400 Bad Request/);
  // Chromium logs the 400 it was asked for; nothing else.
  const others = errors.filter((e) => !e.includes('status of 400 (Bad Request)'));
  expect(others, others.join('\n')).toEqual([]);
});

it('/healthz is in the OpenAPI document', async () => {
  const doc = (await (await api.app.request('/openapi.json')).json()) as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
  expect(Object.keys(doc.paths['/healthz']?.['get']?.responses ?? {})).toEqual(['200']);
});
