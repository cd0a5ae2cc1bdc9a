import type { Cloud } from '../domain/cloud.js';
import type { Instance } from '../domain/instance.js';
import type { InstanceType } from '../domain/instance-type.js';
import type { OwnedCommitment, ScopeResult, ScopeStatus } from '../domain/snapshot.js';
import type { UtilizationSeries } from '../domain/utilization.js';
import { RightsizeError } from '../errors.js';

/** One unit of collection: a cloud, an account/project/subscription and a region. */
export interface CollectScope {
  cloud: Cloud;
  account: string;
  region: string;
}

/** The utilization window to collect, hour-aligned: [startMs, endMs). */
export interface CollectWindow {
  startMs: number;
  endMs: number;
}

/** What one scope yields, normalized to domain types, with a named status. */
export interface PartialSnapshot {
  instances: Instance[];
  series: UtilizationSeries[];
  scope: ScopeResult;
  /** API calls made per operation (the collect benchmark compares them with the theoretical minimum). */
  calls: Record<string, number>;
  /** Instance types the catalog lacked, described by the cloud (DescribeInstanceTypes). */
  types?: InstanceType[];
  /** Commitments the account owns in this scope (active reserved instances). */
  commitments?: OwnedCommitment[];
}

/** A collection failure with the status it maps to; the message names cloud, operation and scope. */
export class CollectError extends RightsizeError {
  override name = 'CollectError';
  constructor(
    readonly status: Exclude<ScopeStatus, 'ok'>,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Maps an SDK error to a named scope status: throttling, auth, or generic error. */
export function statusOfError(err: unknown): Exclude<ScopeStatus, 'ok'> {
  if (err instanceof CollectError) return err.status;
  // AWS SDK errors carry $metadata.httpStatusCode; Azure RestErrors carry statusCode and an ARM error code.
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number }; Code?: string; code?: string; statusCode?: number };
  const name = `${e?.name ?? ''} ${e?.Code ?? ''} ${e?.code ?? ''}`;
  const http = e?.$metadata?.httpStatusCode ?? e?.statusCode;
  // gRPC/gax status codes: 8 RESOURCE_EXHAUSTED, 7 PERMISSION_DENIED, 16 UNAUTHENTICATED.
  const grpc = typeof (err as { code?: unknown })?.code === 'number' ? ((err as { code: number }).code) : undefined;
  if (grpc === 8) return 'throttled';
  if (grpc === 7 || grpc === 16) return 'auth-failed';
  if (/Throttl|RequestLimitExceeded|TooManyRequests|SlowDown|RESOURCE_EXHAUSTED/i.test(name) || http === 429) return 'throttled';
  if (/AuthFailure|UnauthorizedOperation|AccessDenied|InvalidClientTokenId|ExpiredToken|SignatureDoesNotMatch|UnrecognizedClient|AuthorizationFailed|InvalidAuthenticationToken/i.test(name) || http === 401 || http === 403) return 'auth-failed';
  if (/Deserializ|Parse|XML|JSON|SyntaxError/i.test(name)) return 'parse-error';
  return 'error';
}
