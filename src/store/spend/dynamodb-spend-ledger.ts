import { createHash, randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { TIMEOUT_DEFAULTS } from '../../config.js';
import { SpendImportSchema, type SpendImport, type SpendRow } from '../../domain/spend.js';
import { DataFileError, formatZodError, RightsizeError } from '../../errors.js';
import { checkImport } from './check-import.js';
import { decodeSpendPartition, encodeSpendPartition } from './spend-codec.js';
import type { SpendLedger, SpendLedgerRow } from './spend-ledger.js';
import { mapLimit } from '../map-limit.js';

/** Partition key of every import item (table.ts lists the item kinds; this one is `SPEND#IMPORT` · `<period>#<dataset>`). */
export const SPEND_IMPORT_PK = 'SPEND#IMPORT';
/** A replace that loses the conditional put to a concurrent one re-reads and tries again, this many times. */
const REPLACE_ATTEMPTS = 8;
/** A reader whose object was replaced between reading the pointer and the GET follows the new pointer, this many times. */
const READ_ATTEMPTS = 3;
const READ_CONCURRENCY = 8;

export interface DynamoSpendLedgerOptions {
  tableName: string;
  bucket: string;
  dynamodb: DynamoDBClient;
  s3: S3Client;
}

type Item = Record<string, unknown>;

/** The import item: the record plus the pointer to its rows' object (absent when the period has no rows). */
interface ImportItem {
  meta: SpendImport;
  generation: string;
  objectKey?: string;
  /** Days of the stored rows (not the record's, which a source may leave out): what rowsBetween reads by. */
  rowsFirstDay?: string;
  rowsLastDay?: string;
}

/**
 * The deployed spend ledger. Each (dataset, period) is one gzipped S3 object whose key carries a fresh generation id,
 * and one DynamoDB item in the store's table pointing at it. A replace writes the new object, then swaps the
 * pointer with a put conditional on the generation it read (so two imports of one period serialise: the last to
 * commit wins, whole), then deletes the old object. Readers follow pointers: old period or new, never a mix.
 */
export class DynamoSpendLedger implements SpendLedger {
  private readonly doc: DynamoDBDocumentClient;
  readonly table: string;
  readonly bucket: string;
  private readonly s3: S3Client;

  constructor(options: DynamoSpendLedgerOptions) {
    this.doc = DynamoDBDocumentClient.from(options.dynamodb, { marshallOptions: { removeUndefinedValues: true } });
    this.table = options.tableName;
    this.bucket = options.bucket;
    this.s3 = options.s3;
  }

  async replacePeriod(meta: SpendImport, rows: readonly SpendRow[]): Promise<void> {
    checkImport(meta);
    const { datasetId, billingPeriod } = meta;
    const label = `spend ledger ${datasetId} ${billingPeriod}`;
    let days: { first: string; last: string } | undefined;
    for (const r of rows) {
      if (!days) days = { first: r.day, last: r.day };
      else if (r.day < days.first) days.first = r.day;
      else if (r.day > days.last) days.last = r.day;
    }
    // The object first, under a generation nobody points at yet: invisible until the pointer swap below.
    const generation = randomUUID();
    const objectKey = rows.length > 0 ? partitionObjectKey(datasetId, billingPeriod, generation) : undefined;
    if (objectKey) {
      const body = encodeSpendPartition({ datasetId, billingPeriod, generation, rows });
      await this.call(`s3 PutObject s3://${this.bucket}/${objectKey}`, () =>
        this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: objectKey, Body: body, ContentType: 'application/gzip' })),
      );
    }
    const item: Item = {
      pk: SPEND_IMPORT_PK, sk: importSortKey(datasetId, billingPeriod), meta: JSON.stringify(meta), generation, importedAtMs: meta.importedAtMs,
      ...(objectKey ? { objectKey } : {}), ...(days ? { rowsFirstDay: days.first, rowsLastDay: days.last } : {}),
    };
    for (let attempt = 1; ; attempt++) {
      const previous = await this.getImport(datasetId, billingPeriod);
      try {
        await this.doc.send(new PutCommand({
          TableName: this.table,
          Item: item,
          ...(previous
            ? { ConditionExpression: 'generation = :prev', ExpressionAttributeValues: { ':prev': previous.generation } }
            : { ConditionExpression: 'attribute_not_exists(pk)' }),
        }));
      } catch (err) {
        // Another import of this period committed between our read and our put: read its generation and try again
        // (each round, one of the racing writers wins, so N writers settle within N rounds).
        const lost = err instanceof ConditionalCheckFailedException;
        if (lost && attempt < REPLACE_ATTEMPTS) {
          await sleep(Math.min(1000, 20 * 2 ** attempt) * (0.5 + Math.random() / 2));
          continue;
        }
        if (objectKey) await this.deleteObject(objectKey); // never became visible
        throw new RightsizeError(`${label}: dynamodb PutItem ${this.table} failed${lost ? ` (lost to concurrent imports ${attempt} times)` : ''}: ${(err as Error).message}`, { cause: err });
      }
      if (previous?.objectKey) await this.deleteObject(previous.objectKey);
      return;
    }
  }

  async rowsBetween(fromDay: string, toDay: string): Promise<SpendLedgerRow[]> {
    if (toDay < fromDay) return [];
    const overlapping = (await this.importItems()).filter((i) => i.objectKey && i.rowsFirstDay && i.rowsLastDay && i.rowsFirstDay <= toDay && i.rowsLastDay >= fromDay);
    const parts: SpendLedgerRow[][] = new Array(overlapping.length);
    await mapLimit(overlapping, READ_CONCURRENCY, async (item, n) => {
      const rows = await this.readPartition(item);
      parts[n] = rows.filter((r) => r.day >= fromDay && r.day <= toDay).map((r) => ({ ...r, datasetId: item.meta.datasetId }));
    });
    // Same order as SQLite: day, then dataset, then import order (sort is stable).
    return parts.flat().sort((a, b) => cmp(a.day, b.day) || cmp(a.datasetId, b.datasetId));
  }

  async listImports(): Promise<SpendImport[]> {
    return (await this.importItems())
      .map((i) => i.meta)
      .sort((a, b) => b.importedAtMs - a.importedAtMs || cmp(a.datasetId, b.datasetId) || cmp(a.billingPeriod, b.billingPeriod));
  }

  async deletePeriod(datasetId: string, billingPeriod: string): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.getImport(datasetId, billingPeriod);
      if (!current) return false;
      try {
        await this.doc.send(new DeleteCommand({
          TableName: this.table, Key: { pk: SPEND_IMPORT_PK, sk: importSortKey(datasetId, billingPeriod) },
          ConditionExpression: 'generation = :gen', ExpressionAttributeValues: { ':gen': current.generation },
        }));
      } catch (err) {
        if (err instanceof ConditionalCheckFailedException && attempt < REPLACE_ATTEMPTS) continue;
        throw new RightsizeError(`spend ledger ${datasetId} ${billingPeriod}: dynamodb DeleteItem ${this.table} failed: ${(err as Error).message}`, { cause: err });
      }
      if (current.objectKey) await this.deleteObject(current.objectKey);
      return true;
    }
  }

  async close(): Promise<void> {
    this.doc.destroy();
    this.s3.destroy();
  }

  // ---- helpers ---------------------------------------------------------------------------------------------------

  private async getImport(datasetId: string, billingPeriod: string): Promise<ImportItem | undefined> {
    const sk = importSortKey(datasetId, billingPeriod);
    const out = await this.call(`dynamodb GetItem ${this.table} ${SPEND_IMPORT_PK} ${sk}`, () =>
      this.doc.send(new GetCommand({ TableName: this.table, Key: { pk: SPEND_IMPORT_PK, sk }, ConsistentRead: true })),
    );
    return out.Item ? this.parseItem(out.Item) : undefined;
  }

  private async importItems(): Promise<ImportItem[]> {
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const out = await this.call(`dynamodb Query ${this.table} ${SPEND_IMPORT_PK}`, () =>
        this.doc.send(new QueryCommand({ TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': SPEND_IMPORT_PK }, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) })),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return items.map((i) => this.parseItem(i));
  }

  private parseItem(item: Item): ImportItem {
    const source = `dynamodb ${this.table} ${SPEND_IMPORT_PK} ${String(item['sk'])}`;
    let json: unknown;
    try {
      json = JSON.parse(String(item['meta']));
    } catch (err) {
      throw new DataFileError(`${source}: meta is not JSON`, { cause: err });
    }
    const meta = SpendImportSchema.safeParse(json);
    if (!meta.success) throw new DataFileError(formatZodError(`${source}: meta`, meta.error));
    const str = (k: string) => (typeof item[k] === 'string' ? (item[k] as string) : undefined);
    const generation = str('generation');
    if (!generation) throw new DataFileError(`${source}: no generation`);
    const objectKey = str('objectKey');
    const first = str('rowsFirstDay');
    const last = str('rowsLastDay');
    return { meta: meta.data, generation, ...(objectKey ? { objectKey } : {}), ...(first ? { rowsFirstDay: first } : {}), ...(last ? { rowsLastDay: last } : {}) };
  }

  /**
   * The rows `item` points at. Between our read of the pointer and the GET a replace may have deleted that object;
   * then the pointer has moved on (or the period is gone), so follow it again.
   */
  private async readPartition(item: ImportItem): Promise<SpendRow[]> {
    let current: ImportItem | undefined = item;
    for (let attempt = 1; current?.objectKey; attempt++) {
      const key: string = current.objectKey;
      const source = `s3://${this.bucket}/${key}`;
      try {
        const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
        const bytes = await out.Body?.transformToByteArray();
        if (!bytes) throw new DataFileError(`${source}: empty spend partition`);
        return decodeSpendPartition(bytes, source).rows;
      } catch (err) {
        if ((err as { name?: string }).name !== 'NoSuchKey' || attempt >= READ_ATTEMPTS) {
          if (err instanceof RightsizeError) throw err;
          throw new RightsizeError(`spend ledger: s3 GetObject ${source} failed: ${(err as Error).message}`, { cause: err });
        }
      }
      current = await this.getImport(item.meta.datasetId, item.meta.billingPeriod);
    }
    return [];
  }

  private async deleteObject(key: string): Promise<void> {
    await this.call(`s3 DeleteObject s3://${this.bucket}/${key}`, () => this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key })));
  }

  /** Runs one SDK call, naming the operation and resource when it fails. */
  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw new RightsizeError(`spend ledger: ${what} failed: ${(err as Error).message}`, { cause: err });
    }
  }
}

