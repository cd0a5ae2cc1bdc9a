import type { z } from 'zod';
import { CHARGE_CATEGORIES, type ChargeCategory, type RowProblemKind } from '../../domain/spend.js';
import type { FocusCharge } from './charge.js';
import type { ProblemCollector } from './problems.js';
import { ChargeCategoryTextSchema, firstMessage, NumberTextSchema, TagsTextSchema, TimestampTextSchema } from './schema.js';
import { isNullText, parseNumberText, parseTags, parseTimestampText, vocabulary } from './values.js';

/** The FOCUS columns a FocusCharge is built from, in field-index order (the F constants below). */
export const CHARGE_COLUMNS = [
  'BillingPeriodStart', 'ChargePeriodStart', 'ChargePeriodEnd', 'ProviderName', 'BillingAccountId', 'SubAccountId',
  'ServiceName', 'ServiceCategory', 'RegionId', 'ResourceId', 'ResourceName', 'ResourceType', 'ChargeCategory',
  'ChargeClass', 'PricingCategory', 'CommitmentDiscountId', 'CommitmentDiscountType', 'CommitmentDiscountCategory',
  'CommitmentDiscountStatus', 'CommitmentDiscountQuantity', 'Tags', 'BillingCurrency', 'BilledCost', 'EffectiveCost',
  'ListCost', 'ContractedCost', 'SkuId', 'ListUnitPrice', 'ContractedUnitPrice', 'PricingQuantity', 'PricingUnit',
] as const;
export type ChargeColumn = (typeof CHARGE_COLUMNS)[number];

const F = Object.fromEntries(CHARGE_COLUMNS.map((c, i) => [c, i])) as { readonly [K in ChargeColumn]: number };

const chargeCategoryOf = vocabulary(CHARGE_CATEGORIES);
// Closed vocabularies normalized to the spec's spelling when they match ignoring case; other values pass unchanged
// (validating them is the FOCUS validator's job, not a reason to drop spend).
const pricingCategoryOf = vocabulary(['Standard', 'Dynamic', 'Committed', 'Other']);
const cdCategoryOf = vocabulary(['Spend', 'Usage']);
const cdStatusOf = vocabulary(['Used', 'Unused']);
const textDecoder = new TextDecoder();

/** Tags texts repeat across a bill: canonical forms are memoized up to this many distinct texts, then the memo restarts. */
const TAGS_MEMO_LIMIT = 50_000;

interface Rejection { kind: RowProblemKind; field: number; raw: unknown; message: string }

/**
 * Turns one row of raw cells into a FocusCharge, or counts why not. `values[f]` is the cell of CHARGE_COLUMNS[f]
 * (undefined when the file lacks the column), as CSV text or a decoded Parquet value (number, bigint, Date,
 * Uint8Array, object, Map). One validator per file: it memoizes repeated timestamps and tags.
 */
export class RowValidator {
  private rejection: Rejection | undefined;
  private nullStringField = -1;
  private nullStringRaw: unknown;
  private badTags: unknown = undefined;
  private badUnitField = -1;
  private badUnitRaw: unknown;
  private readonly lastTsText: (string | undefined)[] = [];
  private readonly lastTsMs: number[] = [];
  private readonly tagsMemo = new Map<string, string | undefined>();

  constructor(private readonly file: string, private readonly problems: ProblemCollector) {}

