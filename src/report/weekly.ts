import type { Catalog } from '../catalog/catalog.js';
import type { Config } from '../config.js';
import { budgetStatuses } from '../budgets/evaluate.js';
import type { BudgetStatusDetail } from '../budgets/evaluate.js';
import { isoWeekLabel, isoWeekStartMs } from '../budgets/period.js';
import type { Instance } from '../domain/instance.js';
import type { SnapshotMeta } from '../domain/snapshot.js';
import { analyzeSnapshot } from '../engine/analyze.js';
import { dailySpend, ledgerEntries, spendBetween } from '../engine/ledger.js';
import type { AnalysisResults, Store } from '../store/store.js';
import { findingActions, shortId, type FindingActions } from './actions.js';
import { policyFrontierFor, type PolicyFrontier } from './policy-frontier.js';
import { renderHtml } from './html.js';
import { buildBillSection, NO_IMPORT, type BillSection } from './bill-section.js';
import type { SpendLedger } from '../store/spend/spend-ledger.js';
import { renderMarkdown } from './markdown.js';
import { slackSummary } from './slack-summary.js';
import { fleetUtilization } from './utilization.js';
import type { FleetUtilization } from './utilization.js';

const DAY_MS = 86_400_000;
const r2 = (x: number) => Math.round(x * 100) / 100;

export interface WeeklyReport {
  isoWeek: string;
  weekStart: string;
  weekEnd: string;
  generatedAt: string;
  snapshotId: string | null;
  spend: {
    thisWeekUsd: number;
    lastWeekUsd: number;
    changePct: number | null;
    byCloud: { cloud: string; thisWeekUsd: number; lastWeekUsd: number }[];
    byAccount: { cloud: string; account: string; thisWeekUsd: number; lastWeekUsd: number; deltaUsd: number }[];
    topMovers: { cloud: string; account: string; thisWeekUsd: number; lastWeekUsd: number; deltaUsd: number }[];
    /** UTC days; `partial` marks the day still running at the window's end (its spend so far, `hours` of 24). */
    daily: { day: string; usd: number; partial?: { hours: number } }[];
  };
  /** The utilization window of the snapshot the fleet figures come from (utilization, idle GPUs, recommendations). */
  fleetWindow: { start: string; end: string; days: number } | null;
  utilization: FleetUtilization;
  recommendations: {
    count: number;
    monthlySavingsUsd: number;
    /** `stored`: the results of the snapshot's analysis run; `computed`: analyzed for this report (a past week's snapshot never analyzed). */
    source: 'stored' | 'computed' | 'none';
    byKind: Record<string, number>;
    top: TopRecommendation[];
  };
  /**
   * Week over week, against the last snapshot before the week began: savings found then and now, and the findings
   * of then that were applied since (the instance now runs the recommended type, or an idle one no longer runs).
   * Null without a snapshot from before the week.
   */
  trend: {
    previousSnapshotId: string;
    savingsFoundMonthlyUsd: { thisWeek: number; lastWeek: number };
    realised: { count: number; monthlySavingsUsd: number; items: { instanceId: string; displayName: string; change: string; monthlySavingsUsd: number }[] };
  } | null;
  /** Walk-forward validation of the candidate right-sizing policies on the snapshot's own history. */
  policyFrontier: PolicyFrontier;
  purchasePlans: { pools: number; withCommitment: number; allOnDemandMonthlyUsd: number; recommendedMonthlyUsd: number; top: { pool: string; commitments: string; monthlySavingsUsd: number }[] };
  budgets: BudgetStatusDetail[];
  /** Actual spend from the imported bill beside the modeled estimate, and how much of it the inventory explains; null without a bill. */
  bill: BillSection | null;
  /** Why `bill` is null: nothing imported, or the imports do not cover the window. */
  billAbsent: string | null;
  dataQuality: { scopes: { cloud: string; account: string; region: string; status: string; message?: string }[]; skipsByReason: Record<string, number>; unpricedInstances: number };
}

/** One finding of the report: names first, the ids kept whole for links, and what to do about it. */
export interface TopRecommendation {
  id: string;
  instanceId: string;
  /** The instance's name tag, else its id shortened (an Azure resource id becomes the VM name). */
  displayName: string;
  shortId: string;
  cloud: string;
  account: string;
  region: string;
  kind: string;
  change: string;
  monthlySavingsUsd: number;
  risk: number;
  hoursSaturated: number;
  actions: FindingActions;
}

export interface WeeklyReportInput {
  store: Store;
  catalog: Catalog;
  config: Config;
  nowMs: number;
  /** Report one ISO week (`2026-W47`, Monday 00:00 UTC to the next Monday) instead of the 7 days before `nowMs`. */
  isoWeek?: string;
  /** The imported bill: the report then shows actual spend beside the modeled estimate, and budgets on a bill basis use it. */
  ledger?: SpendLedger;
}

