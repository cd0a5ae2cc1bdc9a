import { AthenaClient } from '@aws-sdk/client-athena';
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { S3Client } from '@aws-sdk/client-s3';
import type { Timeouts } from '../../deadline.js';
import { awsClientOptions, withAbortSignal } from '../clients.js';

/** Where the bill readers' clients connect: AWS by default; each endpoint overridable (tests, emulators, VPC endpoints). */
export interface BillingClientsOptions {
  timeouts: Pick<Timeouts, 'connectMs' | 'requestMs'>;
  /** Region of the Athena workgroup and of the export bucket; Cost Explorer is always us-east-1. */
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  endpoints?: { ce?: string; athena?: string; s3?: string };
  /** Path-style S3 addressing (emulators such as s3rver and MinIO need it). */
  s3ForcePathStyle?: boolean;
  /** Every request of these clients is aborted when it fires (the import's deadline). */
  signal?: AbortSignal;
  /** Attempts per request including the first (default awsClientOptions': 6). */
  maxAttempts?: number;
}

/**
 * The three SDK clients the AWS bill readers use, with Rightsize's retry (adaptive: throttling-aware backoff with
 * jitter) and the configured connect and per-attempt request timeouts (config `timeouts`).
 */
export function billingClients(options: BillingClientsOptions): { ce: CostExplorerClient; athena: AthenaClient; s3: S3Client } {
  const common = {
    ...awsClientOptions(options.timeouts),
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  };
  const region = options.region ?? 'us-east-1';
  const e = options.endpoints ?? {};
  return {
    // Cost Explorer's one endpoint is ce.us-east-1.amazonaws.com, whatever region the caller works in.
    ce: withAbortSignal(new CostExplorerClient({ ...common, region: 'us-east-1', ...(e.ce ? { endpoint: e.ce } : {}) }), options.signal, 'ce'),
    athena: withAbortSignal(new AthenaClient({ ...common, region, ...(e.athena ? { endpoint: e.athena } : {}) }), options.signal, 'athena'),
    s3: withAbortSignal(new S3Client({ ...common, region, ...(e.s3 ? { endpoint: e.s3 } : {}), ...(options.s3ForcePathStyle ? { forcePathStyle: true } : {}) }), options.signal, 's3'),
  };
}