  /** The charge for a 1-based data row, or undefined when the row is rejected (counted in the collector). */
  row(values: readonly unknown[], rowNumber: number): FocusCharge | undefined {
    this.rejection = undefined;
    this.nullStringField = -1;
    this.badTags = undefined;
    this.badUnitField = -1;
    const billingPeriodStartMs = this.timestamp(values, F.BillingPeriodStart);
    const chargePeriodStartMs = this.timestamp(values, F.ChargePeriodStart);
    const chargePeriodEndMs = this.timestamp(values, F.ChargePeriodEnd);
    const chargeCategory = this.chargeCategory(values);
    const billedCost = this.requiredNumber(values, F.BilledCost);
    const effectiveCost = this.requiredNumber(values, F.EffectiveCost);
    const charge: FocusCharge = {
      billingPeriodStartMs,
      chargePeriodStartMs,
      chargePeriodEndMs,
      provider: this.requiredText(values, F.ProviderName),
      billingAccountId: this.requiredText(values, F.BillingAccountId),
      subAccountId: this.text(values, F.SubAccountId),
      service: this.requiredText(values, F.ServiceName),
      serviceCategory: this.requiredText(values, F.ServiceCategory),
      region: this.text(values, F.RegionId),
      resourceId: this.text(values, F.ResourceId),
      resourceName: this.text(values, F.ResourceName),
      resourceType: this.text(values, F.ResourceType),
      chargeCategory,
      chargeClass: this.text(values, F.ChargeClass),
      pricingCategory: normalized(this.text(values, F.PricingCategory), pricingCategoryOf),
      commitmentDiscountId: this.text(values, F.CommitmentDiscountId),
      commitmentDiscountType: this.text(values, F.CommitmentDiscountType),
      commitmentDiscountCategory: normalized(this.text(values, F.CommitmentDiscountCategory), cdCategoryOf),
      commitmentDiscountStatus: normalized(this.text(values, F.CommitmentDiscountStatus), cdStatusOf),
      commitmentDiscountQuantity: this.optionalNumber(values, F.CommitmentDiscountQuantity, 0, 'rejected'),
      tagsJson: this.tags(values),
      billingCurrency: this.requiredText(values, F.BillingCurrency),
      billedCost,
      effectiveCost,
      listCost: this.optionalNumber(values, F.ListCost, 0, 'rejected'),
      contractedCost: this.optionalNumber(values, F.ContractedCost, 0, 'rejected'),
      skuId: this.text(values, F.SkuId),
      listUnitPrice: this.optionalNumber(values, F.ListUnitPrice, Number.NaN, 'repaired'),
      contractedUnitPrice: this.optionalNumber(values, F.ContractedUnitPrice, Number.NaN, 'repaired'),
      pricingQuantity: this.optionalNumber(values, F.PricingQuantity, Number.NaN, 'repaired'),
      pricingUnit: this.text(values, F.PricingUnit),
    };
    if (!this.rejection && !(chargePeriodStartMs < chargePeriodEndMs)) {
      this.reject('period-order', F.ChargePeriodEnd, values[F.ChargePeriodEnd], `ChargePeriodEnd must be after ChargePeriodStart (${String(values[F.ChargePeriodStart])})`);
    }
    const rejection = this.rejection as Rejection | undefined;
    if (rejection) {
      this.problems.add(rejection.kind, 'rejected', { file: this.file, row: rowNumber, column: CHARGE_COLUMNS[rejection.field] ?? '?', value: rejection.raw, message: rejection.message });
      return undefined;
    }
    if (this.nullStringField >= 0) {
      const column = CHARGE_COLUMNS[this.nullStringField] ?? '?';
      this.problems.add('null-string', 'repaired', { file: this.file, row: rowNumber, column, value: this.nullStringRaw, message: 'literal NULL text read as null' });
    }
    if (this.badTags !== undefined) {
      this.problems.add('bad-value', 'repaired', { file: this.file, row: rowNumber, column: 'Tags', value: this.badTags, message: `Tags ${firstMessage(TagsTextSchema, this.badTags)}; read as {}` });
    }
    if (this.badUnitField >= 0) {
      const column = CHARGE_COLUMNS[this.badUnitField] ?? '?';
      this.problems.add('bad-number', 'repaired', { file: this.file, row: rowNumber, column, value: this.badUnitRaw, message: `${column} ${explain(NumberTextSchema, this.badUnitRaw, 'a number')}; read as null` });
    }
    return charge;
  }

  /** Counts a rejected problem found outside row(), e.g. a malformed CSV record. */
  rejectRecord(rowNumber: number, kind: RowProblemKind, column: string, value: unknown, message: string): void {
    this.problems.add(kind, 'rejected', { file: this.file, row: rowNumber, column, value, message });
  }

  private reject(kind: RowProblemKind, field: number, raw: unknown, message: string): void {
    this.rejection ??= { kind, field, raw, message };
  }

  /** `NULL` text → null, remembered for the row's null-string count (rows, not cells). */
  private sawNullText(field: number, raw: string): void {
    if (this.nullStringField < 0) {
      this.nullStringField = field;
      this.nullStringRaw = raw;
    }
  }

  private text(values: readonly unknown[], f: number): string {
    const v = values[f];
    if (typeof v === 'string') {
      if (v.length === 4 && isNullText(v)) {
        this.sawNullText(f, v);
        return '';
      }
      return v;
    }
    if (v === null || v === undefined) return '';
    return textOf(v);
  }

  private requiredText(values: readonly unknown[], f: number): string {
    const v = values[f];
    const s = this.text(values, f);
    if (s === '') this.reject('missing-required', f, v, `${CHARGE_COLUMNS[f]} must not be null`);
    return s;
  }

  /** A number cell: the value, null for null, undefined when it is not a number. */
  private number(values: readonly unknown[], f: number): number | null | undefined {
    const v = values[f];
    if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
    if (typeof v === 'string') {
      if (v.length === 0) return null;
      if (v.length === 4 && isNullText(v)) return null;
      return parseNumberText(v);
    }
    if (v === null || v === undefined) return null;
    if (typeof v === 'bigint') return Number(v);
    return undefined;
  }

