import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { CLOUDS } from '../../domain/cloud.js';
import { querySpend, rowsForQuery, type SpendDimension } from '../../billing/query.js';
import type { SpendLedger } from '../../store/spend/spend-ledger.js';
import { problem, validationProblem } from '../problem.js';
import { ErrorResponses } from '../schemas.js';

export interface SpendRouteDeps {
  /** Absent: both routes answer 404 with how to import a bill (and stay in the OpenAPI document). */
  ledger?: SpendLedger | undefined;
  nowMs: () => number;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DIMENSIONS = ['day', 'month', 'cloud', 'provider', 'account', 'service', 'region', 'resource', 'chargeCategory'] as const;
const MAX_RANGE_DAYS = 400;

const SpendQuerySchema = z
  .object({
    from: z.string().regex(DAY, 'YYYY-MM-DD').optional().openapi({ description: 'first day (UTC), inclusive; default: the first of this month' }),
    to: z.string().regex(DAY, 'YYYY-MM-DD').optional().openapi({ description: 'last day (UTC), inclusive; default: today' }),
    by: z
      .string()
      .max(200)
      .default('day')
      .openapi({ description: `comma-separated, up to 3 of ${DIMENSIONS.join(', ')} and tag:<key>` }),
    basis: z.enum(['amortized', 'billed']).default('amortized').openapi({ description: '`amortized`: FOCUS EffectiveCost (commitments spread over what they cover); `billed`: BilledCost, as invoiced' }),
    cloud: z.enum(CLOUDS).optional().openapi({ description: 'only this cloud (FOCUS ProviderName AWS, Microsoft, Google Cloud)' }),
    provider: z.string().min(1).max(100).optional().openapi({ description: 'FOCUS ProviderName, for providers Rightsize does not collect (Oracle, …)' }),
    account: z.string().min(1).max(200).optional().openapi({ description: 'only this account: SubAccountId (AWS account, GCP project, Azure subscription), else BillingAccountId' }),
    service: z.string().min(1).max(200).optional().openapi({ description: 'only this FOCUS ServiceName (`Amazon Elastic Compute Cloud`, `Virtual Machines`, `Compute Engine`)' }),
    region: z.string().min(1).max(64).optional().openapi({ description: 'only this FOCUS RegionId (`us-east-1`, `eastus`, `europe-west4`)' }),
    tag: z.string().min(1).max(300).regex(/^[^=]+=.*$/, 'key=value').optional().openapi({ description: 'only rows carrying this tag, `key=value`' }),
  })
  .strict();

const SpendGroupSchema = z.object({ key: z.record(z.string(), z.string()), costUsd: z.number(), listCostUsd: z.number(), contractedCostUsd: z.number(), rowCount: z.number() });
const SpendResponseSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    basis: z.enum(['amortized', 'billed']),
    groupBy: z.array(z.string()),
    totalUsd: z.number(),
    groups: z.array(SpendGroupSchema),
    datasets: z.array(z.string()).openapi({ description: 'the imports counted' }),
    shadowed: z.array(z.object({ datasetId: z.string(), reason: z.string() })).openapi({ description: 'imports covering the same account and day as a preferred one, left out so nothing counts twice' }),
    dataThroughDay: z.string().nullable().openapi({ description: 'the last day the bill has rows for (bills arrive a day or two late)' }),
  })
  .openapi('Spend');

const ImportSchema = z
  .object({
    datasetId: z.string(), billingPeriod: z.string(), via: z.string(), focusVersion: z.string().optional(), bases: z.array(z.string()), files: z.array(z.string()),
    rowsRead: z.number(), rowsAccepted: z.number(), ledgerRows: z.number(), importedAt: z.string(), dataThrough: z.string().nullable(),
    firstDay: z.string().nullable().openapi({ description: 'first day (UTC) the period has rows for' }),
    lastDay: z.string().nullable().openapi({ description: 'last day (UTC) the period has rows for' }),
    notes: z.array(z.string()).openapi({ description: 'how the files were chosen, when it matters (no manifest: the period\'s files were listed)' }),
    problems: z.array(z.object({ kind: z.string(), effect: z.string(), count: z.number(), examples: z.array(z.object({ file: z.string(), row: z.number(), column: z.string(), value: z.string(), message: z.string() })) })),
  })
  .openapi('SpendImport');

const spendRoute = createRoute({
  method: 'get',
  path: '/v1/spend',
  tags: ['spend'],
  summary: 'Actual spend from the imported bill, by day, cloud, account, service, region, resource or tag',
  request: { query: SpendQuerySchema },
  responses: { 200: { content: { 'application/json': { schema: SpendResponseSchema } }, description: 'spend groups, largest first' }, ...ErrorResponses },
});

const importsRoute = createRoute({
  method: 'get',
  path: '/v1/spend/imports',
  tags: ['spend'],
  summary: 'Every bill import on record: source, period, rows read and accepted, problems found',
  request: { query: z.object({}).strict() },
  responses: { 200: { content: { 'application/json': { schema: z.object({ items: z.array(ImportSchema) }) } }, description: 'imports, newest first' }, ...ErrorResponses },
});

/**
 * Is `day` a real YYYY-MM-DD? `Date.parse` alone is not enough: it rolls `2024-02-30` over to March 1st.
 * @example isCalendarDay('2024-02-29') // true; isCalendarDay('2023-02-29') // false
 */
