import type { Cloud } from '../domain/cloud.js';
import { cloudOfProvider, type SpendImport } from '../domain/spend.js';
import type { GroupableField, SpendLedger, SpendLedgerRow } from '../store/spend/spend-ledger.js';
import { resolvePrecedence, type Shadowed } from './query-precedence.js';

/** What spend can be grouped by; `tag:<key>` groups by one tag's value ('' when the row lacks it). */
export type SpendDimension = 'day' | 'month' | 'cloud' | 'provider' | 'account' | 'service' | 'region' | 'resource' | 'chargeCategory' | `tag:${string}`;

export interface SpendQuery {
  /** YYYY-MM-DD, inclusive. */
  fromDay: string;
  /** YYYY-MM-DD, inclusive. */
  toDay: string;
  /** `billed`: BilledCost (cash, purchases on the day bought); `amortized`: EffectiveCost (commitments spread over use). */
  basis: 'billed' | 'amortized';
  groupBy: SpendDimension[];
  /** Every given field must match; `tags`: every key must carry exactly that value. */
  filter?: { cloud?: Cloud; provider?: string; account?: string; service?: string; region?: string; tags?: Record<string, string> };
}

export interface SpendGroup {
  /** One entry per groupBy dimension, named as the dimension (`tag:team`). */
  key: Record<string, string>;
  /** In the query's basis. */
  costUsd: number;
  listCostUsd: number;
  contractedCostUsd: number;
  /** FOCUS rows behind the group (each ledger row counts the charges folded into it). */
  rowCount: number;
}

export interface SpendQueryResult {
  /** By costUsd descending, then key. */
  groups: SpendGroup[];
  totalUsd: number;
  /** Datasets whose rows are in the answer, sorted. */
  datasetsUsed: string[];
  /** Datasets (partly) left out because another covers the same account and day, or they cannot answer the basis. */
  datasetsShadowed: Shadowed[];
  /** The bill is complete through this day (inclusive) for every dataset used; at most toDay. */
  dataThroughDay?: string;
}

const DAY_MS = 86_400_000;

/** Tags of a row, parsed once per distinct tagsJson (a ledger has few distinct tag sets and many rows). */
export function tagReader(): (tagsJson: string) => Readonly<Record<string, string>> {
  const cache = new Map<string, Record<string, string>>();
  return (tagsJson) => {
    let tags = cache.get(tagsJson);
    if (!tags) {
      tags = {};
      try {
        const parsed: unknown = JSON.parse(tagsJson);
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
          for (const [k, v] of Object.entries(parsed)) tags[k] = typeof v === 'string' ? v : JSON.stringify(v);
        }
      } catch {
        // A malformed tag set groups as untagged rather than failing the query; the importer writes canonical JSON.
      }
      cache.set(tagsJson, tags);
    }
    return tags;
  };
}

function cloudOf(row: SpendLedgerRow): Cloud | undefined {
  return row.cloud ?? cloudOfProvider(row.provider);
}

function dimensionValue(row: SpendLedgerRow, dim: SpendDimension, tags: (json: string) => Readonly<Record<string, string>>): string {
  switch (dim) {
    case 'day': return row.day;
    case 'month': return row.day.slice(0, 7);
    case 'cloud': return cloudOf(row) ?? '';
    case 'provider': return row.provider;
    case 'account': return row.account;
    case 'service': return row.service;
    case 'region': return row.region;
    case 'resource': return row.resourceId;
    case 'chargeCategory': return row.chargeCategory;
    default: return tags(row.tagsJson)[dim.slice('tag:'.length)] ?? '';
  }
}

function matcher(q: SpendQuery, tags: (json: string) => Readonly<Record<string, string>>): (row: SpendLedgerRow) => boolean {
  const f = q.filter ?? {};
  const provider = f.provider?.trim().toLowerCase();
  const wantedTags = Object.entries(f.tags ?? {});
  return (row) =>
    row.day >= q.fromDay && row.day <= q.toDay &&
    (f.cloud === undefined || cloudOf(row) === f.cloud) &&
    (provider === undefined || row.provider.trim().toLowerCase() === provider) &&
    (f.account === undefined || row.account === f.account) &&
    (f.service === undefined || row.service === f.service) &&
    (f.region === undefined || row.region === f.region) &&
    (wantedTags.length === 0 || wantedTags.every(([k, v]) => tags(row.tagsJson)[k] === v));
}

/** The day a ChargePeriodEnd (exclusive, epoch ms) completes: the day holding its last millisecond. */
function dayOfEnd(endMs: number): string {
  return new Date(endMs - 1).toISOString().slice(0, 10);
}

/**
 * Spend from the ledger's rows: one dataset per (provider, account, day) (a FOCUS export beats a cost API, then the
 * newer import; what was set aside is reported), filtered, grouped and summed in the asked basis. Pure: the caller
 * reads `rows` (ledger.rowsBetween) and `imports` (ledger.listImports).
 * @example querySpend(rows, imports, { fromDay: '2026-03-01', toDay: '2026-03-31', basis: 'amortized', groupBy: ['service'] })
 */
