import type { FocusCharge } from '../focus/charge.js';
import { cloudOfProvider, type ChargeCategory, type ProblemSummary, type SpendRow } from '../../domain/spend.js';

/** Options of a SpendAggregator. */
export interface SpendAggregatorOptions {
  /** USD per one unit of each BillingCurrency (ISO 4217, upper case). Default `{ USD: 1 }`; rows in other currencies are rejected. */
  exchangeRatesToUsd?: Record<string, number>;
  /** Name of the object being read, shown in problem examples (the reader's file, `s3://…`). Default ''. */
  objectName?: string;
}

const DAY_MS = 86_400_000;
const MAX_EXAMPLES = 5;
/** String dimensions interned to dense ids: SPEND_KEY_FIELDS after `day`, tagsJson last. */
const STRING_FIELDS = 14;
/** Ids per group: billing period, day number, then the string dimensions. */
const KEY_WIDTH = STRING_FIELDS + 2;
/** Summed amounts per group: billed, effective, list, contracted, commitment quantity. */
const SUMS = 5;

/** Interns the values of one dimension to dense ids, so a group key is 2 chars per dimension whatever the text. */
class Interner {
  readonly ids = new Map<string, number>();
  readonly values: string[] = [];
  // Bills come in runs of one resource's hours: most rows repeat the previous row's value.
  #last: string | undefined;
  #lastId = -1;
  id(value: string): number {
    if (value === this.#last) return this.#lastId;
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.ids.set(value, id);
      this.values.push(value);
    }
    this.#last = value;
    this.#lastId = id;
    return id;
  }
}

type FieldInterners = [Interner, Interner, Interner, Interner, Interner, Interner, Interner, Interner, Interner, Interner, Interner, Interner, Interner, Interner];

