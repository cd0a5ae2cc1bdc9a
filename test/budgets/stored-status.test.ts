import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { writeChannelStatus } from '../../src/budgets/channel-status.js';
import { budgetStatuses } from '../../src/budgets/evaluate.js';
import { budgetStatusKey, storedBudgetStatusSource } from '../../src/budgets/stored-status.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { BudgetSchema } from '../../src/config.js';
import type { Store } from '../../src/store/store.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { makeSnapshot } from '../helpers/fixtures-snapshot.js';

const catalog = loadCatalog();
const HOUR_MS = 3_600_000;
const T0 = Date.UTC(2026, 10, 20, 12);
const budgets = [
  BudgetSchema.parse({ name: 'all', amountUsd: 1000, channels: [{ slackWebhook: { env: 'HOOK' } }] }),
  BudgetSchema.parse({ name: 'web', amountUsd: 100, scope: { tags: { team: 'web' } } }),
];

let dir: string;
let store: Store;
let ledgerReads = 0;
beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'rightsize-stored-status-'));
  const sqlite = openSqliteStore({ dataDir: dir });
  // Counts evaluations of the ledger: each reads the period's snapshots once.
  ledgerReads = 0;
  store = new Proxy(sqlite, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        if (prop === 'snapshotsBetween') ledgerReads++;
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  for (let h = 0; h < 48; h++) await store.writeSnapshot({ ...makeSnapshot(`s${h}`, T0 - (48 - h) * HOUR_MS, 9, 2), series: [] });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

it('evaluates the ledger once per snapshot, stores it, and serves it from the store afterwards', async () => {
  let now = T0;
  const source = storedBudgetStatusSource({ store, catalog, budgets, nowMs: () => now });
  const first = await source.list();
  expect(ledgerReads).toBe(1);
  expect(first).toEqual(await budgetStatuses({ store, catalog, budgets, nowMs: T0 }));
  ledgerReads = 0;
  // Another process (a second API container) reads what the first stored.
  const other = storedBudgetStatusSource({ store, catalog, budgets, nowMs: () => now });
  now = T0 + 60_000;
  for (let i = 0; i < 20; i++) expect(await other.list()).toEqual(first);
  expect(await other.get('web')).toEqual(first[1]);
  expect(ledgerReads).toBe(0);
  expect(await store.getBlob(budgetStatusKey(budgets))).toBeDefined();

  // A new snapshot is a ledger change: evaluated again, once.
  await store.writeSnapshot({ ...makeSnapshot('s48', T0 + 30 * 60_000, 9, 2), series: [] });
  await other.list();
  await other.list();
  expect(ledgerReads).toBe(1);
});

it('recomputes when the status is older than maxAgeMs or the period turned, and shows channel states at once', async () => {
  let now = T0;
  const source = storedBudgetStatusSource({ store, catalog, budgets, nowMs: () => now, maxAgeMs: 10 * 60_000 });
  await source.list();
  now = T0 + 11 * 60_000;
  await source.list();
  expect(ledgerReads).toBe(2);
  now = Date.UTC(2026, 11, 1, 0, 1); // December: a new period
  const december = await source.list();
  expect(ledgerReads).toBe(3);
  expect(december[0]?.period).toBe('2026-12');

  await writeChannelStatus(store, { channel: 'env:HOOK', state: 'dead', atMs: now, alertKey: 'k', detail: 'webhook answered 404' });
  const after = await source.list();
  expect(ledgerReads).toBe(3);
  expect(after[0]?.channels).toEqual([{ channel: 'env:HOOK', state: 'dead', atMs: now, detail: 'webhook answered 404' }]);
});
