import type { Cloud } from '../domain/cloud.js';
import type { Instance } from '../domain/instance.js';
import type { SpendRow } from '../domain/spend.js';
import { poolKey } from '../domain/purchase-plan.js';
import { cloudOfRow, type DayRange, entry, hoursInRange, isValue, onDemandEquivalentUsd, pct, rowsInRange } from './bill-rows.js';
import { matchResources } from './resource-match.js';


/** What sort of commitment a bill row names, read from CommitmentDiscountType. */
export type CommitmentKind = 'savings-plan' | 'reservation' | 'committed-use' | 'other';

/** One commitment's share of one engine pool, per hour of the range. */
export interface BillOwnedCommitment {
  /** Same key as the engine's pools: `poolKey(cloud, region, family)`. */
  pool: string;
  commitmentId: string;
  kind: CommitmentKind;
  /** On-demand equivalent (ContractedCost, else ListCost) of its Used rows on this pool's instances, per hour. */
  onDemandUsdPerHour: number;
  /** Its Used EffectiveCost on this pool plus this pool's share of its Unused EffectiveCost, per hour. */
  commitUsdPerHour: number;
  /** The commitment's utilization by cost over the range (all pools), 0–100; absent when it had no cost. */
  utilizationPct?: number;
  /** Inventory instances whose usage it covered in this pool. */
  instanceIds: string[];
}

/** Commitment cost the bill could not place in a pool, and why. */
export interface UnattributedCommitment {
  commitmentId: string;
  kind: CommitmentKind;
  /**
   * `no-instance`: Used rows whose resource is no inventory VM (Fargate, Lambda, RDS, a VM not collected);
   * `no-family`: matched VMs whose type the catalog does not know; `idle`: Unused cost with no Used rows to spread it over.
   */
  reason: 'no-instance' | 'no-family' | 'idle';
  onDemandUsdPerHour: number;
  commitUsdPerHour: number;
  /** Distinct ResourceIds behind the figure. */
  resources: number;
}

export interface OwnedCommitmentsFromBill {
  /** Hours of the range: the divisor of every per-hour figure. */
  hours: number;
  entries: BillOwnedCommitment[];
  unattributed: UnattributedCommitment[];
  /** Sum of `commitUsdPerHour` over entries and over unattributed: what share of the commitments the pools carry. */
  attributedCommitUsdPerHour: number;
  unattributedCommitUsdPerHour: number;
}

const KIND_PATTERNS: readonly [RegExp, CommitmentKind][] = [
  [/savings\s*plan/i, 'savings-plan'],
  [/reserv/i, 'reservation'], // AWS "Reserved Instance", Azure "Reservation"
  [/commit/i, 'committed-use'], // Google "Committed Use Discount"
];
// Google's FOCUS view leaves CommitmentDiscountType empty; every Google commitment is a committed-use discount.
const DEFAULT_KIND: Record<Cloud, CommitmentKind> = { aws: 'other', azure: 'other', gcp: 'committed-use' };

function kindOf(type: string, cloud: Cloud | undefined): CommitmentKind {
  for (const [re, kind] of KIND_PATTERNS) if (re.test(type)) return kind;
  return cloud ? DEFAULT_KIND[cloud] : 'other';
}

interface Bucket {
  od: number;
  used: number;
  resources: Set<string>;
  instanceIds: Set<string>;
}

/**
 * The commitments the bill shows, placed in the engine's purchase pools by where they were actually applied: each
 * Used row is matched to an inventory instance, whose region and catalog family give the pool. Unused cost is
 * spread over the pools (and the unattributed remainder) in proportion to Used EffectiveCost, or to the on-demand
 * equivalent when Used EffectiveCost is all 0 (as on the FOCUS 1.0 sample's savings-plan rows).
 *
 * How the engine should use it (src/engine/analyze.ts `ownedByPool`): for each entry, add to the pool's OwnedInPool
 * `ids.push(commitmentId)`, `onDemandUsdPerHour += entry.onDemandUsdPerHour`, `commitUsdPerHour += entry.commitUsdPerHour`
 * (`count` is informational: the bill does not say how many instances a spend commitment amounts to). Use it instead
 * of, not on top of, a snapshot reservation that is the same commitment ({@link sameCommitment}: AWS bills an RI under
 * its ARN, the inventory under its bare id), or the reservation counts twice. Savings plans
 * and flexible reservations are not tied to a pool: this places them where they were used over the range, which is
 * the pool that loses coverage if that usage is right-sized away; the `unattributed` cost still has to be paid and
 * belongs in the report, not in any pool's plan.
 *
 * @example
 * const owned = ownedCommitmentsFromBill(rows, snapshot.instances, (cloud, type) => catalog.type(cloud, type)?.family, range);
 * owned.entries[0] // → { pool: 'aws:ri:us-east-1:m5', commitmentId: 'arn:…', onDemandUsdPerHour: 0.96, commitUsdPerHour: 0.6, … }
 */
