import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { azureBlobExportSource, locateExport } from '../../../src/collectors/azure/billing/blob-export-source.js';
import { startAzureBlobWireServer, type WireBlob } from '../../helpers/billing/azure-blob-wire-server.js';

const T0 = Date.UTC(2024, 1, 1, 5);
const HOUR = 3_600_000;
const dir = 'focus/daily-focus';
const csv = (rows: string) => `BilledCost,ChargePeriodStart\n${rows}\n`;
const manifest = (runId: string, submitted: string, blobs: string[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    manifestVersion: '2024-04-01', byteCount: 100, blobCount: blobs.length, dataRowCount: 2,
    exportConfig: { exportName: 'daily-focus', dataVersion: '1.0r2', apiVersion: '2023-07-01-preview', type: 'FocusCost', timeFrame: 'MonthToDate', granularity: 'Daily' },
    deliveryConfig: { partitionData: true, dataOverwriteBehavior: 'CreateNewReport', fileFormat: 'Csv', compressionMode: 'Gzip' },
    runInfo: { executionType: 'Scheduled', submittedTime: submitted, runId, startDate: '2024-01-01T00:00:00', endDate: '2024-01-31T00:00:00' },
    blobs: blobs.map((blobName) => ({ blobName, byteCount: 50, dataRowCount: 1 })),
    ...extra,
  });
const blob = (body: string | Uint8Array, lastModifiedMs: number): WireBlob => ({ body: typeof body === 'string' ? new TextEncoder().encode(body) : body, lastModifiedMs });

function layout(): Map<string, WireBlob> {
  const jan = `${dir}/20240101-20240131`;
  const feb = `${dir}/20240201-20240229`;
  return new Map([
    // Older run of January: superseded.
    [`${jan}/run-a/manifest.json`, blob(manifest('run-a', '2024-02-01T05:00:00Z', [`${jan}/run-a/part_0_0001.csv.gz`]), T0)],
    [`${jan}/run-a/part_0_0001.csv.gz`, blob(gzipSync(csv('1.00,2024-01-01')), T0)],
    // Newest run of January (its manifest blob is older on disk than run-a's: the submitted time decides).
    [`${jan}/run-b/manifest.json`, blob(manifest('run-b', '2024-02-02T05:00:00Z', [`${jan}/run-b/part_0_0001.csv.gz`, `${jan}/run-b/part_1_0001.csv.gz`]), T0 - HOUR)],
    [`${jan}/run-b/part_0_0001.csv.gz`, blob(gzipSync(csv('2.50,2024-01-01')), T0 + 24 * HOUR)],
    [`${jan}/run-b/part_1_0001.csv.gz`, blob(gzipSync(csv('4.25,2024-01-02')), T0 + 24 * HOUR)],
    // February without manifests: the run folder with the newest file wins.
    [`${feb}/run-c/part_0_0001.parquet`, blob('PAR1-old-PAR1', T0 + 48 * HOUR)],
    [`${feb}/run-d/part_0_0001.parquet`, blob('PAR1-0123456789-PAR1', T0 + 72 * HOUR)],
    [`other/elsewhere/part_0_0001.csv`, blob('not ours', T0)],
  ]);
}

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe('azureBlobExportSource', () => {
  it('lists periods from the newest run of each date folder, paging List Blobs, and reads ranges and streams', async () => {
    const server = await startAzureBlobWireServer({ account: 'acct', container: 'exports', blobs: layout(), pageSize: 2 });
    close = server.close;
    const source = azureBlobExportSource({ url: `${server.url}/acct/exports/${dir}`, maxTries: 1 });
    expect(source.datasetId).toBe(`${server.url}/acct/exports/${dir}`);
    const periods = await source.periods();
    expect(periods.map((p) => p.billingPeriod)).toEqual(['2024-01', '2024-02']);
    expect(periods[0]?.objects.map((o) => o.name)).toEqual([
      `${server.url}/acct/exports/${dir}/20240101-20240131/run-b/part_0_0001.csv.gz`,
      `${server.url}/acct/exports/${dir}/20240101-20240131/run-b/part_1_0001.csv.gz`,
    ]);
    expect(periods[1]?.objects.map((o) => o.name.split('/').slice(-2).join('/'))).toEqual(['run-d/part_0_0001.parquet']);
    // 7 blobs under the prefix, 2 per page: 4 List Blobs requests, each with the prefix.
    const lists = server.requests.filter((r) => r.includes('comp=list'));
    expect(lists).toHaveLength(4);
    expect(lists.every((r) => r.includes(`prefix=${encodeURIComponent(`${dir}/`)}`))).toBe(true);

    const parquet = periods[1]?.objects[0];
    expect(parquet?.sizeBytes).toBe('PAR1-0123456789-PAR1'.length);
    const middle = await parquet!.readRange(5, 15);
    expect(new TextDecoder().decode(middle)).toBe('0123456789');
    expect(server.ranges).toContain(`${dir}/20240201-20240229/run-d/part_0_0001.parquet bytes=5-14`);

    const stream = await periods[0]!.objects[1]!.stream();
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    expect(gunzipSync(Buffer.concat(chunks)).toString()).toBe(csv('4.25,2024-01-02'));
    expect(server.unexpected).toEqual([]);
  });

  it('names a manifest that fails validation', async () => {
    const blobs = layout();
    blobs.set(`${dir}/20240101-20240131/run-b/manifest.json`, blob(JSON.stringify({ blobCount: 2, blobs: [] }), T0));
    const server = await startAzureBlobWireServer({ account: 'acct', container: 'exports', blobs });
    close = server.close;
    const source = azureBlobExportSource({ url: `${server.url}/acct/exports/${dir}`, maxTries: 1 });
    await expect(source.periods()).rejects.toMatchObject({ status: 'parse-error', message: expect.stringContaining('run-b/manifest.json: manifest runInfo') });
  });

  it('refuses a newest run whose manifest names blobs that are not there', async () => {
    const blobs = layout();
    blobs.delete(`${dir}/20240101-20240131/run-b/part_1_0001.csv.gz`);
    const server = await startAzureBlobWireServer({ account: 'acct', container: 'exports', blobs });
    close = server.close;
    const source = azureBlobExportSource({ url: `${server.url}/acct/exports/${dir}`, maxTries: 1 });
    await expect(source.periods()).rejects.toMatchObject({ status: 'error', message: expect.stringMatching(/run run-b.*1 blob\(s\).*part_1_0001\.csv\.gz/) });
  });

  it('splits account URLs and path-style emulator URLs', () => {
    expect(locateExport('https://acct.blob.core.windows.net/exports/focus/daily')).toEqual({ containerUrl: 'https://acct.blob.core.windows.net/exports', prefix: 'focus/daily/' });
    expect(locateExport('http://127.0.0.1:10000/devstoreaccount1/exports/daily/')).toEqual({ containerUrl: 'http://127.0.0.1:10000/devstoreaccount1/exports', prefix: 'daily/' });
    expect(() => locateExport('https://acct.blob.core.windows.net/exports')).toThrow(/expected/);
  });

  it('maps a refused connection to a named error', async () => {
    const source = azureBlobExportSource({ url: 'http://127.0.0.1:9/acct/exports/x', maxTries: 1, requestTimeoutMs: 5000 });
    await expect(source.periods()).rejects.toMatchObject({ status: 'error', message: expect.stringContaining('List Blobs http://127.0.0.1:9/acct/exports?prefix=x/') });
  });
});
