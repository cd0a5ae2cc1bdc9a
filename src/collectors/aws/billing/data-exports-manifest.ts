import { z } from 'zod';
import { formatZodError } from '../../../errors.js';
import { AwsBillingError } from './errors.js';

/*
 * AWS Data Exports (CUR 2.0, FOCUS 1.x) layout and manifest, as documented in the AWS Data Exports user guide
 * ("Understanding export delivery", docs.aws.amazon.com/cur/latest/userguide/dataexports-export-delivery.html, and
 * "Data Exports manifest file reference", …/dataexports-manifest.html; looked up 2026-11-30):
 *   data:     s3://<bucket>/<prefix>/<export-name>/data/BILLING_PERIOD=YYYY-MM/…  (gzip CSV or Parquet parts)
 *   metadata: s3://<bucket>/<prefix>/<export-name>/metadata/BILLING_PERIOD=YYYY-MM/<export-name>-Manifest.json
 * The manifest is rewritten on every refresh (at least daily for the open period, and up to two weeks after it
 * closes) and is delivered only after all its data files are. Top-level fields: `executionId`, `exportArn`,
 * `columns` (the export's schema), `dataFiles` (full S3 URIs `s3://<bucket>/<path>/<export-name>-<part>.<ext>`; the
 * guide recommends choosing the files to ingest by reading this list), `additionalOutputFiles` (Athena/Redshift
 * integration files). With "create new" delivery (overwrite off) the delivery path carries the executionId and older
 * executions' files stay in place: only the manifest says which files are current.
 * Only `dataFiles` is required here; the other fields are kept when present and unknown ones pass through.
 */
export const DataExportsManifestSchema = z
  .object({
    executionId: z.string().optional(),
    exportArn: z.string().optional(),
    columns: z.array(z.looseObject({ name: z.string().optional(), type: z.string().optional() })).optional(),
    dataFiles: z.array(z.string().regex(/^s3:\/\/[^/]+\/.+/, 'expected s3://bucket/key')),
    additionalOutputFiles: z.array(z.unknown()).optional(),
  })
  .loose();
export type DataExportsManifest = z.infer<typeof DataExportsManifestSchema>;

/** Parses a manifest's bytes; the error names the manifest's URI and the first failing field. */
export function parseDataExportsManifest(uri: string, text: string): DataExportsManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new AwsBillingError('bad-response', 'parse-error', `aws Data Exports manifest ${uri}: not JSON (${(err as Error).message})`, { cause: err });
  }
  const parsed = DataExportsManifestSchema.safeParse(json);
  if (!parsed.success) throw new AwsBillingError('bad-response', 'parse-error', `aws Data Exports manifest ${formatZodError(uri, parsed.error)}`);
  return parsed.data;
}

/** `s3://bucket/key…` → bucket and key (no leading or trailing slash on the key). */
export function parseS3Uri(uri: string): { bucket: string; key: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri.trim());
  if (!m?.[1]) throw new AwsBillingError('invalid-input', 'invalid-config', `not an S3 URI: ${uri} (expected s3://bucket/prefix/export-name)`);
  return { bucket: m[1], key: (m[2] ?? '').replace(/^\/+|\/+$/g, '') };
}

/** Data file names an export writes: gzip CSV or Parquet parts (Athena/crawler helper files are skipped). */
export const DATA_FILE_PATTERN = /\.(parquet|csv\.gz|csv)$/i;

/** `BILLING_PERIOD=2026-11` in a key → `2026-11`. */
export function billingPeriodOf(key: string): string | undefined {
  return /(?:^|\/)BILLING_PERIOD=(\d{4}-\d{2})(?:\/|$)/.exec(key)?.[1];
}
