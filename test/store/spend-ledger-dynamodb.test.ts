import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { gzipSync } from 'node:zlib';
import { DynamoSpendLedger, partitionObjectKey } from '../../src/store/spend/dynamodb-spend-ledger.js';
import { openSpendLedger } from '../../src/store/spend/open.js';
import { ConfigSchema } from '../../src/config.js';
import { startAwsStoreServers, type AwsStoreServers } from '../helpers/aws-store-servers.js';
import { runSpendLedgerContract, spendImport, spendRow } from './spend-ledger-contract.js';

let servers: AwsStoreServers;
let n = 0;

beforeAll(async () => {
  servers = await startAwsStoreServers();
});
afterAll(async () => {
  await servers.stop();
});

/** A fresh table and bucket per ledger: no test sees another's items. */
async function freshLedger(): Promise<DynamoSpendLedger> {
  n += 1;
  const name = `rightsize-spend-${n}`;
  await servers.createTable(name);
  await servers.createBucket(name);
  return new DynamoSpendLedger({ tableName: name, bucket: name, ...servers.clients() });
}

async function objectKeys(bucket: string): Promise<string[]> {
  const { s3 } = servers.clients();
  const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  s3.destroy();
  return (out.Contents ?? []).map((o) => o.Key ?? '').sort();
}

runSpendLedgerContract('dynamodb + s3 (dynalite, s3rver)', async () => ({ ledger: await freshLedger(), cleanup: async () => {} }));