  private requiredNumber(values: readonly unknown[], f: number): number {
    const n = this.number(values, f);
    if (typeof n === 'number') return n;
    const v = values[f];
    if (n === null) this.reject('missing-required', f, v, `${CHARGE_COLUMNS[f]} must not be null`);
    else this.reject('bad-number', f, v, `${CHARGE_COLUMNS[f]} ${explain(NumberTextSchema, v, 'a number')}`);
    return 0;
  }

  /** Nullable numbers read null as `ifNull`; a non-number rejects the row (amounts) or is read as null (unit prices). */
  private optionalNumber(values: readonly unknown[], f: number, ifNull: number, onBad: 'rejected' | 'repaired'): number {
    const n = this.number(values, f);
    if (typeof n === 'number') return n;
    const v = values[f];
    if (n === null) {
      if (typeof v === 'string' && v.length === 4) this.sawNullText(f, v);
      return ifNull;
    }
    if (onBad === 'rejected') this.reject('bad-number', f, v, `${CHARGE_COLUMNS[f]} ${explain(NumberTextSchema, v, 'a number')}`);
    else if (this.badUnitField < 0) {
      this.badUnitField = f;
      this.badUnitRaw = v;
    }
    return ifNull;
  }

  private timestamp(values: readonly unknown[], f: number): number {
    const v = values[f];
    if (typeof v === 'string') {
      if (v === this.lastTsText[f]) return this.lastTsMs[f] ?? 0;
      const ms = parseTimestampText(v);
      if (ms !== undefined) {
        this.lastTsText[f] = v;
        this.lastTsMs[f] = ms;
        return ms;
      }
      if (v.length === 0 || isNullText(v)) this.reject('missing-required', f, v, `${CHARGE_COLUMNS[f]} must not be null`);
      else this.reject('bad-date', f, v, `${CHARGE_COLUMNS[f]} ${firstMessage(TimestampTextSchema, v)}`);
      return Number.NaN;
    }
    if (typeof v === 'number' && Number.isFinite(v)) return v; // Parquet timestamps decode to epoch ms (parquet.ts)
    if (v instanceof Date && !Number.isNaN(v.getTime())) return v.getTime();
    if (v === null || v === undefined) this.reject('missing-required', f, v, `${CHARGE_COLUMNS[f]} must not be null`);
    else this.reject('bad-date', f, v, `${CHARGE_COLUMNS[f]} is not a date-time`);
    return Number.NaN;
  }

  private chargeCategory(values: readonly unknown[]): ChargeCategory {
    const v = values[F.ChargeCategory];
    const s = typeof v === 'string' ? v : v === null || v === undefined ? '' : textOf(v);
    const hit = chargeCategoryOf(s);
    if (hit) return hit;
    if (s === '' || isNullText(s)) this.reject('missing-required', F.ChargeCategory, v, 'ChargeCategory must not be null');
    else this.reject('unknown-charge-category', F.ChargeCategory, v, firstMessage(ChargeCategoryTextSchema, s));
    return 'Usage';
  }

  private tags(values: readonly unknown[]): string {
    const v = values[F.Tags];
    if (v === null || v === undefined || v === '') return '{}';
    if (typeof v === 'string') {
      if (v.length === 4 && isNullText(v)) {
        this.sawNullText(F.Tags, v);
        return '{}';
      }
      let canonical = this.tagsMemo.get(v);
      if (canonical === undefined && !this.tagsMemo.has(v)) {
        canonical = parseTags(v);
        if (this.tagsMemo.size >= TAGS_MEMO_LIMIT) this.tagsMemo.clear();
        this.tagsMemo.set(v, canonical);
      }
      if (canonical !== undefined) return canonical;
      this.badTags = v;
      return '{}';
    }
    const canonical = parseTags(v);
    if (canonical !== undefined) return canonical;
    this.badTags = v;
    return '{}';
  }
}

function normalized(s: string, lookup: (s: string) => string | undefined): string {
  return s === '' ? s : (lookup(s) ?? s);
}

/** Non-string cells from Parquet as text: bytes as UTF-8, dates as ISO, numbers as written. */
function textOf(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return textDecoder.decode(v);
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString();
  if (typeof v === 'object') return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x)) ?? '';
  return String(v);
}

/** Why a cell failed: the zod schema's message for text, the value's type otherwise. */
function explain(schema: z.ZodType, v: unknown, expected: string): string {
  return typeof v === 'string' ? firstMessage(schema, v) : `expected ${expected}, got ${v instanceof Date ? 'a date' : typeof v}`;
}