/**
 * The report's window. By default the 7 days before `nowMs`, labelled with the ISO week holding most of them, so a
 * Monday-morning run reports the week that just ended. With `isoWeek`, exactly that week (cut at `nowMs` if current).
 */
export function reportWindow(nowMs: number, isoWeek?: string): { isoWeek: string; startMs: number; endMs: number } {
  if (isoWeek === undefined) return { isoWeek: isoWeekLabel(nowMs - 3.5 * DAY_MS), startMs: nowMs - 7 * DAY_MS, endMs: nowMs };
  const startMs = isoWeekStartMs(isoWeek);
  if (startMs >= nowMs) throw new Error(`report week ${isoWeek} has not started yet`);
  return { isoWeek, startMs, endMs: Math.min(startMs + 7 * DAY_MS, nowMs) };
}

/** Builds the weekly report data: the window's spend against the 7 days before it, and the fleet as of its end. */
export async function buildWeeklyReportData(input: WeeklyReportInput): Promise<WeeklyReport> {
  const { store, catalog, config } = input;
  const window = reportWindow(input.nowMs, input.isoWeek);
  const nowMs = window.endMs;
  const weekStartMs = window.startMs;
  const lastStartMs = weekStartMs - 7 * DAY_MS;
  const metas: SnapshotMeta[] = await store.snapshotsBetween(lastStartMs - 2 * DAY_MS, nowMs + 1);
  const snaps: { meta: SnapshotMeta; instances: Instance[] }[] = [];
  for (const meta of metas) snaps.push({ meta, instances: await store.instances(meta.id) });
  const { entries, unpriced } = ledgerEntries(snaps, catalog, nowMs);
  const thisWeekUsd = spendBetween(entries, {}, weekStartMs, nowMs);
  const lastWeekUsd = spendBetween(entries, {}, lastStartMs, weekStartMs);
  const keyed = new Map<string, { cloud: string; account: string }>();
  for (const e of entries) keyed.set(`${e.cloud}|${e.account}`, { cloud: e.cloud, account: e.account });
  const byAccount = [...keyed.values()]
    .map((k) => {
      const scope = { cloud: k.cloud as Instance['cloud'], account: k.account };
      const t = spendBetween(entries, scope, weekStartMs, nowMs);
      const l = spendBetween(entries, scope, lastStartMs, weekStartMs);
      return { ...k, thisWeekUsd: r2(t), lastWeekUsd: r2(l), deltaUsd: r2(t - l) };
    })
    .sort((a, b) => b.thisWeekUsd - a.thisWeekUsd || a.account.localeCompare(b.account));
  const clouds = [...new Set(byAccount.map((a) => a.cloud))].sort();
  const byCloud = clouds.map((cloud) => ({
    cloud,
    thisWeekUsd: r2(spendBetween(entries, { cloud: cloud as Instance['cloud'] }, weekStartMs, nowMs)),
    lastWeekUsd: r2(spendBetween(entries, { cloud: cloud as Instance['cloud'] }, lastStartMs, weekStartMs)),
  }));

  // The fleet as it was at the window's end: the latest snapshot, or for a past week the last one before its end.
  const latest = input.isoWeek === undefined ? await store.latestSnapshot() : metas.at(-1);
  let rec: WeeklyReport['recommendations'] = { count: 0, monthlySavingsUsd: 0, source: 'none', byKind: {}, top: [] };
  let plans: WeeklyReport['purchasePlans'] = { pools: 0, withCommitment: 0, allOnDemandMonthlyUsd: 0, recommendedMonthlyUsd: 0, top: [] };
  const skipsByReason: Record<string, number> = {};
  let utilization: FleetUtilization = { instancesMeasured: 0, cpuP95MedianPct: null, memMaxMedianPct: null, gpu: { targetPct: config.report.gpuTargetUtilizationPct, gpuInstances: 0, gpuHours: 0, idleGpuHours: 0, idleGpuCostUsd: 0 } };
  if (latest) {
    const results = await resultsOf(store, catalog, config, latest);
    const items = results.recommendations;
    const byKind: Record<string, number> = {};
    for (const r of items) byKind[r.kind] = (byKind[r.kind] ?? 0) + 1;
    const byId = new Map((await store.instances(latest.id)).map((i) => [i.id, i]));
    rec = {
      count: items.length,
      monthlySavingsUsd: r2(items.reduce((a, r) => a + Math.max(0, r.monthlySavingsUsd), 0)),
      source: results.source,
      byKind,
      top: items.slice(0, 10).map((r) => {
        const inst = byId.get(r.instanceId);
        const name = inst?.name?.trim();
        const target = { recommendationId: r.id, instanceId: r.instanceId, cloud: r.cloud, account: r.account, region: r.region, ...(inst?.zone ? { zone: inst.zone } : {}), ...(name ? { name } : {}), action: r.action, recommendedType: r.recommendedType };
        return { id: r.id, instanceId: r.instanceId, displayName: name || shortId(r.instanceId), shortId: shortId(r.instanceId), cloud: r.cloud, account: r.account, region: r.region, kind: r.kind, change: `${r.currentType} → ${r.action === 'stop' ? 'stop' : r.recommendedType}`, monthlySavingsUsd: r.monthlySavingsUsd, risk: r.risk, hoursSaturated: r.backtest.hoursSaturated, actions: findingActions(target) };
      }),
    };
    const pp = results.plans;
    plans = {
      pools: pp.length,
      withCommitment: pp.filter((p) => p.commitments.length > 0).length,
      allOnDemandMonthlyUsd: r2(pp.reduce((a, p) => a + p.monthlyCostAllOnDemandUsd, 0)),
      recommendedMonthlyUsd: r2(pp.reduce((a, p) => a + p.monthlyCostRecommendedUsd, 0)),
      top: [...pp].sort((a, b) => b.monthlySavingsUsd - a.monthlySavingsUsd).slice(0, 5).map((p) => ({ pool: p.pool, commitments: p.commitments.map((c) => `${c.term.termYears}y ${c.term.kind} $${c.quantity}/h on-demand-equivalent`).join(', ') || 'none', monthlySavingsUsd: p.monthlySavingsUsd })),
    };
    for (const s of results.skips) skipsByReason[s.reason] = (skipsByReason[s.reason] ?? 0) + 1;
    utilization = await fleetUtilization(store, catalog, latest.id, config.report.gpuTargetUtilizationPct);
  }
  const trend = latest ? await weekOverWeek(store, catalog, config, metas, latest, weekStartMs, rec.monthlySavingsUsd) : null;
  const budgets = await budgetStatuses({ store, catalog, budgets: config.budgets, nowMs, ...(input.ledger ? { ledger: input.ledger } : {}) });
  const billOrAbsent = input.ledger
    ? await buildBillSection({
        ledger: input.ledger, weekStartMs, nowMs, instances: latest ? await store.instances(latest.id) : [],
        modeledUsdOfDay: (day) => spendBetween(entries, {}, Date.parse(`${day}T00:00:00Z`), Date.parse(`${day}T00:00:00Z`) + DAY_MS),
      })
    : { absent: NO_IMPORT };
  const bill = 'absent' in billOrAbsent ? null : billOrAbsent;
  const billAbsent = 'absent' in billOrAbsent ? billOrAbsent.absent : null;
  const policyFrontier = await policyFrontierFor({ store, catalog, settings: config.engine, snapshotId: latest?.id });
  return {
    // The ISO week holding most of the 7-day window: a Monday-morning run reports the week that just ended.
    isoWeek: window.isoWeek,
    weekStart: new Date(weekStartMs).toISOString(),
    weekEnd: new Date(nowMs).toISOString(),
    generatedAt: new Date(input.nowMs).toISOString(),
    snapshotId: latest?.id ?? null,
    spend: {
      thisWeekUsd: r2(thisWeekUsd),
      lastWeekUsd: r2(lastWeekUsd),
      changePct: lastWeekUsd > 0 ? r2((100 * (thisWeekUsd - lastWeekUsd)) / lastWeekUsd) : null,
      byCloud,
      byAccount,
      topMovers: [...byAccount].sort((a, b) => Math.abs(b.deltaUsd) - Math.abs(a.deltaUsd)).slice(0, 5),
      daily: dailySpend(entries, {}, Math.ceil(nowMs / DAY_MS) * DAY_MS - 14 * DAY_MS, nowMs).map((d) => {
        const day = { day: new Date(d.dayStartMs).toISOString().slice(0, 10), usd: r2(d.usd) };
        // The day still running holds only the hours so far: marked, so it is not read as a drop in spend.
        return d.dayStartMs + DAY_MS > nowMs ? { ...day, partial: { hours: r2((nowMs - d.dayStartMs) / 3_600_000) } } : day;
      }),
    },
    fleetWindow: latest ? { start: new Date(latest.windowStartMs).toISOString(), end: new Date(latest.windowEndMs).toISOString(), days: r2((latest.windowEndMs - latest.windowStartMs) / DAY_MS) } : null,
    utilization,
    recommendations: rec,
    trend,
    policyFrontier,
    purchasePlans: plans,
    budgets,
    bill,
    billAbsent,
    dataQuality: { scopes: (latest?.scopes ?? []).filter((s) => s.status !== 'ok').map((s) => ({ cloud: s.cloud, account: s.account, region: s.region, status: s.status, ...(s.message ? { message: s.message } : {}) })), skipsByReason, unpricedInstances: unpriced },
  };
}

