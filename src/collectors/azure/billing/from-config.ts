import type { TokenCredential } from '@azure/core-auth';
import type { BillingSource } from '../../../billing/source.js';
import type { Config } from '../../../config.js';
import type { CostApiAnswer } from '../../billing-connectors.js';
import { azureBlobExportSource } from './blob-export-source.js';
import { queryAzureCosts } from './cost-management.js';

interface Ctx {
  config: Config;
  env: Record<string, string | undefined>;
  signal?: AbortSignal;
  /** Default: DefaultAzureCredential. */
  credential?: TokenCredential;
}

const LOCAL_SERVER_CREDENTIAL: TokenCredential = { getToken: async () => ({ token: 'local-server', expiresOnTimestamp: Number.MAX_SAFE_INTEGER }) };

/** A Cost Management export in Blob Storage, from its URL (`https://<account>.blob.core.windows.net/<container>/<dir>/<export>`). */
export function blobExportFromConfig(uri: string, ctx: Ctx): BillingSource {
  return azureBlobExportSource({ url: uri, requestTimeoutMs: ctx.config.timeouts.requestMs, ...(ctx.credential ? { credential: ctx.credential } : {}), ...(ctx.signal ? { signal: ctx.signal } : {}) });
}

/**
 * Daily spend of one scope from Cost Management Query over `range` (YYYY-MM-DD, end exclusive). The API is free
 * (rate-limited, not charged), so the estimated cost is 0.
 */
export async function costManagementFromConfig(scope: string, range: { start: string; end: string }, ctx: Ctx): Promise<CostApiAnswer> {
  const endpoint = ctx.config.billing.costApis.azureCostManagement.endpoint ?? ctx.config.azure.endpoints.arm;
  const toDay = new Date(Date.parse(`${range.end}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  // An http endpoint is a local test server: no credential is looked for (DefaultAzureCredential would probe the
  // instance metadata service and the Azure CLI), and the token sent there is a placeholder.
  const credential = ctx.credential ?? (endpoint?.startsWith('http://') ? LOCAL_SERVER_CREDENTIAL : undefined);
  const out = await queryAzureCosts({ scope, fromDay: range.start, toDay }, { ...(endpoint ? { endpoint } : {}), requestTimeoutMs: ctx.config.timeouts.requestMs, ...(credential ? { credential } : {}), ...(ctx.signal ? { signal: ctx.signal } : {}) });
  return { rows: out.rows, calls: out.calls, estimatedCostUsd: 0 };
}
