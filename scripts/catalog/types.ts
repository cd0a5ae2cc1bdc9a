import type { InstanceType } from '../../src/domain/instance-type.js';
import type { CommitmentTerm, PurchaseOption } from '../../src/domain/price.js';

export type TypeRecord = InstanceType;

export interface PriceColumn {
  option: PurchaseOption;
  term?: CommitmentTerm;
}

/** The compact price file layout; see src/catalog/schema.ts for its validation. */
export interface PricesFile {
  cloud: string;
  columns: PriceColumn[];
  sources: Record<string, { source: string; effectiveDate: string }>;
  /** region → the source id of each column, and type → one price per column (USD/h, null = none). */
  regions: Record<string, { sources: string[]; prices: Record<string, (number | null)[]> }>;
}
