/**
 * Slack incoming-webhook delivery with the retry rules Slack documents: 429 → wait Retry-After seconds;
 * 5xx and network errors → exponential backoff with jitter; 404/410 (and Slack's "no_service" / "channel_not_found"
 * bodies) → the webhook is dead: report it, do not retry forever. Never logs the URL (it is a secret).
 */
export type SlackOutcome = { status: 'sent'; attempts: number } | { status: 'dead'; attempts: number; detail: string } | { status: 'failed'; attempts: number; detail: string };

export interface SlackOptions {
  maxAttempts?: number;
  baseDelayMs?: number;
  /** Longest Retry-After we are willing to wait inside one run; longer means "try next run". */
  maxRetryAfterMs?: number;
  fetch?: typeof fetch;
  /** One POST, response included, ms (config timeouts.requestMs where the caller passes it); default 10 s. */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** POSTs one message to an incoming webhook, retrying as described above; never throws. */
export async function postToSlack(webhookUrl: string, payload: unknown, options: SlackOptions = {}): Promise<SlackOutcome> {
  const maxAttempts = options.maxAttempts ?? 5;
  const baseDelayMs = options.baseDelayMs ?? 500;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = options.random ?? Math.random;
  let lastDetail = '';
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    let res: Response;
    try {
      res = await doFetch(webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload), signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      // fetch's own message is "fetch failed": the socket error is its cause.
      const e = err as Error & { cause?: { message?: string } };
      lastDetail = e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : `network error: ${e.cause?.message ?? e.message}`;
      if (attempt < maxAttempts) await sleep(backoff(baseDelayMs, attempt, random));
      continue;
    }
    const text = await res.text().catch(() => '');
    if (res.ok) return { status: 'sent', attempts: attempt };
    if (res.status === 404 || res.status === 410 || /no_service|channel_not_found|channel_is_archived|invalid_token/.test(text)) {
      return { status: 'dead', attempts: attempt, detail: `webhook answered ${res.status} ${text.slice(0, 80)}`.trim() };
    }
    lastDetail = `webhook answered ${res.status}`;
    if (res.status === 429) {
      const retryAfterMs = retryAfterToMs(res.headers.get('retry-after'), Date.now());
      if (!Number.isFinite(retryAfterMs) || retryAfterMs > maxRetryAfterMs) return { status: 'failed', attempts: attempt, detail: `rate limited (Retry-After: ${res.headers.get('retry-after')}); retried next run` };
      if (attempt < maxAttempts) await sleep(retryAfterMs);
      continue;
    }
    if (res.status >= 500) {
      if (attempt < maxAttempts) await sleep(backoff(baseDelayMs, attempt, random));
      continue;
    }
    return { status: 'failed', attempts: attempt, detail: `${lastDetail} ${text.slice(0, 80)}`.trim() };
  }
  return { status: 'failed', attempts: maxAttempts, detail: lastDetail };
}

/**
 * Retry-After is either delay-seconds or an HTTP-date (RFC 9110 §10.2.3); Slack sends seconds. Missing or
 * unparsable means one second, the smallest wait that respects the limit.
 */
export function retryAfterToMs(header: string | null, nowMs: number): number {
  if (header === null || header.trim() === '') return 1000;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const atMs = Date.parse(header);
  return Number.isNaN(atMs) ? 1000 : Math.max(0, atMs - nowMs);
}

/** Full jitter: uniform in [0, base × 2^(attempt−1)]. */
function backoff(baseMs: number, attempt: number, random: () => number): number {
  return Math.round(random() * baseMs * 2 ** (attempt - 1));
}
