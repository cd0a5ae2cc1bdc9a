import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import { ConfigSchema } from '../../src/config.js';
import { generateDemoFleet } from '../../src/demo/fleet.js';
import { analyzeSnapshot } from '../../src/engine/analyze.js';
import { buildWeeklyReport, type BuiltWeeklyReport } from '../../src/report/weekly.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';

const NOW = Date.UTC(2026, 10, 23, 8);
const PAST = Date.UTC(2026, 10, 13, 8); // Friday of 2026-W46
const catalog = loadCatalog();
const config = ConfigSchema.parse({});
let dir: string;
let past: BuiltWeeklyReport;
let expected: { count: number; topId: string | undefined };

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'rightsize-past-week-'));
  const store = openSqliteStore({ dataDir: dir });
  // Two collections with their series; only the newest is analyzed, as the scheduled run does.
  const older = generateDemoFleet({ seed: 5, nowMs: PAST, instanceCount: 40 });
  const newest = generateDemoFleet({ seed: 5, nowMs: NOW, instanceCount: 40 });
  await store.writeSnapshot(older);
  await store.writeSnapshot(newest);
  await store.writeResults(await analyzeSnapshot({ meta: newest, instances: newest.instances, seriesByInstance: store.seriesByInstance(newest.id), catalog, settings: config.engine, nowMs: NOW }));
  // What the engine finds on the older snapshot, computed here independently of the report.
  const own = await analyzeSnapshot({ meta: older, instances: older.instances, seriesByInstance: store.seriesByInstance(older.id), catalog, settings: config.engine, nowMs: older.windowEndMs });
  expected = { count: own.recommendations.length, topId: [...own.recommendations].sort((a, b) => b.monthlySavingsUsd - a.monthlySavingsUsd)[0]?.id };
  past = await buildWeeklyReport({ store, catalog, config, nowMs: NOW, isoWeek: '2026-W46' });
  await store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('a past week reports the findings of that week\'s snapshot, not zero because only the newest was analyzed', () => {
  expect(past.report.snapshotId).toBe(generateDemoFleet({ seed: 5, nowMs: PAST, instanceCount: 1 }).id);
  expect(past.report.recommendations.source).toBe('computed');
  expect(expected.count).toBeGreaterThan(0);
  expect(past.report.recommendations.count).toBe(expected.count);
  expect(past.report.recommendations.top[0]?.id).toBe(expected.topId);
  expect(past.html).toContain('its findings were computed for this report');
});
