import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

/**
 * The embedded database file under `dataDir`, opened as every connection to it must be: WAL (readers in other
 * connections and processes see the last committed state while a writer is mid-transaction), NORMAL sync, and a
 * 10 s busy timeout for the moments two writers meet.
 */
export function openDatabaseFile(dataDir: string, fileName = 'rightsize.db'): { db: Database.Database; file: string } {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, fileName);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 10000');
  return { db, file };
}
