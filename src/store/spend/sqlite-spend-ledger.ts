import Database from 'better-sqlite3';
import { SpendImportSchema, type SpendImport, type SpendRow } from '../../domain/spend.js';
import { DataFileError, formatZodError } from '../../errors.js';
import { checkImport } from './check-import.js';
import { migrate } from '../sqlite/sqlite-store.js';
import { LATEST_SCHEMA_VERSION } from '../sqlite/migrations.js';
import { GROUPABLE_FIELDS, type GroupableField, type SpendLedger, type SpendLedgerRow } from './spend-ledger.js';
import { openDatabaseFile } from '../sqlite/database-file.js';

export interface SqliteSpendLedgerOptions {
  /** Directory holding the database file (the SQLite store's); created when missing. */
  dataDir: string;
  /** Default `rightsize.db`, the SQLite store's file (src/store/sqlite/sqlite-store.ts). */
  fileName?: string;
}

/** spend_rows columns in SpendRow field order after the two import keys (migration 3). */
const ROW_COLUMNS = [
  'dataset_id', 'billing_period', 'day', 'provider', 'cloud', 'billing_account_id', 'account', 'service', 'service_category', 'region',
  'resource_id', 'charge_category', 'pricing_category', 'commitment_discount_id', 'commitment_discount_type', 'commitment_discount_category',
  'commitment_discount_status', 'tags_json', 'billed_cost_usd', 'effective_cost_usd', 'list_cost_usd', 'contracted_cost_usd',
  'commitment_discount_quantity', 'row_count',
] as const;

/** What `between` selects, as a positional array (`raw()`: no per-row column-name object before ours). */
type StoredRow = [
  datasetId: string, day: string, provider: string, cloud: string | null, billingAccountId: string, account: string, service: string,
  serviceCategory: string, region: string, resourceId: string, chargeCategory: string, pricingCategory: string, commitmentDiscountId: string,
  commitmentDiscountType: string, commitmentDiscountCategory: string, commitmentDiscountStatus: string, tagsJson: string,
  billedCostUsd: number, effectiveCostUsd: number, listCostUsd: number, contractedCostUsd: number, commitmentDiscountQuantity: number, rowCount: number,
];

/**
 * The embedded spend ledger: two tables (migration 3) in the SQLite store's own database file, through a connection
 * of its own. WAL lets the API read while an import writes; a replace is one transaction, so a reader sees the old
 * period or the new one.
 * @example const ledger = openSqliteSpendLedger({ dataDir: './.rightsize' });
 */
export function openSqliteSpendLedger(options: SqliteSpendLedgerOptions): SqliteSpendLedger {
  const { db, file } = openDatabaseFile(options.dataDir, options.fileName);
  migrateTolerantly(db);
  return new SqliteSpendLedger(db, file);
}

/**
 * Another process (the store's opener, a second CLI) may apply the same migration between our check and our
 * CREATE; the loser's transaction fails and rolls back. That is only an error if the schema is still behind after.
 */
function migrateTolerantly(db: Database.Database): void {
  try {
    migrate(db);
  } catch (err) {
    const row = db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null };
    if ((row.v ?? 0) < LATEST_SCHEMA_VERSION) throw err;
  }
}

export class SqliteSpendLedger implements SpendLedger {
  private readonly stmts;
  /** Grouped reads, one statement per set of kept dimensions. */
  private readonly grouped = new Map<string, Database.Statement>();

  constructor(
    readonly db: Database.Database,
    readonly file: string,
  ) {
    this.stmts = {
      insertRow: db.prepare(`INSERT INTO spend_rows (${ROW_COLUMNS.join(', ')}) VALUES (${ROW_COLUMNS.map(() => '?').join(', ')})`),
      deleteRows: db.prepare('DELETE FROM spend_rows WHERE dataset_id = ? AND billing_period = ?'),
      upsertImport: db.prepare(
        'INSERT INTO spend_imports (dataset_id, billing_period, imported_at_ms, meta) VALUES (?, ?, ?, ?) ' +
          'ON CONFLICT (dataset_id, billing_period) DO UPDATE SET imported_at_ms = excluded.imported_at_ms, meta = excluded.meta',
      ),
      deleteImport: db.prepare('DELETE FROM spend_imports WHERE dataset_id = ? AND billing_period = ?'),
      between: db.prepare(`SELECT ${ROW_COLUMNS.filter((c) => c !== 'billing_period').join(', ')} FROM spend_rows WHERE day BETWEEN ? AND ? ORDER BY day, dataset_id, rowid`).raw(),
      imports: db.prepare('SELECT dataset_id, billing_period, meta FROM spend_imports ORDER BY imported_at_ms DESC, dataset_id, billing_period'),
    };
  }

