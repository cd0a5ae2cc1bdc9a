import Database from 'better-sqlite3';
import type { Instance } from '../../domain/instance.js';
import type { PurchasePlan } from '../../domain/purchase-plan.js';
import type { Recommendation, Skip } from '../../domain/recommendation.js';
import type { Snapshot, SnapshotMeta } from '../../domain/snapshot.js';
import type { Metric, UtilizationSeries } from '../../domain/utilization.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { groupByInstance } from '../series-codec.js';
import { instanceFromJson, metaFromJson, snapshotMetaOf } from '../rows.js';
import type { AnalysisResults, ClaimResult, InstanceFilter, Page, PageRequest, RecommendationFilter, Store } from '../store.js';
import { MIGRATIONS } from './migrations.js';
import { ALERT_CLAIM_LEASE_MS } from '../alert-lease.js';
import { openDatabaseFile } from './database-file.js';

export interface SqliteStoreOptions {
  /** Directory holding the database file; created when missing. */
  dataDir: string;
  fileName?: string;
  /** When set, snapshots older than this many days are pruned after each snapshot write. */
  retentionDays?: number;
}

type Row = Record<string, unknown>;

const DAY_MS = 86_400_000;

export { ALERT_CLAIM_LEASE_MS };

/** How stale `changeToken()` may be about commits from other processes. */
export const CHANGE_CHECK_INTERVAL_MS = 100;

/** Float32Array → Buffer without copying; SQLite copies on bind. */
function f32ToBlob(values: Float32Array): Buffer {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}

/** Buffer → Float32Array, copied so it is aligned and owned by the caller. */
function blobToF32(blob: Buffer): Float32Array {
  const out = new Float32Array(blob.byteLength / 4);
  new Uint8Array(out.buffer).set(blob);
  return out;
}

/** Applies pending migrations in order, each in its own transaction. Returns the versions applied. */
export function migrate(db: Database.Database): number[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const applied = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version));
  const done: number[] = [];
  for (const migration of MIGRATIONS) {
    if (applied.has(migration.version)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(migration.version, migration.name, new Date(0).toISOString());
    })();
    done.push(migration.version);
  }
  return done;
}

/**
 * Opens (creating if needed) the embedded store. WAL mode gives readers in other connections and processes the
 * last committed snapshot while a writer is mid-transaction; a killed writer's transaction is rolled back on open.
 * @example const store = openSqliteStore({ dataDir: './.rightsize' });
 */
export function openSqliteStore(options: SqliteStoreOptions): SqliteStore {
  const { db, file } = openDatabaseFile(options.dataDir, options.fileName);
  db.pragma('foreign_keys = ON');
  migrate(db);
  return new SqliteStore(db, file, options.retentionDays);
}

export class SqliteStore implements Store {
  private readonly stmts;
  /** Bumped on every write through this connection (SQLite's data_version only counts other connections' commits). */
  private localWrites = 0;
  /** Prepared statements for the dynamic list queries, by SQL text (a handful of filter combinations in practice). */
  private readonly dynamic = new Map<string, Database.Statement>();
  private dataVersionStmt: Database.Statement | undefined;
  private dataVersion = 0;
  private dataVersionAtMs: number | undefined;

