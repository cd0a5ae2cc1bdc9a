import type { Catalog } from '../catalog/catalog.js';
import { negotiatedCatalog } from '../catalog/negotiated.js';
import { billRows } from '../billing/bill-view.js';
import { ownedCommitmentsFromBill } from '../billing/commitments.js';
import { priceFactors, type PriceFactor } from '../billing/negotiated.js';
import type { BillingConfig } from '../config.js';
import type { Instance } from '../domain/instance.js';
import type { SnapshotMeta } from '../domain/snapshot.js';
import type { BillCommitmentInPool } from '../engine/analyze.js';
import type { SpendLedger } from '../store/spend/spend-ledger.js';

const DAY_MS = 86_400_000;
/** The bill's last 30 days before the snapshot's window end: a month of rates and commitment use. */
const BILL_DAYS = 30;

/** What the bill changes in an analysis: the accounts' own prices, the commitments they own, and a line on each. */
export interface BillPricing {
  catalogFor?: (instance: Instance) => Catalog;
  billCommitments?: BillCommitmentInPool[];
  factors: PriceFactor[];
  notes: string[];
}

/**
 * Negotiated prices and owned commitments for analyzing a snapshot, from the imported bill of the 30 days before
 * its window ends. Nothing when the ledger has no rows then (list prices and inventory reservations stand).
 */
export async function billPricing(input: { ledger: SpendLedger; meta: SnapshotMeta; instances: readonly Instance[]; catalog: Catalog; billing: Pick<BillingConfig, 'negotiatedPrices' | 'ownedCommitments'> }): Promise<BillPricing> {
  const toDay = new Date(input.meta.windowEndMs - 1).toISOString().slice(0, 10);
  const fromDay = new Date(input.meta.windowEndMs - BILL_DAYS * DAY_MS).toISOString().slice(0, 10);
  const rows = await billRows(input.ledger, fromDay, toDay);
  if (rows.length === 0) return { factors: [], notes: [] };
  const notes: string[] = [];
  const out: BillPricing = { factors: [], notes };
  if (input.billing.negotiatedPrices) {
    const factors = priceFactors(rows, input.instances).filter((f) => f.source !== 'none' && Number.isFinite(f.factor) && f.factor > 0 && f.factor <= 1.5);
    out.factors = factors;
    if (factors.length > 0) {
      const byType = new Map(factors.map((f) => [`${f.cloud}|${f.account}|${f.instanceType}`, f.factor]));
      // An account's candidates (types it does not run yet) get its compute-wide rate: the EDP-style discount.
      const byAccount = new Map<string, number>();
      for (const f of factors) if (f.source === 'account-compute') byAccount.set(`${f.cloud}|${f.account}`, f.factor);
      // Without VM-service rows of its own, an account's candidates get the list-weighted rate of the types it runs.
      const weighted = new Map<string, { list: number; contracted: number }>();
      for (const f of factors) {
        if (f.source !== 'instances') continue;
        const w = weighted.get(`${f.cloud}|${f.account}`) ?? { list: 0, contracted: 0 };
        w.list += f.basisListUsd;
        w.contracted += f.basisListUsd * f.factor;
        weighted.set(`${f.cloud}|${f.account}`, w);
      }
      for (const [key, w] of weighted) if (!byAccount.has(key) && w.list > 0) byAccount.set(key, w.contracted / w.list);
      const cache = new Map<string, Catalog>();
      out.catalogFor = (instance) => {
        const key = `${instance.cloud}|${instance.account}`;
        let c = cache.get(key);
        if (!c) {
          const fallback = byAccount.get(key);
          c = fallback === undefined ? input.catalog : negotiatedCatalog(input.catalog, instance.cloud, (type) => byType.get(`${key}|${type}`) ?? fallback);
          cache.set(key, c);
        }
        return c;
      };
      const accounts = new Set(factors.map((f) => `${f.cloud}:${f.account}`));
      notes.push(`negotiated rates from the bill (${fromDay} … ${toDay}) price ${accounts.size} account${accounts.size === 1 ? '' : 's'}`);
    }
  }
  if (input.billing.ownedCommitments) {
    const owned = ownedCommitmentsFromBill(rows, input.instances, (cloud, type) => input.catalog.type(cloud, type)?.family, { fromDay, toDay });
    if (owned.entries.length > 0) {
      out.billCommitments = owned.entries.map((e) => ({ pool: e.pool, commitmentId: e.commitmentId, onDemandUsdPerHour: e.onDemandUsdPerHour, commitUsdPerHour: e.commitUsdPerHour }));
      notes.push(`${new Set(owned.entries.map((e) => e.commitmentId)).size} commitment${owned.entries.length === 1 ? '' : 's'} owned per the bill, in ${new Set(owned.entries.map((e) => e.pool)).size} pool(s)${owned.unattributedCommitUsdPerHour > 0 ? `; $${owned.unattributedCommitUsdPerHour.toFixed(2)}/h of commitments covers resources outside the inventory` : ''}`);
    }
  }
  return out;
}
