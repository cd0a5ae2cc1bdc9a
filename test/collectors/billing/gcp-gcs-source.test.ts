import { afterEach, describe, expect, it } from 'vitest';
import { gcsBillingSource, parseGsUri, periodOfPath } from '../../../src/collectors/gcp/billing/gcs-source.js';
import { startGcsWireServer } from '../../helpers/billing/gcp-gcs-wire-server.js';

const T0 = Date.UTC(2024, 7, 2);
const enc = (s: string) => new TextEncoder().encode(s);

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe('gcsBillingSource', () => {
  it('groups data files by the period their path names, pages the listing, and reads ranges and streams', async () => {
    const objects = new Map([
      ['focus/BILLING_PERIOD=2024-07/part-0.parquet', { body: enc('PAR1-july-0-PAR1'), updatedMs: T0 }],
      ['focus/BILLING_PERIOD=2024-07/part-1.parquet', { body: enc('PAR1-july-1-PAR1'), updatedMs: T0 }],
      ['focus/BILLING_PERIOD=2024-08/part-0.parquet', { body: enc('PAR1-0123456789-PAR1'), updatedMs: T0 }],
      ['focus/2024-06/export.csv', { body: enc('BilledCost\n1.5\n'), updatedMs: T0 }],
      ['focus/adhoc/extra.csv.gz', { body: enc('x'), updatedMs: T0 }],
      ['focus/BILLING_PERIOD=2024-08/manifest.json', { body: enc('{}'), updatedMs: T0 }],
      ['elsewhere/2024-08/part-0.parquet', { body: enc('no'), updatedMs: T0 }],
    ]);
    const server = await startGcsWireServer({ bucket: 'acme-billing', objects, pageSize: 2 });
    close = server.close;
    const source = gcsBillingSource({ uri: 'gs://acme-billing/focus/', apiEndpoint: server.url, projectId: 'p1', maxRetries: 0 });
    expect(source.datasetId).toBe('gs://acme-billing/focus');
    const periods = await source.periods();
    expect(periods.map((p) => [p.billingPeriod ?? '(rows decide)', p.objects.map((o) => o.name)])).toEqual([
      ['(rows decide)', ['gs://acme-billing/focus/adhoc/extra.csv.gz']],
      ['2024-06', ['gs://acme-billing/focus/2024-06/export.csv']],
      ['2024-07', ['gs://acme-billing/focus/BILLING_PERIOD=2024-07/part-0.parquet', 'gs://acme-billing/focus/BILLING_PERIOD=2024-07/part-1.parquet']],
      ['2024-08', ['gs://acme-billing/focus/BILLING_PERIOD=2024-08/part-0.parquet']],
    ]);
    // 6 objects under focus/, 2 a page: 3 list requests.
    expect(server.requests.filter((r) => /\/o\?/.test(r) && !r.includes('alt=media'))).toHaveLength(3);
    const aug = periods[3]!.objects[0]!;
    expect(aug.sizeBytes).toBe(20);
    expect(new TextDecoder().decode(await aug.readRange(5, 15))).toBe('0123456789');
    expect(server.ranges).toEqual(['focus/BILLING_PERIOD=2024-08/part-0.parquet bytes=5-14']);
    const chunks: Buffer[] = [];
    for await (const c of await periods[1]!.objects[0]!.stream()) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('BilledCost\n1.5\n');
    expect(server.unexpected).toEqual([]);
  });

  it('names the bucket when the listing fails', async () => {
    const server = await startGcsWireServer({ bucket: 'other', objects: new Map() });
    close = server.close;
    const source = gcsBillingSource({ uri: 'gs://acme-billing/focus', apiEndpoint: server.url, projectId: 'p1', maxRetries: 0 });
    await expect(source.periods()).rejects.toMatchObject({ message: expect.stringContaining('storage.objects.list gs://acme-billing/focus') });
  });

  it('parses URIs and period segments', () => {
    expect(parseGsUri('gs://b-1/a/b')).toEqual({ bucket: 'b-1', prefix: 'a/b' });
    expect(() => parseGsUri('s3://b/a')).toThrow(/gs:\/\//);
    expect(periodOfPath('x/BILLING_PERIOD=2024-12/f.parquet')).toBe('2024-12');
    expect(periodOfPath('x/2024-13/f.parquet')).toBeUndefined();
    expect(periodOfPath('x/2024-05.csv')).toBeUndefined();
  });
});
