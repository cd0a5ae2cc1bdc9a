import type { Readable } from 'node:stream';
import type { TokenCredential } from '@azure/core-auth';
import type { ContainerClient } from '@azure/storage-blob';
import type { BillingObject, BillingPeriodFiles, BillingSource } from '../../../billing/source.js';
import { CollectError } from '../../collector.js';
import { DEFAULT_TIMEOUTS } from '../../deadline.js';
import { failureOf } from '../../failure.js';
import { ExportManifestSchema, groupByDateRange, newestRunWithoutManifest, runTimeMs, type ExportManifest, type ListedBlob } from './export-layout.js';
import { timed } from './timed.js';

export interface AzureBlobExportSourceOptions {
  /**
   * The export's folder: `https://<account>.blob.core.windows.net/<container>/<directory>/<exportName>`, or a
   * path-style emulator URL `http://127.0.0.1:<port>/<account>/<container>/<directory>/<exportName>`.
   */
  url: string;
  /** Default: DefaultAzureCredential. Ignored for http URLs (an emulator; the SDK sends no bearer token over http). */
  credential?: TokenCredential;
  /** Bounds every request until its response headers arrive (default timeouts.requestMs). */
  requestTimeoutMs?: number;
  /** Tries per request, the first included (the storage SDK retries 5xx, 429 and socket errors). Default 3. */
  maxTries?: number;
  /** Blobs per List Blobs page (the service's maximum and default is 5000). */
  pageSize?: number;
  signal?: AbortSignal;
}

interface Located {
  /** `https://acct.blob.core.windows.net/container` (or the emulator's path-style equivalent). */
  containerUrl: string;
  /** Blob-name prefix of the export folder, ending with `/`. */
  prefix: string;
}

/** Splits an export URL into container URL and blob prefix; IP and localhost hosts are path-style (account first). */
export function locateExport(url: string): Located {
  let u: URL;
  try {
    u = new URL(url);
  } catch (err) {
    throw new CollectError('error', `azure blob export: not a URL: ${url}`, { cause: err });
  }
  const parts = u.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const pathStyle = /^(\d+\.\d+\.\d+\.\d+|localhost|\[.*\])$/.test(u.hostname);
  const head = pathStyle ? 2 : 1;
  if (parts.length < head + 1) throw new CollectError('error', `azure blob export ${url}: expected …/<container>/<directory>/<exportName>`);
  const containerPath = parts.slice(0, head).map(encodeURIComponent).join('/');
  return { containerUrl: `${u.protocol}//${u.host}/${containerPath}`, prefix: `${parts.slice(head).join('/')}/` };
}

/**
 * A Cost Management export in Blob Storage as a BillingSource: one entry per date-range folder, holding only the
 * newest run's files (by its manifest, validated; without a manifest, by blob times). Objects read with ranged
 * downloads (Parquet) or one download stream (CSV).
 * @example const source = azureBlobExportSource({ url: 'https://acct.blob.core.windows.net/exports/focus/daily-focus' });
 */
