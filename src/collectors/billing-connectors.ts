import type { BillingSource } from '../billing/source.js';
import type { Config } from '../config.js';
import type { SpendRow } from '../domain/spend.js';
import { RightsizeError } from '../errors.js';

/** Where a bill lives: a remote export (S3, Azure Blob, GCS) or else a local path. */
export function isRemoteUri(uri: string): boolean {
  return /^(s3|gs):\/\//.test(uri) || /^https?:\/\//.test(uri);
}

/** The rows of a pushed-down query and what the query cost. */
export interface QueryAnswer {
  records: Record<string, string | null>[];
  calls: number;
  estimatedCostUsd: number;
}

/** A cost API's daily rows and what the calls cost. */
export interface CostApiAnswer {
  rows: SpendRow[];
  calls: number;
  estimatedCostUsd: number;
  payerAccount?: string;
}

export interface BillingConnectors {
  openExport(uri: string): Promise<BillingSource>;
  athena(sql: string): Promise<QueryAnswer>;
  bigquery(sql: string): Promise<QueryAnswer>;
  costExplorer(range: { start: string; end: string }): Promise<CostApiAnswer>;
  azureCostManagement(scope: string, range: { start: string; end: string }): Promise<CostApiAnswer>;
}

/**
 * The cloud side of bill imports, per cloud: each cloud's module (and its SDK) loads only when a source of that
 * cloud is configured, so a local FOCUS import never loads an SDK and a Lambda bundle carries only what it calls.
 */
export function billingConnectors(ctx: { config: Config; env: Record<string, string | undefined>; signal?: AbortSignal }): BillingConnectors {
  const aws = () => import('./aws/billing/from-config.js');
  const azure = () => import('./azure/billing/from-config.js');
  const gcp = () => import('./gcp/billing/from-config.js');
  return {
    async openExport(uri) {
      if (uri.startsWith('s3://')) return (await aws()).s3ExportFromConfig(uri, ctx);
      if (uri.startsWith('gs://')) return (await gcp()).gcsExportFromConfig(uri, ctx);
      // Any other URL is a Blob container path (Cost Management exports go nowhere else; tests use a local endpoint).
      if (/^https?:\/\//.test(uri)) return (await azure()).blobExportFromConfig(uri, ctx);
      throw new RightsizeError(`${uri}: not a bill location: use a local path, s3://bucket/prefix, https://<account>.blob.core.windows.net/<container>/<path> or gs://bucket/prefix`);
    },
    athena: async (sql) => (await aws()).athenaFromConfig(sql, ctx),
    bigquery: async (sql) => (await gcp()).bigQueryFromConfig(sql, ctx),
    costExplorer: async (range) => (await aws()).costExplorerFromConfig(range, ctx),
    azureCostManagement: async (scope, range) => (await azure()).costManagementFromConfig(scope, range, ctx),
  };
}
