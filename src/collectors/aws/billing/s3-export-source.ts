import type { S3Client } from '@aws-sdk/client-s3';
import type { BillingObject, BillingPeriodFiles, BillingSource } from '../../../billing/source.js';
import { billingPeriodOf, DATA_FILE_PATTERN, parseDataExportsManifest, parseS3Uri } from './data-exports-manifest.js';
import { AwsBillingError, eitherSignal } from './errors.js';
import { headS3, listS3, readS3Text, s3BillingObject, type S3Listed } from './s3-objects.js';

/** Options of {@link s3ExportSource}. */
export interface S3ExportSourceOptions {
  /** `s3://bucket/prefix/export-name`, or `s3://bucket/prefix` when exactly one export lives under the prefix. */
  uri: string;
  /** A client built with awsClientOptions (timeouts, retries); see billingClients. */
  s3: S3Client;
  /** Aborts every request of this source (the import's deadline). */
  signal?: AbortSignal;
}

/** One billing period of a Data Exports export, and where its file list came from. */
export interface S3ExportPeriod extends BillingPeriodFiles {
  billingPeriod: string;
  /** `manifest`: the files the period's current manifest names; `listing`: no manifest, every data file listed under the period. */
  filesFrom: 'manifest' | 'listing';
  manifestUri?: string;
  executionId?: string;
  /** Why the listing was used, or what it left out. */
  note?: string;
}

/** A BillingSource whose periods say where their file lists came from. */
export interface S3ExportSource extends BillingSource {
  periods(signal?: AbortSignal): Promise<S3ExportPeriod[]>;
}

/**
 * A BillingSource over an AWS Data Exports export (CUR 2.0 or FOCUS 1.x) in S3. Each period's files are those its
 * current manifest names; files of older executions that stay beside them are ignored. A period without a manifest
 * falls back to listing `data/BILLING_PERIOD=…/` (and says so in `filesFrom` and `note`).
 * Needs s3:ListBucket on the bucket (prefix) and s3:GetObject on the export's keys.
 * @example const source = s3ExportSource({ uri: 's3://billing/exports/focus', s3 }); for (const p of await source.periods()) …
 */
export function s3ExportSource(options: S3ExportSourceOptions): S3ExportSource {
  const { bucket, key } = parseS3Uri(options.uri);
  const datasetId = `s3://${bucket}/${key}`.replace(/\/$/, '');
  return {
    datasetId,
    async periods(callSignal) {
      const signal = eitherSignal(options.signal, callSignal);
      // One listing of the whole prefix serves both finding the export and its files. (Not Delimiter listings: s3rver,
      // the S3 emulator the tests use, returns no CommonPrefixes for '/'.)
      const listed = (await listS3(options.s3, bucket, key ? `${key}/` : '', signal)).objects;
      const root = exportRoot(listed, bucket, key);
      const name = root.split('/').pop() ?? root;
      const meta = listed.filter((o) => o.key.startsWith(`${root}/metadata/`));
      const data = listed.filter((o) => o.key.startsWith(`${root}/data/`));
      const byPeriod = new Map<string, { manifests: S3Listed[]; files: S3Listed[] }>();
      const slot = (p: string) => byPeriod.get(p) ?? byPeriod.set(p, { manifests: [], files: [] }).get(p)!;
      for (const o of meta) {
        const p = billingPeriodOf(o.key);
        if (p && o.key.endsWith('-Manifest.json')) slot(p).manifests.push(o);
      }
      for (const o of data) {
        const p = billingPeriodOf(o.key);
        if (p && DATA_FILE_PATTERN.test(o.key)) slot(p).files.push(o);
      }
      const listedSize = new Map(data.map((o) => [o.key, o.sizeBytes]));
      const out: S3ExportPeriod[] = [];
      for (const [period, { manifests, files }] of [...byPeriod].sort(([a], [b]) => a.localeCompare(b))) {
        const manifest = pickManifest(manifests, `${root}/metadata/BILLING_PERIOD=${period}/${name}-Manifest.json`);
        if (manifest) {
          const uri = `s3://${bucket}/${manifest.key}`;
          const parsed = parseDataExportsManifest(uri, await readS3Text(options.s3, bucket, manifest.key, signal));
          const objects: BillingObject[] = [];
          for (const fileUri of parsed.dataFiles) {
            const f = parseS3Uri(fileUri);
            const size = f.bucket === bucket ? listedSize.get(f.key) : undefined;
            // A listed size saves a request; a file outside the listing (another bucket, or delivered after it) is asked for.
            const sizeBytes = size ?? (await headS3(options.s3, f.bucket, f.key, signal).catch((err: unknown) => {
              if (err instanceof AwsBillingError && err.kind === 'not-found') {
                throw new AwsBillingError('not-found', 'no-data', `aws Data Exports manifest ${uri} names ${fileUri}, which does not exist (export rewritten while reading? run again)`, { cause: err });
              }
              throw err;
            }));
            objects.push(s3BillingObject(options.s3, f.bucket, f.key, sizeBytes, options.signal));
          }
          out.push({ billingPeriod: period, objects, filesFrom: 'manifest', manifestUri: uri, ...(parsed.executionId ? { executionId: parsed.executionId } : {}) });
          continue;
        }
        if (files.length === 0) continue;
        const { kept, note } = latestDelivery(files, `${root}/data/BILLING_PERIOD=${period}/`);
        out.push({
          billingPeriod: period,
          objects: kept.map((o) => s3BillingObject(options.s3, bucket, o.key, o.sizeBytes, options.signal)),
          filesFrom: 'listing',
          note: `no manifest under ${root}/metadata/BILLING_PERIOD=${period}/: took the data files listed under the period${note ? `; ${note}` : ''}`,
        });
      }
      return out;
    },
  };
}

