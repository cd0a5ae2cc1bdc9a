import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, type QueryCommandInput, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Instance } from '../../domain/instance.js';
import type { PurchasePlan } from '../../domain/purchase-plan.js';
import type { Recommendation, Skip } from '../../domain/recommendation.js';
import type { Snapshot, SnapshotMeta } from '../../domain/snapshot.js';
import type { UtilizationSeries } from '../../domain/utilization.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { instanceFromJson, metaFromJson, snapshotMetaOf } from '../rows.js';
import type { AnalysisResults, ClaimResult, InstanceFilter, Page, PageRequest, RecommendationFilter, Store } from '../store.js';
import { ALERT_CLAIM_LEASE_MS } from '../alert-lease.js';
import { riskKey, savingsKey, snapshotIndexKey } from './keys.js';
import { decodeSeriesChunk, encodeSeriesChunk, groupByInstance } from '../series-codec.js';
import { mapLimit } from '../map-limit.js';

export interface DynamoStoreOptions {
  tableName: string;
  bucket: string;
  dynamodb: DynamoDBClient;
  s3: S3Client;
  /** When set, snapshots older than this many days are pruned after each snapshot write, and items carry a TTL. */
  retentionDays?: number;
  /** Instances per S3 series object: small enough that one instance's detail reads little, big enough to batch. */
  seriesChunkSize?: number;
  /** Parallel BatchWriteItem calls. */
  writeConcurrency?: number;
}

type Item = Record<string, unknown>;

const DAY_MS = 86_400_000;
/** TTL is a backstop behind prune(): items expire this long after the retention window, so prune runs first. */
const TTL_GRACE_DAYS = 30;
/** Sent-alert markers outlive any budget period (a quarter) by far. */
const ALERT_TTL_DAYS = 400;
const BATCH_WRITE_MAX = 25;
const BATCH_RETRY_LIMIT = 8;

/**
 * The deployed Store: DynamoDB for everything queried, S3 for series and blobs. Same contract as SQLite
 * (test/store/contract.ts runs against dynalite and s3rver). DynamoDB has no multi-item transaction here
 * (dynalite lacks TransactWriteItems, and 25 items would not hold a snapshot anyway), so every multi-item write
 * publishes through one pointer item written last: a snapshot's index item, a results generation.
 */
export class DynamoStore implements Store {
  private readonly doc: DynamoDBDocumentClient;
  readonly table: string;
  readonly bucket: string;
  private readonly s3: S3Client;
  private readonly chunkSize: number;
  private readonly concurrency: number;

  constructor(private readonly options: DynamoStoreOptions) {
    this.doc = DynamoDBDocumentClient.from(options.dynamodb, { marshallOptions: { removeUndefinedValues: true } });
    this.table = options.tableName;
    this.bucket = options.bucket;
    this.s3 = options.s3;
    this.chunkSize = options.seriesChunkSize ?? 200;
    this.concurrency = options.writeConcurrency ?? 8;
  }

  // ---- snapshots -------------------------------------------------------------------------------------------------

