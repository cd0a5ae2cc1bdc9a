import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { S3Client } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config.js';
import { importBills } from '../../src/pipeline/import-bills.js';
import { type AwsStoreServers, LOCAL_CREDENTIALS, startAwsStoreServers } from '../helpers/aws-store-servers.js';
import { startCeServer } from '../helpers/billing/aws-ce-server.js';
import { manifestJson, putLayout } from '../helpers/billing/aws-s3-export-layout.js';
import { HEADER, ledgerTotals, recordsOf, SAMPLE, shiftMonths, sumsOf, tempLedger, toCsv } from './import-bills-helpers.js';

const NOW = Date.UTC(2024, 9, 6, 12); // 2024-10-06
const ENV = { AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey, AWS_REGION: 'us-east-1' };
const ROOT = 'exports/focus-export';
const dataKey = (period: string, file: string) => `${ROOT}/data/BILLING_PERIOD=${period}/${file}`;
const metaKey = (period: string) => `${ROOT}/metadata/BILLING_PERIOD=${period}/focus-export-Manifest.json`;
const AWS_SEP = recordsOf('AWS', '2024-09').slice(0, 200);
const AWS_AUG = shiftMonths(recordsOf('AWS', '2024-09').slice(200, 260), 1);

/** The records as CSV without the mandatory BilledCost column. */
function withoutBilledCost(records: readonly (readonly string[])[]): string {
  const drop = HEADER.indexOf('BilledCost');
  return toCsv(HEADER.filter((_, i) => i !== drop), records.map((r) => r.filter((_, i) => i !== drop)));
}

let servers: AwsStoreServers;
let s3: S3Client;
let t: ReturnType<typeof tempLedger>;
let closers: (() => Promise<void>)[];
beforeEach(async () => {
  t = tempLedger();
  closers = [];
  servers = await startAwsStoreServers();
  s3 = servers.clients().s3;
  await servers.createBucket('billing');
  await putLayout(s3, 'billing', [
    { key: dataKey('2024-09', 'part-00001.csv.gz'), body: gzipSync(toCsv(HEADER, AWS_SEP)) },
    { key: metaKey('2024-09'), body: manifestJson('billing', 'focus-export', 'exec-sep', [dataKey('2024-09', 'part-00001.csv.gz')]) },
    { key: dataKey('2024-08', 'part-00001.csv.gz'), body: gzipSync(toCsv(HEADER, AWS_AUG)) },
    { key: metaKey('2024-08'), body: manifestJson('billing', 'focus-export', 'exec-aug', [dataKey('2024-08', 'part-00001.csv.gz')]) },
  ]);
});
afterEach(async () => {
  for (const close of closers) await close();
  s3.destroy();
  await servers.stop();
  await t.dispose();
});

const configOf = (exports: string[], ceEndpoint?: string) =>
  ConfigSchema.parse({
    dataDir: path.join(t.dir, 'data'),
    billing: {
      exports: exports.map((uri) => ({ uri })),
      endpoints: { s3: servers.s3Endpoint, s3ForcePathStyle: true },
      ...(ceEndpoint ? { costApis: { lookbackDays: 10, awsCostExplorer: { enabled: true, endpoint: ceEndpoint } } } : {}),
    },
  });

function writeLocal(name: string, text: string): string {
  const dir = path.join(t.dir, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'bill.csv'), text);
  return dir;
}