describe('dynamodb spend ledger specifics', () => {
  it('two concurrent replaces of one period serialise: one import whole, its record, one object', async () => {
    const ledger = await freshLedger();
    await ledger.replacePeriod(spendImport('ds-a', '2026-03', 1000), [spendRow('2026-03-01', { resourceId: 'seed' })]);
    // Six writers race from the same previous generation; the losers of the conditional put re-read and retry.
    const { dynamodb, s3 } = servers.clients();
    let conflicts = 0;
    dynamodb.middlewareStack.add(
      (next) => async (args) => {
        try {
          return await next(args);
        } catch (err) {
          if ((err as Error).name === 'ConditionalCheckFailedException') conflicts++;
          throw err;
        }
      },
      { step: 'initialize', name: 'countConflicts' },
    );
    const shared = new DynamoSpendLedger({ tableName: ledger.table, bucket: ledger.bucket, dynamodb, s3 });
    const writers = Array.from({ length: 6 }, (_, w) =>
      shared.replacePeriod(
        spendImport('ds-a', '2026-03', 2000 + w, { ledgerRows: w + 1 }),
        Array.from({ length: w + 1 }, (_, k) => spendRow(`2026-03-${String(k + 2).padStart(2, '0')}`, { resourceId: `w${w}` })),
      ),
    );
    await Promise.all(writers);
    expect(conflicts).toBeGreaterThan(0); // the race really happened
    const rows = await ledger.rowsBetween('2026-03-01', '2026-03-31');
    const [record] = await ledger.listImports();
    const owners = new Set(rows.map((r) => r.resourceId));
    expect(owners.size).toBe(1); // never a mix
    const winner = Number([...owners][0]!.slice(1));
    expect(rows).toHaveLength(winner + 1);
    expect(record?.importedAtMs).toBe(2000 + winner); // the record describes the rows it points at
    expect(record?.ledgerRows).toBe(winner + 1);
    expect(await ledger.listImports()).toHaveLength(1);
    const keys = await objectKeys(ledger.bucket);
    expect(keys).toHaveLength(1); // every replaced or losing generation's object was deleted
    expect(keys[0]!.startsWith(partitionObjectKey('ds-a', '2026-03', 'x').replace(/x\.json\.gz$/, ''))).toBe(true);
  });

  it('a reader whose object is replaced between pointer and GET follows the new pointer', async () => {
    const ledger = await freshLedger();
    await ledger.replacePeriod(spendImport('ds-a', '2026-03', 1000), [spendRow('2026-03-01', { resourceId: 'old' })]);
    const { dynamodb, s3 } = servers.clients();
    let replaced = false;
    s3.middlewareStack.add(
      (next) => async (args) => {
        // The reader has read the pointer to the old object; a replace lands (and deletes it) before the GET.
        if (!replaced && (args.input as { Key?: string }).Key) {
          replaced = true;
          await ledger.replacePeriod(spendImport('ds-a', '2026-03', 2000), [spendRow('2026-03-01', { resourceId: 'new' })]);
        }
        return next(args);
      },
      { step: 'initialize', name: 'replaceBeforeGet' },
    );
    const reader = new DynamoSpendLedger({ tableName: ledger.table, bucket: ledger.bucket, dynamodb, s3 });
    expect((await reader.rowsBetween('2026-03-01', '2026-03-31')).map((r) => r.resourceId)).toEqual(['new']);
    expect(replaced).toBe(true);
  });

  it('deletes the replaced object and writes none for an empty period', async () => {
    const ledger = await freshLedger();
    await ledger.replacePeriod(spendImport('ds-a', '2026-03', 1000), [spendRow('2026-03-01')]);
    const first = await objectKeys(ledger.bucket);
    await ledger.replacePeriod(spendImport('ds-a', '2026-03', 2000), [spendRow('2026-03-02')]);
    const second = await objectKeys(ledger.bucket);
    expect(first).toHaveLength(1);
    expect(second).toHaveLength(1);
    expect(second[0]).not.toBe(first[0]);
    await ledger.replacePeriod(spendImport('ds-a', '2026-03', 3000), []);
    expect(await objectKeys(ledger.bucket)).toEqual([]);
    expect(await ledger.deletePeriod('ds-a', '2026-03')).toBe(true);
  });

  it('rejects a corrupted partition object, naming its s3 address and the row', async () => {
    const ledger = await freshLedger();
    await ledger.replacePeriod(spendImport('ds-a', '2026-03', 1000), [spendRow('2026-03-01'), spendRow('2026-03-02')]);
    const [key] = await objectKeys(ledger.bucket);
    const { s3 } = servers.clients();
    const fields = ['day', 'provider', 'chargeCategory'];
    const body = { format: 'rightsize-spend-rows', version: 1, datasetId: 'ds-a', billingPeriod: '2026-03', generation: 'g', fields, rows: [['2026-03-01', 'AWS', 'Refund']] };
    await s3.send(new PutObjectCommand({ Bucket: ledger.bucket, Key: key, Body: gzipSync(JSON.stringify(body)) }));
    s3.destroy();
    await expect(ledger.rowsBetween('2026-03-01', '2026-03-31')).rejects.toThrow(`s3://${ledger.bucket}/${key}: rows.0`);
  });

  it('reads only the partitions whose days overlap the range', async () => {
    const ledger = await freshLedger();
    await ledger.replacePeriod(spendImport('ds-a', '2026-02', 1000), [spendRow('2026-02-10')]);
    await ledger.replacePeriod(spendImport('ds-a', '2026-03', 1001), [spendRow('2026-03-10')]);
    const { dynamodb, s3 } = servers.clients();
    const gets: string[] = [];
    s3.middlewareStack.add(
      (next) => async (args) => {
        const key = (args.input as { Key?: string }).Key;
        if (key) gets.push(key);
        return next(args);
      },
      { step: 'initialize', name: 'recordGets' },
    );
    const reading = new DynamoSpendLedger({ tableName: ledger.table, bucket: ledger.bucket, dynamodb, s3 });
    expect((await reading.rowsBetween('2026-03-01', '2026-03-31')).map((r) => r.day)).toEqual(['2026-03-10']);
    expect(gets).toHaveLength(1);
    expect(gets[0]).toContain('/2026-03/');
  });

  it('openSpendLedger builds a DynamoDB ledger from the store config', async () => {
    const ledger = await freshLedger();
    const config = ConfigSchema.parse({
      store: { kind: 'dynamodb', table: ledger.table, bucket: ledger.bucket, region: 'us-east-1', endpoints: { dynamodb: servers.dynamodbEndpoint, s3: servers.s3Endpoint }, forcePathStyle: true },
    });
    // The SDK's credential chain reads process.env (the servers accept this pair); without it, it would try IMDS.
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'S3RVER');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'S3RVER');
    const opened = await openSpendLedger(config, {});
    try {
      await ledger.replacePeriod(spendImport('ds-a', '2026-03', 1000), [spendRow('2026-03-01')]);
      expect(opened).toBeInstanceOf(DynamoSpendLedger);
      expect((await opened.listImports()).map((i) => i.datasetId)).toEqual(['ds-a']);
    } finally {
      await opened.close();
      vi.unstubAllEnvs();
    }
  });
});
