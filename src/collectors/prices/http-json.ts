import { CollectError } from '../collector.js';

/**
 * GET a public JSON document: 429 and 5xx retried with backoff and jitter (honouring Retry-After up to 10 s), other
 * failures and non-JSON bodies become named collection errors labelled with `label`.
 */
export async function getJson(url: string, label: string, options: { fetch?: typeof fetch; retries?: number } = {}): Promise<unknown> {
  const doFetch = options.fetch ?? fetch;
  const retries = options.retries ?? 4;
  for (let attempt = 0; ; attempt++) {
    const res = await doFetch(url, { headers: { accept: 'application/json' } });
    if (res.ok) {
      const text = await res.text();
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
      continue;
    }
    throw new CollectError(res.status === 429 ? 'throttled' : res.status === 401 || res.status === 403 ? 'auth-failed' : 'error', `${label}: HTTP ${res.status}`);
  }
}
