/**
 * Google Cloud bill sources: billing files in Cloud Storage, and BigQuery queries over the billing export.
 *
 * Least-privilege roles (IAM, predefined):
 * - `gcsBillingSource` (storage.objects.list, storage.objects.get): **roles/storage.objectViewer** on the bucket.
 * - `bigQueryRows` (jobs.query, jobs.getQueryResults): **roles/bigquery.jobUser** on the project the query runs in
 *   (bigquery.jobs.create) and **roles/bigquery.dataViewer** on the billing export dataset (bigquery.tables.getData).
 *   Queries are billed to the job's project: USD 6.25 per TiB scanned on demand.
 */
export { gcsBillingSource, parseGsUri, periodOfPath, type GcsBillingSourceOptions } from './gcs-source.js';
export { bigQueryRows, ON_DEMAND_USD_PER_TIB, type BigQueryRowsInput, type BigQueryRowStream, type BigQueryJobStats, type BigQueryParam } from './bigquery.js';
