import { SpotAdvisorFeedSchema, spotAdvisorFromFeed } from '../../catalog/spot-advisor-feed.js';
import type { SpotAdvisorFile } from '../../catalog/schema.js';
import { CollectError } from '../collector.js';
import { getJson } from './http-json.js';

export const SPOT_ADVISOR_URL = 'https://spot-bid-advisor.s3.amazonaws.com/spot-advisor-data.json';

/**
 * The current Spot Instance Advisor feed (public, no credentials): interruption buckets for every region. Retries
 * 429/5xx (getJson); a bad shape is a parse-error naming the field.
 */
export async function fetchSpotAdvisor(nowMs: number, options: { url?: string; fetch?: typeof fetch; retries?: number; requestTimeoutMs?: number; signal?: AbortSignal } = {}): Promise<SpotAdvisorFile> {
  const url = options.url ?? SPOT_ADVISOR_URL;
  const body = await getJson(url, 'Spot Instance Advisor feed', { ...(options.fetch ? { fetch: options.fetch } : {}), retries: options.retries ?? 3, ...(options.requestTimeoutMs ? { requestTimeoutMs: options.requestTimeoutMs } : {}), ...(options.signal ? { signal: options.signal } : {}) });
  const parsed = SpotAdvisorFeedSchema.safeParse(body);
  if (!parsed.success) throw new CollectError('parse-error', `Spot Instance Advisor feed: ${parsed.error.issues[0]?.path.join('.') ?? ''}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return spotAdvisorFromFeed(parsed.data, { source: `AWS Spot Instance Advisor feed (${url})`, effectiveDate: new Date(nowMs).toISOString().slice(0, 10) });
}
