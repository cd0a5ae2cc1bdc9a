import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hashToken } from '../../src/config.js';
import { createApp } from '../../src/api/app.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { generateDemoFleet } from '../../src/demo/fleet.js';
import { adviseInstances } from '../../src/engine/advice.js';
import { analyzeSnapshot } from '../../src/engine/analyze.js';
import { defaultEngineSettings } from '../../src/engine/settings.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';

export const TOKEN = 'test-token-0123456789';
export const AUTH = { authorization: `Bearer ${TOKEN}` };

/** A real SQLite store holding an analyzed 120-instance demo snapshot, and the app over it. */
export async function makeApi(options: { bodyLimitBytes?: number } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'rightsize-api-'));
  const store = openSqliteStore({ dataDir: dir });
  const catalog = loadCatalog();
  const fleet = generateDemoFleet({ seed: 7, nowMs: Date.UTC(2026, 10, 20, 12), instanceCount: 120 });
  await store.writeSnapshot(fleet);
  const results = await analyzeSnapshot({
    meta: fleet,
    instances: fleet.instances,
    seriesByInstance: store.seriesByInstance(fleet.id),
    catalog,
    settings: defaultEngineSettings(),
    nowMs: Date.UTC(2026, 10, 20, 12),
  });
  await store.writeResults(results);
  const logs: string[] = [];
  const app = createApp({
    store,
    catalog,
    advise: (r) => adviseInstances(r, catalog),
    settings: defaultEngineSettings(),
    auth: { tokenSha256: [hashToken(TOKEN)] },
    bodyLimitBytes: options.bodyLimitBytes ?? 16 * 1024,
    logger: (line) => logs.push(line),
  });
  return {
    app,
    store,
    catalog,
    fleet,
    results,
    logs,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
