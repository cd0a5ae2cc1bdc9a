import type { Readable } from 'node:stream';
import type { Bucket, File } from '@google-cloud/storage';
import type { BillingObject, BillingPeriodFiles, BillingSource } from '../../../billing/source.js';
import { CollectError } from '../../collector.js';
import { DEFAULT_TIMEOUTS } from '../../deadline.js';
import { failureOf } from '../../failure.js';

export interface GcsBillingSourceOptions {
  /** `gs://bucket/prefix` of a billing export (FOCUS CSV or Parquet files). */
  uri: string;
  /** JSON API endpoint override (`http://127.0.0.1:PORT` for a local server); no credentials are sent there. */
  apiEndpoint?: string;
  /** Default: Application Default Credentials. A google-auth-library client. */
  authClient?: unknown;
  projectId?: string;
  /** Bounds one HTTP request (default timeouts.requestMs). */
  requestTimeoutMs?: number;
  /** Retries of a failed request (the library retries 408, 429, 5xx and socket errors). Default 3. */
  maxRetries?: number;
  /** Objects per list page (the API's maximum is 1000). */
  pageSize?: number;
  signal?: AbortSignal;
}

const DATA_FILE = /\.(csv|csv\.gz|gz|parquet)$/i;
// `BILLING_PERIOD=2024-08/` (Hive-style partition, as AWS Data Exports write) or a bare `2024-08/` segment.
const PERIOD_SEGMENT = /^(?:BILLING_PERIOD=)?(\d{4}-(?:0[1-9]|1[0-2]))$/;

/** `gs://bucket/prefix` → bucket and prefix (no leading slash). */
export function parseGsUri(uri: string): { bucket: string; prefix: string } {
  const m = /^gs:\/\/([a-z0-9][a-z0-9._-]{1,221}[a-z0-9])(?:\/(.*))?$/.exec(uri);
  if (!m) throw new CollectError('error', `gcs billing source: not a gs://bucket/prefix URI: ${uri}`);
  return { bucket: m[1] as string, prefix: m[2] ?? '' };
}

/** The billing period a path names (`…/BILLING_PERIOD=2024-08/…` or `…/2024-08/…`), if any. */
export function periodOfPath(name: string): string | undefined {
  for (const segment of name.split('/').slice(0, -1)) {
    const m = PERIOD_SEGMENT.exec(segment);
    if (m) return m[1];
  }
  return undefined;
}

/**
 * Billing files in Cloud Storage as a BillingSource: data files under the prefix, grouped by the period their path
 * names; files whose path names none make one period that their rows decide. Ranged media downloads serve Parquet,
 * one download stream serves CSV.
 * @example const source = gcsBillingSource({ uri: 'gs://acme-billing/focus' });
 */
export function gcsBillingSource(options: GcsBillingSourceOptions): BillingSource {
  const { bucket: bucketName, prefix } = parseGsUri(options.uri);
  const requestMs = options.requestTimeoutMs ?? DEFAULT_TIMEOUTS.requestMs;
  let bucket: Promise<Bucket> | undefined;
  const open = () => (bucket ??= openBucket(bucketName, options, requestMs));
  const fail = (operation: string, err: unknown): never => {
    if (err instanceof CollectError) throw err;
    const f = failureOf('gcp', operation, err);
    throw new CollectError(f.status, f.message, { cause: err });
  };

  const objectOf = (file: File, sizeBytes: number): BillingObject => ({
    name: `gs://${bucketName}/${file.name}`,
    sizeBytes,
    async readRange(start, endExclusive, signal) {
      if (endExclusive <= start) return new Uint8Array(0);
      try {
        // A range has no whole-object checksum to check against.
        const stream = file.createReadStream({ start, end: endExclusive - 1, validation: false });
        return await collect(stream, signal ?? options.signal);
      } catch (err) {
        return fail(`storage.objects.get gs://${bucketName}/${file.name} bytes=${start}-${endExclusive - 1}`, err);
      }
    },
    async stream(signal) {
      const stream = file.createReadStream();
      const scope = signal ?? options.signal;
      if (scope) {
        if (scope.aborted) stream.destroy(scope.reason as Error);
        else scope.addEventListener('abort', () => stream.destroy(scope.reason as Error), { once: true });
      }
      return stream as Readable;
    },
  });

  return {
    datasetId: `gs://${bucketName}/${prefix.replace(/\/$/, '')}`.replace(/\/$/, ''),
    async periods(signal) {
      const scope = signal ?? options.signal;
      const b = await open();
      const files: File[] = [];
      let pageToken: string | undefined;
      do {
        const [page, next] = await abortable(b.getFiles({ prefix, autoPaginate: false, maxResults: options.pageSize ?? 1000, ...(pageToken ? { pageToken } : {}) }), scope)
          .catch((err) => fail(`storage.objects.list gs://${bucketName}/${prefix}`, err));
        files.push(...page);
        pageToken = (next as { pageToken?: string } | null | undefined)?.pageToken || undefined;
      } while (pageToken);
      const groups = new Map<string, File[]>();
      for (const f of files.filter((f) => DATA_FILE.test(f.name)).sort((x, y) => x.name.localeCompare(y.name))) {
        const period = periodOfPath(f.name.slice(prefix.length)) ?? '';
        (groups.get(period) ?? groups.set(period, []).get(period)!).push(f);
      }
      return [...groups.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([period, list]): BillingPeriodFiles => ({ ...(period ? { billingPeriod: period } : {}), objects: list.map((f) => objectOf(f, Number(f.metadata.size ?? 0))) }));
    },
  };
}

async function openBucket(name: string, options: GcsBillingSourceOptions, requestMs: number): Promise<Bucket> {
  const { Storage } = await import('@google-cloud/storage');
  const storage = new Storage({
    ...(options.apiEndpoint ? { apiEndpoint: options.apiEndpoint } : {}),
    ...(options.authClient ? { authClient: options.authClient as never } : {}),
    ...(options.projectId ? { projectId: options.projectId } : {}),
    timeout: requestMs,
    retryOptions: { autoRetry: true, maxRetries: options.maxRetries ?? 3, totalTimeout: Math.max(requestMs * 4, 60_000) },
  });
  return storage.bucket(name);
}

/** Settles with `work`, or rejects when `signal` aborts (the library's calls take no signal; its own timeout bounds them). */
function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

async function collect(stream: Readable, signal: AbortSignal | undefined): Promise<Uint8Array> {
  const onAbort = () => stream.destroy(signal?.reason as Error);
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return new Uint8Array(Buffer.concat(chunks));
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
