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
  {
    version: 3,
    name: 'spend ledger',
    // One row per SpendRow (src/domain/spend.ts), keyed by the import that wrote it: replacing a (dataset, period)
    // deletes by the second index. Reads are day ranges across datasets; (day, dataset_id) plus the implicit rowid
    // serves ORDER BY day, dataset_id, rowid without a sort. Empty strings stand for FOCUS nulls; cloud may be NULL.
    sql: `
      CREATE TABLE spend_rows (
        dataset_id TEXT NOT NULL,
        billing_period TEXT NOT NULL,
        day TEXT NOT NULL,
        provider TEXT NOT NULL,
        cloud TEXT,
        billing_account_id TEXT NOT NULL,
        account TEXT NOT NULL,
        service TEXT NOT NULL,
        service_category TEXT NOT NULL,
        region TEXT NOT NULL,
        resource_id TEXT NOT NULL,
        charge_category TEXT NOT NULL,
        pricing_category TEXT NOT NULL,
        commitment_discount_id TEXT NOT NULL,
        commitment_discount_type TEXT NOT NULL,
        commitment_discount_category TEXT NOT NULL,
        commitment_discount_status TEXT NOT NULL,
        tags_json TEXT NOT NULL,
        billed_cost_usd REAL NOT NULL,
        effective_cost_usd REAL NOT NULL,
        list_cost_usd REAL NOT NULL,
        contracted_cost_usd REAL NOT NULL,
        commitment_discount_quantity REAL NOT NULL,
        row_count INTEGER NOT NULL
      );
      CREATE INDEX spend_rows_by_day ON spend_rows (day, dataset_id);
      CREATE INDEX spend_rows_by_import ON spend_rows (dataset_id, billing_period);

      CREATE TABLE spend_imports (
        dataset_id TEXT NOT NULL,
        billing_period TEXT NOT NULL,
        imported_at_ms INTEGER NOT NULL,
        meta TEXT NOT NULL,
        PRIMARY KEY (dataset_id, billing_period)
      ) WITHOUT ROWID;
      CREATE INDEX spend_imports_by_time ON spend_imports (imported_at_ms DESC);
    `,
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
