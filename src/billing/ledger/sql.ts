import { z } from 'zod';
import { CHARGE_CATEGORIES, ChargeCategorySchema, cloudOfProvider, type SpendRow } from '../../domain/spend.js';
import { DIALECTS, type SqlDialect } from './sql-dialects.js';

export { SQL_DIALECTS, type SqlDialect } from './sql-dialects.js';

/** Input of `ledgerSql`. */
export interface LedgerSqlInput {
  dialect: SqlDialect;
  /** Table name or table-function text (`read_parquet('…')`), inserted as given: callers pass trusted text only. */
  from: string;
  focusVersion: '1.0' | '1.2';
  /** YYYY-MM: only rows whose BillingPeriodStart falls in this month. */
  billingPeriod?: string;
  /** USD per unit of each BillingCurrency; default `{ USD: 1 }`. Rows in other currencies are left out. */
  exchangeRatesToUsd?: Record<string, number>;
}

/** Output columns of the ledger query, in order. */
export const LEDGER_SQL_COLUMNS = [
  'billing_period', 'day', 'provider', 'billing_account_id', 'account', 'service', 'service_category', 'region', 'resource_id',
  'charge_category', 'pricing_category', 'commitment_discount_id', 'commitment_discount_type', 'commitment_discount_category',
  'commitment_discount_status', 'tags_json', 'billed_cost_usd', 'effective_cost_usd', 'list_cost_usd', 'contracted_cost_usd',
  'commitment_discount_quantity', 'row_count',
] as const;

/** Grouping columns of the first stage (everything but tags and the sums). */
const DIMENSIONS = LEDGER_SQL_COLUMNS.slice(0, 15);

const PERIOD_RE = /^\d{4}-(0[1-9]|1[0-2])$/;
const CURRENCY_RE = /^[A-Z]{3}$/;

/**
 * The spend-ledger aggregation as one SQL query, the same shape for DuckDB, Athena and BigQuery, with the semantics of
 * SpendAggregator over the reader's charges: rows the reader would reject are left out (null required text, unknown
 * ChargeCategory, null BilledCost/EffectiveCost, ChargePeriodEnd not after ChargePeriodStart), so are rows whose
 * currency has no rate; nulls become ''; ChargeCategory is matched ignoring case; the day is the UTC date of
 * ChargePeriodStart; tags are canonical JSON (see sql-dialects.ts; a Tags text that is not a JSON object counts as
 * '{}' here, where the reader counts it as a problem). Two stages: group on the raw columns, then canonicalize tags
 * once per group and group again.
 *
 * @example
 * ledgerSql({ dialect: 'duckdb', from: "read_parquet('bill/*.parquet')", focusVersion: '1.2', billingPeriod: '2024-09' })
 */
export function ledgerSql(input: LedgerSqlInput): string {
  const d = DIALECTS[input.dialect];
  const c = (name: string) => d.column(name);
  const rates = input.exchangeRatesToUsd ?? { USD: 1 };
  const rateCases = Object.entries(rates).map(([currency, rate]) => {
    const code = currency.toUpperCase();
    if (!CURRENCY_RE.test(code)) throw new RangeError(`ledgerSql: currency code ${JSON.stringify(currency)} is not three letters`);
    if (!Number.isFinite(rate) || rate <= 0) throw new RangeError(`ledgerSql: exchange rate for ${code} must be a positive number, got ${rate}`);
    return `WHEN '${code}' THEN ${String(rate)}`;
  });
  if (input.billingPeriod !== undefined && !PERIOD_RE.test(input.billingPeriod)) {
    throw new RangeError(`ledgerSql: billingPeriod must be YYYY-MM, got ${JSON.stringify(input.billingPeriod)}`);
  }
  /** A text column with null as ''. */
  const text = (name: string) => `coalesce(${d.text(c(name))}, '')`;
  const required = ['ProviderName', 'BillingAccountId', 'ServiceName', 'ServiceCategory', 'BillingCurrency'].map((n) => `${text(n)} <> ''`);
  const category = `CASE lower(trim(${d.text(c('ChargeCategory'))})) ${CHARGE_CATEGORIES.map((k) => `WHEN '${k.toLowerCase()}' THEN '${k}'`).join(' ')} END`;
  const rate = rateCases.length > 0 ? `CASE upper(${d.text(c('BillingCurrency'))}) ${rateCases.join(' ')} END` : 'NULL';
  const quantity = input.focusVersion === '1.2' ? `coalesce(${c('CommitmentDiscountQuantity')}, 0)` : '0';
  const where = [
    `${c('BillingPeriodStart')} IS NOT NULL`, `${c('ChargePeriodStart')} IS NOT NULL`, `${c('ChargePeriodStart')} < ${c('ChargePeriodEnd')}`,
    ...required, `${c('BilledCost')} IS NOT NULL`, `${c('EffectiveCost')} IS NOT NULL`,
    ...(input.billingPeriod !== undefined ? [`${d.month(c('BillingPeriodStart'))} = '${input.billingPeriod}'`] : []),
  ];
  const ordinals = Array.from({ length: 16 }, (_, i) => i + 1).join(', ');
  return [
    'WITH charges AS (',
    '  SELECT',
    `    ${d.month(c('BillingPeriodStart'))} AS billing_period,`,
    `    ${d.day(c('ChargePeriodStart'))} AS day,`,
    `    ${text('ProviderName')} AS provider,`,
    `    ${text('BillingAccountId')} AS billing_account_id,`,
    `    CASE WHEN ${text('SubAccountId')} <> '' THEN ${text('SubAccountId')} ELSE ${text('BillingAccountId')} END AS account,`,
    `    ${text('ServiceName')} AS service,`,
    `    ${text('ServiceCategory')} AS service_category,`,
    `    ${text('RegionId')} AS region,`,
    `    ${text('ResourceId')} AS resource_id,`,
    `    ${category} AS charge_category,`,
    `    ${text('PricingCategory')} AS pricing_category,`,
    `    ${text('CommitmentDiscountId')} AS commitment_discount_id,`,
    `    ${text('CommitmentDiscountType')} AS commitment_discount_type,`,
    `    ${text('CommitmentDiscountCategory')} AS commitment_discount_category,`,
    `    ${text('CommitmentDiscountStatus')} AS commitment_discount_status,`,
    `    ${d.tagsGroupable(c('Tags'))} AS tags_raw,`,
    `    ${rate} AS rate,`,
    `    ${c('BilledCost')} AS billed_cost, ${c('EffectiveCost')} AS effective_cost,`,
    `    coalesce(${c('ListCost')}, 0) AS list_cost, coalesce(${c('ContractedCost')}, 0) AS contracted_cost,`,
    `    ${quantity} AS commitment_discount_quantity`,
    `  FROM ${input.from}`,
    `  WHERE ${where.join('\n    AND ')}`,
    '), grouped AS (',
    `  SELECT ${DIMENSIONS.join(', ')}, tags_raw,`,
    '    sum(billed_cost * rate) AS billed_cost_usd, sum(effective_cost * rate) AS effective_cost_usd,',
    '    sum(list_cost * rate) AS list_cost_usd, sum(contracted_cost * rate) AS contracted_cost_usd,',
    '    sum(commitment_discount_quantity) AS commitment_discount_quantity, count(*) AS row_count',
    '  FROM charges',
    '  WHERE rate IS NOT NULL AND charge_category IS NOT NULL',
    `  GROUP BY ${DIMENSIONS.join(', ')}, tags_raw`,
    ')',
    `SELECT ${DIMENSIONS.join(', ')}, ${d.tagsCanonical('tags_raw')} AS tags_json,`,
    '  sum(billed_cost_usd) AS billed_cost_usd, sum(effective_cost_usd) AS effective_cost_usd,',
    '  sum(list_cost_usd) AS list_cost_usd, sum(contracted_cost_usd) AS contracted_cost_usd,',
    '  sum(commitment_discount_quantity) AS commitment_discount_quantity, sum(row_count) AS row_count',
    'FROM grouped',
    `GROUP BY ${ordinals}`,
    `ORDER BY ${ordinals}`,
  ].join('\n');
}