describe('importBills failure isolation', () => {
  it('a missing bucket, Cost Explorer AccessDenied and a FOCUS file without BilledCost fail alone; the rest land', async () => {
    const ce = await startCeServer({
      expect: { start: '2024-09-01', end: '2024-10-07', metrics: ['UnblendedCost', 'AmortizedCost'], groupBy: ['LINKED_ACCOUNT', 'SERVICE'] },
      days: [],
      failWith: { status: 400, error: 'AccessDeniedException', message: 'User: arn:aws:iam::111111111111:user/ci is not authorized to perform: ce:GetCostAndUsage' },
    });
    closers.push(ce.close);
    const good = writeLocal('good', toCsv(HEADER, recordsOf('Microsoft')));
    const broken = writeLocal('broken', withoutBilledCost(recordsOf('Oracle')));
    const config = configOf([good, 's3://no-such-bucket/exports/focus-export', 's3://billing/exports/focus-export', broken], ce.url);
    const out = await importBills({ config, ledger: t.ledger, env: ENV, nowMs: NOW });

    const status = Object.fromEntries(out.sources.map((s) => [s.source, s.status]));
    expect(status).toEqual({ [good]: 'ok', 's3://no-such-bucket/exports/focus-export': 'failed', 's3://billing/exports/focus-export': 'ok', [broken]: 'failed', 'aws-cost-explorer': 'failed' });
    const byName = new Map(out.sources.map((s) => [s.source, s]));
    expect(byName.get('s3://no-such-bucket/exports/focus-export')?.error).toBe('aws s3:ListObjectsV2 s3://no-such-bucket/exports/focus-export/: NoSuchBucket: The specified bucket does not exist');
    expect(byName.get('aws-cost-explorer')?.error).toBe(
      'aws ce:GetCostAndUsage 2024-09-01..2024-10-07: AccessDeniedException: User: arn:aws:iam::111111111111:user/ci is not authorized to perform: ce:GetCostAndUsage — grant ce:GetCostAndUsage to the credentials or role',
    );
    // The broken file's one group failed with the column named; the source failed as a period, not as a whole.
    const brokenPeriods = byName.get(broken)!.periods;
    expect(brokenPeriods).toHaveLength(1);
    expect(brokenPeriods[0]).toMatchObject({ status: 'failed', datasetId: `file://${broken}`, files: [path.join(broken, 'bill.csv')] });
    expect(brokenPeriods[0]?.status === 'failed' && brokenPeriods[0].error).toContain(`${path.join(broken, 'bill.csv')}: missing mandatory FOCUS columns: BilledCost (columns found: `);
    // Three failures: the bucket (source), the broken file (its period), Cost Explorer (source).
    expect(out.failed).toBe(3);
    expect(out.imported).toBe(3);
    expect(out.estimatedApiCostUsd).toBe(0);

    const totals = await ledgerTotals(t.ledger);
    expect([...totals.keys()].sort()).toEqual([`file://${good}`, 's3://billing/exports/focus-export']);
    expect(totals.get(`file://${good}`)?.billed).toBeCloseTo(sumsOf(recordsOf('Microsoft')).billed, 6);
    expect(totals.get('s3://billing/exports/focus-export')?.rows).toBe(sumsOf(AWS_SEP).rows + sumsOf(AWS_AUG).rows);
    expect(ce.unexpected).toEqual([]);
  });

  it('a file broken after a good import fails its period and the ledger keeps the previous import', async () => {
    const dir = writeLocal('bill', toCsv(HEADER, SAMPLE.records));
    const config = configOf([dir]);
    const first = await importBills({ config, ledger: t.ledger, env: ENV, nowMs: NOW });
    expect(first).toMatchObject({ imported: 2, failed: 0 });
    const before = await ledgerTotals(t.ledger);
    const importsBefore = await t.ledger.listImports();
    expect(before.get(`file://${dir}`)?.billed).toBeCloseTo(sumsOf(SAMPLE.records).billed, 6);

    writeFileSync(path.join(dir, 'bill.csv'), withoutBilledCost(SAMPLE.records));
    const second = await importBills({ config, ledger: t.ledger, env: ENV, nowMs: NOW + 86_400_000 });
    expect(second.sources).toMatchObject([{ source: dir, status: 'failed', periods: [{ status: 'failed', error: expect.stringContaining('BilledCost') }] }]);
    expect(second).toMatchObject({ imported: 0, failed: 1 });
    expect(await ledgerTotals(t.ledger)).toEqual(before);
    expect(await t.ledger.listImports()).toEqual(importsBefore);
  });

  it('one period of an S3 export broken: that period keeps its rows, the other is re-imported (partial)', async () => {
    const config = configOf(['s3://billing/exports/focus-export']);
    await importBills({ config, ledger: t.ledger, env: ENV, nowMs: NOW });
    const before = await t.ledger.listImports();
    const sepBefore = before.find((i) => i.billingPeriod === '2024-09');

    // September is rewritten without BilledCost; August is rewritten with fewer rows.
    const augNew = AWS_AUG.slice(0, 10);
    await putLayout(s3, 'billing', [
      { key: dataKey('2024-09', 'part-00002.csv.gz'), body: gzipSync(withoutBilledCost(AWS_SEP)) },
      { key: metaKey('2024-09'), body: manifestJson('billing', 'focus-export', 'exec-sep-2', [dataKey('2024-09', 'part-00002.csv.gz')]) },
      { key: dataKey('2024-08', 'part-00002.csv.gz'), body: gzipSync(toCsv(HEADER, augNew)) },
      { key: metaKey('2024-08'), body: manifestJson('billing', 'focus-export', 'exec-aug-2', [dataKey('2024-08', 'part-00002.csv.gz')]) },
    ]);
    const out = await importBills({ config, ledger: t.ledger, env: ENV, nowMs: NOW + 86_400_000 });
    expect(out.sources).toMatchObject([{ status: 'partial' }]);
    expect(out.sources[0]?.periods.map((p) => [p.status, p.status === 'imported' ? p.record.billingPeriod : p.billingPeriod])).toEqual([['failed', '2024-09'], ['imported', '2024-08']]);
    expect(out).toMatchObject({ imported: 1, failed: 1 });

    const rows = await t.ledger.rowsBetween('2024-08-01', '2024-09-30');
    const sum = (month: string) => rows.filter((r) => r.day.startsWith(month)).reduce((s, r) => ({ billed: s.billed + r.billedCostUsd, rows: s.rows + r.rowCount }), { billed: 0, rows: 0 });
    expect(sum('2024-09').rows).toBe(AWS_SEP.length);
    expect(sum('2024-09').billed).toBeCloseTo(sumsOf(AWS_SEP).billed, 6);
    expect(sum('2024-08').rows).toBe(augNew.length);
    expect(sum('2024-08').billed).toBeCloseTo(sumsOf(augNew).billed, 6);
    expect((await t.ledger.listImports()).find((i) => i.billingPeriod === '2024-09')).toEqual(sepBefore);
  });
});
