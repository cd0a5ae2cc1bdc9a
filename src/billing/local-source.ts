import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { BillingObject, BillingSource } from './source.js';

/** Files a local source picks up: FOCUS CSV, gzip CSV and Parquet. */
const BILL_FILE = /\.(csv|csv\.gz|gz|parquet)$/i;

/**
 * A local file as a BillingObject: ranged reads through a FileHandle (Parquet footer and column chunks), streaming
 * through createReadStream (CSV). Both honour the AbortSignal.
 */
export async function localBillingObject(filePath: string): Promise<BillingObject> {
  const absolute = path.resolve(filePath);
  const { size } = await stat(absolute);
  return {
    name: absolute,
    sizeBytes: size,
    async readRange(start: number, endExclusive: number, signal?: AbortSignal): Promise<Uint8Array> {
      signal?.throwIfAborted();
      const end = Math.min(endExclusive, size);
      if (start < 0 || start > end) throw new RangeError(`${absolute}: bad range ${start}-${endExclusive} of ${size} bytes`);
      const handle = await open(absolute, 'r');
      try {
        const buffer = Buffer.alloc(end - start);
        let done = 0;
        while (done < buffer.length) {
          const { bytesRead } = await handle.read(buffer, done, buffer.length - done, start + done);
          if (bytesRead === 0) throw new Error(`${absolute}: file shrank while reading (${start + done} of ${end})`);
          done += bytesRead;
        }
        return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
      } finally {
        await handle.close();
      }
    },
    async stream(signal?: AbortSignal): Promise<Readable> {
      signal?.throwIfAborted();
      return createReadStream(absolute, signal ? { signal } : {});
    },
  };
}

async function billFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await billFiles(full)));
    else if (entry.isFile() && BILL_FILE.test(entry.name)) out.push(full);
  }
  return out;
}

/**
 * A local file or directory as a BillingSource: a directory contributes every `.csv`, `.csv.gz`, `.gz` and
 * `.parquet` file below it (recursively, sorted by path) as one group without a billing period, so the rows'
 * BillingPeriodStart decides. datasetId is `file://` + the absolute path.
 */
export async function localBillingSource(inputPath: string): Promise<BillingSource> {
  const absolute = path.resolve(inputPath);
  const info = await stat(absolute);
  return {
    datasetId: `file://${absolute}`,
    async periods(signal?: AbortSignal) {
      signal?.throwIfAborted();
      const files = info.isDirectory() ? (await billFiles(absolute)).sort() : [absolute];
      return [{ objects: await Promise.all(files.map((f) => localBillingObject(f))) }];
    },
  };
}
