import { SpotAdvisorFeedSchema, spotAdvisorFromFeed } from '../../catalog/spot-advisor-feed.js';
import type { SpotAdvisorFile } from '../../catalog/schema.js';
import { CollectError } from '../collector.js';

export const SPOT_ADVISOR_URL = 'https://spot-bid-advisor.s3.amazonaws.com/spot-advisor-data.json';

/**
 * The current Spot Instance Advisor feed (public, no credentials): interruption buckets for every region. Retries
 * 429/5xx with backoff; a bad shape is a parse-error naming the field.
 */
export async function fetchSpotAdvisor(nowMs: number, options: { url?: string; fetch?: typeof fetch; retries?: number } = {}): Promise<SpotAdvisorFile> {
  const url = options.url ?? SPOT_ADVISOR_URL;
  const doFetch = options.fetch ?? fetch;
  for (let attempt = 0; ; attempt++) {
    const res = await doFetch(url, { headers: { accept: 'application/json' } });
    if (!res.ok) {
      if ((res.status === 429 || res.status >= 500) && attempt < (options.retries ?? 3)) {
        await new Promise((r) => setTimeout(r, Math.min(2000, 100 * 2 ** attempt) * (0.5 + Math.random() / 2)));
        continue;
      }
      throw new CollectError(res.status === 429 ? 'throttled' : 'error', `Spot Instance Advisor feed: HTTP ${res.status}`);
    }
    let body: unknown;
    try {
      body = JSON.parse(await res.text());
    } catch {
      throw new CollectError('parse-error', 'Spot Instance Advisor feed: not JSON');
    }
    const parsed = SpotAdvisorFeedSchema.safeParse(body);
    if (!parsed.success) throw new CollectError('parse-error', `Spot Instance Advisor feed: ${parsed.error.issues[0]?.path.join('.') ?? ''}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    return spotAdvisorFromFeed(parsed.data, { source: `AWS Spot Instance Advisor feed (${url})`, effectiveDate: new Date(nowMs).toISOString().slice(0, 10) });
  }
}
