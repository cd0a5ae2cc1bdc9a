import type { Cloud } from '../domain/cloud.js';
import { cloudOfProvider, type SpendRow } from '../domain/spend.js';
import { RightsizeError } from '../errors.js';

/** Days [fromDay, toDay], YYYY-MM-DD, both inclusive (the ledger's `rowsBetween` convention). */
export interface DayRange {
  fromDay: string;
  toDay: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/** Hours the range spans (24 per day, UTC): the divisor that turns a sum over the range into a per-hour rate. */
export function hoursInRange(range: DayRange): number {
  checkRange(range);
  return (Date.parse(`${range.toDay}T00:00:00Z`) - Date.parse(`${range.fromDay}T00:00:00Z`) + DAY_MS) / 3_600_000;
}

/** Throws when the range is malformed or reversed: a silent empty result would read as "no spend". */
export function checkRange(range: DayRange): void {
  for (const day of [range.fromDay, range.toDay]) {
    if (!DAY.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) throw new RightsizeError(`bill range: ${JSON.stringify(day)} is not a YYYY-MM-DD day`);
  }
  if (range.fromDay > range.toDay) throw new RightsizeError(`bill range: fromDay ${range.fromDay} is after toDay ${range.toDay}`);
}

/** Rows whose day lies in the range (YYYY-MM-DD strings compare in calendar order). */
export function rowsInRange(rows: readonly SpendRow[], range: DayRange): SpendRow[] {
  checkRange(range);
  return rows.filter((r) => r.day >= range.fromDay && r.day <= range.toDay);
}

/** The Rightsize cloud of a row: the one set at import, else the one its provider name denotes. */
export function cloudOfRow(row: SpendRow): Cloud | undefined {
  return row.cloud ?? cloudOfProvider(row.provider);
}

/** FOCUS enumerations compared the way providers spell them in practice (case and padding vary between exports). */
export function isValue(actual: string, expected: string): boolean {
  return actual.trim().toLowerCase() === expected.toLowerCase();
}

/**
 * Whether the row carries a ContractedCost. FOCUS makes it mandatory and non-null, but some exports write 0 where they
 * did not fill it (the AWS rows of the FOCUS 1.0 sample: 931 of 941 Usage rows have ContractedCost 0 with a non-zero
 * ListCost and BilledCost). A zero contracted cost against a non-zero list cost is read as "not reported", not as free.
 */
export function contractedReported(row: SpendRow): boolean {
  return row.contractedCostUsd !== 0 || row.listCostUsd === 0;
}

/** On-demand-equivalent cost of a row: ContractedCost (the agreed price before commitments), else ListCost. */
export function onDemandEquivalentUsd(row: SpendRow): number {
  return contractedReported(row) ? row.contractedCostUsd : row.listCostUsd;
}

/** `part / whole` as a percentage, or undefined when the whole is 0 (a ratio of nothing is not 0 %). */
export function pct(part: number, whole: number): number | undefined {
  return whole === 0 ? undefined : (part / whole) * 100;
}

/** The value under `key`, created with `init` when absent. */
export function entry<K, V>(map: Map<K, V>, key: K, init: () => V): V {
  let v = map.get(key);
  if (v === undefined) {
    v = init();
    map.set(key, v);
  }
  return v;
}

/**
 * An account as both sides can compare it: Azure exports write SubAccountId as `/subscriptions/<guid>` (the FOCUS
 * sample does) while the inventory holds the bare subscription id, and GUID case varies.
 */
export function accountKey(cloud: Cloud, account: string): string {
  return cloud === 'azure' ? account.trim().replace(/^\/subscriptions\//i, '').toLowerCase() : account.trim();
}
