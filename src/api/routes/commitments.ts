import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { billRows } from '../../billing/bill-view.js';
import { commitmentCoverage, commitmentUtilization } from '../../billing/commitments.js';
import type { SpendLedger } from '../../store/spend/spend-ledger.js';
import { problem, validationProblem } from '../problem.js';
import { ErrorResponses } from '../schemas.js';
import { dayRangeProblem, isCalendarDay } from './spend.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

const Query = z
  .object({
    from: z.string().regex(DAY, 'YYYY-MM-DD').optional().openapi({ description: 'first day (UTC), inclusive; default: 30 days before `to`' }),
    to: z.string().regex(DAY, 'YYYY-MM-DD').optional().openapi({ description: 'last day (UTC), inclusive; default: yesterday' }),
  })
  .strict();

const Utilization = z.object({
  commitmentId: z.string(), provider: z.string(), cloud: z.string().optional(), account: z.string(), accounts: z.array(z.string()), type: z.string(), category: z.string(),
  usedCostUsd: z.number(), unusedCostUsd: z.number(), utilizationPct: z.number().optional(), usedQuantity: z.number().optional(), unusedQuantity: z.number().optional(),
  quantityUtilizationPct: z.number().optional(), purchaseBilledUsd: z.number(), coveredOnDemandUsd: z.number(), netSavingsUsd: z.number(), note: z.string().optional(),
});
const Coverage = z.object({
  provider: z.string(), cloud: z.string().optional(), account: z.string(), service: z.string(), eligibleOnDemandUsd: z.number(), coveredOnDemandUsd: z.number(),
  uncoveredOnDemandUsd: z.number(), coveragePct: z.number().optional(), eligibleEffectiveUsd: z.number(), coveredEffectiveUsd: z.number(), spendCoveragePct: z.number().optional(),
});
const Body = z
  .object({ from: z.string(), to: z.string(), utilization: z.array(Utilization), coverage: z.array(Coverage) })
  .openapi('Commitments');

const route = createRoute({
  method: 'get',
  path: '/v1/commitments',
  tags: ['spend'],
  summary: 'Owned commitments from the bill: utilization per savings plan, reservation and CUD, and coverage per service',
  request: { query: Query },
  responses: { 200: { content: { 'application/json': { schema: Body } }, description: 'the figures of Cost Explorer\'s RI/SP utilization and coverage reports, from FOCUS rows' }, ...ErrorResponses },
});

/**
 * `GET /v1/commitments[?from&to]`: utilization (Used ÷ Used + Unused EffectiveCost, by quantity on FOCUS 1.2) of
 * every commitment the bill names, and commitment coverage per (provider, account, service), one dataset per
 * account-day as every spend query counts them. Mounted by createApp under its bearer auth.
 * @example app.route('/', commitmentRoutes({ ledger, nowMs: Date.now }));
 */
export function commitmentRoutes(deps: { ledger?: SpendLedger | undefined; nowMs: () => number }) {
  const app = new OpenAPIHono({ defaultHook: validationProblem });
  return app.openapi(route, async (c) => {
    if (!deps.ledger) return problem(c, 404, 'no spend ledger: import a bill first (rightsize billing import <path|s3://…>)') as never;
    const q = c.req.valid('query');
    const fieldProblem = (field: string, message: string) => problem(c, 400, `query.${field}: ${message}`, { errors: [{ path: `query.${field}`, message }] }) as never;
    const to = q.to ?? new Date(Math.floor(deps.nowMs() / DAY_MS) * DAY_MS - DAY_MS).toISOString().slice(0, 10);
    if (!isCalendarDay(to)) return fieldProblem('to', 'not a calendar day');
    const from = q.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 29 * DAY_MS).toISOString().slice(0, 10);
    const range = dayRangeProblem(from, to);
    if (range) return fieldProblem(range.field, range.message);
    const rows = await billRows(deps.ledger, from, to);
    return c.json({ from, to, utilization: commitmentUtilization(rows, { fromDay: from, toDay: to }), coverage: commitmentCoverage(rows, { fromDay: from, toDay: to }) }, 200);
  });
}
