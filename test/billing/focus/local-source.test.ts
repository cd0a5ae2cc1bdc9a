// Tests src/billing/local-source.ts (kept beside the reader's tests: this helper owns test/billing/focus/ only).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { localBillingObject, localBillingSource } from '../../../src/billing/local-source.js';
import { SAMPLE_CSV } from './sample-helpers.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'rightsize-local-source-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('localBillingSource', () => {
  it('lists every bill file under a directory, recursively and sorted, as one group without a period', async () => {
    for (const f of ['b/2.csv.gz', 'a.parquet', 'b/1.csv', 'c/d/x.gz', 'notes.txt', 'b/manifest.json']) {
      mkdirSync(path.dirname(path.join(tmp, f)), { recursive: true });
      writeFileSync(path.join(tmp, f), 'x');
    }
    const source = await localBillingSource(tmp);
    expect(source.datasetId).toBe(`file://${tmp}`);
    const periods = await source.periods();
    expect(periods).toHaveLength(1);
    expect(periods[0]?.billingPeriod).toBeUndefined();
    expect(periods[0]?.objects.map((o) => path.relative(tmp, o.name))).toEqual(['a.parquet', 'b/1.csv', 'b/2.csv.gz', 'c/d/x.gz']);
  });

  it('a single file is its own source', async () => {
    const source = await localBillingSource(SAMPLE_CSV);
    expect(source.datasetId).toBe(`file://${SAMPLE_CSV}`);
    expect((await source.periods())[0]?.objects.map((o) => o.name)).toEqual([SAMPLE_CSV]);
  });
});

describe('localBillingObject', () => {
  it('reads byte ranges and streams the whole file', async () => {
    const obj = await localBillingObject(SAMPLE_CSV);
    const bytes = readFileSync(SAMPLE_CSV);
    expect(obj.sizeBytes).toBe(bytes.length);
    expect(Buffer.from(await obj.readRange(100, 164)).toString()).toBe(bytes.subarray(100, 164).toString());
    expect(Buffer.from(await obj.readRange(bytes.length - 10, bytes.length + 50)).toString()).toBe(bytes.subarray(bytes.length - 10).toString());
    const chunks: Buffer[] = [];
    for await (const chunk of await obj.stream()) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true); // toEqual on 755 KB compares byte by byte, slowly
  });

  it('honours an aborted signal', async () => {
    const obj = await localBillingObject(SAMPLE_CSV);
    const controller = new AbortController();
    controller.abort();
    await expect(obj.readRange(0, 10, controller.signal)).rejects.toThrow();
    await expect(obj.stream(controller.signal)).rejects.toThrow();
  });
});
