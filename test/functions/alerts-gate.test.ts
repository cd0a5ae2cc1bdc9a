import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { alertsDue, budgetsDigest, recordAlertsEvaluation } from '../../src/deploy/alerts-gate.js';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { makeSnapshot } from '../helpers/fixtures-snapshot.js';

const T0 = Date.UTC(2026, 10, 27, 9);
let dir: string;
let store: SqliteStore;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'rightsize-gate-'));
  store = openSqliteStore({ dataDir: dir });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

it('re-evaluates budgets on a new snapshot, a new day, changed budgets or a pending retry, and only then', async () => {
  const budgets = budgetsDigest([{ name: 'a', amountUsd: 100 }]);
  expect(await alertsDue(store, T0, budgets)).toMatchObject({ due: false, reason: 'no snapshot yet' });
  await store.writeSnapshot(makeSnapshot('s1', T0 - 3_600_000, 1));
  expect(await alertsDue(store, T0, budgets)).toMatchObject({ due: true, reason: 'new snapshot' });
  await recordAlertsEvaluation(store, 's1', T0, false, budgets);
  expect(await alertsDue(store, T0 + 3_600_000, budgets)).toMatchObject({ due: false });
  expect(await alertsDue(store, T0 + 3_600_000, budgetsDigest([{ name: 'a', amountUsd: 50 }]))).toMatchObject({ due: true, reason: 'budgets changed' });
  expect(await alertsDue(store, T0 + 24 * 3_600_000, budgets)).toMatchObject({ due: true, reason: 'new day' });
  await recordAlertsEvaluation(store, 's1', T0, true, budgets);
  expect(await alertsDue(store, T0 + 3_600_000, budgets)).toMatchObject({ due: true, reason: 'a failed send to retry' });
});
