import type { SpendImport, SpendRow } from '../domain/spend.js';
import type { SpendLedger, SpendLedgerRow } from '../store/spend/spend-ledger.js';
import { resolvePrecedence } from './query-precedence.js';

/**
 * The ledger's rows for [fromDay, toDay] with one dataset per (provider, account, day), as every query counts them:
 * the input of the per-row analyses (negotiated rates, commitments, reconciliation), which would otherwise count
 * an account twice when both its FOCUS export and Cost Explorer were imported.
 */
export async function billRows(ledger: SpendLedger, fromDay: string, toDay: string, basis: 'billed' | 'amortized' = 'amortized'): Promise<SpendRow[]> {
  const [rows, imports] = await Promise.all([ledger.rowsBetween(fromDay, toDay), ledger.listImports()]);
  return usedRows(rows, imports, basis);
}

/** The same over rows already read: those of the one dataset that counts for each (provider, account, day). */
export function usedRows(rows: readonly SpendLedgerRow[], imports: readonly SpendImport[], basis: 'billed' | 'amortized' = 'amortized'): SpendRow[] {
  const { uses } = resolvePrecedence(rows, imports, basis);
  return rows.filter(uses).map(({ datasetId: _datasetId, ...row }) => row);
}
