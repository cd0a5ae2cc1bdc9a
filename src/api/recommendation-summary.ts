import { z } from '@hono/zod-openapi';
import { CLOUDS } from '../domain/cloud.js';
import type { Recommendation } from '../domain/recommendation.js';
import { RECOMMENDATION_KINDS } from '../domain/recommendation.js';

/**
 * A list row: what a table of recommendations shows, without the evidence, full backtest and every cross-cloud
 * alternative that `GET /v1/recommendations/{id}` (or `?view=full`) returns. A real row is ~1.8 KB in full and
 * ~0.5 KB here, so a 50-row page is ~25 KB instead of ~90 KB.
 */
export const RecommendationSummarySchema = z
  .object({
    id: z.string(),
    instanceId: z.string(),
    cloud: z.enum(CLOUDS),
    account: z.string(),
    region: z.string(),
    kind: z.enum(RECOMMENDATION_KINDS),
    action: z.enum(['resize', 'stop']),
    currentType: z.string(),
    recommendedType: z.string().nullable(),
    monthlyCostNowUsd: z.number().openapi({ description: 'at the instance\'s actual purchase option' }),
    monthlyCostAfterUsd: z.number(),
    monthlySavingsUsd: z.number(),
    risk: z.number().int().min(0).max(4),
    hoursObserved: z.number().int(),
    hoursSaturated: z.number().int().openapi({ description: 'backtest: hours the recommended type would have saturated' }),
    crossCloudBest: z
      .object({ cloud: z.enum(CLOUDS), region: z.string(), instanceType: z.string(), monthlySavingsUsd: z.number() })
      .nullable()
      .openapi({ description: 'the cross-cloud alternative with the largest savings, if any' }),
    summary: z.string(),
  })
  .openapi('RecommendationSummary');
export type RecommendationSummary = z.infer<typeof RecommendationSummarySchema>;

export function summarizeRecommendation(rec: Recommendation): RecommendationSummary {
  let best: Recommendation['crossCloud'][number] | undefined;
  for (const alt of rec.crossCloud) if (!best || alt.monthlySavingsUsd > best.monthlySavingsUsd) best = alt;
  return {
    id: rec.id,
    instanceId: rec.instanceId,
    cloud: rec.cloud,
    account: rec.account,
    region: rec.region,
    kind: rec.kind,
    action: rec.action,
    currentType: rec.currentType,
    recommendedType: rec.recommendedType,
    monthlyCostNowUsd: rec.monthlyCostNow.actualUsd,
    monthlyCostAfterUsd: rec.monthlyCostAfter.actualUsd,
    monthlySavingsUsd: rec.monthlySavingsUsd,
    risk: rec.risk,
    hoursObserved: rec.backtest.hoursObserved,
    hoursSaturated: rec.backtest.hoursSaturated,
    crossCloudBest: best ? { cloud: best.cloud, region: best.region, instanceType: best.instanceType, monthlySavingsUsd: best.monthlySavingsUsd } : null,
    summary: rec.summary,
  };
}
