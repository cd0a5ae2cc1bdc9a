import { usedRows } from '../billing/bill-view.js';
import { commitmentCoverage, commitmentUtilization } from '../billing/commitments.js';
import { negotiatedRates } from '../billing/negotiated.js';
import { querySpend } from '../billing/query.js';
import { reconcile } from '../billing/reconcile.js';
import type { Instance } from '../domain/instance.js';
import type { SpendLedger } from '../store/spend/spend-ledger.js';

const DAY_MS = 86_400_000;
const r2 = (x: number) => Math.round(x * 100) / 100;
const r1 = (x: number) => Math.round(x * 10) / 10;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Why the report has no bill section when nothing was imported. */
export const NO_IMPORT = 'No bill imported: spend above is modeled (running instances × catalog prices). Import your bill for actual, amortized spend and reconciliation: rightsize billing import <path|s3://…> (README, "From your bill").';

/** The weekly report's "from the bill" part: actual (amortized) spend beside the modeled estimate. */
export interface BillSection {
  basis: 'amortized';
  datasets: string[];
  /** The bill's last day with rows; the week is compared on the days the bill covers. */
  dataThroughDay: string | null;
  /** The report week's days the bill covers (complete days only), and the 7 days before them. */
  fromDay: string;
  toDay: string;
  actualUsd: number;
  billedUsd: number;
  previousUsd: number;
  changePct: number | null;
  /** Running instances × catalog prices over the same days. */
  modeledUsd: number;
  byService: { provider: string; service: string; costUsd: number; previousUsd: number }[];
  daily: { day: string; actualUsd: number; modeledUsd: number }[];
  reconciliation: { billUsd: number; explainedByInstancesUsd: number; explainedPct: number | null; unexplainedTop: { provider: string; service: string; costUsd: number }[]; unmatchedInstances: number };
  negotiated: { provider: string; account: string; discountPct: number; listUsd: number; contractedUsd: number }[];
  commitments: { id: string; type: string; account: string; utilizationPct: number | null; unusedCostUsd: number; netSavingsUsd: number }[];
  coverage: { provider: string; account: string; service: string; coveragePct: number | null }[];
  /** Rows the imports rejected or repaired (see GET /v1/spend/imports). */
  problems: { rejectedRows: number; repairedRows: number };
}

/**
 * The bill over the report window's complete days (up to the bill's last day), against the 7 days before, with the
 * modeled estimate of the same days, reconciliation with the latest inventory, negotiated rates and commitments.
 * Absent, with the reason, when no bill was imported or none covers the window.
 */
