import type { ScopeStatus } from '../../../domain/snapshot.js';
import { CollectError } from '../../collector.js';
import { failureOf } from '../../failure.js';

/**
 * Why reading an AWS bill failed, by name: each kind says what to do about it.
 * - `access-denied`: the credentials lack the IAM action named in the message.
 * - `data-unavailable`: Cost Explorer has no data for the range yet (new account, Cost Explorer not enabled, too recent).
 * - `throttled`: still throttled after the SDK's retries (Cost Explorer's LimitExceededException, Athena's TooManyRequests).
 * - `bill-expired`: Cost Explorer no longer serves the requested range (BillExpirationException).
 * - `bad-response`: an answer or file failed validation (manifest, API shape, non-USD amounts).
 * - `query-failed` / `query-cancelled`: Athena ended the query; the message carries its StateChangeReason.
 * - `deadline`: the query ran past `deadlineMs` and was stopped.
 * - `not-found`: the export URI, a manifest's data file or the bucket does not exist.
 * - `invalid-input`: the caller's arguments (dates, URI) are malformed.
 * - `other`: anything else (network, 5xx), classified by failure.ts.
 */
export const AWS_BILLING_ERROR_KINDS = [
  'access-denied', 'data-unavailable', 'throttled', 'bill-expired', 'bad-response', 'query-failed', 'query-cancelled', 'deadline', 'not-found', 'invalid-input', 'other',
] as const;
export type AwsBillingErrorKind = (typeof AWS_BILLING_ERROR_KINDS)[number];

/** A failed AWS bill read: a CollectError (status for the scope) with a named kind; the message names the operation and resource. */
export class AwsBillingError extends CollectError {
  override name = 'AwsBillingError';
  constructor(
    readonly kind: AwsBillingErrorKind,
    status: Exclude<ScopeStatus, 'ok'>,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(status, message, options);
  }
}

interface SdkErrorLike {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

/**
 * Maps an SDK error of `operation` (`ce:GetCostAndUsage`, `athena:StartQueryExecution`, `s3:GetObject s3://b/k`) to
 * an AwsBillingError. `iamAction` is the permission to name when access is denied. Already-named errors pass through.
 */
export function billingErrorOf(operation: string, err: unknown, iamAction?: string): AwsBillingError {
  if (err instanceof AwsBillingError) return err;
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as SdkErrorLike;
  const name = e.name ?? '';
  const detail = `${name ? `${name}: ` : ''}${(e.message ?? '').split('\n')[0] ?? ''}`;
  const http = e.$metadata?.httpStatusCode;
  // Error names are the services' own (botocore ce model `errors`, Athena's model, S3's REST errors).
  if (/AccessDenied|UnauthorizedOperation|UnrecognizedClient|InvalidClientTokenId|SignatureDoesNotMatch/.test(name) || http === 403) {
    return new AwsBillingError('access-denied', 'auth-failed', `aws ${operation}: ${detail} — grant ${iamAction ?? 'the action'} to the credentials or role`, { cause: err });
  }
  if (name === 'DataUnavailableException') return new AwsBillingError('data-unavailable', 'no-data', `aws ${operation}: ${detail} — Cost Explorer has no data for this range yet (enable Cost Explorer, or wait up to 24 h)`, { cause: err });
  if (name === 'BillExpirationException') return new AwsBillingError('bill-expired', 'invalid-config', `aws ${operation}: ${detail} — the requested range is older than Cost Explorer keeps; shorten it`, { cause: err });
  if (/LimitExceeded|Throttl|TooManyRequests|SlowDown/.test(name) || http === 429) {
    return new AwsBillingError('throttled', 'throttled', `aws ${operation}: ${detail} — still throttled after the SDK's retries; try again later`, { cause: err });
  }
  if (/NoSuchKey|NoSuchBucket|NotFound/.test(name) || http === 404) return new AwsBillingError('not-found', 'no-data', `aws ${operation}: ${detail}`, { cause: err });
  const failure = failureOf('aws', operation, err);
  return new AwsBillingError('other', failure.status, `aws ${failure.message}`, { cause: err });
}

/** `signal` and `extra` as one signal (either aborts it); undefined when neither is given. */
export function eitherSignal(a: AbortSignal | undefined, b: AbortSignal | undefined): AbortSignal | undefined {
  if (!a) return b;
  if (!b || a === b) return a;
  return AbortSignal.any([a, b]);
}