/** JavaScript's `<` on strings (UTF-16 code units): the order compareSpendRows uses. */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `YYYY-MM-DD` of a UTC day number (days since the epoch). */
function dayText(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

/** `YYYY-MM` (UTC) of an instant. */
function monthText(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}

/**
 * Hash aggregation of FOCUS charges into spend-ledger rows: one group per (billing period, SPEND_KEY_FIELDS), amounts
 * converted to USD and summed in Float64 arrays.
 *
 * The day is the UTC date of ChargePeriodStart: hourly usage lands on its hour's day, while monthly fees, purchases
 * and tax (ChargePeriodStart = the first of the month) land on their first day, as Cost Explorer shows them on a
 * daily view. Each string dimension is interned to an integer id once per row (a repeat of the previous row's value
 * costs one comparison); the group is then found by hashing those ids into an open-addressing table, so the per-row
 * cost does not grow with the length of ARNs or tag JSON and no key string is built.
 *
 * @example
 * const agg = new SpendAggregator({ exchangeRatesToUsd: { USD: 1, EUR: 1.08 } });
 * for await (const batch of read.batches) agg.add(batch);
 * const ledger = agg.byBillingPeriod().get('2024-09');
 */
export class SpendAggregator {
  #rowsAdded = 0;
  #rowsAccepted = 0;
  readonly #rates: Map<string, number>;
  readonly #objectName: string;
  readonly #unconverted = { count: 0, examples: [] as ProblemSummary['examples'] };
  readonly #f: Interner[] = Array.from({ length: STRING_FIELDS }, () => new Interner());
  /** BillingPeriodStart (ms) → YYYY-MM. */
  readonly #periodOfMs = new Map<number, string>();
  readonly #periods = new Interner();
  /** Open addressing over the group keys: slot → group + 1 (0 = empty); the keys themselves live in #keys. */
  #slots = new Int32Array(4096);
  #groupCount = 0;
  /** KEY_WIDTH ids per group. */
  #keys = new Int32Array(1024 * KEY_WIDTH);
  #sums = new Float64Array(1024 * SUMS);
  #counts = new Float64Array(1024);
  readonly #ids = new Int32Array(KEY_WIDTH);

  constructor(options: SpendAggregatorOptions = {}) {
    this.#rates = new Map(Object.entries(options.exchangeRatesToUsd ?? { USD: 1 }).map(([c, r]) => [c.toUpperCase(), r]));
    this.#objectName = options.objectName ?? '';
  }

  /** Rows given to `add`, accepted or not. */
  get rowsAdded(): number {
    return this.#rowsAdded;
  }

  /** Rows folded into the ledger (given minus rejected). */
  get rowsAccepted(): number {
    return this.#rowsAccepted;
  }

  /** Ledger rows so far, every billing period together. */
  get groupCount(): number {
    return this.#groupCount;
  }

  /** Folds a batch of charges in. */
  add(batch: readonly FocusCharge[]): void {
    const [provider, billingAccount, account, service, serviceCategory, region, resource, chargeCategory, pricingCategory,
      cdId, cdType, cdCategory, cdStatus, tags] = this.#f as FieldInterners;
    const ids = this.#ids;
    for (let i = 0; i < batch.length; i++) {
      const c = batch[i] as FocusCharge;
      this.#rowsAdded++;
      const rate = this.#rates.get(c.billingCurrency) ?? this.#rates.get(c.billingCurrency.toUpperCase());
      if (rate === undefined) {
        this.#reject(c);
        continue;
      }
      let period = this.#periodOfMs.get(c.billingPeriodStartMs);
      if (period === undefined) this.#periodOfMs.set(c.billingPeriodStartMs, (period = monthText(c.billingPeriodStartMs)));
      ids[0] = this.#periods.id(period);
      ids[1] = Math.floor(c.chargePeriodStartMs / DAY_MS);
      ids[2] = provider.id(c.provider);
      ids[3] = billingAccount.id(c.billingAccountId);
      ids[4] = account.id(c.subAccountId || c.billingAccountId);
      ids[5] = service.id(c.service);
      ids[6] = serviceCategory.id(c.serviceCategory);
      ids[7] = region.id(c.region);
      ids[8] = resource.id(c.resourceId);
      ids[9] = chargeCategory.id(c.chargeCategory);
      ids[10] = pricingCategory.id(c.pricingCategory);
      ids[11] = cdId.id(c.commitmentDiscountId);
      ids[12] = cdType.id(c.commitmentDiscountType);
      ids[13] = cdCategory.id(c.commitmentDiscountCategory);
      ids[14] = cdStatus.id(c.commitmentDiscountStatus);
      ids[15] = tags.id(c.tagsJson);
      const g = this.#groupOf(ids);
      const s = g * SUMS;
      const sums = this.#sums;
      sums[s] = (sums[s] as number) + c.billedCost * rate;
      sums[s + 1] = (sums[s + 1] as number) + c.effectiveCost * rate;
      sums[s + 2] = (sums[s + 2] as number) + c.listCost * rate;
      sums[s + 3] = (sums[s + 3] as number) + c.contractedCost * rate;
      sums[s + 4] = (sums[s + 4] as number) + c.commitmentDiscountQuantity;
      this.#counts[g] = (this.#counts[g] as number) + 1;
      this.#rowsAccepted++;
    }
  }

  /** The group of a key (KEY_WIDTH ids), created when new: a multiplicative hash of the ids, linear probing. */
  #groupOf(ids: Int32Array): number {
    let h = 0x811c9dc5;
    for (let k = 0; k < KEY_WIDTH; k++) h = Math.imul(h ^ (ids[k] as number), 0x01000193);
    h ^= h >>> 15;
    const slots = this.#slots;
    const mask = slots.length - 1;
    const keys = this.#keys;
    for (let at = h & mask; ; at = (at + 1) & mask) {
      const stored = slots[at] as number;
      if (stored === 0) break;
      const base = (stored - 1) * KEY_WIDTH;
      let same = true;
      for (let k = 0; k < KEY_WIDTH; k++) {
        if (keys[base + k] !== ids[k]) {
          same = false;
          break;
        }
      }
      if (same) return stored - 1;
    }
    const g = this.#groupCount++;
    if (g === this.#counts.length) this.#grow();
    this.#keys.set(ids, g * KEY_WIDTH);
    // Kept at most half full, so probes stay short; a resize re-inserts every group.
    if (this.#groupCount * 2 > slots.length) this.#rehash(slots.length * 2);
    else this.#insert(slots, h, g);
    return g;
  }

  #insert(slots: Int32Array, hash: number, g: number): void {
    const mask = slots.length - 1;
    let at = hash & mask;
    while (slots[at] !== 0) at = (at + 1) & mask;
    slots[at] = g + 1;
  }

  #rehash(size: number): void {
    const slots = new Int32Array(size);
    const keys = this.#keys;
    for (let g = 0; g < this.#groupCount; g++) {
      let h = 0x811c9dc5;
      for (let k = 0; k < KEY_WIDTH; k++) h = Math.imul(h ^ (keys[g * KEY_WIDTH + k] as number), 0x01000193);
      h ^= h >>> 15;
      this.#insert(slots, h, g);
    }
    this.#slots = slots;
  }

  #grow(): void {
    const cap = this.#counts.length * 2;
    const keys = new Int32Array(cap * KEY_WIDTH);
    keys.set(this.#keys);
    this.#keys = keys;
    const sums = new Float64Array(cap * SUMS);
    sums.set(this.#sums);
    this.#sums = sums;
    const counts = new Float64Array(cap);
    counts.set(this.#counts);
    this.#counts = counts;
  }

  #reject(c: FocusCharge): void {
    const u = this.#unconverted;
    u.count++;
    if (u.examples.length < MAX_EXAMPLES) {
      u.examples.push({
        file: this.#objectName, row: this.#rowsAdded, column: 'BillingCurrency', value: c.billingCurrency,
        message: `no exchange rate to USD for ${c.billingCurrency === '' ? 'an empty BillingCurrency' : c.billingCurrency}: row left out of the ledger`,
      });
    }
  }

  /**
   * Row problems seen: `currency-unconverted` (rejected) when a row's BillingCurrency has no rate. An example's `row`
   * is the 1-based position among the rows given to this aggregator.
   */
  problems(): ProblemSummary[] {
    const u = this.#unconverted;
    return u.count === 0 ? [] : [{ kind: 'currency-unconverted', effect: 'rejected', count: u.count, examples: u.examples.map((e) => ({ ...e })) }];
  }

  /** Ledger rows by billing period (YYYY-MM of BillingPeriodStart, UTC): periods ascending, rows sorted by SPEND_KEY_FIELDS. */
  byBillingPeriod(): Map<string, SpendRow[]> {
    const n = this.#groupCount;
    const keys = this.#keys;
    // Sorted by integer ranks instead of comparing row objects' strings: each dimension's distinct values are ranked
    // once (in compareSpendRows' order, UTF-16 code units), then groups compare as rows of small integers.
    const ranks = this.#f.map((interner) => {
      const order = interner.values.map((_, id) => id).sort((a, b) => cmp(interner.values[a] as string, interner.values[b] as string));
      const rank = new Int32Array(order.length);
      order.forEach((id, r) => (rank[id] = r));
      return rank;
    });
    const periodRank = new Int32Array(this.#periods.values.length);
    this.#periods.values.map((_, id) => id).sort((a, b) => cmp(this.#periods.values[a] as string, this.#periods.values[b] as string)).forEach((id, r) => (periodRank[id] = r));
    const sortKeys = new Int32Array(n * KEY_WIDTH);
    for (let g = 0; g < n; g++) {
      const base = g * KEY_WIDTH;
      sortKeys[base] = periodRank[keys[base] as number] as number;
      sortKeys[base + 1] = keys[base + 1] as number; // day number: its order is the YYYY-MM-DD text's
      for (let f = 0; f < STRING_FIELDS; f++) sortKeys[base + 2 + f] = (ranks[f] as Int32Array)[keys[base + 2 + f] as number] as number;
    }
    const order = new Int32Array(n);
    for (let g = 0; g < n; g++) order[g] = g;
    order.sort((a, b) => {
      const x = a * KEY_WIDTH;
      const y = b * KEY_WIDTH;
      for (let k = 0; k < KEY_WIDTH; k++) {
        const d = (sortKeys[x + k] as number) - (sortKeys[y + k] as number);
        if (d !== 0) return d;
      }
      return 0;
    });
    const byPeriod = new Map<string, SpendRow[]>();
    const days = new Map<number, string>();
    const f = this.#f.map((i) => i.values);
    const text = (field: number, id: number): string => f[field]?.[id] ?? '';
    for (let i = 0; i < n; i++) {
      const g = order[i] as number;
      const k = keys.subarray(g * KEY_WIDTH, (g + 1) * KEY_WIDTH);
      const period = this.#periods.values[k[0] as number] as string;
      const dayNumber = k[1] as number;
      let day = days.get(dayNumber);
      if (day === undefined) days.set(dayNumber, (day = dayText(dayNumber)));
      const provider = text(0, k[2] as number);
      const cloud = cloudOfProvider(provider);
      const s = g * SUMS;
      const row: SpendRow = {
        day, provider, ...(cloud ? { cloud } : {}),
        billingAccountId: text(1, k[3] as number), account: text(2, k[4] as number), service: text(3, k[5] as number),
        serviceCategory: text(4, k[6] as number), region: text(5, k[7] as number), resourceId: text(6, k[8] as number),
        chargeCategory: text(7, k[9] as number) as ChargeCategory, pricingCategory: text(8, k[10] as number),
        commitmentDiscountId: text(9, k[11] as number), commitmentDiscountType: text(10, k[12] as number),
        commitmentDiscountCategory: text(11, k[13] as number), commitmentDiscountStatus: text(12, k[14] as number),
        tagsJson: text(13, k[15] as number),
        billedCostUsd: this.#sums[s] as number, effectiveCostUsd: this.#sums[s + 1] as number,
        listCostUsd: this.#sums[s + 2] as number, contractedCostUsd: this.#sums[s + 3] as number,
        commitmentDiscountQuantity: this.#sums[s + 4] as number, rowCount: this.#counts[g] as number,
      };
      let rows = byPeriod.get(period);
      if (!rows) byPeriod.set(period, (rows = []));
      rows.push(row);
    }
    return byPeriod;
  }
}
