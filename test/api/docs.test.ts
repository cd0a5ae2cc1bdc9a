import { chromium } from 'playwright-core';
import { findChromium } from '../helpers/binaries.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { serve } from '../../src/api/serve.js';
import { makeApi } from './setup.js';

const CHROMIUM = findChromium();
let api: Awaited<ReturnType<typeof makeApi>>;
beforeAll(async () => {
  api = await makeApi();
});
afterAll(async () => api.cleanup());

it('the docs page renders in headless Chromium with every route visible and no console errors', async () => {
  const server = await serve({ app: api.app, port: 0 });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    const res = await page.goto(`${server.url}/docs`);
    expect(res?.status()).toBe(200);
    const text = await page.locator('body').innerText();
    for (const route of ['/v1/recommendations', '/v1/advice', '/v1/instances/{id}', '/v1/purchase-plans', '/v1/prices', '/v1/budgets', '/v1/reports/weekly/{isoWeek}', '/v1/snapshots', '/v1/policy-evaluation']) {
      expect(text).toContain(route);
    }
    expect(await page.locator('section.route').count()).toBe(14);
    expect(errors, errors.join('\n')).toEqual([]);
  } finally {
    await browser.close();
    await server.close();
  }
});