/** Savings found last week and this, and last week's findings applied since (see WeeklyReport['trend']). */
async function weekOverWeek(store: Store, catalog: Catalog, config: Config, metas: readonly SnapshotMeta[], latest: SnapshotMeta, weekStartMs: number, foundNowUsd: number): Promise<WeeklyReport['trend']> {
  const previous = metas.filter((m) => m.id !== latest.id && Date.parse(m.finishedAt) < weekStartMs).at(-1);
  if (!previous) return null;
  const then = await resultsOf(store, catalog, config, previous);
  const now = new Map((await store.instances(latest.id)).map((i) => [i.id, i]));
  const applied = then.recommendations.filter((r) => {
    const inst = now.get(r.instanceId);
    return r.action === 'stop' ? inst === undefined || inst.state !== 'running' : inst !== undefined && inst.type === r.recommendedType;
  });
  const positive = (xs: readonly { monthlySavingsUsd: number }[]) => r2(xs.reduce((a, r) => a + Math.max(0, r.monthlySavingsUsd), 0));
  return {
    previousSnapshotId: previous.id,
    savingsFoundMonthlyUsd: { thisWeek: foundNowUsd, lastWeek: positive(then.recommendations) },
    realised: {
      count: applied.length,
      monthlySavingsUsd: positive(applied),
      items: applied.slice(0, 10).map((r) => {
        const name = now.get(r.instanceId)?.name?.trim();
        return { instanceId: r.instanceId, displayName: name || shortId(r.instanceId), change: `${r.currentType} → ${r.action === 'stop' ? 'stop' : r.recommendedType}`, monthlySavingsUsd: r.monthlySavingsUsd };
      }),
    },
  };
}

