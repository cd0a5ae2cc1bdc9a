import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { MIGRATIONS } from '../../src/store/sqlite/migrations.js';
import { runStoreContract } from './contract.js';
import { makeSnapshot } from '../helpers/fixtures-snapshot.js';

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'rightsize-store-'));
}

runStoreContract('sqlite', async () => {
  const dir = tempDir();
  return { store: openSqliteStore({ dataDir: dir }), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
});

describe('sqlite store specifics', () => {
  it('migrates an old-version database forward and is idempotent on reopen', async () => {
    const dir = tempDir();
    try {
      const file = path.join(dir, 'rightsize.db');
      // Build a version-1 database by hand, as an older Rightsize would have left it.
      const old = new Database(file);
      old.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
      old.exec(MIGRATIONS[0]!.sql);
      old.prepare('INSERT INTO schema_migrations VALUES (1, ?, ?)').run(MIGRATIONS[0]!.name, '2026-01-01');
      old.close();
      const store = openSqliteStore({ dataDir: dir });
      const versions = (store.db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[]).map((r) => r.version);
      expect(versions).toEqual(MIGRATIONS.map((m) => m.version));
      await store.releaseAlert('k', 'boom'); // needs the v2 table
      expect(await store.alertError('k')).toEqual({ error: 'boom', attempts: 1 });
      await store.close();
      const again = openSqliteStore({ dataDir: dir });
      expect(await again.alertError('k')).toEqual({ error: 'boom', attempts: 1 });
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('applies the retention setting on write, keeping history inside it', async () => {
    const dir = tempDir();
    const day = 86_400_000;
    const t = Date.UTC(2026, 10, 20);
    const store = openSqliteStore({ dataDir: dir, retentionDays: 14 });
    try {
      await store.writeSnapshot(makeSnapshot('d-20', t - 20 * day, 1));
      await store.writeSnapshot(makeSnapshot('d-10', t - 10 * day, 1));
      await store.writeSnapshot(makeSnapshot('d-0', t, 1));
      expect((await store.snapshotsBetween(0, t + 1)).map((m) => m.id)).toEqual(['d-10', 'd-0']);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a second connection sees the previous snapshot while a write transaction is open', async () => {
    const dir = tempDir();
    const writer = openSqliteStore({ dataDir: dir });
    const reader = openSqliteStore({ dataDir: dir });
    try {
      await writer.writeSnapshot(makeSnapshot('a', Date.UTC(2026, 10, 1), 3));
      writer.db.exec('BEGIN IMMEDIATE');
      writer.db.prepare('INSERT INTO snapshots (id, finished_at_ms, meta) VALUES (?, ?, ?)').run('b', Date.UTC(2026, 10, 2), '{}');
      expect((await reader.latestSnapshot())?.id).toBe('a');
      writer.db.exec('ROLLBACK');
      expect((await reader.latestSnapshot())?.id).toBe('a');
    } finally {
      await writer.close();
      await reader.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