/**
 * The export's own folder (the one holding `data/` and `metadata/`): the URI itself, or the one export under it. Two
 * or more exports under the prefix is a config error naming them.
 */
function exportRoot(listed: S3Listed[], bucket: string, key: string): string {
  const roots = new Set<string>();
  for (const o of listed) {
    const m = /^(.+?)\/(?:data|metadata)\/BILLING_PERIOD=\d{4}-\d{2}\//.exec(o.key);
    if (m?.[1]) roots.add(m[1]);
  }
  if (roots.has(key)) return key;
  const exports = [...roots].sort();
  if (exports.length === 1) return exports[0]!;
  if (exports.length === 0) throw new AwsBillingError('not-found', 'no-data', `aws s3://${bucket}/${key}: no Data Exports export here (expected <export-name>/data/BILLING_PERIOD=YYYY-MM/)`);
  throw new AwsBillingError('bad-response', 'invalid-config', `aws s3://${bucket}/${key}: ${exports.length} exports here (${exports.map((e) => e.split('/').pop()).join(', ')}); name one: s3://${bucket}/${exports[0]}`);
}

/** The documented manifest key when present, else the newest `*-Manifest.json` of the period (per-execution folders). */
function pickManifest(manifests: S3Listed[], documentedKey: string): S3Listed | undefined {
  return manifests.find((m) => m.key === documentedKey) ?? [...manifests].sort((a, b) => b.lastModifiedMs - a.lastModifiedMs || b.key.localeCompare(a.key))[0];
}

/**
 * Without a manifest: when the period's files sit in several sub-folders (create-new delivery keeps one per
 * execution), only the newest folder is current; files directly under the period are one delivery.
 */
function latestDelivery(files: S3Listed[], periodPrefix: string): { kept: S3Listed[]; note?: string } {
  const folderOf = (k: string) => k.slice(periodPrefix.length).split('/').slice(0, -1).join('/');
  const folders = new Map<string, { files: S3Listed[]; newestMs: number }>();
  for (const f of files) {
    const entry = folders.get(folderOf(f.key)) ?? { files: [], newestMs: 0 };
    entry.files.push(f);
    entry.newestMs = Math.max(entry.newestMs, f.lastModifiedMs);
    folders.set(folderOf(f.key), entry);
  }
  const sorted = [...folders].sort(([a, x], [b, y]) => y.newestMs - x.newestMs || b.localeCompare(a));
  const kept = [...sorted[0]![1].files].sort((a, b) => a.key.localeCompare(b.key));
  if (sorted.length === 1) return { kept };
  return { kept, note: `${sorted.length} deliveries found, kept the newest (${sorted[0]![0] || '(period root)'})` };
}