export function isCalendarDay(day: string): boolean {
  if (!DAY.test(day)) return false;
  const ms = Date.parse(`${day}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === day;
}

/** What is wrong with a requested day range, naming the query field: not calendar days, reversed, or too long. */
export function dayRangeProblem(from: string, to: string): { field: 'from' | 'to'; message: string } | undefined {
  if (!isCalendarDay(from)) return { field: 'from', message: 'not a calendar day' };
  if (!isCalendarDay(to)) return { field: 'to', message: 'not a calendar day' };
  if (from > to) return { field: 'from', message: `after to (${to})` };
  if ((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1 > MAX_RANGE_DAYS) return { field: 'to', message: `at most ${MAX_RANGE_DAYS} days per request` };
  return undefined;
}

/** Parses `by=`: known dimensions and `tag:<key>`, at most three, no repeats; a bad one names itself. */
export function parseGroupBy(by: string): { ok: true; dims: SpendDimension[] } | { ok: false; message: string } {
  const parts = by.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (parts.length === 0) return { ok: false, message: 'give at least one dimension' };
  if (parts.length > 3) return { ok: false, message: `at most 3 dimensions, got ${parts.length}` };
  if (new Set(parts).size !== parts.length) return { ok: false, message: 'a dimension is repeated' };
  for (const p of parts) {
    if (p.startsWith('tag:') ? p.length > 4 : (DIMENSIONS as readonly string[]).includes(p)) continue;
    return { ok: false, message: `unknown dimension ${JSON.stringify(p)}: use ${DIMENSIONS.join(', ')} or tag:<key>` };
  }
  return { ok: true, dims: parts as SpendDimension[] };
}

/**
 * `GET /v1/spend` and `GET /v1/spend/imports`: the spend ledger (imported bills), under createApp's bearer auth.
 * @example app.route('/', spendRoutes({ ledger, nowMs: Date.now }));
 */
export function spendRoutes(deps: SpendRouteDeps) {
  const app = new OpenAPIHono({ defaultHook: validationProblem });
  const noLedger = 'no spend ledger: import a bill first (rightsize billing import <path|s3://…>)';
  app.openapi(spendRoute, async (c) => {
    const q = c.req.valid('query');
    const ledger = deps.ledger;
    if (!ledger) return problem(c, 404, noLedger) as never;
    const today = new Date(deps.nowMs()).toISOString().slice(0, 10);
    const from = q.from ?? `${today.slice(0, 8)}01`;
    const to = q.to ?? today;
    // Paths as the validator names them (`query.from`), so a client maps every 400 of the API the same way.
    const fieldProblem = (field: string, message: string) => problem(c, 400, `query.${field}: ${message}`, { errors: [{ path: `query.${field}`, message }] }) as never;
    const range = dayRangeProblem(from, to);
    if (range) return fieldProblem(range.field, range.message);
    const by = parseGroupBy(q.by);
    if (!by.ok) return fieldProblem('by', by.message);
    const [k, ...v] = (q.tag ?? '').split('=');
    const filter = {
      ...(q.cloud ? { cloud: q.cloud } : {}), ...(q.provider ? { provider: q.provider } : {}), ...(q.account ? { account: q.account } : {}),
      ...(q.service ? { service: q.service } : {}), ...(q.region ? { region: q.region } : {}), ...(q.tag ? { tags: { [k as string]: v.join('=') } } : {}),
    };
    const query = { fromDay: from, toDay: to, basis: q.basis, groupBy: by.dims, filter };
    const [rows, imports] = await Promise.all([rowsForQuery(ledger, query), ledger.listImports()]);
    const result = querySpend(rows, imports, query);
    const r4 = (x: number) => Math.round(x * 10_000) / 10_000;
    return c.json(
      {
        from, to, basis: q.basis, groupBy: by.dims, totalUsd: r4(result.totalUsd),
        groups: result.groups.map((g) => ({ key: g.key, costUsd: r4(g.costUsd), listCostUsd: r4(g.listCostUsd), contractedCostUsd: r4(g.contractedCostUsd), rowCount: g.rowCount })),
        datasets: result.datasetsUsed, shadowed: result.datasetsShadowed, dataThroughDay: result.dataThroughDay ?? null,
      },
      200,
    );
  });
  app.openapi(importsRoute, async (c) => {
    if (!deps.ledger) return problem(c, 404, noLedger) as never;
    const imports = await deps.ledger.listImports();
    return c.json(
      {
        items: imports.map((i) => ({
          datasetId: i.datasetId, billingPeriod: i.billingPeriod, via: i.via, ...(i.focusVersion ? { focusVersion: i.focusVersion } : {}), bases: i.bases, files: i.files,
          rowsRead: i.rowsRead, rowsAccepted: i.rowsAccepted, ledgerRows: i.ledgerRows, importedAt: new Date(i.importedAtMs).toISOString(),
          dataThrough: i.dataThroughMs === undefined ? null : new Date(i.dataThroughMs).toISOString(), firstDay: i.firstDay ?? null, lastDay: i.lastDay ?? null,
          notes: i.notes ?? [], problems: i.problems,
        })),
      },
      200,
    );
  });
  return app;
}