export async function buildBillSection(input: { ledger: SpendLedger; weekStartMs: number; nowMs: number; instances: readonly Instance[]; modeledUsdOfDay: (day: string) => number }): Promise<BillSection | { absent: string }> {
  const imports = await input.ledger.listImports();
  if (imports.length === 0) return { absent: NO_IMPORT };
  const firstDay = dayOf(input.weekStartMs);
  const lastFullDay = dayOf(Math.floor(input.nowMs / DAY_MS) * DAY_MS - DAY_MS);
  if (lastFullDay < firstDay) return { absent: 'the report window has no complete day yet' };
  const prevFrom = dayOf(input.weekStartMs - 7 * DAY_MS);
  const rows = await input.ledger.rowsBetween(prevFrom, lastFullDay);
  const week = querySpend(rows, imports, { fromDay: firstDay, toDay: lastFullDay, basis: 'amortized', groupBy: ['day'] });
  if (week.groups.length === 0) {
    const latest = imports.map((i) => i.lastDay ?? '').sort().at(-1);
    return { absent: `the imported bill has no rows for ${firstDay} … ${lastFullDay}${latest ? ` (the latest import runs to ${latest})` : ''}: spend above is modeled` };
  }
  const toDay = week.dataThroughDay && week.dataThroughDay < lastFullDay ? week.dataThroughDay : lastFullDay;
  // Compare like with like: the same number of days before.
  const spanDays = (Date.parse(`${toDay}T00:00:00Z`) - Date.parse(`${firstDay}T00:00:00Z`)) / DAY_MS + 1;
  const prevTo = dayOf(Date.parse(`${firstDay}T00:00:00Z`) - DAY_MS);
  const prevStart = dayOf(Date.parse(`${firstDay}T00:00:00Z`) - spanDays * DAY_MS);
  const q = (fromDay: string, to: string, basis: 'amortized' | 'billed', groupBy: ('day' | 'service' | 'provider')[]) => querySpend(rows, imports, { fromDay, toDay: to, basis, groupBy });
  const actual = q(firstDay, toDay, 'amortized', ['day']);
  const billed = q(firstDay, toDay, 'billed', ['day']);
  const previous = q(prevStart, prevTo, 'amortized', ['day']);
  const services = q(firstDay, toDay, 'amortized', ['provider', 'service']);
  const prevServices = new Map(q(prevStart, prevTo, 'amortized', ['provider', 'service']).groups.map((g) => [`${g.key['provider']}|${g.key['service']}`, g.costUsd]));
  const byDay = new Map(actual.groups.map((g) => [g.key['day'] as string, g.costUsd]));
  const daily: BillSection['daily'] = [];
  let modeledUsd = 0;
  for (let d = Date.parse(`${firstDay}T00:00:00Z`); d <= Date.parse(`${toDay}T00:00:00Z`); d += DAY_MS) {
    const day = dayOf(d);
    const m = input.modeledUsdOfDay(day);
    modeledUsd += m;
    daily.push({ day, actualUsd: r2(byDay.get(day) ?? 0), modeledUsd: r2(m) });
  }
  // From the rows already read (prevStart is never before prevFrom, toDay never after lastFullDay).
  const resolved = usedRows(rows.filter((r) => r.day >= prevStart && r.day <= toDay), imports);
  const running = input.instances.filter((i) => i.state === 'running');
  const rec = reconcile(resolved, running, { fromDay: firstDay, toDay, basis: 'amortized', modeledUsd });
  const weekRows = resolved.filter((r) => r.day >= firstDay && r.day <= toDay);
  const rates = negotiatedRates(weekRows).accounts.filter((a) => a.discountPct !== undefined && a.listUsd > 0);
  const commitments = commitmentUtilization(resolved, { fromDay: firstDay, toDay });
  const coverage = commitmentCoverage(resolved, { fromDay: firstDay, toDay });
  const recent = imports.filter((i) => i.lastDay !== undefined && i.lastDay >= prevStart && (i.firstDay ?? '') <= toDay);
  const count = (effect: 'rejected' | 'repaired') => recent.reduce((n, i) => n + i.problems.filter((p) => p.effect === effect).reduce((a, p) => a + p.count, 0), 0);
  return {
    basis: 'amortized',
    datasets: actual.datasetsUsed,
    dataThroughDay: week.dataThroughDay ?? null,
    fromDay: firstDay,
    toDay,
    actualUsd: r2(actual.totalUsd),
    billedUsd: r2(billed.totalUsd),
    previousUsd: r2(previous.totalUsd),
    changePct: previous.totalUsd > 0 ? r1((100 * (actual.totalUsd - previous.totalUsd)) / previous.totalUsd) : null,
    modeledUsd: r2(modeledUsd),
    byService: services.groups.slice(0, 8).map((g) => ({ provider: g.key['provider'] ?? '', service: g.key['service'] || '(no service)', costUsd: r2(g.costUsd), previousUsd: r2(prevServices.get(`${g.key['provider']}|${g.key['service']}`) ?? 0) })),
    daily,
    reconciliation: {
      billUsd: r2(rec.billTotalUsd), explainedByInstancesUsd: r2(rec.instancesExplainedUsd), explainedPct: rec.explainedPct === undefined ? null : r1(rec.explainedPct),
      unexplainedTop: rec.unexplainedTop.map((u) => ({ ...u, costUsd: r2(u.costUsd) })), unmatchedInstances: rec.unmatchedInstances,
    },
    negotiated: rates.sort((a, b) => b.listUsd - a.listUsd).slice(0, 5).map((a) => ({ provider: a.provider, account: a.account, discountPct: r1(a.discountPct as number), listUsd: r2(a.listUsd), contractedUsd: r2(a.contractedUsd) })),
    commitments: commitments
      .sort((a, b) => b.unusedCostUsd - a.unusedCostUsd || a.commitmentId.localeCompare(b.commitmentId))
      .slice(0, 5)
      .map((c) => ({ id: c.commitmentId, type: c.type, account: c.account, utilizationPct: c.utilizationPct === undefined ? null : r1(c.utilizationPct), unusedCostUsd: r2(c.unusedCostUsd), netSavingsUsd: r2(c.netSavingsUsd) })),
    coverage: coverage.slice(0, 5).map((c) => ({ provider: c.provider, account: c.account, service: c.service, coveragePct: c.coveragePct === undefined ? null : r1(c.coveragePct) })),
    problems: { rejectedRows: count('rejected'), repairedRows: count('repaired') },
  };
}
