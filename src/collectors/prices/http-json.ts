import { CollectError } from '../collector.js';
import { DEFAULT_TIMEOUTS, requestSignal } from '../deadline.js';
import { describeFailure, statusOf } from '../failure.js';

/**
 * GET a public JSON document: 429 and 5xx retried with backoff and jitter (honouring Retry-After up to 10 s), other
 * failures and non-JSON bodies become named collection errors labelled with `label`.
 */
export async function getJson(url: string, label: string, options: GetJsonOptions = {}): Promise<unknown> {
  const doFetch = options.fetch ?? fetch;
  const retries = options.retries ?? 4;
  const requestMs = options.requestTimeoutMs ?? DEFAULT_TIMEOUTS.requestMs;
  for (let attempt = 0; ; attempt++) {
    let res: Response;
    let text: string;
    try {
      // One signal for the request and its body: a server that sends headers and then stalls is caught too.
      const signal = requestSignal(requestMs, options.signal);
      res = await doFetch(url, { headers: { accept: 'application/json' }, signal });
      text = res.ok ? await res.text() : '';
    } catch (err) {
      const timedOut = (err as Error).name === 'TimeoutError' || (options.signal?.aborted ?? false);
      const status = timedOut ? 'timeout' : statusOf(err);
      const message = timedOut && (err as Error).name === 'TimeoutError' ? `${label}: GET ${new URL(url).host}: no answer within ${requestMs} ms (timeouts.requestMs)` : describeFailure(`${label}: GET ${new URL(url).host}`, options.signal?.aborted ? options.signal.reason : err);
      throw new CollectError(status, message, { cause: err });
    }
    if (res.ok) {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new CollectError('parse-error', `${label}: response is not JSON (${text.slice(0, 60)})`);
      }
    }
    if ((res.status === 429 || res.status >= 500) && attempt < retries) {
      const retryAfterS = Number(res.headers.get('retry-after'));
      const waitMs = Number.isFinite(retryAfterS) && retryAfterS > 0 ? Math.min(retryAfterS * 1000, 10_000) : Math.min(2000, 100 * 2 ** attempt) * (0.5 + Math.random() / 2);
      await new Promise((r) => setTimeout(r, waitMs));
      if (options.signal?.aborted) throw options.signal.reason;
      continue;
    }
    throw new CollectError(res.status === 429 ? 'throttled' : res.status === 401 || res.status === 403 ? 'auth-failed' : 'error', `${label}: HTTP ${res.status}`);
  }
}

export interface GetJsonOptions {
  fetch?: typeof fetch;
  /** Retries of a 429/5xx answer. */
  retries?: number;
  /** One attempt, headers and body, ms (config timeouts.requestMs). */
  requestTimeoutMs?: number;
  /** The scope's deadline: aborts the request in flight and any retry. */
  signal?: AbortSignal;
}