export function ownedCommitmentsFromBill(
  rows: readonly SpendRow[],
  instances: readonly Instance[],
  catalogFamilyOf: (cloud: Cloud, instanceType: string) => string | undefined,
  range: DayRange,
): OwnedCommitmentsFromBill {
  const hours = hoursInRange(range);
  const inRange = rowsInRange(rows, range).filter((r) => r.chargeCategory === 'Usage' && r.commitmentDiscountId !== '');
  const matched = matchResources(inRange, instances);

  interface Commitment {
    kind: CommitmentKind;
    unused: number;
    unusedResources: Set<string>;
    buckets: Map<string, Bucket>;
  }
  const commitments = new Map<string, Commitment>();
  for (const row of inRange) {
    const c = entry(commitments, row.commitmentDiscountId, () => ({ kind: 'other' as CommitmentKind, unused: 0, unusedResources: new Set<string>(), buckets: new Map() }));
    if (c.kind === 'other') c.kind = kindOf(row.commitmentDiscountType, cloudOfRow(row));
    if (isValue(row.commitmentDiscountStatus, 'Unused')) {
      c.unused += row.effectiveCostUsd;
      c.unusedResources.add(row.resourceId);
      continue;
    }
    if (!isValue(row.commitmentDiscountStatus, 'Used')) continue;
    const instance = matched.get(row.resourceId);
    const family = instance ? catalogFamilyOf(instance.cloud, instance.type) : undefined;
    const key = !instance ? 'no-instance' : !family ? 'no-family' : poolKey(instance.cloud, instance.region, family);
    const b = entry(c.buckets, key, () => ({ od: 0, used: 0, resources: new Set<string>(), instanceIds: new Set<string>() }));
    b.od += onDemandEquivalentUsd(row);
    b.used += row.effectiveCostUsd;
    b.resources.add(row.resourceId);
    if (instance) b.instanceIds.add(instance.id);
  }

  const entries: BillOwnedCommitment[] = [];
  const unattributed: UnattributedCommitment[] = [];
  for (const [commitmentId, c] of commitments) {
    const buckets = [...c.buckets.entries()];
    const usedTotal = buckets.reduce((s, [, b]) => s + b.used, 0);
    const odTotal = buckets.reduce((s, [, b]) => s + b.od, 0);
    // Weights for spreading Unused cost: Used cost, else on-demand equivalent, else nothing to spread over.
    const weightOf = (b: Bucket) => (usedTotal !== 0 ? b.used / usedTotal : odTotal !== 0 ? b.od / odTotal : 0);
    const spreadable = usedTotal !== 0 || odTotal !== 0;
    const utilizationPct = pct(usedTotal, usedTotal + c.unused);
    for (const [key, b] of buckets) {
      const commitUsd = b.used + (spreadable ? c.unused * weightOf(b) : 0);
      if (key === 'no-instance' || key === 'no-family') {
        unattributed.push({ commitmentId, kind: c.kind, reason: key, onDemandUsdPerHour: b.od / hours, commitUsdPerHour: commitUsd / hours, resources: b.resources.size });
        continue;
      }
      entries.push({
        pool: key, commitmentId, kind: c.kind, onDemandUsdPerHour: b.od / hours, commitUsdPerHour: commitUsd / hours,
        ...(utilizationPct === undefined ? {} : { utilizationPct }), instanceIds: [...b.instanceIds].sort(),
      });
    }
    if (!spreadable && c.unused !== 0) {
      unattributed.push({ commitmentId, kind: c.kind, reason: 'idle', onDemandUsdPerHour: 0, commitUsdPerHour: c.unused / hours, resources: c.unusedResources.size });
    }
  }
  entries.sort((a, b) => a.pool.localeCompare(b.pool) || a.commitmentId.localeCompare(b.commitmentId));
  unattributed.sort((a, b) => a.commitmentId.localeCompare(b.commitmentId) || a.reason.localeCompare(b.reason));
  const total = (xs: readonly { commitUsdPerHour: number }[]) => xs.reduce((s, x) => s + x.commitUsdPerHour, 0);
  return { hours, entries, unattributed, attributedCommitUsdPerHour: total(entries), unattributedCommitUsdPerHour: total(unattributed) };
}

export { sameCommitment } from '../domain/purchase-plan.js';
