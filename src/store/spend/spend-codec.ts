import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import { SpendRowSchema, type SpendRow } from '../../domain/spend.js';
import { DataFileError, formatZodError } from '../../errors.js';

/** Field order of an encoded row: SpendRow's, written once in the header rather than on every row. */
export const SPEND_ROW_FIELDS = [
  'day', 'provider', 'cloud', 'billingAccountId', 'account', 'service', 'serviceCategory', 'region', 'resourceId', 'chargeCategory',
  'pricingCategory', 'commitmentDiscountId', 'commitmentDiscountType', 'commitmentDiscountCategory', 'commitmentDiscountStatus', 'tagsJson',
  'billedCostUsd', 'effectiveCostUsd', 'listCostUsd', 'contractedCostUsd', 'commitmentDiscountQuantity', 'rowCount',
] as const satisfies readonly (keyof SpendRow)[];

const PartitionSchema = z.object({
  format: z.literal('rightsize-spend-rows'),
  version: z.literal(1),
  datasetId: z.string().min(1),
  billingPeriod: z.string(),
  generation: z.string().min(1),
  fields: z.array(z.string()),
  /** One array per row, values in `fields` order; `null` for an absent optional (cloud). */
  rows: z.array(z.array(z.union([z.string(), z.number(), z.null()]))),
});

export interface SpendPartition {
  datasetId: string;
  billingPeriod: string;
  /** Unique per write: the import item points at exactly one generation. */
  generation: string;
  rows: SpendRow[];
}

/**
 * One (dataset, period) partition as gzipped row-array JSON: the field names once, then one array per row. JSON
 * numbers round-trip doubles exactly (shortest repr), so amounts come back bit for bit.
 */
export function encodeSpendPartition(partition: { datasetId: string; billingPeriod: string; generation: string; rows: readonly SpendRow[] }): Buffer {
  const rows = partition.rows.map((r) => SPEND_ROW_FIELDS.map((f) => r[f] ?? null));
  const body = { format: 'rightsize-spend-rows', version: 1, datasetId: partition.datasetId, billingPeriod: partition.billingPeriod, generation: partition.generation, fields: SPEND_ROW_FIELDS, rows };
  return gzipSync(JSON.stringify(body));
}

/**
 * Reads what encodeSpendPartition wrote, validating the envelope and every row with SpendRowSchema: an object
 * edited or truncated by hand fails here, naming `source` (its s3:// address), not somewhere in a query.
 */
export function decodeSpendPartition(bytes: Uint8Array, source: string): SpendPartition {
  let json: unknown;
  try {
    json = JSON.parse(gunzipSync(bytes).toString('utf8'));
  } catch (err) {
    throw new DataFileError(`${source}: not a gzipped JSON spend partition (${(err as Error).message})`, { cause: err });
  }
  const envelope = PartitionSchema.safeParse(json);
  if (!envelope.success) throw new DataFileError(formatZodError(source, envelope.error));
  const { fields } = envelope.data;
  const rows = envelope.data.rows.map((values, n) => {
    const obj: Record<string, unknown> = {};
    fields.forEach((f, i) => {
      const v = values[i];
      if (v !== null && v !== undefined) obj[f] = v;
    });
    const parsed = SpendRowSchema.safeParse(obj);
    if (!parsed.success) throw new DataFileError(formatZodError(`${source}: rows.${n}`, parsed.error));
    return parsed.data;
  });
  return { datasetId: envelope.data.datasetId, billingPeriod: envelope.data.billingPeriod, generation: envelope.data.generation, rows };
}
