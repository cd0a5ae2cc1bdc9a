import type { Cloud } from '../domain/cloud.js';
import type { ScopeStatus } from '../domain/snapshot.js';

/**
 * How a failed outbound call is named: a status for the scope and one line with the operation, the HTTP status when
 * the service answered, and the cause when it did not (`sts:AssumeRole: connect ECONNREFUSED 127.0.0.1:5999`,
 * `ec2:DescribeReservedInstances: HTTP 500 (not XML)`). The three SDKs shape errors differently; this is the one
 * place that knows how.
 */

type FailureStatus = Exclude<ScopeStatus, 'ok'>;

interface ErrorLike {
  name?: string;
  message?: string;
  code?: unknown;
  Code?: string;
  statusCode?: number;
  status?: number | string;
  cause?: unknown;
  $metadata?: { httpStatusCode?: number };
  $response?: { statusCode?: number; headers?: Record<string, string> };
}

/** A CollectError (collector.ts) already carries its status and a message naming its operation. */
function collectStatus(e: ErrorLike): FailureStatus | undefined {
  return e.name === 'CollectError' && typeof e.status === 'string' ? (e.status as FailureStatus) : undefined;
}

// Node/undici socket errors: the service never answered.
const NETWORK_CODES = /^(ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|EPIPE|UND_ERR_SOCKET)$/;
const TIMEOUT_CODES = /^(ETIMEDOUT|ESOCKETTIMEDOUT|UND_ERR_CONNECT_TIMEOUT|UND_ERR_HEADERS_TIMEOUT|UND_ERR_BODY_TIMEOUT|ECONNABORTED)$/;
// Credential resolution failed before any request: AWS (smithy), Azure (@azure/identity), GCP (google-auth-library).
const NO_CREDENTIALS = /CredentialsProviderError|CredentialUnavailableError|AggregateAuthenticationError|AuthenticationRequiredError|Could not load the default credentials|Unable to detect a Project Id|Could not refresh access token|invalid_grant/i;
const AUTH_NAMES = /AuthFailure|UnauthorizedOperation|AccessDenied|InvalidClientTokenId|ExpiredToken|SignatureDoesNotMatch|UnrecognizedClient|AuthorizationFailed|InvalidAuthenticationToken|AuthenticationError|PERMISSION_DENIED|UNAUTHENTICATED/i;
const THROTTLE_NAMES = /Throttl|RequestLimitExceeded|LimitExceededException|TooManyRequests|SlowDown|RESOURCE_EXHAUSTED/i;

function asError(err: unknown): ErrorLike {
  return typeof err === 'object' && err !== null ? (err as ErrorLike) : { message: String(err) };
}

/** The innermost cause with a socket error code, if any (fetch wraps it: `TypeError: fetch failed` → cause). */
function socketCause(err: unknown, depth = 0): { code: string; message: string } | undefined {
  if (depth > 5 || typeof err !== 'object' || err === null) return undefined;
  const e = err as ErrorLike & { errors?: unknown[] };
  if (typeof e.code === 'string' && (NETWORK_CODES.test(e.code) || TIMEOUT_CODES.test(e.code))) return { code: e.code, message: firstLine(e.message) || e.code };
  // AggregateError (happy eyeballs: every address refused) carries its causes in `errors`.
  for (const inner of e.errors ?? []) {
    const found = socketCause(inner, depth + 1);
    if (found) return found;
  }
  return socketCause(e.cause, depth + 1);
}

function httpStatusOf(e: ErrorLike): number | undefined {
  const s = e.$metadata?.httpStatusCode ?? e.$response?.statusCode ?? e.statusCode ?? (typeof e.status === 'number' ? e.status : undefined);
  return typeof s === 'number' && s >= 100 ? s : undefined;
}

function firstLine(s: string | undefined): string {
  return (s ?? '').split('\n')[0]?.trim() ?? '';
}