  async writeSnapshot(snapshot: Snapshot): Promise<void> {
    const meta = snapshotMetaOf(snapshot);
    const finishedMs = Date.parse(meta.finishedAt);
    if (await this.getSnapshotMeta(meta.id)) throw new Error(`snapshot ${meta.id} already exists`);
    const expiresAt = this.expiresAt(finishedMs);

    // 1. Series to S3, in (instance, metric) order, chunked by instance.
    const series = [...snapshot.series].sort((a, b) => cmp(a.instanceId, b.instanceId) || cmp(a.metric, b.metric));
    const chunkOf = new Map<string, number>();
    const chunks: UtilizationSeries[][] = [];
    for (const s of series) {
      let chunk = chunkOf.get(s.instanceId);
      if (chunk === undefined) {
        const last = chunks[chunks.length - 1];
        const instancesInLast = last ? new Set(last.map((x) => x.instanceId)).size : this.chunkSize;
        if (!last || instancesInLast >= this.chunkSize) chunks.push([]);
        chunk = chunks.length - 1;
        chunkOf.set(s.instanceId, chunk);
      }
      (chunks[chunk] as UtilizationSeries[]).push(s);
    }
    await mapLimit(chunks, this.concurrency, async (chunk, n) => {
      await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: seriesObjectKey(meta.id, n), Body: encodeSeriesChunk(chunk), ContentType: 'application/gzip' }));
    });

    // 2. Instances.
    const instanceItems = snapshot.instances.map((i) => ({
      pk: `SNAP#${meta.id}`,
      sk: `I#${i.id}`,
      cloud: i.cloud,
      account: i.account,
      region: i.region,
      type: i.type,
      state: i.state,
      tags: i.tags,
      chunk: chunkOf.get(i.id),
      row: JSON.stringify(i),
      expiresAt,
    }));
    await this.batchPut(instanceItems);

    // 3. Meta by id, then 4. the index item that makes it the latest: a reader never sees a half-written snapshot.
    await this.doc.send(new PutCommand({ TableName: this.table, Item: { pk: `SNAP#${meta.id}`, sk: '#META', meta: JSON.stringify(meta), seriesChunks: chunks.length, expiresAt } }));
    await this.doc.send(new PutCommand({ TableName: this.table, Item: { pk: 'SNAPSHOTS', sk: snapshotIndexKey(finishedMs, meta.id), id: meta.id, meta: JSON.stringify(meta), expiresAt } }));

    if (this.options.retentionDays !== undefined) await this.prune(finishedMs - this.options.retentionDays * DAY_MS);
  }

  async latestSnapshot(): Promise<SnapshotMeta | undefined> {
    const out = await this.doc.send(new QueryCommand({ TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'SNAPSHOTS' }, ScanIndexForward: false, Limit: 1, ConsistentRead: true }));
    const item = out.Items?.[0];
    return item ? parseMeta(item) : undefined;
  }

  async getSnapshotMeta(id: string): Promise<SnapshotMeta | undefined> {
    const item = await this.get(`SNAP#${id}`, '#META');
    return item ? parseMeta(item) : undefined;
  }

  async listSnapshots(page: PageRequest): Promise<Page<SnapshotMeta>> {
    let start: Item | undefined;
    if (page.cursor) {
      const [finishedMs, id] = decodeCursor(page.cursor, ['number', 'string']);
      start = { pk: 'SNAPSHOTS', sk: snapshotIndexKey(finishedMs as number, id as string) };
    }
    const { items, more } = await this.queryPage({ TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'SNAPSHOTS' }, ScanIndexForward: false, ConsistentRead: true }, page.limit, start);
    const metas = items.map(parseMeta);
    const last = metas[metas.length - 1];
    return { items: metas, ...(more && last ? { nextCursor: encodeCursor([Date.parse(last.finishedAt), last.id]) } : {}) };
  }

  async snapshotsBetween(fromMs: number, toMs: number): Promise<SnapshotMeta[]> {
    if (toMs <= fromMs) return [];
    // Keys are `<ms>#<id>`: [from, to) on the time prefix is [pad(from), pad(to)) as strings.
    const items = await this.queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lo AND :hi',
      ExpressionAttributeValues: { ':pk': 'SNAPSHOTS', ':lo': String(fromMs).padStart(15, '0'), ':hi': `${String(toMs - 1).padStart(15, '0')}#\uffff` },
      ConsistentRead: true,
    });
    return items.map(parseMeta);
  }

  async listInstances(snapshotId: string, filter: InstanceFilter, page: PageRequest): Promise<Page<Instance>> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':pk': `SNAP#${snapshotId}`, ':prefix': 'I#' };
    const conditions: string[] = [];
    for (const column of ['cloud', 'account', 'region', 'type', 'state'] as const) {
      const value = filter[column];
      if (value === undefined) continue;
      names[`#${column}`] = column;
      values[`:${column}`] = value;
      conditions.push(`#${column} = :${column}`);
    }
    if (filter.tag !== undefined) {
      const eq = filter.tag.indexOf('=');
      names['#tags'] = 'tags';
      names['#tk'] = eq < 0 ? filter.tag : filter.tag.slice(0, eq);
      if (eq < 0) conditions.push('attribute_exists(#tags.#tk)');
      else {
        values[':tv'] = filter.tag.slice(eq + 1);
        conditions.push('#tags.#tk = :tv');
      }
    }
    let start: Item | undefined;
    if (page.cursor) {
      const [id] = decodeCursor(page.cursor, ['string']);
      start = { pk: `SNAP#${snapshotId}`, sk: `I#${id as string}` };
    }
    const input: QueryCommandInput = {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: values,
      ConsistentRead: true,
      ...(conditions.length > 0 ? { FilterExpression: conditions.join(' AND '), ExpressionAttributeNames: names } : {}),
    };
    const { items, more } = await this.queryPage(input, page.limit, start);
    const instances = items.map(parseInstance);
    const last = instances[instances.length - 1];
    return { items: instances, ...(more && last ? { nextCursor: encodeCursor([last.id]) } : {}) };
  }

  async instances(snapshotId: string): Promise<Instance[]> {
    const items = await this.queryAll({ TableName: this.table, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)', ExpressionAttributeValues: { ':pk': `SNAP#${snapshotId}`, ':prefix': 'I#' }, ConsistentRead: true });
    return items.map(parseInstance);
  }

  async getInstance(snapshotId: string, instanceId: string): Promise<Instance | undefined> {
    const item = await this.get(`SNAP#${snapshotId}`, `I#${instanceId}`);
    return item ? parseInstance(item) : undefined;
  }

  async seriesFor(snapshotId: string, instanceId: string): Promise<UtilizationSeries[]> {
    const item = await this.get(`SNAP#${snapshotId}`, `I#${instanceId}`);
    if (!item || typeof item['chunk'] !== 'number') return [];
    const chunk = await this.readSeriesChunk(snapshotId, item['chunk']);
    return chunk.filter((s) => s.instanceId === instanceId);
  }

  async *seriesByInstance(snapshotId: string): AsyncIterable<{ instanceId: string; series: UtilizationSeries[] }> {
    const meta = await this.get(`SNAP#${snapshotId}`, '#META');
    const count = typeof meta?.['seriesChunks'] === 'number' ? meta['seriesChunks'] : 0;
    // One chunk in memory at a time, the next one already on its way.
    let next = count > 0 ? this.readSeriesChunk(snapshotId, 0) : undefined;
    for (let n = 0; n < count && next; n++) {
      const chunk = await next;
      next = n + 1 < count ? this.readSeriesChunk(snapshotId, n + 1) : undefined;
      yield* groupByInstance(chunk);
    }
  }

  // ---- analysis results ------------------------------------------------------------------------------------------

  async writeResults(results: AnalysisResults): Promise<void> {
    const id = results.snapshotId;
    const previous = await this.resultsGeneration(id);
    const gen = randomUUID();
    const meta = await this.get(`SNAP#${id}`, '#META');
    const expiresAt = meta ? (meta['expiresAt'] as number | undefined) : undefined;
    const recs = results.recommendations.map((r) => ({
      pk: `RECS#${id}#${gen}`,
      sk: savingsKey(r.monthlySavingsUsd, r.id),
      lsi1sk: riskKey(r.risk, r.monthlySavingsUsd, r.id),
      gsi1pk: `REC#${r.id}`,
      gsi1sk: `${id}#${gen}`,
      snapshotId: id,
      gen,
      cloud: r.cloud,
      account: r.account,
      region: r.region,
      kind: r.kind,
      savingsUsd: r.monthlySavingsUsd,
      risk: r.risk,
      row: JSON.stringify(r),
      expiresAt,
    }));
    const skips = results.skips.map((k) => ({ pk: `SKIPS#${id}#${gen}`, sk: k.instanceId, row: JSON.stringify(k), expiresAt }));
    const plans = results.plans.map((p) => ({ pk: `PLANS#${id}#${gen}`, sk: p.pool, row: JSON.stringify(p), expiresAt }));
    await this.batchPut([...recs, ...skips, ...plans]);
    // The flip: readers follow this item to the generation they list.
    await this.doc.send(new PutCommand({ TableName: this.table, Item: { pk: `SNAP#${id}`, sk: '#RESULTS', gen, expiresAt } }));
    if (previous) await this.deleteGeneration(id, previous);
  }

  async listRecommendations(snapshotId: string, filter: RecommendationFilter, page: PageRequest): Promise<Page<Recommendation>> {
    const { items, nextCursor } = await this.recommendationItems(snapshotId, filter, page);
    return { items: items.map((i) => JSON.parse(i['row'] as string) as Recommendation), ...(nextCursor ? { nextCursor } : {}) };
  }

  async listRecommendationsJson(snapshotId: string, filter: RecommendationFilter, page: PageRequest): Promise<{ itemsJson: string[]; nextCursor?: string }> {
    const { items, nextCursor } = await this.recommendationItems(snapshotId, filter, page);
    return { itemsJson: items.map((i) => i['row'] as string), ...(nextCursor ? { nextCursor } : {}) };
  }

  private async recommendationItems(snapshotId: string, filter: RecommendationFilter, page: PageRequest): Promise<{ items: Item[]; nextCursor?: string }> {
    const byRisk = filter.sort === 'risk';
    const cursor = page.cursor ? decodeCursor(page.cursor, byRisk ? ['number', 'number', 'string'] : ['number', 'string']) : undefined;
    const gen = await this.resultsGeneration(snapshotId);
    if (!gen) return { items: [] };
    const pk = `RECS#${snapshotId}#${gen}`;
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':pk': pk };
    const conditions: string[] = [];
    for (const column of ['cloud', 'account', 'region', 'kind'] as const) {
      const value = filter[column];
      if (value === undefined) continue;
      names[`#${column}`] = column;
      values[`:${column}`] = value;
      conditions.push(`#${column} = :${column}`);
    }
    let keyCondition = 'pk = :pk';
    if (filter.minMonthlySavingsUsd !== undefined) {
      if (byRisk) {
        values[':min'] = filter.minMonthlySavingsUsd;
        conditions.push('savingsUsd >= :min');
      } else {
        // Sorted by savings: the threshold is a key range, so nothing below it is even read.
        values[':bound'] = `${savingsKey(filter.minMonthlySavingsUsd, '')}\uffff`;
        keyCondition += ' AND sk <= :bound';
      }
    }
    let start: Item | undefined;
    if (cursor) {
      if (byRisk) {
        const [risk, savings, id] = cursor as [number, number, string];
        start = { pk, sk: savingsKey(savings, id), lsi1sk: riskKey(risk, savings, id) };
      } else {
        const [savings, id] = cursor as [number, string];
        start = { pk, sk: savingsKey(savings, id) };
      }
    }
    const input: QueryCommandInput = {
      TableName: this.table,
      KeyConditionExpression: keyCondition,
      ExpressionAttributeValues: values,
      ConsistentRead: true,
      ...(byRisk ? { IndexName: 'byRisk' } : {}),
      ...(conditions.length > 0 ? { FilterExpression: conditions.join(' AND '), ExpressionAttributeNames: names } : {}),
    };
    const { items, more } = await this.queryPage(input, page.limit, start);
    const last = items[items.length - 1];
    if (!more || !last) return { items };
    const key = byRisk ? [last['risk'] as number, last['savingsUsd'] as number, recIdOf(last)] : [last['savingsUsd'] as number, recIdOf(last)];
    return { items, nextCursor: encodeCursor(key) };
  }

  async getRecommendation(id: string): Promise<Recommendation | undefined> {
    const items = await this.queryAll({ TableName: this.table, IndexName: 'byRecommendationId', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': `REC#${id}` } });
    // The index may still hold a replaced generation for a moment: only the current one counts.
    for (const item of items) {
      if ((await this.resultsGeneration(item['snapshotId'] as string)) === item['gen']) return JSON.parse(item['row'] as string) as Recommendation;
    }
    return undefined;
  }

  async listSkips(snapshotId: string): Promise<Skip[]> {
    return this.rowsOfGeneration<Skip>('SKIPS', snapshotId);
  }

  async listPurchasePlans(snapshotId: string): Promise<PurchasePlan[]> {
    return this.rowsOfGeneration<PurchasePlan>('PLANS', snapshotId);
  }

  async getPurchasePlan(snapshotId: string, pool: string): Promise<PurchasePlan | undefined> {
    const gen = await this.resultsGeneration(snapshotId);
    if (!gen) return undefined;
    const item = await this.get(`PLANS#${snapshotId}#${gen}`, pool);
    return item ? (JSON.parse(item['row'] as string) as PurchasePlan) : undefined;
  }

  // ---- alerts ----------------------------------------------------------------------------------------------------

  async claimAlert(key: string, claimant: string, nowMs: number): Promise<ClaimResult> {
    try {
      // One conditional put: a new claim, or taking over one whose run died (lease expired) but never a sent one.
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: `ALERT#${key}`, sk: 'A', state: 'claimed', claimant, claimedAtMs: nowMs, expiresAt: Math.floor(nowMs / 1000) + ALERT_TTL_DAYS * 86_400 },
          ConditionExpression: 'attribute_not_exists(pk) OR (#state = :claimed AND claimedAtMs < :cutoff)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':claimed': 'claimed', ':cutoff': nowMs - ALERT_CLAIM_LEASE_MS },
        }),
      );
      return 'claimed';
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
    const item = await this.get(`ALERT#${key}`, 'A');
    return item?.['state'] === 'sent' ? 'already-sent' : 'claimed-by-other';
  }

  async markAlertSent(key: string, nowMs: number): Promise<void> {
    await this.ignoringConditionFailure(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: `ALERT#${key}`, sk: 'A' },
        UpdateExpression: 'SET #state = :sent, sentAtMs = :now',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':sent': 'sent', ':now': nowMs },
      }),
    );
  }

  async releaseAlert(key: string, error: string): Promise<void> {
    await this.ignoringConditionFailure(
      new DeleteCommand({
        TableName: this.table,
        Key: { pk: `ALERT#${key}`, sk: 'A' },
        ConditionExpression: '#state = :claimed',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':claimed': 'claimed' },
      }),
    );
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: `ALERTERR#${key}`, sk: 'A' },
        UpdateExpression: 'SET #error = :error ADD attempts :one',
        ExpressionAttributeNames: { '#error': 'error' },
        ExpressionAttributeValues: { ':error': error, ':one': 1 },
      }),
    );
  }

  /** Last recorded send error of an alert key and how many attempts failed (status for dead webhooks). */
  async alertError(key: string): Promise<{ error: string; attempts: number } | undefined> {
    const item = await this.get(`ALERTERR#${key}`, 'A');
    return item ? { error: item['error'] as string, attempts: item['attempts'] as number } : undefined;
  }

  // ---- blobs -----------------------------------------------------------------------------------------------------

  async putBlob(key: string, contentType: string, body: string): Promise<void> {
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: `blobs/${key}`, ContentType: contentType, Body: body }));
  }

  async getBlob(key: string): Promise<{ contentType: string; body: string } | undefined> {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: `blobs/${key}` }));
      return { contentType: out.ContentType ?? 'application/octet-stream', body: (await out.Body?.transformToString('utf8')) ?? '' };
    } catch (err) {
      if ((err as { name?: string }).name === 'NoSuchKey') return undefined;
      throw err;
    }
  }

  async listBlobs(prefix: string): Promise<string[]> {
    return (await this.listObjects(`blobs/${prefix}`)).map((k) => k.slice('blobs/'.length));
  }

  // ---- retention -------------------------------------------------------------------------------------------------

  async prune(beforeMs: number): Promise<{ snapshotsDeleted: number }> {
    const latest = await this.latestSnapshot();
    const old = await this.queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND sk < :before',
      ExpressionAttributeValues: { ':pk': 'SNAPSHOTS', ':before': String(beforeMs).padStart(15, '0') },
      ConsistentRead: true,
    });
    let deleted = 0;
    for (const index of old) {
      const id = index['id'] as string;
      if (id === latest?.id) continue;
      // The pointer goes first, so readers stop seeing the snapshot before its parts disappear.
      await this.batchDelete([{ pk: 'SNAPSHOTS', sk: index['sk'] as string }, { pk: `SNAP#${id}`, sk: '#META' }]);
      const gen = await this.resultsGeneration(id);
      if (gen) await this.deleteGeneration(id, gen);
      const rest = await this.queryAll({ TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `SNAP#${id}` }, ProjectionExpression: 'pk, sk', ConsistentRead: true });
      await this.batchDelete(rest.map((i) => ({ pk: i['pk'] as string, sk: i['sk'] as string })));
      await this.deleteObjects(await this.listObjects(`snapshots/${id}/`));
      deleted++;
    }
    return { snapshotsDeleted: deleted };
  }

  async close(): Promise<void> {
    this.doc.destroy();
    this.s3.destroy();
  }

  // ---- helpers ---------------------------------------------------------------------------------------------------

  private expiresAt(finishedMs: number): number | undefined {
    if (this.options.retentionDays === undefined) return undefined;
    return Math.floor((finishedMs + (this.options.retentionDays + TTL_GRACE_DAYS) * DAY_MS) / 1000);
  }

  private async get(pk: string, sk: string): Promise<Item | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: { pk, sk }, ConsistentRead: true }));
    return out.Item;
  }

  private async resultsGeneration(snapshotId: string): Promise<string | undefined> {
    return (await this.get(`SNAP#${snapshotId}`, '#RESULTS'))?.['gen'] as string | undefined;
  }

  private async rowsOfGeneration<T>(kind: 'SKIPS' | 'PLANS', snapshotId: string): Promise<T[]> {
    const gen = await this.resultsGeneration(snapshotId);
    if (!gen) return [];
    const items = await this.queryAll({ TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `${kind}#${snapshotId}#${gen}` }, ConsistentRead: true });
    return items.map((i) => JSON.parse(i['row'] as string) as T);
  }

  private async deleteGeneration(snapshotId: string, gen: string): Promise<void> {
    for (const kind of ['RECS', 'SKIPS', 'PLANS']) {
      const items = await this.queryAll({ TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `${kind}#${snapshotId}#${gen}` }, ProjectionExpression: 'pk, sk', ConsistentRead: true });
      await this.batchDelete(items.map((i) => ({ pk: i['pk'] as string, sk: i['sk'] as string })));
    }
  }

  /**
   * One page of `limit` matches after `start`. A FilterExpression applies after DynamoDB's own Limit, so this reads
   * on until it has one match more than asked (which says another page exists) or the partition ends.
   */
  private async queryPage(input: QueryCommandInput, limit: number, start: Item | undefined): Promise<{ items: Item[]; more: boolean }> {
    const items: Item[] = [];
    let exclusiveStartKey = start;
    const readLimit = input.FilterExpression ? Math.max(100, limit + 1) : limit + 1;
    for (;;) {
      const out = await this.doc.send(new QueryCommand({ ...input, Limit: readLimit - (input.FilterExpression ? 0 : items.length), ...(exclusiveStartKey ? { ExclusiveStartKey: exclusiveStartKey } : {}) }));
      items.push(...(out.Items ?? []));
      if (items.length > limit) return { items: items.slice(0, limit), more: true };
      if (!out.LastEvaluatedKey) return { items, more: false };
      exclusiveStartKey = out.LastEvaluatedKey;
    }
  }

  private async queryAll(input: QueryCommandInput): Promise<Item[]> {
    const items: Item[] = [];
    let exclusiveStartKey: Item | undefined;
    do {
      const out = await this.doc.send(new QueryCommand({ ...input, ...(exclusiveStartKey ? { ExclusiveStartKey: exclusiveStartKey } : {}) }));
      items.push(...(out.Items ?? []));
      exclusiveStartKey = out.LastEvaluatedKey;
    } while (exclusiveStartKey);
    return items;
  }

  private async batchPut(items: Item[]): Promise<void> {
    await this.batchWrite(items.map((Item) => ({ PutRequest: { Item } })));
  }

  private async batchDelete(keys: { pk: string; sk: string }[]): Promise<void> {
    await this.batchWrite(keys.map((Key) => ({ DeleteRequest: { Key } })));
  }

  /** BatchWriteItem in 25s, several in flight, retrying what DynamoDB leaves unprocessed (throttling) with backoff. */
  private async batchWrite(requests: Record<string, unknown>[]): Promise<void> {
    const batches: Record<string, unknown>[][] = [];
    for (let i = 0; i < requests.length; i += BATCH_WRITE_MAX) batches.push(requests.slice(i, i + BATCH_WRITE_MAX));
    await mapLimit(batches, this.concurrency, async (batch) => {
      let pending = batch;
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > BATCH_RETRY_LIMIT) throw new Error(`DynamoDB left ${pending.length} writes unprocessed after ${BATCH_RETRY_LIMIT} retries`);
        if (attempt > 0) await sleep(Math.min(2000, 50 * 2 ** attempt) * (0.5 + Math.random() / 2));
        const out = await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.table]: pending as never } }));
        pending = (out.UnprocessedItems?.[this.table] as Record<string, unknown>[] | undefined) ?? [];
      }
    });
  }

  private async ignoringConditionFailure(command: UpdateCommand | DeleteCommand): Promise<void> {
    try {
      await this.doc.send(command as never);
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
  }

  private async readSeriesChunk(snapshotId: string, chunk: number): Promise<UtilizationSeries[]> {
    const key = seriesObjectKey(snapshotId, chunk);
    const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    const bytes = await out.Body?.transformToByteArray();
    if (!bytes) throw new Error(`s3://${this.bucket}/${key}: empty series object`);
    return decodeSeriesChunk(bytes, `s3://${this.bucket}/${key}`);
  }

  private async listObjects(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const out = await this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }));
      for (const o of out.Contents ?? []) if (o.Key) keys.push(o.Key);
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }

  private async deleteObjects(keys: string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += 1000) {
      await this.s3.send(new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: keys.slice(i, i + 1000).map((Key) => ({ Key })), Quiet: true } }));
    }
  }
}

