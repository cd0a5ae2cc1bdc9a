import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import { ConfigSchema } from '../../src/config.js';
import { generateDemoFleet } from '../../src/demo/fleet.js';
import type { Recommendation } from '../../src/domain/recommendation.js';
import type { Snapshot } from '../../src/domain/snapshot.js';
import { analyzeSnapshot } from '../../src/engine/analyze.js';
import { buildWeeklyReport, type BuiltWeeklyReport } from '../../src/report/weekly.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';

const NOW = Date.UTC(2026, 10, 23, 8);
const BEFORE = Date.UTC(2026, 10, 14, 8); // before the 7-day window that ends at NOW
const catalog = loadCatalog();
const config = ConfigSchema.parse({});
let dir: string;
let built: BuiltWeeklyReport;
let found: Recommendation[];
let applied: Recommendation[];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'rightsize-trend-'));
  const store = openSqliteStore({ dataDir: dir });
  const older = generateDemoFleet({ seed: 11, nowMs: BEFORE, instanceCount: 60 });
  await store.writeSnapshot(older);
  // What the engine found then, computed here independently of the report.
  found = (await analyzeSnapshot({ meta: older, instances: older.instances, seriesByInstance: store.seriesByInstance(older.id), catalog, settings: config.engine, nowMs: older.windowEndMs })).recommendations;
  const resized = found.filter((r) => r.action === 'resize').slice(0, 2);
  const stopped = found.filter((r) => r.action === 'stop').slice(0, 1);
  applied = [...resized, ...stopped];
  // A week later: two findings applied (the recommended type now runs), one idle instance gone; the rest as before.
  const shift = NOW - BEFORE;
  const newest: Snapshot = {
    ...older,
    id: 'after-a-week',
    startedAt: new Date(NOW - 60_000).toISOString(),
    finishedAt: new Date(NOW).toISOString(),
    windowStartMs: older.windowStartMs + shift,
    windowEndMs: older.windowEndMs + shift,
    instances: older.instances
      .filter((i) => !stopped.some((r) => r.instanceId === i.id))
      .map((i) => {
        const r = resized.find((x) => x.instanceId === i.id);
        return r ? { ...i, type: r.recommendedType as string } : i;
      }),
    series: [],
    instanceCount: older.instances.length - stopped.length,
  };
  await store.writeSnapshot(newest);
  built = await buildWeeklyReport({ store, catalog, config, nowMs: NOW });
  await store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('week over week: savings found last week, and last week\'s findings applied since', () => {
  expect(applied.length).toBeGreaterThanOrEqual(2);
  const t = built.report.trend;
  expect(t?.previousSnapshotId).toBe(generateDemoFleet({ seed: 11, nowMs: BEFORE, instanceCount: 1 }).id);
  const positive = (xs: Recommendation[]) => Math.round(xs.reduce((a, r) => a + Math.max(0, r.monthlySavingsUsd), 0) * 100) / 100;
  expect(t?.savingsFoundMonthlyUsd.lastWeek).toBeCloseTo(positive(found), 2);
  expect(t?.realised.count).toBe(applied.length);
  expect(t?.realised.monthlySavingsUsd).toBeCloseTo(positive(applied), 2);
  expect(new Set(t?.realised.items.map((i) => i.instanceId))).toEqual(new Set(applied.map((r) => r.instanceId)));
  expect(built.markdown).toContain('## Week over week');
  expect(built.markdown).toContain(`Applied since then: ${applied.length} findings`);
  expect(built.html).toContain('<h2>Week over week</h2>');
});