export function querySpend(rows: readonly SpendLedgerRow[], imports: readonly SpendImport[], q: SpendQuery): SpendQueryResult {
  const inRange = rows.filter((r) => r.day >= q.fromDay && r.day <= q.toDay);
  const tags = tagReader();
  const matches = matcher(q, tags);
  const precedence = resolvePrecedence(inRange, imports, q.basis);
  const groups = new Map<string, SpendGroup>();
  const used = new Map<string, string>(); // dataset → last day it has a row (for dataThroughDay's fallback)
  let totalUsd = 0;
  for (const row of inRange) {
    if (!precedence.uses(row) || !matches(row)) continue;
    const values = q.groupBy.map((d) => dimensionValue(row, d, tags));
    const id = JSON.stringify(values);
    let g = groups.get(id);
    if (!g) {
      g = { key: Object.fromEntries(q.groupBy.map((d, i) => [d, values[i] as string])), costUsd: 0, listCostUsd: 0, contractedCostUsd: 0, rowCount: 0 };
      groups.set(id, g);
    }
    const cost = q.basis === 'billed' ? row.billedCostUsd : row.effectiveCostUsd;
    g.costUsd += cost;
    g.listCostUsd += row.listCostUsd;
    g.contractedCostUsd += row.contractedCostUsd;
    g.rowCount += row.rowCount;
    totalUsd += cost;
    const last = used.get(row.datasetId);
    if (!last || row.day > last) used.set(row.datasetId, row.day);
  }
  const keyText = (g: SpendGroup) => q.groupBy.map((d) => g.key[d] ?? '');
  const sorted = [...groups.values()].sort((a, b) => b.costUsd - a.costUsd || compareLists(keyText(a), keyText(b)));
  const through = dataThrough(used, imports, q.toDay);
  return {
    groups: sorted,
    totalUsd,
    datasetsUsed: [...used.keys()].sort(),
    datasetsShadowed: precedence.shadowed(matches),
    ...(through ? { dataThroughDay: through } : {}),
  };
}

/**
 * For each dataset used, the day its bill is complete through (its newest import's dataThroughMs, else lastDay, else
 * its last row); the answer is the earliest of them, since a total is only complete where all its sources are.
 */
function dataThrough(used: ReadonlyMap<string, string>, imports: readonly SpendImport[], toDay: string): string | undefined {
  let min: string | undefined;
  for (const [datasetId, lastRowDay] of used) {
    let best: string | undefined;
    for (const imp of imports) {
      if (imp.datasetId !== datasetId) continue;
      const day = imp.dataThroughMs !== undefined ? dayOfEnd(imp.dataThroughMs) : imp.lastDay;
      if (day && (!best || day > best)) best = day;
    }
    const day = best ?? lastRowDay;
    if (!min || day < min) min = day;
  }
  return min !== undefined && min > toDay ? toDay : min;
}

function compareLists(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? '';
    const y = b[i] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/**
 * Cost per day for a budget's forecast: every day from fromDay through the last day with data, zero where the bill
 * has nothing; days after it are absent rather than zero (a bill lags a day or two; absent is not free).
 * Same precedence and filter as querySpend.
 */
export function dailyTotals(rows: readonly SpendLedgerRow[], imports: readonly SpendImport[], q: Omit<SpendQuery, 'groupBy'>): { day: string; costUsd: number }[] {
  const { groups } = querySpend(rows, imports, { ...q, groupBy: ['day'] });
  const byDay = new Map(groups.map((g) => [g.key['day'] as string, g.costUsd]));
  const last = [...byDay.keys()].sort().pop();
  if (!last) return [];
  const out: { day: string; costUsd: number }[] = [];
  for (let ms = Date.parse(`${q.fromDay}T00:00:00Z`); ; ms += DAY_MS) {
    const day = new Date(ms).toISOString().slice(0, 10);
    if (day > last) break;
    out.push({ day, costUsd: byDay.get(day) ?? 0 });
  }
  return out;
}

/**
 * The dimensions a query reads besides those every grouped read keeps (dataset, day, provider, cloud, account,
 * charge category): what `SpendLedger.rowsBetweenGrouped` must keep for the query to come out the same.
 */
export function dimensionsFor(q: Pick<SpendQuery, 'groupBy' | 'filter'>): GroupableField[] {
  const keep = new Set<GroupableField>();
  for (const d of q.groupBy) {
    if (d === 'service' || d === 'region') keep.add(d);
    else if (d === 'resource') keep.add('resourceId');
    else if (d.startsWith('tag:')) keep.add('tagsJson');
  }
  if (q.filter?.service !== undefined) keep.add('service');
  if (q.filter?.region !== undefined) keep.add('region');
  if (q.filter?.tags !== undefined && Object.keys(q.filter.tags).length > 0) keep.add('tagsJson');
  return [...keep];
}

/**
 * The ledger rows a query needs: summed in the store over the dimensions it does not read when the store can
 * (SQLite: a month of a 10-million-row bill is ~1 M ledger lines, a few thousand once grouped by service), else all.
 */
export async function rowsForQuery(ledger: SpendLedger, q: SpendQuery): Promise<SpendLedgerRow[]> {
  return ledger.rowsBetweenGrouped ? ledger.rowsBetweenGrouped(q.fromDay, q.toDay, dimensionsFor(q)) : ledger.rowsBetween(q.fromDay, q.toDay);
}
