import type { Cloud } from '../domain/cloud.js';
import type { Instance } from '../domain/instance.js';
import type { SpendRow } from '../domain/spend.js';
import { accountKey, cloudOfRow, contractedReported, entry, isValue } from './bill-rows.js';
import { matchResources } from './resource-match.js';

/** List against contracted cost over a set of Usage rows: the negotiated (EDP, MACC, private-pricing) discount. */
export interface NegotiatedRate {
  provider: string;
  cloud?: Cloud;
  account: string;
  /** Present on per-service figures. */
  service?: string;
  /** ListCost of the rows counted: the public price. */
  listUsd: number;
  /** ContractedCost of the same rows: the agreed price before commitment discounts. */
  contractedUsd: number;
  /** 1 − contracted / list, as a percentage; absent when nothing was counted. */
  discountPct?: number;
  /** FOCUS rows counted. */
  rowCount: number;
  /** Usage rows with a list price but no reported ContractedCost (0), left out; and their list cost. */
  unreportedRowCount: number;
  unreportedListUsd: number;
  /** Per account, when instances were given: the same over rows matched to inventory VMs. */
  instances?: { listUsd: number; contractedUsd: number; discountPct?: number };
}

export interface NegotiatedRates {
  accounts: NegotiatedRate[];
  services: NegotiatedRate[];
}

/**
 * Whether a row tells the agreed rate: a Usage row (Purchase rows prepay usage that appears again as Usage rows, so
 * counting both double counts, per the ListCost and ContractedCost columns' aggregation notes; credits, taxes and
 * adjustments are not prices), with a list price, not `Dynamic` (spot and low-priority prices are set by the provider,
 * not negotiated).
 */
function isRateRow(row: SpendRow): boolean {
  return row.chargeCategory === 'Usage' && row.listCostUsd !== 0 && !isValue(row.pricingCategory, 'Dynamic');
}

interface Sums {
  list: number;
  contracted: number;
  rows: number;
  unreportedRows: number;
  unreportedList: number;
}
const zero = (): Sums => ({ list: 0, contracted: 0, rows: 0, unreportedRows: 0, unreportedList: 0 });

function add(s: Sums, row: SpendRow): void {
  if (!contractedReported(row)) {
    s.unreportedRows += row.rowCount;
    s.unreportedList += row.listCostUsd;
    return;
  }
  s.list += row.listCostUsd;
  s.contracted += row.contractedCostUsd;
  s.rows += row.rowCount;
}

function discount(list: number, contracted: number): { discountPct?: number } {
  return list === 0 ? {} : { discountPct: (1 - contracted / list) * 100 };
}

/**
 * Negotiated discounts per (provider, account) and per (provider, account, service), over the rows given (select
 * the range with the ledger). Rows without a reported ContractedCost are counted apart, not as a 100 % discount.
 *
 * @example
 * negotiatedRates(rows).accounts[0] // → { provider: 'AWS', account: '1234…', listUsd: 1000, contractedUsd: 800, discountPct: 20, … }
 */
export function negotiatedRates(rows: readonly SpendRow[], instances?: readonly Instance[]): NegotiatedRates {
  const rateRows = rows.filter(isRateRow);
  const matched = instances ? matchResources(rateRows, instances) : undefined;
  const accounts = new Map<string, { row: SpendRow; sums: Sums; inst: Sums }>();
  const services = new Map<string, { row: SpendRow; sums: Sums }>();
  for (const row of rateRows) {
    const a = entry(accounts, `${row.provider}|${row.account}`, () => ({ row, sums: zero(), inst: zero() }));
    add(a.sums, row);
    if (matched?.has(row.resourceId)) add(a.inst, row);
    add(entry(services, `${row.provider}|${row.account}|${row.service}`, () => ({ row, sums: zero() })).sums, row);
  }
  const rate = (row: SpendRow, s: Sums, service?: string): NegotiatedRate => {
    const cloud = cloudOfRow(row);
    return {
      provider: row.provider, ...(cloud ? { cloud } : {}), account: row.account, ...(service === undefined ? {} : { service }),
      listUsd: s.list, contractedUsd: s.contracted, ...discount(s.list, s.contracted), rowCount: s.rows,
      unreportedRowCount: s.unreportedRows, unreportedListUsd: s.unreportedList,
    };
  };
  const order = (x: NegotiatedRate, y: NegotiatedRate) =>
    x.provider.localeCompare(y.provider) || x.account.localeCompare(y.account) || (x.service ?? '').localeCompare(y.service ?? '');
  return {
    accounts: [...accounts.values()]
      .map(({ row, sums, inst }) => ({
        ...rate(row, sums),
        ...(matched ? { instances: { listUsd: inst.list, contractedUsd: inst.contracted, ...discount(inst.list, inst.contracted) } } : {}),
      }))
      .sort(order),
    services: [...services.values()].map(({ row, sums }) => rate(row, sums, row.service)).sort(order),
  };
}

