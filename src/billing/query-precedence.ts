import { cloudOfProvider, type SpendImport } from '../domain/spend.js';
import type { SpendLedgerRow } from '../store/spend/spend-ledger.js';

/**
 * How much a source is trusted when two datasets bill the same account on the same day. FOCUS data (an export file,
 * or Athena / BigQuery reading that export) is the invoice itself, line by line; a cost API (Cost Explorer, Azure
 * Cost Management) is a summary of it with its own rounding and lag. Higher wins.
 */
export const SOURCE_RANK: Record<SpendImport['via'], number> = {
  'focus-csv': 2,
  'focus-parquet': 2,
  athena: 2,
  bigquery: 2,
  'aws-cost-explorer': 1,
  'azure-cost-management': 1,
};

/** A dataset's claim on one (provider, account, day). */
interface Claim {
  datasetId: string;
  via: SpendImport['via'] | undefined;
  rank: number;
  importedAtMs: number;
}

/** One dataset whose rows were set aside for another's, with the why. */
export interface Shadowed {
  datasetId: string;
  reason: string;
}

/** The import record that covers a row: its dataset's import of the row's month, else the dataset's newest. */
export function importIndex(imports: readonly SpendImport[]): (datasetId: string, day: string) => SpendImport | undefined {
  const byPeriod = new Map<string, SpendImport>();
  const newest = new Map<string, SpendImport>();
  for (const imp of imports) {
    byPeriod.set(`${imp.datasetId}\u0000${imp.billingPeriod}`, imp);
    const seen = newest.get(imp.datasetId);
    if (!seen || imp.importedAtMs > seen.importedAtMs) newest.set(imp.datasetId, imp);
  }
  return (datasetId, day) => byPeriod.get(`${datasetId}\u0000${day.slice(0, 7)}`) ?? newest.get(datasetId);
}

/** `AWS` and `Amazon Web Services` are one provider; unknown providers compare case-insensitively. */
function coverageKey(row: SpendLedgerRow): string {
  return `${cloudOfProvider(row.provider) ?? row.provider.trim().toLowerCase()}\u0000${row.account}\u0000${row.day}`;
}

function better(a: Claim, b: Claim): boolean {
  if (a.rank !== b.rank) return a.rank > b.rank;
  if (a.importedAtMs !== b.importedAtMs) return a.importedAtMs > b.importedAtMs;
  return a.datasetId < b.datasetId; // a fixed order, so equal claims never flip between runs
}

/**
 * Keeps, for each (provider, account, day), the rows of one dataset: a FOCUS source over a cost API, then the newer
 * import. A dataset whose import cannot answer `basis` (a billed-only source asked for amortized) claims nothing.
 * Returns a predicate for the rows to use and the losers with their reasons (`wouldShow` lets a filtered query
 * report only what it would otherwise have shown).
 */
export function resolvePrecedence(
  rows: readonly SpendLedgerRow[],
  imports: readonly SpendImport[],
  basis: 'billed' | 'amortized',
): { uses(row: SpendLedgerRow): boolean; shadowed(wouldShow: (row: SpendLedgerRow) => boolean): Shadowed[] } {
  const importOf = importIndex(imports);
  const claimOf = (row: SpendLedgerRow): Claim | undefined => {
    const imp = importOf(row.datasetId, row.day);
    if (imp && !imp.bases.includes(basis)) return undefined;
    return { datasetId: row.datasetId, via: imp?.via, rank: imp ? SOURCE_RANK[imp.via] : 0, importedAtMs: imp?.importedAtMs ?? 0 };
  };
  const winners = new Map<string, Claim>();
  for (const row of rows) {
    const claim = claimOf(row);
    if (!claim) continue;
    const key = coverageKey(row);
    const held = winners.get(key);
    if (!held || (held.datasetId !== claim.datasetId && better(claim, held))) winners.set(key, claim);
  }
  const uses = (row: SpendLedgerRow) => winners.get(coverageKey(row))?.datasetId === row.datasetId;

  const shadowed = (wouldShow: (row: SpendLedgerRow) => boolean): Shadowed[] => {
    // (loser, winner) → the account-days lost; (dataset) → days it could not answer the basis.
    const lost = new Map<string, { loser: Claim; winner: Claim; keys: Set<string>; first: string; last: string }>();
    const noBasis = new Map<string, { bases: string[]; first: string; last: string }>();
    for (const row of rows) {
      if (uses(row) || !wouldShow(row)) continue;
      const claim = claimOf(row);
      if (!claim) {
        const imp = importOf(row.datasetId, row.day);
        const entry = noBasis.get(row.datasetId) ?? { bases: imp?.bases ?? [], first: row.day, last: row.day };
        entry.first = row.day < entry.first ? row.day : entry.first;
        entry.last = row.day > entry.last ? row.day : entry.last;
        noBasis.set(row.datasetId, entry);
        continue;
      }
      const winner = winners.get(coverageKey(row)) as Claim;
      const pair = `${row.datasetId}\u0000${winner.datasetId}`;
      const entry = lost.get(pair) ?? { loser: claim, winner, keys: new Set<string>(), first: row.day, last: row.day };
      entry.keys.add(coverageKey(row));
      entry.first = row.day < entry.first ? row.day : entry.first;
      entry.last = row.day > entry.last ? row.day : entry.last;
      lost.set(pair, entry);
    }
    const out: Shadowed[] = [];
    for (const { loser, winner, keys, first, last } of lost.values()) {
      const why = winner.rank > loser.rank ? 'a FOCUS export beats a cost API' : 'imported more recently';
      out.push({ datasetId: loser.datasetId, reason: `${keys.size} account-day(s) ${first}..${last} taken from ${winner.datasetId} (${winner.via ?? 'no import record'}): ${why}` });
    }
    for (const [datasetId, { bases, first, last }] of noBasis) {
      out.push({ datasetId, reason: `cannot answer ${basis} cost (its import gives ${bases.join(', ') || 'none'}); ${first}..${last} left out` });
    }
    return out.sort((a, b) => (a.datasetId < b.datasetId ? -1 : a.datasetId > b.datasetId ? 1 : a.reason < b.reason ? -1 : 1));
  };
  return { uses, shadowed };
}
