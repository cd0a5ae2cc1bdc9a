import { SPEND_KEY_FIELDS, type SpendRow } from '../../domain/spend.js';

/**
 * Total order of ledger rows by SPEND_KEY_FIELDS, comparing UTF-16 code units (JavaScript's `<`), so JS and SQL
 * results sort the same once both pass through it (SQL engines order text by bytes or collation).
 */
export function compareSpendRows(a: SpendRow, b: SpendRow): number {
  for (const field of SPEND_KEY_FIELDS) {
    const x = a[field];
    const y = b[field];
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