/** The service names under which each cloud bills VM hours: the fallback rate for types with no matched usage. */
export const VM_SERVICES: Record<Cloud, readonly string[]> = {
  aws: ['Amazon Elastic Compute Cloud'],
  azure: ['Virtual Machines', 'Virtual Machine Scale Sets'],
  gcp: ['Compute Engine'],
};

/** How far the bill's prices sit from list for one instance type in one account. */
export interface PriceFactor {
  cloud: Cloud;
  /** The inventory's account id (Azure: the bare subscription id). */
  account: string;
  instanceType: string;
  /** contracted / list: multiply catalog (list) prices by this. 1 when `source` is `none`. */
  factor: number;
  /**
   * `instances`: from this type's own usage rows in the account; `account-compute`: no such rows, so the account's
   * VM-service ratio; `none`: the bill says nothing usable for the account, so list prices stand.
   */
  source: 'instances' | 'account-compute' | 'none';
  /** List cost the factor rests on. */
  basisListUsd: number;
}

/**
 * The factor to scale catalog prices by, per (cloud, account, instance type) of the inventory: the list-weighted
 * contracted/list ratio (Σ contracted ÷ Σ list) of Usage rows matched to that type's instances, else of the
 * account's VM-service rows ({@link VM_SERVICES}), else 1.
 *
 * @example
 * priceFactors(rows, instances) // → [{ cloud: 'aws', account: '1234…', instanceType: 'm5.large', factor: 0.8, source: 'instances', … }]
 */
export function priceFactors(rows: readonly SpendRow[], instances: readonly Instance[]): PriceFactor[] {
  const rateRows = rows.filter(isRateRow);
  const matched = matchResources(rateRows, instances);
  const byType = new Map<string, Sums>();
  const byAccount = new Map<string, Sums>();
  for (const row of rateRows) {
    const instance = matched.get(row.resourceId);
    if (instance) add(entry(byType, `${instance.cloud}|${accountKey(instance.cloud, instance.account)}|${instance.type}`, zero), row);
    const cloud = cloudOfRow(row);
    if (cloud && VM_SERVICES[cloud].some((s) => isValue(row.service, s))) add(entry(byAccount, `${cloud}|${accountKey(cloud, row.account)}`, zero), row);
  }
  const out = new Map<string, PriceFactor>();
  for (const i of instances) {
    const acct = `${i.cloud}|${accountKey(i.cloud, i.account)}`;
    const key = `${acct}|${i.type}`;
    if (out.has(key)) continue;
    const own = byType.get(key);
    const fallback = byAccount.get(acct);
    const base = { cloud: i.cloud, account: i.account, instanceType: i.type };
    if (own && own.list !== 0) out.set(key, { ...base, factor: own.contracted / own.list, source: 'instances', basisListUsd: own.list });
    else if (fallback && fallback.list !== 0) out.set(key, { ...base, factor: fallback.contracted / fallback.list, source: 'account-compute', basisListUsd: fallback.list });
    else out.set(key, { ...base, factor: 1, source: 'none', basisListUsd: 0 });
  }
  return [...out.values()].sort((x, y) => x.cloud.localeCompare(y.cloud) || x.account.localeCompare(y.account) || x.instanceType.localeCompare(y.instanceType));
}
