import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { S3Client } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config.js';
import { importBills } from '../../src/pipeline/import-bills.js';
import { type AwsStoreServers, LOCAL_CREDENTIALS, startAwsStoreServers } from '../helpers/aws-store-servers.js';
import { manifestJson, putLayout } from '../helpers/billing/aws-s3-export-layout.js';
import { startAzureBlobWireServer, type WireBlob } from '../helpers/billing/azure-blob-wire-server.js';
import { startGcsWireServer } from '../helpers/billing/gcp-gcs-wire-server.js';
import { HOSTILE_CORPUS } from '../report/hostile.js';
import { addSums, csvOf, HEADER, ledgerTotals, parquetOf, recordsOf, SAMPLE, shiftMonths, sumsOf, tempLedger } from './import-bills-helpers.js';

// The real FOCUS 1.0 sample split over four configured exports, each through its real client and a local wire server.
const AWS_SEP = recordsOf('AWS', '2024-09');
const AWS_SEP_CSV = AWS_SEP.slice(0, 471);
const AWS_SEP_PARQUET = AWS_SEP.slice(471);
const AWS_AUG = shiftMonths(AWS_SEP.slice(0, 30), 1);
const AWS_JUL = shiftMonths(AWS_SEP.slice(30, 40), 2);
const MICROSOFT = recordsOf('Microsoft');
const ORACLE = recordsOf('Oracle');

const ENV = { AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey, AWS_REGION: 'us-east-1' };
const NOW = Date.UTC(2024, 9, 6, 12); // 2024-10-06: after September's bill closed

const BUCKET = 'billing';
const ROOT = 'exports/focus-export';
const S3_URI = `s3://${BUCKET}/${ROOT}`;
const dataKey = (period: string, file: string) => `${ROOT}/data/BILLING_PERIOD=${period}/${file}`;
const metaKey = (period: string) => `${ROOT}/metadata/BILLING_PERIOD=${period}/focus-export-Manifest.json`;

const AZ_DIR = 'focus/daily-focus';
const AZ_RUN = `${AZ_DIR}/20240901-20240930/run-1`;
const azManifest = (blobs: string[]) =>
  JSON.stringify({
    manifestVersion: '2024-04-01', blobCount: blobs.length,
    exportConfig: { exportName: 'daily-focus', dataVersion: '1.0', type: 'FocusCost' },
    runInfo: { executionType: 'Scheduled', submittedTime: '2024-10-02T05:00:00Z', runId: 'run-1', startDate: '2024-09-01T00:00:00', endDate: '2024-09-30T00:00:00' },
    blobs: blobs.map((blobName) => ({ blobName })),
  });
const wire = (body: string | Uint8Array): WireBlob => ({ body: typeof body === 'string' ? new TextEncoder().encode(body) : body, lastModifiedMs: Date.UTC(2024, 9, 2) });

let servers: AwsStoreServers;
let s3: S3Client;
let closers: (() => Promise<void>)[];
let t: ReturnType<typeof tempLedger>;
let localDir: string;

beforeEach(async () => {
  closers = [];
  t = tempLedger();
  localDir = path.join(t.dir, 'focus');
  mkdirSync(localDir);
  writeFileSync(path.join(localDir, 'sample.csv'), csvOf(SAMPLE.records));
  servers = await startAwsStoreServers();
  s3 = servers.clients().s3;
  await servers.createBucket(BUCKET);
  await putLayout(s3, BUCKET, [
    { key: dataKey('2024-09', 'focus-export-00001.csv.gz'), body: gzipSync(csvOf(AWS_SEP_CSV)) },
    { key: dataKey('2024-09', 'focus-export-00002.parquet'), body: parquetOf(AWS_SEP_PARQUET) },
    { key: metaKey('2024-09'), body: manifestJson(BUCKET, 'focus-export', 'exec-sep-1', [dataKey('2024-09', 'focus-export-00001.csv.gz'), dataKey('2024-09', 'focus-export-00002.parquet')]) },
    { key: dataKey('2024-08', 'focus-export-00001.csv.gz'), body: gzipSync(csvOf(AWS_AUG)) },
    { key: metaKey('2024-08'), body: manifestJson(BUCKET, 'focus-export', 'exec-aug', [dataKey('2024-08', 'focus-export-00001.csv.gz')]) },
    // Older than periodsPerRun (2) reaches: never read by the scheduled run.
    { key: dataKey('2024-07', 'focus-export-00001.csv.gz'), body: gzipSync(csvOf(AWS_JUL)) },
    { key: metaKey('2024-07'), body: manifestJson(BUCKET, 'focus-export', 'exec-jul', [dataKey('2024-07', 'focus-export-00001.csv.gz')]) },
  ]);
});

afterEach(async () => {
  for (const close of closers) await close();
  s3.destroy();
  await servers.stop();
  await t.dispose();
});

