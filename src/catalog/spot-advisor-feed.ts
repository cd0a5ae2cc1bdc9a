import { z } from 'zod';
import type { SpotAdvisorFile } from './schema.js';

/**
 * The AWS Spot Instance Advisor feed (https://spot-bid-advisor.s3.amazonaws.com/spot-advisor-data.json): per region
 * and OS, each type's interruption bucket `r` (an index into `ranges`) and savings over on-demand `s` (%).
 */
export const SpotAdvisorFeedSchema = z.object({
  ranges: z.array(z.object({ index: z.number().int().min(0).max(4), label: z.string(), max: z.number().min(0).max(100) })).length(5),
  spot_advisor: z.record(z.string(), z.object({ Linux: z.record(z.string(), z.object({ s: z.number(), r: z.number().int().min(0).max(4) })).optional() }).passthrough()),
});
export type SpotAdvisorFeed = z.infer<typeof SpotAdvisorFeedSchema>;

/** The feed's Linux buckets for the given regions (all when omitted), in the catalog's file shape. */
export function spotAdvisorFromFeed(feed: SpotAdvisorFeed, meta: { source: string; effectiveDate: string }, regions?: readonly string[]): SpotAdvisorFile {
  const out: SpotAdvisorFile['regions'] = {};
  for (const region of regions ?? Object.keys(feed.spot_advisor).sort()) {
    const linux = feed.spot_advisor[region]?.Linux ?? {};
    const types: Record<string, [number, number]> = {};
    for (const type of Object.keys(linux).sort()) {
      const v = linux[type] as { s: number; r: number };
      types[type] = [v.r, v.s];
    }
    out[region] = types;
  }
  return { source: meta.source, effectiveDate: meta.effectiveDate, ranges: feed.ranges.map((r) => ({ bucket: r.index, label: r.label, maxMonthlyRate: r.max / 100 })), regions: out };
}
