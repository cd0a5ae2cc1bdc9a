import { z } from '@hono/zod-openapi';
import { CLOUDS } from '../domain/cloud.js';
import { INSTANCE_STATES } from '../domain/instance.js';
import { PURCHASE_OPTIONS } from '../domain/price.js';
import { RECOMMENDATION_KINDS } from '../domain/recommendation.js';

/**
 * Query and body schemas of the /v1 routes; the OpenAPI document is generated from these same schemas. Every query
 * schema is strict: an unknown parameter is a 400 naming it, never silently ignored, so a typo does not go unnoticed
 * and junk parameters cannot multiply cache entries. A repeated parameter arrives as an array and fails too.
 */

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50).openapi({ description: 'page size (1-500)' }),
  cursor: z.string().min(1).max(512).optional().openapi({ description: 'opaque cursor from the previous page' }),
  snapshot: z.string().min(1).max(200).optional().openapi({ description: 'snapshot id (default: latest; with a cursor: the cursor\'s snapshot)' }),
}).strict();

export const InstancesQuery = PageQuery.extend({
  cloud: z.enum(CLOUDS).optional().openapi({ description: 'only this cloud' }),
  account: z.string().min(1).max(200).optional().openapi({ description: 'only this account: AWS account id, GCP project id or Azure subscription id' }),
  region: z.string().min(1).max(64).optional().openapi({ description: 'only this region, as the cloud names it (`us-east-1`, `europe-west4`, `westeurope`)' }),
  type: z.string().min(1).max(100).optional().openapi({ description: 'only this instance type (`m5.large`, `n2-standard-8`, `Standard_D4s_v5`)' }),
  state: z.enum(INSTANCE_STATES).optional().openapi({ description: 'only instances in this state' }),
  tag: z.string().min(1).max(300).optional().openapi({ description: '`key` or `key=value`' }),
}).strict();

export const RecommendationsQuery = PageQuery.extend({
  cloud: z.enum(CLOUDS).optional().openapi({ description: 'only this cloud' }),
  account: z.string().min(1).max(200).optional().openapi({ description: 'only this account: AWS account id, GCP project id or Azure subscription id' }),
  region: z.string().min(1).max(64).optional().openapi({ description: 'only this region, as the cloud names it (`us-east-1`, `europe-west4`, `westeurope`)' }),
  kind: z.enum(RECOMMENDATION_KINDS).optional().openapi({ description: 'only this kind of finding: `downsize` and `upsize` change the size, `modernize` moves to a newer family, `idle` stops an instance, `gpu-*` change the GPU model or count or move to CPU' }),
  minMonthlySavingsUsd: z.coerce.number().min(0).max(1e9).optional().openapi({ description: 'only findings saving at least this many USD per month' }),
  sort: z.enum(['savings', 'risk']).default('savings').openapi({ description: '`savings`: largest monthly savings first; `risk`: lowest risk (0 of 4) first' }),
  view: z.enum(['summary', 'full']).default('summary').openapi({ description: '`summary` rows (default) or `full` recommendations with evidence, backtest and every cross-cloud alternative' }),
}).strict();

export const PricesQuery = PageQuery.extend({
  cloud: z.enum(CLOUDS).optional().openapi({ description: 'only this cloud' }),
  region: z.string().min(1).max(64).optional().openapi({ description: 'only this region, as the cloud names it (`us-east-1`, `europe-west4`, `westeurope`)' }),
  type: z.string().min(1).max(100).optional().openapi({ description: 'only this instance type (`m5.large`, `n2-standard-8`, `Standard_D4s_v5`)' }),
  purchaseOption: z.enum(PURCHASE_OPTIONS).optional().openapi({ description: 'only prices of this purchase option (`commitment`: reserved instances, savings plans, CUDs)' }),
}).strict();

