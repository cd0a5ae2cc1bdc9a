import type { SpendImport, SpendRow } from '../../domain/spend.js';

/**
 * A stored row with the dataset it was imported from. A SpendRow says nothing of its source, and a query must know
 * it to pick one dataset where two cover the same account and day (a FOCUS export and Cost Explorer, say).
 */
export type SpendLedgerRow = SpendRow & { datasetId: string };

/** SpendRow dimensions a grouped read may keep or drop. */
export const GROUPABLE_FIELDS = [
  'billingAccountId', 'service', 'serviceCategory', 'region', 'resourceId', 'pricingCategory',
  'commitmentDiscountId', 'commitmentDiscountType', 'commitmentDiscountCategory', 'commitmentDiscountStatus', 'tagsJson',
] as const satisfies readonly (keyof SpendRow)[];
export type GroupableField = (typeof GROUPABLE_FIELDS)[number];

/**
 * The spend ledger of record: daily bill lines with where they came from. One interface, two implementations
 * (SQLite embedded, DynamoDB+S3 deployed), both held to test/store/spend-ledger-contract.ts.
 */
export interface SpendLedger {
  /**
   * Replaces every row of (`meta.datasetId`, `meta.billingPeriod`) with `rows` and records `meta`, atomically:
   * readers see the old period or the new one, never a mix. Re-importing a rewritten export is idempotent.
   */
  replacePeriod(meta: SpendImport, rows: readonly SpendRow[]): Promise<void>;
  /** Rows whose day lies in [fromDay, toDay] (YYYY-MM-DD, inclusive), every dataset, each with its dataset id. */
  rowsBetween(fromDay: string, toDay: string): Promise<SpendLedgerRow[]>;
  /**
   * Optional fast path for queries: the rows of [fromDay, toDay] summed in the store over every dimension not in
   * `keep` (those come back empty), with dataset, day, provider, cloud, account and charge category always kept, which
   * is what one dataset per account and day needs. A query over the result equals the query over `rowsBetween` as
   * long as it reads only kept dimensions (src/billing/query.ts `dimensionsFor`), with far fewer rows.
   */
  rowsBetweenGrouped?(fromDay: string, toDay: string, keep: readonly GroupableField[]): Promise<SpendLedgerRow[]>;
  /** Every import on record, newest first. */
  listImports(): Promise<SpendImport[]>;
  /** Removes a dataset's period (rows and record); returns whether it existed. */
  deletePeriod(datasetId: string, billingPeriod: string): Promise<boolean>;
}
