import { gunzipSync, gzipSync } from 'node:zlib';
import { buffer } from 'node:stream/consumers';
import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsBillingError } from '../../../src/collectors/aws/billing/errors.js';
import { s3ExportSource } from '../../../src/collectors/aws/billing/s3-export-source.js';
import { type AwsStoreServers, startAwsStoreServers } from '../../helpers/aws-store-servers.js';
import { manifestJson, putLayout } from '../../helpers/billing/aws-s3-export-layout.js';

// A Data Exports layout in a real S3 wire server (s3rver): three periods of export `focus-export` under `exports/`.
const BUCKET = 'billing';
const ROOT = 'exports/focus-export';
const dataKey = (period: string, file: string) => `${ROOT}/data/BILLING_PERIOD=${period}/${file}`;
const metaKey = (period: string) => `${ROOT}/metadata/BILLING_PERIOD=${period}/focus-export-Manifest.json`;

// Distinct bytes per file so ranges and sizes can be checked against what was put.
const bytesOf = (seed: number, n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed) % 251);
const SEPT_1 = bytesOf(1, 3000);
const SEPT_2 = bytesOf(2, 1234);
const OCT_CSV = 'BilledCost,ChargePeriodStart\n1.5,2026-10-01 00:00:00\n2.25,2026-10-02 00:00:00\n';
const OCT_NEW = gzipSync(Buffer.from(OCT_CSV));
const OCT_STALE = gzipSync(Buffer.from('BilledCost,ChargePeriodStart\n999,2026-10-01 00:00:00\n'));
const NOV_1 = bytesOf(3, 500);
const NOV_2 = bytesOf(4, 700);

let servers: AwsStoreServers;
let s3: S3Client;

beforeAll(async () => {
  servers = await startAwsStoreServers();
  s3 = servers.clients().s3;
  await servers.createBucket(BUCKET);
  await servers.createBucket('two-exports');
  await putLayout(s3, BUCKET, [
    { key: dataKey('2026-09', 'focus-export-00001.parquet'), body: SEPT_1 },
    { key: dataKey('2026-09', 'focus-export-00002.parquet'), body: SEPT_2 },
    { key: metaKey('2026-09'), body: manifestJson(BUCKET, 'focus-export', 'exec-sep', [dataKey('2026-09', 'focus-export-00001.parquet'), dataKey('2026-09', 'focus-export-00002.parquet')]) },
    // October was rewritten: the current manifest names one part; part 2 of the earlier execution is still there.
    { key: dataKey('2026-10', 'focus-export-00001.csv.gz'), body: OCT_NEW },
    { key: dataKey('2026-10', 'focus-export-00002.csv.gz'), body: OCT_STALE },
    { key: metaKey('2026-10'), body: manifestJson(BUCKET, 'focus-export', 'exec-oct-2', [dataKey('2026-10', 'focus-export-00001.csv.gz')]) },
    // November has no manifest yet: the data files are listed (a crawler's helper file is not a data file).
    { key: dataKey('2026-11', 'focus-export-00001.parquet'), body: NOV_1 },
    { key: dataKey('2026-11', 'focus-export-00002.parquet'), body: NOV_2 },
    { key: dataKey('2026-11', 'crawler-cfn.yml'), body: 'x' },
  ]);
  await putLayout(s3, 'two-exports', [
    { key: 'cur/a/data/BILLING_PERIOD=2026-11/a-00001.parquet', body: NOV_1 },
    { key: 'cur/b/data/BILLING_PERIOD=2026-11/b-00001.parquet', body: NOV_1 },
    { key: 'cur/b/metadata/BILLING_PERIOD=2026-11/b-Manifest.json', body: '{"executionId":"x"}' },
    { key: 'cur/c/metadata/BILLING_PERIOD=2026-11/c-Manifest.json', body: manifestJson('two-exports', 'c', 'e', ['cur/c/data/BILLING_PERIOD=2026-11/gone-00001.parquet']) },
  ]);
});

afterAll(async () => {
  s3?.destroy();
  await servers?.stop();
});