export const AdviceBody = z
  .object({
    vcpu: z.number().positive().max(2048).openapi({ description: 'vCPUs needed, at least' }),
    memoryGiB: z.number().nonnegative().max(65536).openapi({ description: 'memory needed, GiB, at least' }),
    gpu: z
      .object({
        count: z.number().int().min(1).max(64).openapi({ description: 'GPUs per instance' }),
        model: z.string().min(1).max(50).optional().openapi({ description: 'a GPU model id of the catalog; an unknown one is a 400 that lists them' }),
        minMemoryGiB: z.number().positive().max(1024).optional().openapi({ description: 'memory per GPU, GiB, at least' }),
        minThroughput: z.number().positive().max(1000).optional().openapi({ description: 'in A100-equivalents (A100 = 1.0)' }),
      })
      .strict()
      .optional()
      .openapi({ description: 'GPUs needed; leave out for CPU-only types' }),
    arch: z.enum(['x86_64', 'arm64']).optional().openapi({ description: 'CPU architecture (default: either)' }),
    clouds: z.array(z.enum(CLOUDS)).min(1).max(3).optional().openapi({ description: 'clouds to consider (default: all)' }),
    regions: z.array(z.string().min(1).max(64)).min(1).max(50).optional().openapi({ description: 'regions to consider (default: all of the catalog)' }),
    purchaseOptions: z.array(z.enum(PURCHASE_OPTIONS)).min(1).max(3).optional().openapi({ description: 'purchase options to price (default: `on-demand` and `commitment`, plus `spot` when `interruptible`)' }),
    hoursPerMonth: z.number().positive().max(744).optional().openapi({ description: 'hours the instance runs per month (default: the engine\'s `hoursPerMonth` setting)' }),
    interruptible: z.boolean().optional().openapi({ description: 'the work survives an interruption, so spot prices are offered too (default: no)' }),
    includeBurstable: z.boolean().optional().openapi({ description: 'include burstable / shared-core types (default: no)' }),
    includeSpecial: z.boolean().optional().openapi({ description: 'include confidential, HPC, isolated, constrained-core, -flex and bare-metal sizes (default: no)' }),
    perRegion: z.boolean().optional().openapi({ description: 'list each type once per region instead of once at its cheapest region' }),
    limit: z.number().int().min(1).max(200).optional().openapi({ description: 'options returned, cheapest first (default: 20)' }),
  })
  .strict()
  .openapi('AdviceRequest', { description: 'What the workload needs; every field but `vcpu` and `memoryGiB` is optional.', example: { vcpu: 8, memoryGiB: 32, clouds: ['aws', 'gcp'], limit: 5 } });

export const IsoWeekParam = z.object({ isoWeek: z.string().regex(/^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/, 'expected an ISO week like 2026-W47').openapi({ description: 'ISO week, `2026-W47`: Monday 00:00 UTC to the next Monday', example: '2026-W47' }) });
export const ReportQuery = z.object({ format: z.enum(['json', 'html', 'md']).optional().openapi({ description: 'the format, overriding `Accept` (default: JSON)' }) }).strict();
/** Routes that take no query parameter still reject unknown ones. */
export const NoQuery = z.object({}).strict();
export const SnapshotQuery = z.object({ snapshot: z.string().min(1).max(200).optional().openapi({ description: 'snapshot id (default: latest)' }) }).strict();
export const IdParam = z.object({ id: z.string().min(1).max(500).openapi({ description: 'the id, URL-encoded (an Azure resource id holds slashes)' }) });
export const PoolParam = z.object({ pool: z.string().min(1).max(300).openapi({ description: 'the pool, URL-encoded: `<cloud>:<commitment kind>:<region>:<family>` as `/v1/purchase-plans` lists it' }) });
export const NameParam = z.object({ name: z.string().min(1).max(100).openapi({ description: 'the budget\'s `name` in the config' }) });

export const BudgetStatusSchema = z
  .object({
    name: z.string(),
    period: z.string(),
    periodStart: z.string(),
    periodEnd: z.string(),
    amountUsd: z.number(),
    actualUsd: z.number(),
    forecastUsd: z.number(),
    thresholdsCrossed: z.array(z.object({ pct: z.number(), kind: z.enum(['actual', 'forecast']) })),
    sources: z.array(z.string()),
    asOf: z.string().optional(),
    runRateForecastUsd: z.number().optional(),
    trendForecastUsd: z.number().optional(),
    topDrivers: z.array(z.object({ instanceId: z.string(), name: z.string().optional(), cloud: z.string(), account: z.string(), region: z.string(), type: z.string(), usd: z.number() })).optional(),
    /** Delivery state of each Slack channel (named by its secret reference, never the URL). */
    channels: z.array(z.object({ channel: z.string(), state: z.string(), detail: z.string().optional(), atMs: z.number().optional() })).optional(),
    basis: z.enum(['billed', 'amortized', 'modeled']).optional().openapi({ description: 'what actualUsd and forecastUsd count: the imported bill (billed or amortized) or the modeled estimate' }),
    requestedBasis: z.enum(['billed', 'amortized', 'modeled']).optional().openapi({ description: 'the budget\'s configured basis; differs from basis while no imported bill covers the budget' }),
    basisNote: z.string().optional(),
    billDataThrough: z.string().optional().openapi({ description: 'the imported bill is complete up to this instant (bills arrive a day or two late); the forecast runs from here' }),
    modeled: z.object({ actualUsd: z.number(), forecastUsd: z.number() }).optional().openapi({ description: 'the modeled estimate (running instances × catalog prices) beside the bill' }),
    reconciliation: z
      .object({ billUsd: z.number(), explainedByInstancesUsd: z.number(), explainedPct: z.number().nullable(), modeledUsd: z.number() })
      .optional()
      .openapi({ description: 'how much of the period\'s bill the instances Rightsize sees explain' }),
  })
  .openapi('BudgetStatus');
