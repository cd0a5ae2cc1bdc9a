/**
 * Azure bill sources: Cost Management exports in Blob Storage, and the Cost Management Query and Forecast APIs.
 *
 * Least-privilege roles (Azure RBAC, built-in):
 * - `azureBlobExportSource` (List Blobs, Get Blob): **Storage Blob Data Reader** on the export's container
 *   (`Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read`). Management-plane roles such as Reader do
 *   not grant data access.
 * - `queryAzureCosts`, `forecastAzureCosts` (POST …/providers/Microsoft.CostManagement/query|forecast):
 *   **Cost Management Reader** on the scope queried (the subscription, or the billing account; on an EA or MCA billing
 *   account the billing roles "Billing account reader"/"Enterprise read-only" serve instead).
 */
export { azureBlobExportSource, locateExport, type AzureBlobExportSourceOptions } from './blob-export-source.js';
export { queryAzureCosts, forecastAzureCosts, COST_GROUPINGS, COST_MANAGEMENT_API_VERSION, type CostGrouping, type CostQueryInput, type CostQueryResult, type CostForecast } from './cost-management.js';
export { retryAfterMs, type ArmCallOptions } from './arm-post.js';
export { ExportManifestSchema, type ExportManifest } from './export-layout.js';
