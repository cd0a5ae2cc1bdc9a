import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteSpendLedger } from '../../src/store/spend/sqlite-spend-ledger.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { openSpendLedger } from '../../src/store/spend/open.js';
import { ConfigSchema } from '../../src/config.js';
import { runSpendLedgerContract, spendImport, spendRow } from './spend-ledger-contract.js';
import { makeSnapshot } from '../helpers/fixtures-snapshot.js';

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'rightsize-spend-'));
}

runSpendLedgerContract('sqlite', async () => {
  const dir = tempDir();
  return { ledger: openSqliteSpendLedger({ dataDir: dir }), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
});

describe('sqlite spend ledger specifics', () => {
  it('shares the store database file with the snapshot store, each on its own connection', async () => {
    const dir = tempDir();
    const store = openSqliteStore({ dataDir: dir });
    const ledger = openSqliteSpendLedger({ dataDir: dir });
    try {
      expect(ledger.file).toBe(store.file);
      await store.writeSnapshot(makeSnapshot('s1', Date.UTC(2026, 2, 1), 2));
      await ledger.replacePeriod(spendImport('ds-a', '2026-03', 1000), [spendRow('2026-03-01')]);
      const tables = (store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'spend_%' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
      expect(tables).toEqual(['spend_imports', 'spend_rows']);
      expect((await store.latestSnapshot())?.id).toBe('s1');
      expect(store.db.prepare('SELECT count(*) AS n FROM spend_rows').get()).toEqual({ n: 1 });
    } finally {
      await ledger.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a reader on another connection sees the old period while a replace is mid-transaction', async () => {
    const dir = tempDir();
    const writer = openSqliteSpendLedger({ dataDir: dir });
    const reader = openSqliteSpendLedger({ dataDir: dir });
    try {
      await writer.replacePeriod(spendImport('ds-a', '2026-03', 1000), [spendRow('2026-03-01', { resourceId: 'old' })]);
      writer.db.exec('BEGIN IMMEDIATE');
      writer.db.prepare("DELETE FROM spend_rows WHERE dataset_id = 'ds-a'").run();
      expect((await reader.rowsBetween('2026-03-01', '2026-03-31')).map((r) => r.resourceId)).toEqual(['old']);
      writer.db.exec('ROLLBACK');
    } finally {
      await writer.close();
      await reader.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a replace that fails part way leaves the previous period whole', async () => {
    const dir = tempDir();
    const ledger = openSqliteSpendLedger({ dataDir: dir });
    try {
      await ledger.replacePeriod(spendImport('ds-a', '2026-03', 1000), [spendRow('2026-03-01', { resourceId: 'old' })]);
      // A NOT NULL column given null on the second row aborts the transaction after the delete and one insert.
      const broken = [spendRow('2026-03-02', { resourceId: 'new' }), { ...spendRow('2026-03-03'), account: null as unknown as string }];
      await expect(ledger.replacePeriod(spendImport('ds-a', '2026-03', 2000), broken)).rejects.toThrow(/NOT NULL/);
      expect((await ledger.rowsBetween('2026-03-01', '2026-03-31')).map((r) => r.resourceId)).toEqual(['old']);
      expect((await ledger.listImports()).map((i) => i.importedAtMs)).toEqual([1000]);
    } finally {
      await ledger.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('openSpendLedger opens the SQLite ledger under dataDir for the default config', async () => {
    const dir = tempDir();
    const ledger = await openSpendLedger(ConfigSchema.parse({ dataDir: dir }), {});
    try {
      await ledger.replacePeriod(spendImport('ds-a', '2026-03', 1000), [spendRow('2026-03-01')]);
      const again = openSqliteSpendLedger({ dataDir: dir });
      expect(await again.rowsBetween('2026-03-01', '2026-03-01')).toHaveLength(1);
      await again.close();
    } finally {
      await ledger.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
