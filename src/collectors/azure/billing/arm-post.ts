import type { TokenCredential } from '@azure/core-auth';
import { CollectError } from '../../collector.js';
import { requestSignal } from '../../deadline.js';
import { failureOf } from '../../failure.js';

/** How Cost Management calls are sent: endpoint, credential, timeouts and 429 handling. */
export interface ArmCallOptions {
  /** ARM endpoint (default https://management.azure.com); an http URL is a local test server. */
  endpoint?: string;
  /** Default: DefaultAzureCredential. Token scope `https://management.azure.com/.default`. */
  credential?: TokenCredential;
  /** Bounds one attempt of one request (default timeouts.requestMs). */
  requestTimeoutMs?: number;
  /** Retries after 429 or 5xx before giving up (default 3). */
  maxRetries?: number;
  /** Longest single wait a Retry-After may ask for (default 60 s); longer answers wait this long. */
  maxRetryWaitMs?: number;
  /** How waits happen (tests record them instead of sleeping). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  signal?: AbortSignal;
}

const ARM_SCOPE = 'https://management.azure.com/.default';

/**
 * The headers Cost Management sets on a 429, in seconds to wait: the standard Retry-After and the per-limit
 * `x-ms-ratelimit-microsoft.costmanagement-{qpu,entity,tenant,clienttype}-retry-after` (Microsoft Learn, "Cost
 * Management API latency and rate limits"). The longest one is the one that holds.
 */
export function retryAfterMs(headers: Headers): number | undefined {
  let best: number | undefined;
  headers.forEach((value, name) => {
    if (name !== 'retry-after' && !/^x-ms-ratelimit-microsoft\.costmanagement-[a-z]+-retry-after$/.test(name)) return;
    const s = Number(value);
    const ms = Number.isFinite(s) ? s * 1000 : Date.parse(value) - Date.now();
    if (Number.isFinite(ms) && ms >= 0) best = Math.max(best ?? 0, ms);
  });
  return best;
}

const defaultSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true });
  });

/** A bound POSTer of JSON to ARM: `post(pathOrNextLink, body, what)` → parsed JSON, plus the number of HTTP calls. */
export function armPoster(options: ArmCallOptions) {
  const endpoint = (options.endpoint ?? 'https://management.azure.com').replace(/\/$/, '');
  const requestMs = options.requestTimeoutMs ?? 60_000;
  const sleep = options.sleep ?? defaultSleep;
  let credential: Promise<TokenCredential> | undefined;
  const cred = () => (credential ??= options.credential ? Promise.resolve(options.credential) : import('@azure/identity').then((m) => new m.DefaultAzureCredential()));
  let calls = 0;

  /** nextLink is absolute and names management.azure.com: its path and query are sent to our endpoint (tokens go nowhere else). */
  const urlOf = (pathOrUrl: string) => {
    if (/^https?:\/\//.test(pathOrUrl)) {
      const u = new URL(pathOrUrl);
      return `${endpoint}${u.pathname}${u.search}`;
    }
    return `${endpoint}/${pathOrUrl.replace(/^\//, '')}`;
  };

  async function post(pathOrUrl: string, body: unknown, what: string): Promise<unknown> {
    const url = urlOf(pathOrUrl);
    const maxRetries = options.maxRetries ?? 3;
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        const signal = requestSignal(requestMs, options.signal);
        const token = await (await cred()).getToken(ARM_SCOPE, { abortSignal: signal });
        if (!token) throw new CollectError('auth-failed', `${what}: the credential returned no token for ${ARM_SCOPE}`);
        calls++;
        res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token.token}`, 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body), signal });
        if (res.status === 429 || res.status >= 500) {
          const text = await res.text().catch(() => '');
          if (attempt >= maxRetries) throw new CollectError(res.status === 429 ? 'throttled' : 'error', `${what}: HTTP ${res.status} after ${attempt + 1} attempts${errorText(text)}`);
          const wait = Math.min(retryAfterMs(res.headers) ?? 1000 * 2 ** attempt, options.maxRetryWaitMs ?? 60_000);
          await sleep(wait, options.signal);
          continue;
        }
        const text = await res.text();
        if (res.status === 401 || res.status === 403) throw new CollectError('auth-failed', `${what}: HTTP ${res.status}${errorText(text)} — grant Cost Management Reader on the scope`);
        if (res.status >= 400) throw new CollectError('error', `${what}: HTTP ${res.status}${errorText(text)}`);
        // 204: the API has nothing for the period (documented in the examples' "204": {}).
        if (res.status === 204 || text.trim() === '') return { properties: { columns: [], rows: [] } };
        try {
          return JSON.parse(text) as unknown;
        } catch (err) {
          throw new CollectError('parse-error', `${what}: HTTP ${res.status} (not JSON)`, { cause: err });
        }
      } catch (err) {
        if (err instanceof CollectError) throw err;
        const f = failureOf('azure', what, err);
        throw new CollectError(f.status, f.message, { cause: err });
      }
    }
  }
  return { post, calls: () => calls };
}

/** `: Code: message` from an ARM error body `{ error: { code, message } }`, or nothing. */
function errorText(text: string): string {
  try {
    const e = (JSON.parse(text) as { error?: { code?: string; message?: string } }).error;
    return e ? `: ${e.code ?? ''}${e.code && e.message ? ': ' : ''}${(e.message ?? '').split('\n')[0]}` : '';
  } catch {
    return '';
  }
}
