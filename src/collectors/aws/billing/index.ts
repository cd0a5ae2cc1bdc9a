/*
 * AWS bill sources. Least-privilege IAM actions per function (for serverless.yml / infra policies):
 *
 * s3ExportSource (a Data Exports export in S3):
 *   s3:ListBucket  on arn:aws:s3:::<bucket>            with Condition StringLike s3:prefix "<prefix>/<export-name>/*"
 *   s3:GetObject   on arn:aws:s3:::<bucket>/<prefix>/<export-name>/*   (data files, manifests; HeadObject needs the same)
 *   (+ kms:Decrypt on the bucket's key when the export bucket uses SSE-KMS)
 *
 * costExplorerSpend:    ce:GetCostAndUsage   (Resource "*"; Cost Explorer has no resource-level permissions)
 * costExplorerForecast: ce:GetCostForecast   (Resource "*")
 * costExplorerSavingsPlansUtilization: ce:GetSavingsPlansUtilization (Resource "*")
 *
 * athenaQuery:
 *   athena:StartQueryExecution, athena:GetQueryExecution, athena:GetQueryResults, athena:StopQueryExecution
 *                  on arn:aws:athena:<region>:<account>:workgroup/<workgroup>
 *   glue:GetDatabase, glue:GetTable, glue:GetPartitions
 *                  on the catalog, database and table (arn:aws:glue:<region>:<account>:catalog|database/<db>|table/<db>/<table>)
 *   s3:ListBucket, s3:GetObject on the table's data (the export prefix above)
 *   s3:GetBucketLocation, s3:ListBucket, s3:GetObject, s3:PutObject, s3:AbortMultipartUpload on the query result location
 */
export { athenaQuery, athenaScanCostUsd, ATHENA_MIN_BILLED_BYTES, ATHENA_USD_PER_TB, type AthenaQuery, type AthenaQueryInput, type AthenaQueryStats } from './athena.js';
export { billingClients, type BillingClientsOptions } from './clients.js';
export { CE_REQUEST_USD, costExplorerForecast, costExplorerSpend, type CostExplorerForecast, type CostExplorerForecastInput, type CostExplorerSpend, type CostExplorerSpendInput } from './cost-explorer.js';
export { type CommitmentUtilization, costExplorerSavingsPlansUtilization } from './cost-explorer-commitments.js';
export { CE_DIMENSIONS, type CeDimension, foldCostAndUsage } from './cost-explorer-parse.js';
export { type DataExportsManifest, parseDataExportsManifest } from './data-exports-manifest.js';
export { AWS_BILLING_ERROR_KINDS, AwsBillingError, type AwsBillingErrorKind } from './errors.js';
export { s3ExportSource, type S3ExportPeriod, type S3ExportSource, type S3ExportSourceOptions } from './s3-export-source.js';