/** A numeric cell: engines return DOUBLE as number, BIGINT as bigint, and Athena/BigQuery (REST) every value as text. */
const Num = z.union([z.number(), z.bigint(), z.string().trim().min(1)]).transform((v, ctx) => {
  const n = Number(v);
  if (!Number.isFinite(n)) {
    ctx.addIssue({ code: 'custom', message: `not a finite number: ${String(v)}` });
    return z.NEVER;
  }
  return n;
});
/** A text cell: null (Athena leaves VarCharValue out for NULL) reads as ''. */
const Text = z.string().nullish().transform((v) => v ?? '');

const SqlRecordSchema = z.object({
  billing_period: z.string().regex(PERIOD_RE),
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  provider: z.string().min(1),
  billing_account_id: Text,
  account: Text,
  service: Text,
  service_category: Text,
  region: Text,
  resource_id: Text,
  charge_category: ChargeCategorySchema,
  pricing_category: Text,
  commitment_discount_id: Text,
  commitment_discount_type: Text,
  commitment_discount_category: Text,
  commitment_discount_status: Text,
  tags_json: Text.transform((t) => (t === '' ? '{}' : t)),
  billed_cost_usd: Num,
  effective_cost_usd: Num,
  list_cost_usd: Num,
  contracted_cost_usd: Num,
  commitment_discount_quantity: Num,
  row_count: Num.pipe(z.number().int().positive()),
});

/** One record of the ledger query (LEDGER_SQL_COLUMNS) → its billing period and SpendRow, validated. */
export function spendRowFromSqlRecord(rec: Record<string, unknown>): { billingPeriod: string; row: SpendRow } {
  const parsed = SqlRecordSchema.safeParse(rec);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TypeError(`ledger SQL record: ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'invalid'}`, { cause: parsed.error });
  }
  const r = parsed.data;
  const cloud = cloudOfProvider(r.provider);
  return {
    billingPeriod: r.billing_period,
    row: {
      day: r.day, provider: r.provider, ...(cloud ? { cloud } : {}), billingAccountId: r.billing_account_id, account: r.account,
      service: r.service, serviceCategory: r.service_category, region: r.region, resourceId: r.resource_id,
      chargeCategory: r.charge_category, pricingCategory: r.pricing_category, commitmentDiscountId: r.commitment_discount_id,
      commitmentDiscountType: r.commitment_discount_type, commitmentDiscountCategory: r.commitment_discount_category,
      commitmentDiscountStatus: r.commitment_discount_status, tagsJson: r.tags_json,
      billedCostUsd: r.billed_cost_usd, effectiveCostUsd: r.effective_cost_usd, listCostUsd: r.list_cost_usd,
      contractedCostUsd: r.contracted_cost_usd, commitmentDiscountQuantity: r.commitment_discount_quantity, rowCount: r.row_count,
    },
  };
}