/**
 * The analysis results of the report's snapshot: the stored ones, or, for a snapshot that was never analyzed (a past
 * week's, since the scheduled run analyzes only the newest), computed here in memory so a past week's report shows
 * that week's findings rather than none.
 */
async function resultsOf(store: Store, catalog: Catalog, config: Config, meta: SnapshotMeta): Promise<Omit<AnalysisResults, 'snapshotId'> & { source: 'stored' | 'computed' }> {
  const recommendations = (await store.listRecommendations(meta.id, {}, { limit: 100_000 })).items;
  const skips = await store.listSkips(meta.id);
  const plans = await store.listPurchasePlans(meta.id);
  if (recommendations.length + skips.length + plans.length > 0) return { recommendations, skips, plans, source: 'stored' };
  const instances = await store.instances(meta.id);
  if (instances.length === 0) return { recommendations, skips, plans, source: 'stored' };
  const computed = await analyzeSnapshot({ meta, instances, seriesByInstance: () => store.seriesByInstance(meta.id), catalog, settings: config.engine, nowMs: meta.windowEndMs });
  const sorted = [...computed.recommendations].sort((a, b) => b.monthlySavingsUsd - a.monthlySavingsUsd || a.id.localeCompare(b.id));
  return { recommendations: sorted, skips: computed.skips, plans: computed.plans, source: 'computed' };
}

export interface BuiltWeeklyReport {
  isoWeek: string;
  report: WeeklyReport;
  json: string;
  html: string;
  markdown: string;
  /** A short Block Kit message linking to the full report. */
  slackSummary: { text: string; blocks: unknown[] };
}

/** Builds the report in every format (pure rendering over the data read from the store). */
export async function buildWeeklyReport(input: WeeklyReportInput & { link?: string }): Promise<BuiltWeeklyReport> {
  const report = await buildWeeklyReportData(input);
  return {
    isoWeek: report.isoWeek,
    report,
    json: `${JSON.stringify(report, null, 2)}\n`,
    html: renderHtml(report),
    markdown: renderMarkdown(report),
    slackSummary: slackSummary(report, input.link),
  };
}

/** Builds the report and stores the three formats as blobs (`reports/weekly/<isoWeek>.{json,html,md}`), which the API serves. */
export async function writeWeeklyReport(input: WeeklyReportInput & { link?: string }): Promise<BuiltWeeklyReport & { keys: string[] }> {
  const built = await buildWeeklyReport(input);
  const base = `reports/weekly/${built.isoWeek}`;
  await input.store.putBlob(`${base}.json`, 'application/json', built.json);
  await input.store.putBlob(`${base}.html`, 'text/html', built.html);
  await input.store.putBlob(`${base}.md`, 'text/markdown', built.markdown);
  return { ...built, keys: [`${base}.json`, `${base}.html`, `${base}.md`] };
}