  async replacePeriod(meta: SpendImport, rows: readonly SpendRow[]): Promise<void> {
    const s = this.stmts;
    checkImport(meta);
    const { datasetId, billingPeriod } = meta;
    // One prepared statement, positional parameters, one transaction: ~100k rows a second or more (see the report).
    this.db.transaction(() => {
      s.deleteRows.run(datasetId, billingPeriod);
      for (const r of rows) {
        s.insertRow.run(
          datasetId, billingPeriod, r.day, r.provider, r.cloud ?? null, r.billingAccountId, r.account, r.service, r.serviceCategory, r.region,
          r.resourceId, r.chargeCategory, r.pricingCategory, r.commitmentDiscountId, r.commitmentDiscountType, r.commitmentDiscountCategory,
          r.commitmentDiscountStatus, r.tagsJson, r.billedCostUsd, r.effectiveCostUsd, r.listCostUsd, r.contractedCostUsd,
          r.commitmentDiscountQuantity, r.rowCount,
        );
      }
      s.upsertImport.run(datasetId, billingPeriod, meta.importedAtMs, JSON.stringify(meta));
    }).immediate();
  }

  async rowsBetween(fromDay: string, toDay: string): Promise<SpendLedgerRow[]> {
    return (this.stmts.between.all(fromDay, toDay) as StoredRow[]).map(rowOf);
  }

  async rowsBetweenGrouped(fromDay: string, toDay: string, keep: readonly GroupableField[]): Promise<SpendLedgerRow[]> {
    const kept = new Set(keep);
    const key = GROUPABLE_FIELDS.filter((f) => kept.has(f)).join(',');
    let stmt = this.grouped.get(key);
    if (!stmt) {
      // Same positional shape as `between`, so rowOf reads both: a dropped dimension is selected as ''.
      const cols = ['dataset_id', 'day', 'provider', 'cloud', ...GROUPABLE_FIELDS.slice(0, 1).map(columnOf(kept)), 'account', ...GROUPABLE_FIELDS.slice(1, 5).map(columnOf(kept)), 'charge_category', ...GROUPABLE_FIELDS.slice(5).map(columnOf(kept))];
      const groupBy = ['dataset_id', 'day', 'provider', 'cloud', 'account', 'charge_category', ...GROUPABLE_FIELDS.filter((f) => kept.has(f)).map((f) => COLUMN_OF[f])];
      stmt = this.db
        .prepare(
          `SELECT ${cols.join(', ')}, sum(billed_cost_usd), sum(effective_cost_usd), sum(list_cost_usd), sum(contracted_cost_usd), sum(commitment_discount_quantity), sum(row_count) ` +
            `FROM spend_rows WHERE day BETWEEN ? AND ? GROUP BY ${groupBy.join(', ')} ORDER BY day, dataset_id`,
        )
        .raw();
      this.grouped.set(key, stmt);
    }
    return (stmt.all(fromDay, toDay) as StoredRow[]).map(rowOf);
  }

  async listImports(): Promise<SpendImport[]> {
    return (this.stmts.imports.all() as { dataset_id: string; billing_period: string; meta: string }[]).map((r) => {
      const parsed = SpendImportSchema.safeParse(JSON.parse(r.meta));
      if (!parsed.success) throw new DataFileError(formatZodError(`${this.file}: spend_imports (${r.dataset_id}, ${r.billing_period})`, parsed.error));
      return parsed.data;
    });
  }

  async deletePeriod(datasetId: string, billingPeriod: string): Promise<boolean> {
    return this.db.transaction(() => {
      const rows = this.stmts.deleteRows.run(datasetId, billingPeriod).changes;
      const imports = this.stmts.deleteImport.run(datasetId, billingPeriod).changes;
      return rows + imports > 0;
    }).immediate();
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

/** spend_rows column of each groupable SpendRow field. */
const COLUMN_OF: Record<GroupableField, string> = {
  billingAccountId: 'billing_account_id', service: 'service', serviceCategory: 'service_category', region: 'region', resourceId: 'resource_id',
  pricingCategory: 'pricing_category', commitmentDiscountId: 'commitment_discount_id', commitmentDiscountType: 'commitment_discount_type',
  commitmentDiscountCategory: 'commitment_discount_category', commitmentDiscountStatus: 'commitment_discount_status', tagsJson: 'tags_json',
};
const columnOf = (kept: ReadonlySet<GroupableField>) => (f: GroupableField) => (kept.has(f) ? COLUMN_OF[f] : f === 'tagsJson' ? "'{}'" : "''");

function rowOf(r: StoredRow): SpendLedgerRow {
  const [
    datasetId, day, provider, cloud, billingAccountId, account, service, serviceCategory, region, resourceId, chargeCategory, pricingCategory,
    commitmentDiscountId, commitmentDiscountType, commitmentDiscountCategory, commitmentDiscountStatus, tagsJson,
    billedCostUsd, effectiveCostUsd, listCostUsd, contractedCostUsd, commitmentDiscountQuantity, rowCount,
  ] = r;
  return {
    datasetId, day, provider, ...(cloud !== null ? { cloud: cloud as NonNullable<SpendRow['cloud']> } : {}), billingAccountId, account, service,
    serviceCategory, region, resourceId, chargeCategory: chargeCategory as SpendRow['chargeCategory'], pricingCategory, commitmentDiscountId,
    commitmentDiscountType, commitmentDiscountCategory, commitmentDiscountStatus, tagsJson, billedCostUsd, effectiveCostUsd, listCostUsd,
    contractedCostUsd, commitmentDiscountQuantity, rowCount,
  };
}
