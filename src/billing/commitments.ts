import type { Cloud } from '../domain/cloud.js';
import type { SpendRow } from '../domain/spend.js';
import { cloudOfRow, type DayRange, entry, isValue, onDemandEquivalentUsd, pct, rowsInRange } from './bill-rows.js';

export { ownedCommitmentsFromBill, sameCommitment, type OwnedCommitmentsFromBill, type BillOwnedCommitment, type UnattributedCommitment, type CommitmentKind } from './bill-owned-commitments.js';

/**
 * One commitment (reservation, savings plan, committed-use discount) over a day range: what the RI / Savings Plans
 * utilization reports of AWS Cost Explorer (and Azure's reservation utilization) show, computed from FOCUS rows.
 */
export interface CommitmentUtilization {
  commitmentId: string;
  provider: string;
  cloud?: Cloud;
  billingAccountId: string;
  /** The account that bought it (its Purchase rows), else the first of `accounts`. */
  account: string;
  /** Every account whose rows name it: a shared savings plan or reservation covers several. */
  accounts: string[];
  /** CommitmentDiscountType, the provider's product name (`Savings Plan`, `Reservation`, …); '' when no row says. */
  type: string;
  /** CommitmentDiscountCategory: `Spend` or `Usage`; '' when no row says. */
  category: string;
  /** EffectiveCost of its Usage rows with CommitmentDiscountStatus `Used`: the part applied to usage. */
  usedCostUsd: number;
  /** EffectiveCost of its Usage rows with status `Unused`: paid for, applied to nothing. */
  unusedCostUsd: number;
  /** used / (used + unused) by cost, 0–100; absent when both are 0 (see `note`). */
  utilizationPct?: number;
  /** CommitmentDiscountQuantity (FOCUS 1.1+) of the Used and Unused rows, in CommitmentDiscountUnit; absent on 1.0 data. */
  usedQuantity?: number;
  unusedQuantity?: number;
  quantityUtilizationPct?: number;
  /** BilledCost of its Purchase rows in the range: the cash paid for it (upfront or recurring fees). */
  purchaseBilledUsd: number;
  /** On-demand equivalent (ContractedCost, else ListCost) of the Used rows: what the covered usage would have cost without it. */
  coveredOnDemandUsd: number;
  /** coveredOnDemandUsd − (used + unused): the net saving, negative when idle cost outweighs the discount. */
  netSavingsUsd: number;
  /** Why a figure is absent. */
  note?: string;
}

/**
 * Utilization of every commitment named by a Usage or Purchase row in the range. FOCUS requires that, per commitment
 * and term, the EffectiveCost of its Usage rows (Used + Unused) equal the BilledCost of its Purchase rows, so
 * `usedCostUsd + unusedCostUsd` matches `purchaseBilledUsd` over a whole term (not over an arbitrary range, where an
 * upfront fee falls in one month and its amortisation in all of them).
 *
 * @example
 * commitmentUtilization(rows, { fromDay: '2024-09-01', toDay: '2024-09-30' })
 * // → [{ commitmentId: 'arn:aws:savingsplans::…', usedCostUsd: 75, unusedCostUsd: 25, utilizationPct: 75, … }]
 */
export function commitmentUtilization(rows: readonly SpendRow[], range: DayRange): CommitmentUtilization[] {
  interface Acc {
    first: SpendRow;
    accounts: Set<string>;
    purchaseAccounts: Set<string>;
    type: string;
    category: string;
    used: number;
    unused: number;
    usedQty: number;
    unusedQty: number;
    purchase: number;
    coveredOd: number;
  }
  const byId = new Map<string, Acc>();
  for (const row of rowsInRange(rows, range)) {
    if (row.commitmentDiscountId === '') continue;
    const isUsage = row.chargeCategory === 'Usage';
    if (!isUsage && row.chargeCategory !== 'Purchase') continue; // taxes and credits on a commitment are not its use
    const a = entry(byId, `${row.provider}|${row.commitmentDiscountId}`, () => ({
      first: row, accounts: new Set<string>(), purchaseAccounts: new Set<string>(), type: '', category: '',
      used: 0, unused: 0, usedQty: 0, unusedQty: 0, purchase: 0, coveredOd: 0,
    }));
    a.accounts.add(row.account);
    a.type ||= row.commitmentDiscountType;
    a.category ||= row.commitmentDiscountCategory;
    if (!isUsage) {
      a.purchase += row.billedCostUsd;
      a.purchaseAccounts.add(row.account);
    } else if (isValue(row.commitmentDiscountStatus, 'Used')) {
      a.used += row.effectiveCostUsd;
      a.usedQty += row.commitmentDiscountQuantity;
      a.coveredOd += onDemandEquivalentUsd(row);
    } else if (isValue(row.commitmentDiscountStatus, 'Unused')) {
      a.unused += row.effectiveCostUsd;
      a.unusedQty += row.commitmentDiscountQuantity;
    }
  }
  const out: CommitmentUtilization[] = [];
  for (const a of byId.values()) {
    const accounts = [...a.accounts].sort();
    const cloud = cloudOfRow(a.first);
    const utilizationPct = pct(a.used, a.used + a.unused);
    const quantityUtilizationPct = pct(a.usedQty, a.usedQty + a.unusedQty);
    out.push({
      commitmentId: a.first.commitmentDiscountId,
      provider: a.first.provider,
      ...(cloud ? { cloud } : {}),
      billingAccountId: a.first.billingAccountId,
      account: [...a.purchaseAccounts].sort()[0] ?? accounts[0] ?? a.first.account,
      accounts,
      type: a.type,
      category: a.category,
      usedCostUsd: a.used,
      unusedCostUsd: a.unused,
      ...(utilizationPct === undefined ? { note: 'no Used or Unused cost in range: utilization unknown' } : { utilizationPct }),
      ...(quantityUtilizationPct === undefined ? {} : { usedQuantity: a.usedQty, unusedQuantity: a.unusedQty, quantityUtilizationPct }),
      purchaseBilledUsd: a.purchase,
      coveredOnDemandUsd: a.coveredOd,
      netSavingsUsd: a.coveredOd - (a.used + a.unused),
    });
  }
  return out.sort((x, y) => x.provider.localeCompare(y.provider) || x.commitmentId.localeCompare(y.commitmentId));
}

