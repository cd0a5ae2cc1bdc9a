import { z } from 'zod';
import { CollectError } from '../../collector.js';

/**
 * The body of Cost Management Query and Forecast answers (QueryResult / ForecastResult, 2024-08-01): `columns[]`
 * name the cells of each of `rows[][]`. Which columns come back depends on the request and the account type, so
 * cells are read by column name, never by position.
 */
export const CostTableSchema = z.object({
  properties: z.object({
    nextLink: z.string().nullable().optional(),
    columns: z.array(z.object({ name: z.string(), type: z.string().optional() })),
    rows: z.array(z.array(z.unknown())),
  }),
});
export type CostTable = z.infer<typeof CostTableSchema>;

/**
 * The summed cost column, by the name it comes back under: the spec's own examples answer an aggregation of `Cost`
 * with a `PreTaxCost` column (BillingAccountQuery.json, 2024-08-01) while Microsoft Customer Agreement accounts answer
 * `Cost`; `CostUSD`/`PreTaxCostUSD` are already USD whatever the billing currency. First found wins.
 */
const COST_COLUMNS = ['CostUSD', 'PreTaxCostUSD', 'Cost', 'PreTaxCost'] as const;

/** One row of a cost table: day, cost, currency, and the grouping columns asked for. */
export interface CostCell {
  /** YYYY-MM-DD, from `UsageDate` (a number YYYYMMDD). */
  day: string;
  cost: number;
  /** ISO currency of `cost`; 'USD' for the *USD columns. */
  currency: string;
  /** Grouping column values by name (`ServiceName`, `ResourceLocation`, `SubscriptionId`, `ChargeType`, `CostStatus`). */
  dims: Record<string, string>;
}

const Num = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/).transform(Number)]).pipe(z.number().finite());
const UsageDate = z.union([z.number().int(), z.string().regex(/^\d{8}$/).transform(Number)]).pipe(z.number().int().min(19000101).max(29991231));

/** Parses a cost table's rows by column name; `what` names the call in errors (`Query ActualCost subscriptions/…`). */
export function parseCostTable(body: unknown, what: string, dimNames: readonly string[]): { cells: CostCell[]; nextLink?: string } {
  const parsed = CostTableSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CollectError('parse-error', `${what}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  const { columns, rows, nextLink } = parsed.data.properties;
  // A period with no cost answers no rows (and sometimes no columns, or 204): nothing to read, not an error.
  if (rows.length === 0) return { cells: [], ...(nextLink ? { nextLink } : {}) };
  const index = new Map(columns.map((c, i) => [c.name.toLowerCase(), i]));
  const costName = COST_COLUMNS.find((n) => index.has(n.toLowerCase()));
  const dateAt = index.get('usagedate');
  if (costName === undefined || dateAt === undefined) {
    throw new CollectError('parse-error', `${what}: expected a cost column (${COST_COLUMNS.join('/')}) and UsageDate; got ${columns.map((c) => c.name).join(', ') || 'no columns'}`);
  }
  const costAt = index.get(costName.toLowerCase()) as number;
  const currencyAt = index.get('currency');
  const cells = rows.map((row, r) => {
    const cost = Num.safeParse(row[costAt]);
    const date = UsageDate.safeParse(row[dateAt]);
    if (!cost.success || !date.success) throw new CollectError('parse-error', `${what}: row ${r}: ${!cost.success ? `${costName} ${JSON.stringify(row[costAt])} is not a number` : `UsageDate ${JSON.stringify(row[dateAt])} is not YYYYMMDD`}`);
    const ymd = String(date.data);
    const dims: Record<string, string> = {};
    for (const name of dimNames) {
      const at = index.get(name.toLowerCase());
      const v = at === undefined ? undefined : row[at];
      dims[name] = v === null || v === undefined ? '' : String(v);
    }
    const currency = costName.endsWith('USD') ? 'USD' : currencyAt === undefined ? 'USD' : String(row[currencyAt] ?? 'USD');
    return { day: `${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6, 8)}`, cost: cost.data, currency, dims };
  });
  return { cells, ...(nextLink ? { nextLink } : {}) };
}