async function startBlobAndGcs() {
  const blob = await startAzureBlobWireServer({
    account: 'acct', container: 'exports',
    blobs: new Map([[`${AZ_RUN}/manifest.json`, wire(azManifest([`${AZ_RUN}/part_0_0001.csv.gz`]))], [`${AZ_RUN}/part_0_0001.csv.gz`, wire(gzipSync(csvOf(MICROSOFT)))]]),
  });
  const gcs = await startGcsWireServer({ bucket: 'gcp-billing', objects: new Map([['focus/oracle-0001.csv', { body: new TextEncoder().encode(csvOf(ORACLE)), updatedMs: Date.UTC(2024, 9, 2) }]]) });
  closers.push(blob.close, gcs.close);
  return { blob, gcs, azureUri: `${blob.url}/acct/exports/${AZ_DIR}` };
}

function configOf(exports: string[], gcsEndpoint: string) {
  return ConfigSchema.parse({
    dataDir: path.join(t.dir, 'data'),
    billing: { exports: exports.map((uri) => ({ uri })), endpoints: { s3: servers.s3Endpoint, s3ForcePathStyle: true, gcs: gcsEndpoint } },
  });
}

const close = (actual: number, expected: number) => expect(actual).toBeCloseTo(expected, 6);

describe('importBills over every configured export (local, S3, Azure Blob, GCS)', () => {
  it('lands every source, equals independent sums, re-runs idempotently, and a rewritten export replaces its period', async () => {
    const { blob, gcs, azureUri } = await startBlobAndGcs();
    const gsUri = 'gs://gcp-billing/focus';
    const config = configOf([localDir, S3_URI, azureUri, gsUri], gcs.url);
    const first = await importBills({ config, ledger: t.ledger, env: ENV, nowMs: NOW });

    // Every source ok; its periods are the ones its files hold (the local and GCS files carry the one October row).
    expect(first.sources.map((s) => [s.source, s.status, s.error])).toEqual([[localDir, 'ok', undefined], [S3_URI, 'ok', undefined], [azureUri, 'ok', undefined], [gsUri, 'ok', undefined]]);
    const periodsOf = (i: number) => first.sources[i]!.periods.map((p) => (p.status === 'imported' ? `${p.record.billingPeriod} ${p.record.via}` : 'failed'));
    expect(periodsOf(0)).toEqual(['2024-09 focus-csv', '2024-10 focus-csv']);
    expect(periodsOf(1)).toEqual(['2024-09 focus-parquet', '2024-08 focus-csv']);
    expect(periodsOf(2)).toEqual(['2024-09 focus-csv']);
    expect(periodsOf(3)).toEqual(['2024-09 focus-csv', '2024-10 focus-csv']);
    expect(first).toMatchObject({ imported: 7, failed: 0, estimatedApiCostUsd: 0 });

    const localId = `file://${localDir}`;
    const expected = new Map([
      [localId, sumsOf(SAMPLE.records)],
      [S3_URI, addSums(sumsOf(AWS_SEP), sumsOf(AWS_AUG))],
      [azureUri, sumsOf(MICROSOFT)],
      [gsUri, sumsOf(ORACLE)],
    ]);
    const totals = await ledgerTotals(t.ledger);
    expect([...totals.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [id, want] of expected) {
      const got = totals.get(id)!;
      close(got.billed, want.billed);
      close(got.effective, want.effective);
      expect(got.rows, id).toBe(want.rows);
    }
    // July was not read at all (periodsPerRun 2), and only the current manifest's files of each period were.
    const s3Files = first.sources[1]!.periods.flatMap((p) => (p.status === 'imported' ? p.record.files : []));
    expect(s3Files.sort()).toEqual([dataKey('2024-08', 'focus-export-00001.csv.gz'), dataKey('2024-09', 'focus-export-00001.csv.gz'), dataKey('2024-09', 'focus-export-00002.parquet')].map((k) => `s3://${BUCKET}/${k}`).sort());
    // The Parquet and the gzip CSV of September both count: 942 AWS rows.
    const sep = first.sources[1]!.periods[0]!;
    expect(sep.status === 'imported' && [sep.record.rowsRead, sep.record.rowsAccepted]).toEqual([942, 942]);

    // Re-running changes nothing: same totals, same ledger lines, same number of import records.
    const importsBefore = (await t.ledger.listImports()).length;
    const second = await importBills({ config, ledger: t.ledger, env: ENV, nowMs: NOW + 3_600_000 });
    expect(second).toMatchObject({ imported: 7, failed: 0 });
    expect(await ledgerTotals(t.ledger)).toEqual(totals);
    expect((await t.ledger.listImports()).length).toBe(importsBefore);

    // AWS rewrites September: a new execution whose manifest names one new file. The old parts stay in the bucket.
    const rewritten = AWS_SEP.slice(0, 100);
    await putLayout(s3, BUCKET, [
      { key: dataKey('2024-09', 'focus-export-00003.csv.gz'), body: gzipSync(csvOf(rewritten)) },
      { key: metaKey('2024-09'), body: manifestJson(BUCKET, 'focus-export', 'exec-sep-2', [dataKey('2024-09', 'focus-export-00003.csv.gz')]) },
    ]);
    const third = await importBills({ config, ledger: t.ledger, env: ENV, nowMs: NOW + 7_200_000 });
    expect(third.failed).toBe(0);
    const after = await ledgerTotals(t.ledger);
    const want = addSums(sumsOf(rewritten), sumsOf(AWS_AUG));
    close(after.get(S3_URI)!.billed, want.billed);
    close(after.get(S3_URI)!.effective, want.effective);
    expect(after.get(S3_URI)!.rows).toBe(want.rows);
    // The other datasets are untouched by S3's rewrite.
    for (const id of [localId, azureUri, gsUri]) expect(after.get(id)).toEqual(totals.get(id));
    const sepImport = (await t.ledger.listImports()).find((i) => i.datasetId === S3_URI && i.billingPeriod === '2024-09');
    expect(sepImport).toMatchObject({ files: [`s3://${BUCKET}/${dataKey('2024-09', 'focus-export-00003.csv.gz')}`], rowsAccepted: 100, via: 'focus-csv' });

    expect(blob.unexpected).toEqual([]);
    expect(gcs.unexpected).toEqual([]);
  });
});

describe('importBills over an export whose layout names each period', () => {
  it('a row billed to another period inside a period folder stays with its folder and never clobbers that other period', async () => {
    // The sample's Oracle rows: six billed to 2024-09 and one (charged in September) billed to 2024-10, in one file.
    const oct = shiftMonths(AWS_SEP.slice(0, 40), -1);
    const updatedMs = Date.UTC(2024, 10, 2);
    const gcs = await startGcsWireServer({
      bucket: 'gcp-billing',
      objects: new Map([
        ['focus/BILLING_PERIOD=2024-09/sep-0001.csv', { body: new TextEncoder().encode(csvOf(ORACLE)), updatedMs }],
        ['focus/BILLING_PERIOD=2024-10/oct-0001.csv', { body: new TextEncoder().encode(csvOf(oct)), updatedMs }],
      ]),
    });
    closers.push(gcs.close);
    const gsUri = 'gs://gcp-billing/focus';
    const config = configOf([gsUri], gcs.url);
    for (const nowMs of [Date.UTC(2024, 10, 6), Date.UTC(2024, 10, 7)]) {
      const out = await importBills({ config, ledger: t.ledger, env: ENV, nowMs });
      expect(out.sources[0]?.periods.map((p) => (p.status === 'imported' ? p.record.billingPeriod : p.error))).toEqual(['2024-10', '2024-09']);
      const total = (await ledgerTotals(t.ledger)).get(gsUri)!;
      const want = addSums(sumsOf(ORACLE), sumsOf(oct));
      expect(total.rows).toBe(want.rows);
      close(total.billed, want.billed);
      close(total.effective, want.effective);
    }
    const sep = (await t.ledger.listImports()).find((i) => i.billingPeriod === '2024-09');
    expect(sep).toMatchObject({ rowsRead: 7, rowsAccepted: 7 });
    expect(sep?.notes?.join(' ')).toContain('1 row billed to 2024-10');
    expect(gcs.unexpected).toEqual([]);
  });
});

describe('importBills with hostile text in the bill', () => {
  it('service names, accounts and tags from the bill land in the ledger byte for byte', async () => {
    const rows = AWS_SEP.slice(0, HOSTILE_CORPUS.length).map((r, i) => {
      const out = [...r];
      const hostile = HOSTILE_CORPUS[i]!;
      out[HEADER.indexOf('ServiceName')] = hostile;
      out[HEADER.indexOf('SubAccountId')] = `acct ${hostile}`;
      out[HEADER.indexOf('Tags')] = JSON.stringify({ [`k${i} ${hostile}`]: hostile });
      return out;
    });
    writeFileSync(path.join(localDir, 'sample.csv'), csvOf(rows));
    const out = await importBills({ config: configOf([localDir], 'http://127.0.0.1:9'), ledger: t.ledger, env: ENV, nowMs: NOW });
    expect(out).toMatchObject({ failed: 0, imported: 1 });
    const ledgerRows = await t.ledger.rowsBetween('2024-09-01', '2024-09-30');
    const got = ledgerRows.map((r) => [r.service, r.account, r.tagsJson, r.billedCostUsd]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    const want = rows.map((r, i) => [HOSTILE_CORPUS[i], `acct ${HOSTILE_CORPUS[i]}`, JSON.stringify({ [`k${i} ${HOSTILE_CORPUS[i]}`]: HOSTILE_CORPUS[i] }), Number(r[HEADER.indexOf('BilledCost')])]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(got).toEqual(want);
  });
});
