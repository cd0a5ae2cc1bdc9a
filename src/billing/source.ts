import type { Readable } from 'node:stream';

/**
 * One object of a bill (a CSV, gzip CSV or Parquet file) wherever it lives. `readRange` serves Parquet's footer
 * and column chunks (ranged GETs on S3, Blob and GCS); `stream` serves CSV. Both honour `signal`.
 */
export interface BillingObject {
  /** Full location, as shown in problems and import records: a path, `s3://b/k`, `https://acct.blob…/c/k`, `gs://b/k`. */
  name: string;
  sizeBytes: number;
  readRange(start: number, endExclusive: number, signal?: AbortSignal): Promise<Uint8Array>;
  stream(signal?: AbortSignal): Promise<Readable>;
}

/** The files of one billing period of one export, as the export's own layout (manifest) names them. */
export interface BillingPeriodFiles {
  /** YYYY-MM, when the layout says it; otherwise the rows' BillingPeriodStart decides. */
  billingPeriod?: string;
  objects: BillingObject[];
  /** How the files were chosen when not by the export's own manifest (listed instead), for the import record. */
  note?: string;
}

/** A place bills are exported to: lists the current files of each billing period (a rewritten export replaces the old). */
export interface BillingSource {
  /** Stable dataset id for the ledger (`s3://bucket/prefix/name`, …). */
  datasetId: string;
  periods(signal?: AbortSignal): Promise<BillingPeriodFiles[]>;
}