describe('s3ExportSource over a Data Exports layout (s3rver)', () => {
  it('lists each period from its current manifest, and falls back to listing without one', async () => {
    const source = s3ExportSource({ uri: `s3://${BUCKET}/${ROOT}`, s3 });
    expect(source.datasetId).toBe('s3://billing/exports/focus-export');
    const periods = await source.periods();
    expect(periods.map((p) => [p.billingPeriod, p.filesFrom])).toEqual([['2026-09', 'manifest'], ['2026-10', 'manifest'], ['2026-11', 'listing']]);
    const [sep, oct, nov] = periods;
    expect(sep!.objects.map((o) => [o.name, o.sizeBytes])).toEqual([
      [`s3://billing/${dataKey('2026-09', 'focus-export-00001.parquet')}`, 3000],
      [`s3://billing/${dataKey('2026-09', 'focus-export-00002.parquet')}`, 1234],
    ]);
    expect(sep!.executionId).toBe('exec-sep');
    // The stale part 2 of October is not the period's: only the manifest's file is.
    expect(oct!.objects.map((o) => o.name)).toEqual([`s3://billing/${dataKey('2026-10', 'focus-export-00001.csv.gz')}`]);
    expect(oct!.objects[0]!.sizeBytes).toBe(OCT_NEW.length);
    expect(oct!.manifestUri).toBe(`s3://billing/${metaKey('2026-10')}`);
    expect(nov!.objects.map((o) => [o.name.split('/').pop(), o.sizeBytes])).toEqual([['focus-export-00001.parquet', 500], ['focus-export-00002.parquet', 700]]);
    expect(nov!.note).toContain('no manifest under exports/focus-export/metadata/BILLING_PERIOD=2026-11/');
  });

  it('readRange is a ranged GET of exactly the bytes asked for; stream is the whole object', async () => {
    const [sep, oct] = await s3ExportSource({ uri: `s3://${BUCKET}/${ROOT}`, s3 }).periods();
    const first = sep!.objects[0]!;
    expect(Buffer.from(await first.readRange(100, 612))).toEqual(Buffer.from(SEPT_1.subarray(100, 612)));
    // Parquet readers ask for the footer: the last 8 bytes.
    expect(Buffer.from(await first.readRange(2992, 3000))).toEqual(Buffer.from(SEPT_1.subarray(2992)));
    // Past the end is clamped to the object; an empty range asks nothing.
    expect((await first.readRange(2990, 5000)).length).toBe(10);
    expect((await first.readRange(50, 50)).length).toBe(0);
    const csv = gunzipSync(await buffer(await oct!.objects[0]!.stream())).toString();
    expect(csv).toBe(OCT_CSV);
  });

  it('a prefix holding one export resolves to it; the dataset id stays the URI given', async () => {
    const source = s3ExportSource({ uri: `s3://${BUCKET}/exports/`, s3 });
    expect(source.datasetId).toBe('s3://billing/exports');
    expect((await source.periods()).map((p) => p.billingPeriod)).toEqual(['2026-09', '2026-10', '2026-11']);
  });

  it('a prefix holding several exports asks to name one', async () => {
    const err = await s3ExportSource({ uri: 's3://two-exports/cur', s3 }).periods().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AwsBillingError);
    expect(err).toMatchObject({ status: 'invalid-config', message: 'aws s3://two-exports/cur: 3 exports here (a, b, c); name one: s3://two-exports/cur/a' });
  });

  it('a manifest without dataFiles is a parse error naming the manifest', async () => {
    await expect(s3ExportSource({ uri: 's3://two-exports/cur/b', s3 }).periods()).rejects.toMatchObject({
      kind: 'bad-response', status: 'parse-error', message: expect.stringContaining('aws Data Exports manifest s3://two-exports/cur/b/metadata/BILLING_PERIOD=2026-11/b-Manifest.json: dataFiles:'),
    });
  });

  it('a manifest naming a missing file says so', async () => {
    await expect(s3ExportSource({ uri: 's3://two-exports/cur/c', s3 }).periods()).rejects.toMatchObject({
      kind: 'not-found', message: expect.stringContaining('names s3://two-exports/cur/c/data/BILLING_PERIOD=2026-11/gone-00001.parquet, which does not exist'),
    });
  });

  it('an empty prefix is no export; an aborted signal stops the listing', async () => {
    await expect(s3ExportSource({ uri: `s3://${BUCKET}/nothing-here`, s3 }).periods()).rejects.toMatchObject({ kind: 'not-found', status: 'no-data' });
    const controller = new AbortController();
    controller.abort(new Error('import deadline'));
    await expect(s3ExportSource({ uri: `s3://${BUCKET}/${ROOT}`, s3, signal: controller.signal }).periods()).rejects.toThrow();
  });
});