/** Maps any SDK, fetch or socket error to a named scope status. */
export function statusOf(err: unknown): FailureStatus {
  const e = asError(err);
  const own = collectStatus(e);
  if (own) return own;
  const names = `${e.name ?? ''} ${e.Code ?? ''} ${typeof e.code === 'string' ? e.code : ''}`;
  const text = `${names} ${e.message ?? ''}`;
  const http = httpStatusOf(e);
  // gRPC/gax status codes: 4 DEADLINE_EXCEEDED, 8 RESOURCE_EXHAUSTED, 7 PERMISSION_DENIED, 16 UNAUTHENTICATED.
  const grpc = typeof e.code === 'number' ? e.code : undefined;
  if (grpc === 4) return 'timeout';
  if (grpc === 8) return 'throttled';
  if (grpc === 7 || grpc === 16) return 'auth-failed';
  if (NO_CREDENTIALS.test(text)) return 'auth-failed';
  // Rightsize aborts a request only when a timeout or the scope's deadline fires (Azure's per-request timeout is an AbortError).
  if (/TimeoutError|RequestTimeout|AbortError/.test(names) || socketCause(err)?.code.match(TIMEOUT_CODES)) return 'timeout';
  if (THROTTLE_NAMES.test(names) || http === 429) return 'throttled';
  if (AUTH_NAMES.test(names) || http === 401 || http === 403) return 'auth-failed';
  // Libraries that only say so in words (gax's "Total timeout of API … exceeded", "Request timed out").
  if (http === undefined && /\btimed? ?out\b|\btimeout\b.*exceeded|deadline exceeded/i.test(e.message ?? '')) return 'timeout';
  if (http !== undefined && http >= 500) return 'error';
  if (/Deserializ|Parse|XML|JSON|SyntaxError/i.test(text)) return 'parse-error';
  return 'error';
}

/**
 * One line: `operation: cause`. The cause is the HTTP status (with the service's error name when it sent one, or
 * `not XML`/`not JSON` when the body was a proxy's HTML page) or the socket error. Never a stack, never multi-line.
 */
export function describeFailure(operation: string, err: unknown): string {
  const e = asError(err);
  const message = firstLine(e.message) || e.name || 'unknown error';
  // A CollectError names its own operation (and carries its hint): it is passed on as it is.
  if (collectStatus(e)) return message;
  if (e.name === 'AbortError' || e.name === 'TimeoutError') {
    const reason = (e as { cause?: unknown }).cause;
    if (reason instanceof Error) return `${operation}: ${firstLine(reason.message)}`;
    return `${operation}: no answer in time (timeouts.requestMs)${/aborted/i.test(message) ? '' : `: ${message}`}`;
  }
  const socket = socketCause(err);
  if (socket) return `${operation}: ${socket.message}`;
  const http = httpStatusOf(e);
  if (http !== undefined) {
    // The SDK's deserializer failing on a body is not a parse error of ours: the service (or a proxy) sent no XML/JSON.
    const unparsed = /Deseriali[sz]ation error|char |mismatched tag|Unexpected token|not valid JSON|Invalid character|XML/i.test(`${e.name} ${message}`);
    if (unparsed) return `${operation}: HTTP ${http} (${/json/i.test(message) ? 'not JSON' : 'not XML'})`;
    const name = e.name && e.name !== 'Error' && !/^\d+$/.test(e.name) ? `${e.name}: ` : e.Code ? `${e.Code}: ` : '';
    return `${operation}: HTTP ${http}: ${name}${message}`;
  }
  const name = e.name && e.name !== 'Error' && !message.startsWith(e.name) ? `${e.name}: ` : '';
  return `${operation}: ${name}${message}`;
}

/** Which credential chain each cloud's SDK tried, and what to set: one line, shown with `auth-failed`. */
export const CREDENTIAL_HINTS: Record<Cloud, { missing: string; denied: string }> = {
  aws: {
    missing: 'no AWS credentials: the default chain tried AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE and ~/.aws, SSO, container and instance metadata; set AWS_PROFILE (or run `aws sso login`)',
    denied: 'the AWS credentials were refused or lack permission: grant infra/aws/collector-policy.json (prices: prices-policy.json) to it or to the role in aws.roleName',
  },
  gcp: {
    missing: 'no GCP credentials: Application Default Credentials tried GOOGLE_APPLICATION_CREDENTIALS, the gcloud ADC file and the metadata server; run `gcloud auth application-default login` or set GOOGLE_APPLICATION_CREDENTIALS',
    denied: 'the GCP credentials were refused or lack permission: grant the role in infra/gcp/rightsize-collector-role.yaml',
  },
  azure: {
    missing: 'no Azure credentials: DefaultAzureCredential tried AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET, workload and managed identity, Azure CLI, PowerShell and azd; run `az login` or set those three variables',
    denied: 'the Azure credentials were refused or lack permission: assign the role in infra/azure/rightsize-reader.bicep on the subscription',
  },
};

/** The scope's status and message for a failed call, with the credential hint when the status is `auth-failed`. */
export function failureOf(cloud: Cloud, operation: string, err: unknown): { status: FailureStatus; message: string } {
  const status = statusOf(err);
  let message = describeFailure(operation, err);
  if (status === 'auth-failed' && !collectStatus(asError(err))) {
    const e = asError(err);
    const missing = NO_CREDENTIALS.test(`${e.name ?? ''} ${e.message ?? ''}`);
    message = `${missing ? `${operation}: ${CREDENTIAL_HINTS[cloud].missing}` : message} — ${missing ? firstLine(e.message).slice(0, 120) : CREDENTIAL_HINTS[cloud].denied}`;
  }
  return { status, message };
}