function seriesObjectKey(snapshotId: string, chunk: number): string {
  return `snapshots/${snapshotId}/series/${String(chunk).padStart(6, '0')}.json.gz`;
}

function recIdOf(item: Item): string {
  const sk = item['sk'] as string;
  return sk.slice(sk.indexOf('#') + 1);
}




/** Binary string order, as DynamoDB and SQLite compare keys. */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}


/**
 * Builds the store from plain settings (config.store), with the SDKs' standard credential chain and adaptive retry.
 * @example const store = openDynamoStore({ tableName: 'rightsize', bucket: 'rightsize-reports', region: 'eu-west-1' });
 */
export function openDynamoStore(settings: { tableName: string; bucket: string; region: string; endpoints?: { dynamodb?: string; s3?: string }; forcePathStyle?: boolean; retentionDays?: number }): DynamoStore {
  const dynamodb = new DynamoDBClient({ region: settings.region, retryMode: 'adaptive', maxAttempts: 6, ...(settings.endpoints?.dynamodb ? { endpoint: settings.endpoints.dynamodb } : {}) });
  const s3 = new S3Client({ region: settings.region, retryMode: 'adaptive', maxAttempts: 6, forcePathStyle: settings.forcePathStyle ?? false, ...(settings.endpoints?.s3 ? { endpoint: settings.endpoints.s3 } : {}) });
  return new DynamoStore({ tableName: settings.tableName, bucket: settings.bucket, dynamodb, s3, ...(settings.retentionDays !== undefined ? { retentionDays: settings.retentionDays } : {}) });
}

function parseMeta(item: Item): SnapshotMeta {
  return metaFromJson(item['meta'] as string);
}

function parseInstance(item: Item): Instance {
  return instanceFromJson(item['row'] as string);
}