/** `<period>#<dataset>`: the period is fixed-width (YYYY-MM), so a `#` inside a dataset id cannot make two keys equal. */
function importSortKey(datasetId: string, billingPeriod: string): string {
  return `${billingPeriod}#${datasetId}`;
}

/**
 * `spend/<sha256(dataset) prefix>/<period>/<generation>.json.gz`: dataset ids are URLs of any length and
 * alphabet, while an S3 key has 1024 bytes and is clearer without `://`; the id itself is inside the object.
 */
export function partitionObjectKey(datasetId: string, billingPeriod: string, generation: string): string {
  const hash = createHash('sha256').update(datasetId).digest('hex').slice(0, 32);
  return `spend/${hash}/${billingPeriod}/${generation}.json.gz`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}


/**
 * Builds the ledger from plain settings (config.store plus config.timeouts), with the SDKs' standard credential
 * chain, adaptive retry, and connect and per-attempt request timeouts (an attempt that outlives them is aborted).
 * @example const ledger = openDynamoSpendLedger({ tableName: 'rightsize', bucket: 'rightsize-reports', region: 'eu-west-1' });
 */
export function openDynamoSpendLedger(settings: {
  tableName: string; bucket: string; region: string; endpoints?: { dynamodb?: string; s3?: string }; forcePathStyle?: boolean;
  timeouts?: { connectMs: number; requestMs: number };
}): DynamoSpendLedger {
  const timeouts = settings.timeouts ?? { connectMs: TIMEOUT_DEFAULTS.connectMs, requestMs: TIMEOUT_DEFAULTS.requestMs };
  const common = {
    region: settings.region,
    retryMode: 'adaptive' as const,
    maxAttempts: 6,
    requestHandler: { connectionTimeout: timeouts.connectMs, requestTimeout: timeouts.requestMs, throwOnRequestTimeout: true },
  };
  const dynamodb = new DynamoDBClient({ ...common, ...(settings.endpoints?.dynamodb ? { endpoint: settings.endpoints.dynamodb } : {}) });
  const s3 = new S3Client({ ...common, forcePathStyle: settings.forcePathStyle ?? false, ...(settings.endpoints?.s3 ? { endpoint: settings.endpoints.s3 } : {}) });
  return new DynamoSpendLedger({ tableName: settings.tableName, bucket: settings.bucket, dynamodb, s3 });
}
