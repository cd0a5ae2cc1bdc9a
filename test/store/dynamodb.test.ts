import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoStore } from '../../src/store/dynamodb/dynamodb-store.js';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { runStoreContract } from './contract.js';
import { makeRecommendation, makeSnapshot } from '../helpers/fixtures-snapshot.js';
import { startAwsStoreServers, type AwsStoreServers } from '../helpers/aws-store-servers.js';

let servers: AwsStoreServers;
let n = 0;

beforeAll(async () => {
  servers = await startAwsStoreServers();
});
afterAll(async () => {
  await servers.stop();
});

/** A fresh table and bucket per test: no test sees another's items. */
async function freshStore(options: { seriesChunkSize?: number } = {}): Promise<{ store: DynamoStore; cleanup: () => Promise<void> }> {
  n += 1;
  const table = `rightsize-${n}`;
  const bucket = `rightsize-${n}`;
  await servers.createTable(table);
  await servers.createBucket(bucket);
  const store = new DynamoStore({ tableName: table, bucket, ...servers.clients(), seriesChunkSize: options.seriesChunkSize ?? 3 });
  return { store, cleanup: async () => {} };
}

// Chunks of 3 instances so the contract's snapshots span several S3 series objects.
runStoreContract('dynamodb + s3 (dynalite, s3rver)', () => freshStore());

const T0 = Date.UTC(2026, 10, 16, 12);

describe('dynamodb store specifics', () => {
  it('keeps the previous snapshot as latest when a write dies part way (the pointer is written last)', async () => {
    const { store } = await freshStore();
    await store.writeSnapshot(makeSnapshot('good', T0 - 3_600_000, 4));
    // An S3 that fails after two chunk uploads: the snapshot's later parts and its pointer are never written.
    const { s3 } = servers.clients();
    let puts = 0;
    s3.middlewareStack.add(
      (next) => async (args) => {
        if ((args.input as { Key?: string }).Key?.includes('/series/') && ++puts > 2) throw Object.assign(new Error('injected S3 failure'), { name: 'InternalError' });
        return next(args);
      },
      { step: 'initialize', name: 'failAfterTwo' },
    );
    const broken = new DynamoStore({ tableName: store.table, bucket: store.bucket, dynamodb: servers.clients().dynamodb, s3, seriesChunkSize: 2 });
    await expect(broken.writeSnapshot(makeSnapshot('half', T0, 10))).rejects.toThrow('injected S3 failure');
    expect((await store.latestSnapshot())?.id).toBe('good');
    expect(await store.getSnapshotMeta('half')).toBeUndefined();
    expect((await store.listSnapshots({ limit: 10 })).items.map((m) => m.id)).toEqual(['good']);
  });

  it('refuses to overwrite an existing snapshot id', async () => {
    const { store } = await freshStore();
    await store.writeSnapshot(makeSnapshot('s1', T0, 2));
    await expect(store.writeSnapshot(makeSnapshot('s1', T0, 2))).rejects.toThrow('already exists');
  });

  it('replacing results deletes the previous generation, and getRecommendation only sees the current one', async () => {
    const { store } = await freshStore();
    const snap = makeSnapshot('s1', T0, 6);
    await store.writeSnapshot(snap);
    const first = snap.instances.map((i, k) => makeRecommendation('s1', i, 10 + k, 1));
    await store.writeResults({ snapshotId: 's1', recommendations: first, skips: [], plans: [] });
    const second = first.slice(0, 2).map((r) => ({ ...r, monthlySavingsUsd: r.monthlySavingsUsd + 100 }));
    await store.writeResults({ snapshotId: 's1', recommendations: second, skips: [], plans: [] });
    const page = await store.listRecommendations('s1', {}, { limit: 50 });
    expect(page.items.map((r) => r.monthlySavingsUsd)).toEqual(second.map((r) => r.monthlySavingsUsd).sort((a, b) => b - a));
    expect(await store.getRecommendation(first[4]!.id)).toBeUndefined();
    expect((await store.getRecommendation(second[0]!.id))?.monthlySavingsUsd).toBe(second[0]!.monthlySavingsUsd);
    const { dynamodb } = servers.clients();
    const all = await dynamodb.send(new ScanCommand({ TableName: store.table }));
    const recItems = (all.Items ?? []).filter((i) => i['pk']?.S?.startsWith('RECS#'));
    expect(recItems).toHaveLength(2);
  });

  it('sorts negative, zero and fractional savings like numbers, not strings', async () => {
    const { store } = await freshStore();
    const snap = makeSnapshot('s1', T0, 6);
    await store.writeSnapshot(snap);
    const savings = [-12.5, 0, 3, 250, -0.25, 9.75];
    const recs = snap.instances.map((i, k) => makeRecommendation('s1', i, savings[k]!, 1));
    await store.writeResults({ snapshotId: 's1', recommendations: recs, skips: [], plans: [] });
    const page = await store.listRecommendations('s1', {}, { limit: 10 });
    expect(page.items.map((r) => r.monthlySavingsUsd)).toEqual([...savings].sort((a, b) => b - a));
    const atLeastZero = await store.listRecommendations('s1', { minMonthlySavingsUsd: 0 }, { limit: 10 });
    expect(atLeastZero.items.map((r) => r.monthlySavingsUsd)).toEqual([250, 9.75, 3, 0]);
  });

  it('retries the writes DynamoDB leaves unprocessed', async () => {
    const { store: plain } = await freshStore();
    const { dynamodb, s3 } = servers.clients();
    let throttled = 0;
    // Like a throttled table: the first batch call writes only its first 5 items and hands the rest back.
    dynamodb.middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as { RequestItems?: Record<string, unknown[]> };
        if (!input.RequestItems || throttled > 0) return next(args);
        throttled++;
        const [table, requests] = Object.entries(input.RequestItems)[0]!;
        const out = (await next({ ...args, input: { ...input, RequestItems: { [table]: requests.slice(0, 5) } } })) as { output: { UnprocessedItems?: unknown } };
        out.output.UnprocessedItems = { [table]: requests.slice(5) };
        return out as never;
      },
      { step: 'initialize', name: 'throttleOnce' },
    );
    const store = new DynamoStore({ tableName: plain.table, bucket: plain.bucket, dynamodb, s3 });
    await store.writeSnapshot(makeSnapshot('s1', T0, 40));
    expect(throttled).toBe(1);
    expect(await store.instances('s1')).toHaveLength(40);
  });

  it('sets a TTL behind the retention window when retention is configured', async () => {
    const { store: plain } = await freshStore();
    const { dynamodb, s3 } = servers.clients();
    const table = plain.table;
    const store = new DynamoStore({ tableName: table, bucket: plain.bucket, dynamodb, s3, retentionDays: 90 });
    await store.writeSnapshot(makeSnapshot('s1', T0, 2));
    const all = await dynamodb.send(new ScanCommand({ TableName: table }));
    const ttl = new Set((all.Items ?? []).map((i) => i['expiresAt']?.N));
    // finishedAt + (90 + 30 grace) days, in epoch seconds: one value on every item of the snapshot.
    expect([...ttl]).toEqual([String(Math.floor((T0 + 120 * 86_400_000) / 1000))]);
  });
});