  private prepared(sql: string): Database.Statement {
    let stmt = this.dynamic.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.dynamic.set(sql, stmt);
    }
    return stmt;
  }

  constructor(
    readonly db: Database.Database,
    readonly file: string,
    private readonly retentionDays?: number,
  ) {
    this.stmts = {
      insertSnapshot: db.prepare('INSERT INTO snapshots (id, finished_at_ms, meta) VALUES (?, ?, ?)'),
      deleteSnapshot: db.prepare('DELETE FROM snapshots WHERE id = ?'),
      insertInstance: db.prepare(
        'INSERT INTO instances (snapshot_id, id, cloud, account, region, type, state, tags, row) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      insertSeries: db.prepare('INSERT INTO series (snapshot_id, instance_id, metric, start_ms, max, mean) VALUES (?, ?, ?, ?, ?, ?)'),
      latest: db.prepare('SELECT meta FROM snapshots ORDER BY finished_at_ms DESC, id DESC LIMIT 1'),
      meta: db.prepare('SELECT meta FROM snapshots WHERE id = ?'),
      instances: db.prepare('SELECT row FROM instances WHERE snapshot_id = ? ORDER BY id'),
      instance: db.prepare('SELECT row FROM instances WHERE snapshot_id = ? AND id = ?'),
      seriesFor: db.prepare('SELECT instance_id, metric, start_ms, max, mean FROM series WHERE snapshot_id = ? AND instance_id = ? ORDER BY metric'),
      seriesAll: db.prepare('SELECT instance_id, metric, start_ms, max, mean FROM series WHERE snapshot_id = ? ORDER BY instance_id, metric'),
      insertRec: db.prepare(
        'INSERT INTO recommendations (id, snapshot_id, instance_id, cloud, account, region, kind, savings_usd, risk, row) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      insertSkip: db.prepare('INSERT INTO skips (snapshot_id, instance_id, row) VALUES (?, ?, ?)'),
      insertPlan: db.prepare('INSERT INTO purchase_plans (snapshot_id, pool, row) VALUES (?, ?, ?)'),
      rec: db.prepare('SELECT row FROM recommendations WHERE id = ?'),
      skips: db.prepare('SELECT row FROM skips WHERE snapshot_id = ? ORDER BY instance_id'),
      plans: db.prepare('SELECT row FROM purchase_plans WHERE snapshot_id = ? ORDER BY pool'),
      plan: db.prepare('SELECT row FROM purchase_plans WHERE snapshot_id = ? AND pool = ?'),
      alert: db.prepare('SELECT state, claimant FROM alerts WHERE key = ?'),
      claim: db.prepare("INSERT INTO alerts (key, state, claimant, claimed_at_ms) VALUES (?, 'claimed', ?, ?) ON CONFLICT (key) DO NOTHING"),
      takeOver: db.prepare("UPDATE alerts SET claimant = ?, claimed_at_ms = ? WHERE key = ? AND state = 'claimed' AND claimed_at_ms < ?"),
      markSent: db.prepare("UPDATE alerts SET state = 'sent', sent_at_ms = ? WHERE key = ?"),
      release: db.prepare("DELETE FROM alerts WHERE key = ? AND state = 'claimed'"),
      recordError: db.prepare(
        'INSERT INTO alert_errors (key, error) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET error = excluded.error, attempts = attempts + 1',
      ),
      putBlob: db.prepare('INSERT INTO blobs (key, content_type, body) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET content_type = excluded.content_type, body = excluded.body'),
      getBlob: db.prepare('SELECT content_type, body FROM blobs WHERE key = ?'),
      listBlobs: db.prepare("SELECT key FROM blobs WHERE substr(key, 1, length(?)) = ? ORDER BY key"),
    };
  }

  async writeSnapshot(snapshot: Snapshot): Promise<void> {
    const meta = snapshotMetaOf(snapshot);
    const s = this.stmts;
    this.localWrites++;
    this.db.transaction(() => {
      s.insertSnapshot.run(meta.id, Date.parse(meta.finishedAt), JSON.stringify(meta));
      for (const i of snapshot.instances) {
        s.insertInstance.run(meta.id, i.id, i.cloud, i.account, i.region, i.type, i.state, JSON.stringify(i.tags), JSON.stringify(i));
      }
      for (const series of snapshot.series) {
        s.insertSeries.run(meta.id, series.instanceId, series.metric, series.startMs, f32ToBlob(series.max), f32ToBlob(series.mean));
      }
    })();
    if (this.retentionDays !== undefined) await this.prune(Date.parse(meta.finishedAt) - this.retentionDays * DAY_MS);
  }

  async latestSnapshot(): Promise<SnapshotMeta | undefined> {
    const row = this.stmts.latest.get() as Row | undefined;
    return row ? parseMeta(row) : undefined;
  }

  async getSnapshotMeta(id: string): Promise<SnapshotMeta | undefined> {
    const row = this.stmts.meta.get(id) as Row | undefined;
    return row ? parseMeta(row) : undefined;
  }

  async listSnapshots(page: PageRequest): Promise<Page<SnapshotMeta>> {
    // Newest first; the cursor is the last row's (finished_at_ms, id).
    const params: (string | number)[] = [];
    let where = '';
    if (page.cursor) {
      const [finishedMs, id] = decodeCursor(page.cursor, ['number', 'string']);
      where = 'WHERE finished_at_ms < ? OR (finished_at_ms = ? AND id < ?)';
      params.push(finishedMs as number, finishedMs as number, id as string);
    }
    const rows = this.db
      .prepare(`SELECT id, finished_at_ms, meta FROM snapshots ${where} ORDER BY finished_at_ms DESC, id DESC LIMIT ?`)
      .all(...params, page.limit + 1) as Row[];
    return toPage(rows, page.limit, parseMeta, (r) => [r['finished_at_ms'] as number, r['id'] as string]);
  }

  async snapshotsBetween(fromMs: number, toMs: number): Promise<SnapshotMeta[]> {
    const rows = this.db.prepare('SELECT meta FROM snapshots WHERE finished_at_ms >= ? AND finished_at_ms < ? ORDER BY finished_at_ms, id').all(fromMs, toMs) as Row[];
    return rows.map(parseMeta);
  }

  async listInstances(snapshotId: string, filter: InstanceFilter, page: PageRequest): Promise<Page<Instance>> {
    const clauses = ['snapshot_id = ?'];
    const params: (string | number)[] = [snapshotId];
    for (const column of ['cloud', 'account', 'region', 'type', 'state'] as const) {
      const value = filter[column];
      if (value !== undefined) {
        clauses.push(`${column} = ?`);
        params.push(value);
      }
    }
    if (filter.tag !== undefined) {
      const eq = filter.tag.indexOf('=');
      if (eq < 0) {
        clauses.push('EXISTS (SELECT 1 FROM json_each(instances.tags) WHERE json_each.key = ?)');
        params.push(filter.tag);
      } else {
        clauses.push('EXISTS (SELECT 1 FROM json_each(instances.tags) WHERE json_each.key = ? AND json_each.value = ?)');
        params.push(filter.tag.slice(0, eq), filter.tag.slice(eq + 1));
      }
    }
    if (page.cursor) {
      const [id] = decodeCursor(page.cursor, ['string']);
      clauses.push('id > ?');
      params.push(id as string);
    }
    const rows = this.prepared(`SELECT id, row FROM instances WHERE ${clauses.join(' AND ')} ORDER BY id LIMIT ?`).all(...params, page.limit + 1) as Row[];
    return toPage(rows, page.limit, parseInstance, (r) => [r['id'] as string]);
  }

  async instances(snapshotId: string): Promise<Instance[]> {
    return (this.stmts.instances.all(snapshotId) as Row[]).map(parseInstance);
  }

  async getInstance(snapshotId: string, instanceId: string): Promise<Instance | undefined> {
    const row = this.stmts.instance.get(snapshotId, instanceId) as Row | undefined;
    return row ? parseInstance(row) : undefined;
  }

  async seriesFor(snapshotId: string, instanceId: string): Promise<UtilizationSeries[]> {
    return (this.stmts.seriesFor.all(snapshotId, instanceId) as Row[]).map(parseSeries);
  }

  async *seriesByInstance(snapshotId: string): AsyncIterable<{ instanceId: string; series: UtilizationSeries[] }> {
    // Read in one go per call rather than holding an iterator open across awaits: better-sqlite3 forbids other
    // statements on the connection while an iterator is open, and the consumer may query between yields.
    const rows = this.stmts.seriesAll.all(snapshotId) as Row[];
    // Parsed one row at a time as the groups are consumed, so only one instance's arrays are decoded at once.
    yield* groupByInstance((function* () {
      for (const row of rows) yield parseSeries(row);
    })());
  }

  async writeResults(results: AnalysisResults): Promise<void> {
    const s = this.stmts;
    const id = results.snapshotId;
    this.localWrites++;
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM recommendations WHERE snapshot_id = ?').run(id);
      this.db.prepare('DELETE FROM skips WHERE snapshot_id = ?').run(id);
      this.db.prepare('DELETE FROM purchase_plans WHERE snapshot_id = ?').run(id);
      for (const r of results.recommendations) {
        s.insertRec.run(r.id, id, r.instanceId, r.cloud, r.account, r.region, r.kind, r.monthlySavingsUsd, r.risk, JSON.stringify(r));
      }
      for (const k of results.skips) s.insertSkip.run(id, k.instanceId, JSON.stringify(k));
      for (const p of results.plans) s.insertPlan.run(id, p.pool, JSON.stringify(p));
    })();
  }

  async listRecommendations(snapshotId: string, filter: RecommendationFilter, page: PageRequest): Promise<Page<Recommendation>> {
    const { rows, byRisk } = this.recommendationRows(snapshotId, filter, page);
    return toPage(rows, page.limit, parseRow<Recommendation>, (r) => recommendationKey(r, byRisk));
  }

  async listRecommendationsJson(snapshotId: string, filter: RecommendationFilter, page: PageRequest): Promise<{ itemsJson: string[]; nextCursor?: string }> {
    const { rows, byRisk } = this.recommendationRows(snapshotId, filter, page);
    const out = toPage(rows, page.limit, (r) => r['row'] as string, (r) => recommendationKey(r, byRisk));
    return { itemsJson: out.items, ...(out.nextCursor ? { nextCursor: out.nextCursor } : {}) };
  }

  private recommendationRows(snapshotId: string, filter: RecommendationFilter, page: PageRequest): { rows: Row[]; byRisk: boolean } {
    const clauses = ['snapshot_id = ?'];
    const params: (string | number)[] = [snapshotId];
    for (const column of ['cloud', 'account', 'region', 'kind'] as const) {
      const value = filter[column];
      if (value !== undefined) {
        clauses.push(`${column} = ?`);
        params.push(value);
      }
    }
    if (filter.minMonthlySavingsUsd !== undefined) {
      clauses.push('savings_usd >= ?');
      params.push(filter.minMonthlySavingsUsd);
    }
    const byRisk = filter.sort === 'risk';
    if (page.cursor) {
      if (byRisk) {
        const [risk, savings, id] = decodeCursor(page.cursor, ['number', 'number', 'string']);
        clauses.push('(risk < ? OR (risk = ? AND (savings_usd < ? OR (savings_usd = ? AND id > ?))))');
        params.push(risk as number, risk as number, savings as number, savings as number, id as string);
      } else {
        const [savings, id] = decodeCursor(page.cursor, ['number', 'string']);
        clauses.push('(savings_usd < ? OR (savings_usd = ? AND id > ?))');
        params.push(savings as number, savings as number, id as string);
      }
    }
    const order = byRisk ? 'risk DESC, savings_usd DESC, id' : 'savings_usd DESC, id';
    const sql = `SELECT id, risk, savings_usd, row FROM recommendations WHERE ${clauses.join(' AND ')} ORDER BY ${order} LIMIT ?`;
    return { rows: this.prepared(sql).all(...params, page.limit + 1) as Row[], byRisk };
  }

  async getRecommendation(id: string): Promise<Recommendation | undefined> {
    const row = this.stmts.rec.get(id) as Row | undefined;
    return row ? parseRow<Recommendation>(row) : undefined;
  }

  async listSkips(snapshotId: string): Promise<Skip[]> {
    return (this.stmts.skips.all(snapshotId) as Row[]).map(parseRow<Skip>);
  }

  async listPurchasePlans(snapshotId: string): Promise<PurchasePlan[]> {
    return (this.stmts.plans.all(snapshotId) as Row[]).map(parseRow<PurchasePlan>);
  }

  async getPurchasePlan(snapshotId: string, pool: string): Promise<PurchasePlan | undefined> {
    const row = this.stmts.plan.get(snapshotId, pool) as Row | undefined;
    return row ? parseRow<PurchasePlan>(row) : undefined;
  }

  async claimAlert(key: string, claimant: string, nowMs: number): Promise<ClaimResult> {
    // INSERT … ON CONFLICT DO NOTHING is atomic under SQLite's write lock, across connections and processes.
    const inserted = this.stmts.claim.run(key, claimant, nowMs).changes === 1;
    if (inserted) return 'claimed';
    // A claim whose run died before sending or releasing is taken over once its lease has expired.
    if (this.stmts.takeOver.run(claimant, nowMs, key, nowMs - ALERT_CLAIM_LEASE_MS).changes === 1) return 'claimed';
    const row = this.stmts.alert.get(key) as { state: string; claimant: string } | undefined;
    if (row?.state === 'sent') return 'already-sent';
    return 'claimed-by-other';
  }

  async markAlertSent(key: string, nowMs: number): Promise<void> {
    this.stmts.markSent.run(nowMs, key);
  }

  async releaseAlert(key: string, error: string): Promise<void> {
    this.db.transaction(() => {
      this.stmts.release.run(key);
      this.stmts.recordError.run(key, error);
    })();
  }

  /** Last recorded send error of an alert key and how many attempts failed (status for dead webhooks). */
  async alertError(key: string): Promise<{ error: string; attempts: number } | undefined> {
    return this.db.prepare('SELECT error, attempts FROM alert_errors WHERE key = ?').get(key) as { error: string; attempts: number } | undefined;
  }

  async putBlob(key: string, contentType: string, body: string): Promise<void> {
    this.localWrites++;
    this.stmts.putBlob.run(key, contentType, body);
  }

  async getBlob(key: string): Promise<{ contentType: string; body: string } | undefined> {
    const row = this.stmts.getBlob.get(key) as { content_type: string; body: string } | undefined;
    return row ? { contentType: row.content_type, body: row.body } : undefined;
  }

  async listBlobs(prefix: string): Promise<string[]> {
    return (this.stmts.listBlobs.all(prefix, prefix) as { key: string }[]).map((r) => r.key);
  }

  /**
   * Changes at once on this connection's writes, and within CHANGE_CHECK_INTERVAL_MS of another process's commit:
   * reading SQLite's data_version takes a read transaction (~30 µs), which was most of a cached API response.
   */
  changeToken(): string {
    const now = performance.now();
    if (this.dataVersionAtMs === undefined || now - this.dataVersionAtMs >= CHANGE_CHECK_INTERVAL_MS) {
      this.dataVersionStmt ??= this.db.prepare('PRAGMA data_version').pluck();
      this.dataVersion = this.dataVersionStmt.get() as number;
      this.dataVersionAtMs = now;
    }
    return `${this.dataVersion}:${this.localWrites}`;
  }

  async prune(beforeMs: number): Promise<{ snapshotsDeleted: number }> {
    this.localWrites++;
    const latest = await this.latestSnapshot();
    const result = this.db.prepare('DELETE FROM snapshots WHERE finished_at_ms < ? AND id <> ?').run(beforeMs, latest?.id ?? '');
    return { snapshotsDeleted: result.changes };
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

function recommendationKey(r: Row, byRisk: boolean): (string | number)[] {
  return byRisk ? [r['risk'] as number, r['savings_usd'] as number, r['id'] as string] : [r['savings_usd'] as number, r['id'] as string];
}




/** Rows this store wrote itself from validated domain values: parsed without re-validation for speed. */
function parseRow<T>(row: Row): T {
  return JSON.parse(row['row'] as string) as T;
}

function parseSeries(row: Row): UtilizationSeries {
  return {
    instanceId: row['instance_id'] as string,
    metric: row['metric'] as Metric,
    startMs: row['start_ms'] as number,
    max: blobToF32(row['max'] as Buffer),
    mean: blobToF32(row['mean'] as Buffer),
  };
}

function toPage<T>(rows: Row[], limit: number, parse: (row: Row) => T, key: (row: Row) => (string | number)[]): Page<T> {
  const more = rows.length > limit;
  const pageRows = more ? rows.slice(0, limit) : rows;
  const last = pageRows[pageRows.length - 1];
  const page: Page<T> = { items: pageRows.map(parse) };
  if (more && last) page.nextCursor = encodeCursor(key(last));
  return page;
}

function parseMeta(row: Row): SnapshotMeta {
  return metaFromJson(row['meta'] as string);
}

function parseInstance(row: Row): Instance {
  return instanceFromJson(row['row'] as string);
}