export type BudgetStatus = z.infer<typeof BudgetStatusSchema>;

/** A loose JSON object in responses: the domain schemas document their shapes in the components. */
export const JsonObject = z.record(z.string(), z.unknown());
export const PageOf = (name: string) => z.object({ items: z.array(JsonObject), nextCursor: z.string().optional(), snapshotId: z.string().nullable() }).openapi(name);
export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');

/** The error responses every /v1 route documents, each a problem+json body. */
export const ErrorResponses = {
  400: { content: { 'application/problem+json': { schema: ProblemSchema } }, description: 'invalid input; `errors` names each failing field' },
  401: { content: { 'application/problem+json': { schema: ProblemSchema } }, description: 'missing bearer token (`WWW-Authenticate: Bearer realm`), or one not accepted (`error="invalid_token"`)' },
  404: { content: { 'application/problem+json': { schema: ProblemSchema } }, description: 'not found' },
} as const;

/** The snapshot lists' cursor errors, on top of ErrorResponses. */
export const CursorErrorResponses = {
  409: { content: { 'application/problem+json': { schema: ProblemSchema } }, description: 'the cursor pages another snapshot than `?snapshot=` names' },
  410: { content: { 'application/problem+json': { schema: ProblemSchema } }, description: 'the cursor\'s snapshot is no longer stored: start again without a cursor' },
} as const;

export const PolicyEvaluationQuery = PageQuery.pick({ snapshot: true }).strict();

/** One candidate policy's out-of-sample standing (engine/validation.ts PolicyScore). */
export const PolicyScoreSchema = z
  .object({
    id: z.string(),
    label: z.string(),
    instances: z.number().int().openapi({ description: 'instances with at least one fold' }),
    folds: z.number().int().openapi({ description: 'instance-folds measured' }),
    savingsPct: z.number().openapi({ description: 'monthly cost saved in capacity terms, percent' }),
    outOfSampleOverPct: z.number().openapi({ description: 'out of sample: share of test time over the chosen capacity, percent' }),
    hoursSustainedOver: z.number().int().openapi({ description: 'test hours whose mean alone was over the chosen capacity' }),
    upsizes: z.number().int().openapi({ description: 'instances the policy sized above today\'s capacity' }),
    withinBudget: z.boolean().openapi({ description: 'outOfSampleOverPct within the scope\'s fleetRiskBudgetPct' }),
  })
  .openapi('PolicyScore');

export const ScopeEvaluationSchema = z
  .object({
    scope: z.string().openapi({ description: '`fleet`, or `overrides:<i>,<j>` for instances matching those engine overrides' }),
    instances: z.number().int(),
    folds: z.number().int(),
    budgetPct: z.number().openapi({ description: 'the scope\'s fleetRiskBudgetPct' }),
    scores: z.array(PolicyScoreSchema),
    chosen: z.string().nullable().openapi({ description: 'what `policy: auto` picks: the cheapest within the budget, else the least time over capacity; null without any fold' }),
  })
  .openapi('ScopeEvaluation');

export const PolicyEvaluationSchema = z
  .object({
    snapshotId: z.string(),
    windowStartMs: z.number().int(),
    windowEndMs: z.number().int(),
    trainDays: z.number().int(),
    testDays: z.number().int(),
    scopes: z.array(ScopeEvaluationSchema),
  })
  .openapi('PolicyEvaluation');
