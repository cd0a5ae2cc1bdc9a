import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.js';
import { serve } from '../../src/api/serve.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { renderHtml } from '../../src/report/html.js';
import type { WeeklyReport } from '../../src/report/weekly.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { HOSTILE_CORPUS, hostileize, hostileString } from './hostile.js';
import { findChromium } from '../helpers/binaries.js';

const report = JSON.parse(readFileSync(new URL('../golden/weekly-report.json', import.meta.url), 'utf8')) as WeeklyReport;
const MAP_KEYS = ['byKind', 'skipsByReason'];
const PAGE_URL = 'http://report.test/weekly.html';

let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: findChromium(), args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
});
afterAll(async () => browser?.close());

/**
 * Opens `url` (answered by `answer` for the page itself) and reports what hostile data managed: a script that ran
 * (a dialog, `window.__pwned`, the title changed), any other request the page made (answered with an abort), and
 * active elements or event-handler attributes in the DOM.
 */
async function visit(url: string, answer?: string) {
  const page = await browser.newPage();
  const requests: string[] = [];
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.route('**/*', async (route) => {
    const u = route.request().url();
    if (u === url && answer !== undefined) return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: answer });
    if (u === url) return route.continue();
    requests.push(u);
    return route.abort();
  });
  page.on('request', (r) => {
    const u = r.url();
    if (u !== url && !u.startsWith('data:') && !requests.includes(u)) requests.push(u);
  });
  const res = await page.goto(url, { waitUntil: 'load' });
  await page.waitForTimeout(50);
  // A string, so this file needs no DOM types: it runs in the page.
  const state = (await page.evaluate(`({
    pwned: window.__pwned !== undefined,
    title: document.title,
    active: [...document.querySelectorAll('script, iframe, object, embed, img, image, video, audio, source, form, base, meta[http-equiv], link:not([rel="icon"][href^="data:"]), style:not(head > style)')].map((e) => e.outerHTML.slice(0, 80)),
    handlers: [...document.querySelectorAll('*')].flatMap((e) => [...e.attributes].filter((a) => /^on/i.test(a.name) || (/^(href|src|xlink:href|action|formaction|data|poster|background)$/i.test(a.name) && /^\\s*javascript:/i.test(a.value))).map((a) => e.tagName + ' ' + a.name)),
    links: [...document.querySelectorAll('a[href], [href], [src], [xlink\\\\:href]')].map((e) => e.outerHTML.slice(0, 80)),
  })`)) as { pwned: boolean; title: string; active: string[]; handlers: string[]; links: string[] };
  const csp = res?.headers()['content-security-policy'];
  await page.close();
  return { ...state, requests, dialogs, csp };
}

function expectInert(v: Awaited<ReturnType<typeof visit>>) {
  expect(v.dialogs).toEqual([]);
  expect(v.pwned).toBe(false);
  expect(v.title.startsWith('Rightsize weekly report')).toBe(true);
  expect(v.requests).toEqual([]);
  expect(v.active).toEqual([]);
  expect(v.handlers).toEqual([]);
  expect(v.links.filter((l) => !l.startsWith('<link rel="icon" href="data:,"'))).toEqual([]);
}

describe('the HTML report with hostile strings in every field, in headless Chromium', () => {
  it('the probe itself sees a script run, a request leave and an active element when markup is not escaped', async () => {
    const v = await visit(PAGE_URL, `<title>Rightsize weekly report</title>${HOSTILE_CORPUS.slice(5, 10).join('')}`);
    expect(v.pwned).toBe(true);
    expect(v.requests.length).toBeGreaterThan(0);
    expect(v.active.length).toBeGreaterThan(0);
    expect(v.handlers.length).toBeGreaterThan(0);
  });

  it('the corpus in every field: no script runs, no request leaves, no active element (escaping alone, no CSP)', async () => {
    for (const s of HOSTILE_CORPUS) expectInert(await visit(PAGE_URL, renderHtml(hostileize(report, [s], MAP_KEYS))));
  });

  it('property: random hostile strings in every field', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(hostileString, { minLength: 1, maxLength: 40 }), async (strings) => {
        expectInert(await visit(PAGE_URL, renderHtml(hostileize(report, strings, MAP_KEYS))));
      }),
      { numRuns: process.env['CI'] ? 60 : 15 },
    );
  });

  it('served by the API with a CSP that allows no script, no request and no framing', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rightsize-html-'));
    const store = openSqliteStore({ dataDir: dir });
    const catalog = loadCatalog();
    await store.putBlob('reports/weekly/2026-W47.html', 'text/html', renderHtml(hostileize(report, HOSTILE_CORPUS, MAP_KEYS)));
    const app = createApp({ store, catalog, advise: () => [], auth: { disabled: true } });
    const server = await serve({ app, port: 0 });
    try {
      const v = await visit(`${server.url}/v1/reports/weekly/2026-W47?format=html`);
      expect(v.csp).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:");
      expectInert(v);
    } finally {
      await server.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
