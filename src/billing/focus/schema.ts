import { z } from 'zod';
import { CHARGE_CATEGORIES } from '../../domain/spend.js';
import { mandatoryColumns } from './columns.js';

/**
 * The definition of a valid FOCUS cell, as zod schemas over the text a CSV cell holds (after `NULL` → null).
 * The reader's happy path uses the hand-written parsers in values.ts instead (zod per cell would cost more than the
 * rest of the read); these schemas give the message for a failing cell, and a property test keeps both in step.
 */

/** FOCUS NumericFormat: integer, decimal or scientific notation; no separators, symbols or units. */
export const NumberTextSchema = z
  .string()
  .regex(/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/, 'not a FOCUS number (digits, optional fraction and exponent)')
  .transform((s) => Number(s))
  .refine((n) => Number.isFinite(n), 'number out of range');

const TIMESTAMP_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * FOCUS Date/Time Format is ISO 8601 in UTC; exports also write `YYYY-MM-DD HH:MM:SS` with no zone, read as UTC.
 * Years before 1000 are rejected (no bill is that old, and two-digit years would be ambiguous).
 */
export const TimestampTextSchema = z.string().transform((s, ctx) => {
  const m = TIMESTAMP_RE.exec(s);
  const fail = (message: string) => {
    ctx.addIssue({ code: 'custom', message });
    return z.NEVER;
  };
  if (!m) return fail('not an ISO 8601 date-time (YYYY-MM-DDTHH:MM:SSZ)');
  const [, y = '', mo = '', d = '', h = '00', mi = '00', sec = '00', frac = '', zone = 'Z'] = m;
  if (Number(y) < 1000) return fail('year before 1000');
  const offset = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${sec}.${(frac + '000').slice(0, 3)}${offset}`;
  const zoneOk = offset === 'Z' || (Number(offset.slice(1, 3)) <= 23 && Number(offset.slice(4)) <= 59);
  const ms = zoneOk ? Date.parse(iso) : Number.NaN;
  // Date.parse rolls Feb 30 over to Mar 1: check the calendar fields survive the round trip.
  const local = new Date(Date.parse(`${y}-${mo}-${d}T00:00:00Z`));
  const calendarOk = local.getUTCFullYear() === Number(y) && local.getUTCMonth() + 1 === Number(mo) && local.getUTCDate() === Number(d);
  if (!Number.isFinite(ms) || !calendarOk || Number(h) > 23 || Number(mi) > 59 || Number(sec) > 59) return fail('date-time out of range');
  return ms;
});

/** ChargeCategory: one of CHARGE_CATEGORIES, matched ignoring case (Google's FOCUS view writes `usage`). */
export const ChargeCategoryTextSchema = z
  .string()
  .transform((s) => CHARGE_CATEGORIES.find((c) => c.toLowerCase() === s.trim().toLowerCase()) ?? s)
  .pipe(z.enum(CHARGE_CATEGORIES, { error: `not a FOCUS ChargeCategory (${CHARGE_CATEGORIES.join(', ')})` }));

/** Tags (FOCUS Key-Value Format): a JSON object. */
export const TagsTextSchema = z
  .string()
  .transform((s, ctx) => {
    try {
      return JSON.parse(s) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'not JSON' });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string(), z.unknown(), { error: 'not a JSON object' }));

const requiredText = z.string().min(1, 'must not be null');
const optionalText = z.string().nullable();

/**
 * A FOCUS row as the reader uses it (cells as text, null for FOCUS null): what makes a row acceptable. The reader
 * counts a row rejected by this schema under the kind of its first failing cell (see validate.ts).
 */
export const FocusRowSchema = z
  .object({
    BillingPeriodStart: TimestampTextSchema,
    ChargePeriodStart: TimestampTextSchema,
    ChargePeriodEnd: TimestampTextSchema,
    ProviderName: requiredText,
    BillingAccountId: requiredText,
    ServiceName: requiredText,
    ServiceCategory: requiredText,
    BillingCurrency: requiredText,
    ChargeCategory: ChargeCategoryTextSchema,
    BilledCost: NumberTextSchema,
    EffectiveCost: NumberTextSchema,
    // Mandatory and non-null in the spec, but real exports leave them null on some rows (the FOCUS sample: 7
    // Oracle rows); read as 0 rather than dropping billed money.
    ListCost: NumberTextSchema.nullable(),
    ContractedCost: NumberTextSchema.nullable(),
    CommitmentDiscountQuantity: NumberTextSchema.nullable(),
    Tags: TagsTextSchema.nullable(),
    SubAccountId: optionalText,
  })
  .refine((r) => r.ChargePeriodStart < r.ChargePeriodEnd, { path: ['ChargePeriodEnd'], message: 'ChargePeriodEnd must be after ChargePeriodStart' });

/** A header must name every mandatory FOCUS column (matched ignoring case). */
export const FocusHeaderSchema = z.array(z.string()).superRefine((header, ctx) => {
  const present = new Set(header.map((h) => h.trim().toLowerCase()));
  const missing = mandatoryColumns().filter((c) => !present.has(c.toLowerCase()));
  if (missing.length > 0) ctx.addIssue({ code: 'custom', message: `missing mandatory FOCUS columns: ${missing.join(', ')}`, params: { missing } });
});

/** The first issue's message of a failed safeParse, for a problem example. */
export function firstMessage(schema: z.ZodType, value: unknown): string {
  const r = schema.safeParse(value);
  return r.success ? 'invalid' : (r.error.issues[0]?.message ?? 'invalid');
}