/** Commitment coverage of one service in one account: what the RI / Savings Plans coverage reports show. */
export interface CommitmentCoverage {
  provider: string;
  cloud?: Cloud;
  account: string;
  service: string;
  /** On-demand equivalent (ContractedCost, else ListCost) of the eligible usage. */
  eligibleOnDemandUsd: number;
  /** …of the part with PricingCategory `Committed`. */
  coveredOnDemandUsd: number;
  /** eligible − covered: usage that paid the on-demand (agreed) rate. */
  uncoveredOnDemandUsd: number;
  /** covered / eligible by on-demand equivalent, 0–100 (Cost Explorer's "coverage"); absent when nothing is eligible. */
  coveragePct?: number;
  /** EffectiveCost of the eligible usage and of its covered part. */
  eligibleEffectiveUsd: number;
  coveredEffectiveUsd: number;
  /** covered / eligible by EffectiveCost, 0–100: the share of the spend that went through commitments. */
  spendCoveragePct?: number;
}

/**
 * Coverage per (provider, account, service) over the range.
 *
 * Eligibility is approximated, because FOCUS has no column for it (Microsoft publishes reservation eligibility as
 * separate open data; AWS and Google do not put it in the bill): a service is eligible for a provider when any of
 * its Usage rows in the range was covered by a commitment (status `Used`), and then all of that service's Usage rows
 * count, except the `Unused` commitment rows themselves (they are idle commitment, not usage) and `Dynamic`-priced
 * rows (spot and low-priority capacity, which commitments do not cover). This over-counts eligible usage inside a
 * service (EC2 data transfer and EBS ride under "Amazon Elastic Compute Cloud"), so coverage reads low rather than
 * high; a service no commitment touched in the range is not reported at all.
 *
 * @example
 * commitmentCoverage(rows, range).find((c) => c.service === 'Amazon Elastic Compute Cloud')?.coveragePct // → 62.5
 */
export function commitmentCoverage(rows: readonly SpendRow[], range: DayRange): CommitmentCoverage[] {
  const inRange = rowsInRange(rows, range).filter((r) => r.chargeCategory === 'Usage');
  const eligibleServices = new Set<string>();
  for (const r of inRange) {
    if (r.commitmentDiscountId !== '' && isValue(r.commitmentDiscountStatus, 'Used')) eligibleServices.add(`${r.provider}|${r.service}`);
  }
  const groups = new Map<string, CommitmentCoverage>();
  for (const r of inRange) {
    if (!eligibleServices.has(`${r.provider}|${r.service}`)) continue;
    if (isValue(r.commitmentDiscountStatus, 'Unused') || isValue(r.pricingCategory, 'Dynamic')) continue;
    const g = entry(groups, `${r.provider}|${r.account}|${r.service}`, () => {
      const cloud = cloudOfRow(r);
      return {
        provider: r.provider, ...(cloud ? { cloud } : {}), account: r.account, service: r.service,
        eligibleOnDemandUsd: 0, coveredOnDemandUsd: 0, uncoveredOnDemandUsd: 0, eligibleEffectiveUsd: 0, coveredEffectiveUsd: 0,
      };
    });
    const od = onDemandEquivalentUsd(r);
    g.eligibleOnDemandUsd += od;
    g.eligibleEffectiveUsd += r.effectiveCostUsd;
    if (isValue(r.pricingCategory, 'Committed')) {
      g.coveredOnDemandUsd += od;
      g.coveredEffectiveUsd += r.effectiveCostUsd;
    }
  }
  const out = [...groups.values()].map((g) => {
    const coveragePct = pct(g.coveredOnDemandUsd, g.eligibleOnDemandUsd);
    const spendCoveragePct = pct(g.coveredEffectiveUsd, g.eligibleEffectiveUsd);
    return {
      ...g,
      uncoveredOnDemandUsd: g.eligibleOnDemandUsd - g.coveredOnDemandUsd,
      ...(coveragePct === undefined ? {} : { coveragePct }),
      ...(spendCoveragePct === undefined ? {} : { spendCoveragePct }),
    };
  });
  return out.sort((x, y) => x.provider.localeCompare(y.provider) || x.account.localeCompare(y.account) || x.service.localeCompare(y.service));
}