export function azureBlobExportSource(options: AzureBlobExportSourceOptions): BillingSource {
  const { containerUrl, prefix } = locateExport(options.url);
  const requestMs = options.requestTimeoutMs ?? DEFAULT_TIMEOUTS.requestMs;
  let client: Promise<ContainerClient> | undefined;
  const container = () => (client ??= openContainer(containerUrl, options, requestMs));
  const fail = (operation: string, err: unknown): never => {
    if (err instanceof CollectError) throw err;
    const f = failureOf('azure', operation, err);
    throw new CollectError(f.status, f.message, { cause: err });
  };

  const objectOf = (blob: ListedBlob): BillingObject => ({
    name: `${containerUrl}/${blob.name}`,
    sizeBytes: blob.sizeBytes,
    async readRange(start, endExclusive, signal) {
      if (endExclusive <= start) return new Uint8Array(0);
      const c = await container();
      try {
        return await timed(requestMs, signal ?? options.signal, async (s) => {
          const res = await c.getBlobClient(blob.name).download(start, endExclusive - start, { abortSignal: s, maxRetryRequests: 2 });
          return readAll(res.readableStreamBody);
        });
      } catch (err) {
        return fail(`Get Blob ${containerUrl}/${blob.name} bytes=${start}-${endExclusive - 1}`, err);
      }
    },
    async stream(signal) {
      const c = await container();
      try {
        // The timer only covers the headers; the body flows under the caller's (or the source's) signal.
        const res = await timed(requestMs, signal ?? options.signal, (s) => c.getBlobClient(blob.name).download(0, undefined, { abortSignal: s, maxRetryRequests: 2 }), true);
        if (!res.readableStreamBody) throw new CollectError('error', `Get Blob ${containerUrl}/${blob.name}: no body`);
        return res.readableStreamBody as Readable;
      } catch (err) {
        return fail(`Get Blob ${containerUrl}/${blob.name}`, err);
      }
    },
  });

  return {
    datasetId: `${containerUrl}/${prefix.replace(/\/$/, '')}`,
    async periods(signal) {
      const scope = signal ?? options.signal;
      const c = await container();
      const blobs = await listAll(c, prefix, options.pageSize ?? 5000, requestMs, scope).catch((err) => fail(`List Blobs ${containerUrl}?prefix=${prefix}`, err));
      const byName = new Map(blobs.map((b) => [b.name, b]));
      const out: BillingPeriodFiles[] = [];
      for (const group of groupByDateRange(prefix, blobs)) {
        let files: ListedBlob[];
        if (group.manifests.length > 0) {
          const manifests: { manifest: ExportManifest; blob: ListedBlob }[] = [];
          for (const blob of group.manifests) manifests.push({ manifest: await readManifest(c, containerUrl, blob, requestMs, scope).catch((err) => fail(`Get Blob ${containerUrl}/${blob.name}`, err)), blob });
          manifests.sort((a, b) => runTimeMs(b.manifest, b.blob) - runTimeMs(a.manifest, a.blob));
          const newest = manifests[0] as { manifest: ExportManifest; blob: ListedBlob };
          const missing = newest.manifest.blobs.filter((b) => !byName.has(b.blobName)).map((b) => b.blobName);
          // A manifest naming blobs that are not there is a run still being written or partly deleted: reading an
          // older run would silently report stale spend, so this is an error naming what is missing.
          if (missing.length > 0) throw new CollectError('error', `azure blob export ${containerUrl}/${newest.blob.name} (run ${newest.manifest.runInfo.runId}): ${missing.length} blob(s) of the manifest are missing, e.g. ${missing[0]}`);
          files = newest.manifest.blobs.map((b) => byName.get(b.blobName) as ListedBlob);
        } else {
          files = newestRunWithoutManifest(prefix, group);
        }
        if (files.length === 0) continue;
        out.push({ ...(group.billingPeriod ? { billingPeriod: group.billingPeriod } : {}), objects: files.map(objectOf) });
      }
      return out;
    },
  };
}

async function openContainer(containerUrl: string, options: AzureBlobExportSourceOptions, requestMs: number): Promise<ContainerClient> {
  const { ContainerClient, AnonymousCredential } = await import('@azure/storage-blob');
  // An http URL is a local emulator: the SDK refuses bearer tokens over http, and an emulator takes none.
  const credential = containerUrl.startsWith('http://') ? new AnonymousCredential() : (options.credential ?? new (await import('@azure/identity')).DefaultAzureCredential());
  return new ContainerClient(containerUrl, credential, { retryOptions: { maxTries: options.maxTries ?? 3, retryDelayInMs: 500, maxRetryDelayInMs: 10_000, tryTimeoutInMs: requestMs } });
}

/** Every blob under `prefix`, one List Blobs page per request (marker paging), each page under its own timeout. */
async function listAll(c: ContainerClient, prefix: string, pageSize: number, requestMs: number, scope: AbortSignal | undefined): Promise<ListedBlob[]> {
  const out: ListedBlob[] = [];
  let marker: string | undefined;
  do {
    const page = await timed(requestMs, scope, (s) => c.listBlobsFlat({ prefix, abortSignal: s }).byPage({ maxPageSize: pageSize, ...(marker ? { continuationToken: marker } : {}) }).next());
    if (page.done) break;
    for (const item of page.value.segment.blobItems) {
      out.push({ name: item.name, sizeBytes: item.properties.contentLength ?? 0, lastModifiedMs: item.properties.lastModified.getTime() });
    }
    marker = page.value.continuationToken || undefined;
  } while (marker);
  return out;
}

async function readManifest(c: ContainerClient, containerUrl: string, blob: ListedBlob, requestMs: number, scope: AbortSignal | undefined): Promise<ExportManifest> {
  const bytes = await timed(requestMs, scope, async (s) => readAll((await c.getBlobClient(blob.name).download(0, undefined, { abortSignal: s })).readableStreamBody));
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (err) {
    throw new CollectError('parse-error', `azure blob export ${containerUrl}/${blob.name}: manifest is not JSON`, { cause: err });
  }
  const parsed = ExportManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CollectError('parse-error', `azure blob export ${containerUrl}/${blob.name}: manifest ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

async function readAll(body: NodeJS.ReadableStream | undefined): Promise<Uint8Array> {
  if (!body) return new Uint8Array(0);
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return new Uint8Array(Buffer.concat(chunks));
}
