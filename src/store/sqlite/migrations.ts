/**
 * Versioned schema migrations, applied in order inside one transaction each and recorded in
 * `schema_migrations`. Never edit a released migration: add a new one.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE snapshots (
        id TEXT PRIMARY KEY,
        finished_at_ms INTEGER NOT NULL,
        meta TEXT NOT NULL
      );
      CREATE INDEX snapshots_by_finish ON snapshots (finished_at_ms, id);

      CREATE TABLE instances (
        snapshot_id TEXT NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        cloud TEXT NOT NULL,
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        type TEXT NOT NULL,
        state TEXT NOT NULL,
        tags TEXT NOT NULL,
        row TEXT NOT NULL,
        PRIMARY KEY (snapshot_id, id)
      ) WITHOUT ROWID;

      CREATE TABLE series (
        snapshot_id TEXT NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
        instance_id TEXT NOT NULL,
        metric TEXT NOT NULL,
        start_ms INTEGER NOT NULL,
        max BLOB NOT NULL,
        mean BLOB NOT NULL,
        PRIMARY KEY (snapshot_id, instance_id, metric)
      ) WITHOUT ROWID;

      CREATE TABLE recommendations (
        id TEXT PRIMARY KEY,
        snapshot_id TEXT NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
        instance_id TEXT NOT NULL,
        cloud TEXT NOT NULL,
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        kind TEXT NOT NULL,
        savings_usd REAL NOT NULL,
        risk INTEGER NOT NULL,
        row TEXT NOT NULL
      );
      CREATE INDEX recs_by_savings ON recommendations (snapshot_id, savings_usd DESC, id);
      CREATE INDEX recs_by_cloud_savings ON recommendations (snapshot_id, cloud, savings_usd DESC, id);
      CREATE INDEX recs_by_risk ON recommendations (snapshot_id, risk DESC, savings_usd DESC, id);

      CREATE TABLE skips (
        snapshot_id TEXT NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
        instance_id TEXT NOT NULL,
        row TEXT NOT NULL,
        PRIMARY KEY (snapshot_id, instance_id)
      ) WITHOUT ROWID;

      CREATE TABLE purchase_plans (
        snapshot_id TEXT NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
        pool TEXT NOT NULL,
        row TEXT NOT NULL,
        PRIMARY KEY (snapshot_id, pool)
      ) WITHOUT ROWID;

      CREATE TABLE alerts (
        key TEXT PRIMARY KEY,
        state TEXT NOT NULL CHECK (state IN ('claimed', 'sent')),
        claimant TEXT NOT NULL,
        claimed_at_ms INTEGER NOT NULL,
        sent_at_ms INTEGER,
        last_error TEXT
      );

      CREATE TABLE blobs (
        key TEXT PRIMARY KEY,
        content_type TEXT NOT NULL,
        body TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'alert errors survive a release',
    // A released claim is deleted so the next run can claim again; its last error is kept here for status.
    sql: `
      CREATE TABLE alert_errors (
        key TEXT PRIMARY KEY,
        error TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 1
      );
    `,
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
