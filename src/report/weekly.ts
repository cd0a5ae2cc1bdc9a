import type { Catalog } from '../catalog/catalog.js';
import type { Config } from '../config.js';
import { budgetStatuses } from '../budgets/evaluate.js';
import type { BudgetStatusDetail } from '../budgets/evaluate.js';
import { isoWeekLabel } from '../budgets/period.js';
import type { Instance } from '../domain/instance.js';
import type { SnapshotMeta } from '../domain/snapshot.js';
import { dailySpend, ledgerEntries, spendBetween } from '../engine/ledger.js';
import type { Store } from '../store/store.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';

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
    daily: { day: string; usd: number }[];
  };
  utilization: {
    instancesMeasured: number;
    cpuP95MedianPct: number | null;
    memMaxMedianPct: number | null;
    gpu: { targetPct: number; gpuHours: number; idleGpuHours: number; idleGpuCostUsd: number; gpuInstances: number };
  };
  recommendations: { count: number; monthlySavingsUsd: number; byKind: Record<string, number>; top: { id: string; instanceId: string; cloud: string; region: string; kind: string; change: string; monthlySavingsUsd: number; risk: number; hoursSaturated: number }[] };
  purchasePlans: { pools: number; withCommitment: number; allOnDemandMonthlyUsd: number; recommendedMonthlyUsd: number; top: { pool: string; commitments: string; monthlySavingsUsd: number }[] };
  budgets: BudgetStatusDetail[];
  dataQuality: { scopes: { cloud: string; account: string; region: string; status: string; message?: string }[]; skipsByReason: Record<string, number>; unpricedInstances: number };
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Builds the weekly report data: the 7 days before `nowMs` against the 7 days before that. */
export async function buildWeeklyReportData(input: { store: Store; catalog: Catalog; config: Config; nowMs: number }): Promise<WeeklyReport> {
  const { store, catalog, config, nowMs } = input;
  const weekStartMs = nowMs - 7 * DAY_MS;
  const lastStartMs = nowMs - 14 * DAY_MS;
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

  const latest = await store.latestSnapshot();
  let rec: WeeklyReport['recommendations'] = { count: 0, monthlySavingsUsd: 0, byKind: {}, top: [] };
  let plans: WeeklyReport['purchasePlans'] = { pools: 0, withCommitment: 0, allOnDemandMonthlyUsd: 0, recommendedMonthlyUsd: 0, top: [] };
  const skipsByReason: Record<string, number> = {};
  const utilization: WeeklyReport['utilization'] = { instancesMeasured: 0, cpuP95MedianPct: null, memMaxMedianPct: null, gpu: { targetPct: config.report.gpuTargetUtilizationPct, gpuHours: 0, idleGpuHours: 0, idleGpuCostUsd: 0, gpuInstances: 0 } };
  if (latest) {
    const all = await store.listRecommendations(latest.id, {}, { limit: 100_000 });
    const byKind: Record<string, number> = {};
    for (const r of all.items) byKind[r.kind] = (byKind[r.kind] ?? 0) + 1;
    rec = {
      count: all.items.length,
      monthlySavingsUsd: r2(all.items.reduce((a, r) => a + Math.max(0, r.monthlySavingsUsd), 0)),
      byKind,
      top: all.items.slice(0, 10).map((r) => ({ id: r.id, instanceId: r.instanceId, cloud: r.cloud, region: r.region, kind: r.kind, change: `${r.currentType} → ${r.recommendedType ?? 'stop'}`, monthlySavingsUsd: r.monthlySavingsUsd, risk: r.risk, hoursSaturated: r.backtest.hoursSaturated })),
    };
    const pp = await store.listPurchasePlans(latest.id);
    plans = {
      pools: pp.length,
      withCommitment: pp.filter((p) => p.commitments.length > 0).length,
      allOnDemandMonthlyUsd: r2(pp.reduce((a, p) => a + p.monthlyCostAllOnDemandUsd, 0)),
      recommendedMonthlyUsd: r2(pp.reduce((a, p) => a + p.monthlyCostRecommendedUsd, 0)),
      top: [...pp].sort((a, b) => b.monthlySavingsUsd - a.monthlySavingsUsd).slice(0, 5).map((p) => ({ pool: p.pool, commitments: p.commitments.map((c) => `${c.term.termYears}y ${c.term.kind} $${c.quantity}/h on-demand-equivalent`).join(', ') || 'none', monthlySavingsUsd: p.monthlySavingsUsd })),
    };
    for (const s of await store.listSkips(latest.id)) skipsByReason[s.reason] = (skipsByReason[s.reason] ?? 0) + 1;
    // Fleet utilization from the latest snapshot's series; idle GPU capacity against the target.
    const instances = new Map((await store.instances(latest.id)).map((i) => [i.id, i]));
    const cpuP95s: number[] = [];
    const memMaxes: number[] = [];
    const target = config.report.gpuTargetUtilizationPct;
    for await (const group of store.seriesByInstance(latest.id)) {
      const instance = instances.get(group.instanceId);
      const type = instance ? catalog.type(instance.cloud, instance.type) : undefined;
      for (const s of group.series) {
        const vals = Array.from(s.max).filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
        if (vals.length === 0) continue;
        if (s.metric === 'cpu') cpuP95s.push(vals[Math.min(vals.length - 1, Math.ceil(0.95 * vals.length) - 1)] as number);
        if (s.metric === 'mem') memMaxes.push(vals[vals.length - 1] as number);
        if (s.metric === 'gpu' && instance && type?.gpu) {
          const gpus = type.gpu.count;
          const hourlyUsd = catalog.onDemandHourlyUsd(instance.cloud, instance.region, instance.type) ?? 0;
          utilization.gpu.gpuInstances++;
          for (const v of s.mean) {
            if (Number.isNaN(v)) continue;
            utilization.gpu.gpuHours += gpus;
            const idle = (gpus * Math.max(0, target - v)) / target;
            utilization.gpu.idleGpuHours += idle;
            utilization.gpu.idleGpuCostUsd += (idle / gpus) * hourlyUsd;
          }
        }
      }
    }
    utilization.instancesMeasured = cpuP95s.length;
    utilization.cpuP95MedianPct = median(cpuP95s);
    utilization.memMaxMedianPct = median(memMaxes);
    utilization.gpu.idleGpuHours = Math.round(utilization.gpu.idleGpuHours);
    utilization.gpu.idleGpuCostUsd = r2(utilization.gpu.idleGpuCostUsd);
  }
  const budgets = await budgetStatuses({ store, catalog, budgets: config.budgets, nowMs });
  return {
    // The ISO week holding most of the 7-day window: a Monday-morning run reports the week that just ended.
    isoWeek: isoWeekLabel(nowMs - 3.5 * DAY_MS),
    weekStart: new Date(weekStartMs).toISOString(),
    weekEnd: new Date(nowMs).toISOString(),
    generatedAt: new Date(nowMs).toISOString(),
    snapshotId: latest?.id ?? null,
    spend: {
      thisWeekUsd: r2(thisWeekUsd),
      lastWeekUsd: r2(lastWeekUsd),
      changePct: lastWeekUsd > 0 ? r2((100 * (thisWeekUsd - lastWeekUsd)) / lastWeekUsd) : null,
      byCloud,
      byAccount,
      topMovers: [...byAccount].sort((a, b) => Math.abs(b.deltaUsd) - Math.abs(a.deltaUsd)).slice(0, 5),
      daily: dailySpend(entries, {}, Math.floor(nowMs / DAY_MS) * DAY_MS - 13 * DAY_MS, nowMs).map((d) => ({ day: new Date(d.dayStartMs).toISOString().slice(0, 10), usd: r2(d.usd) })),
    },
    utilization,
    recommendations: rec,
    purchasePlans: plans,
    budgets,
    dataQuality: { scopes: (latest?.scopes ?? []).filter((s) => s.status !== 'ok').map((s) => ({ cloud: s.cloud, account: s.account, region: s.region, status: s.status, ...(s.message ? { message: s.message } : {}) })), skipsByReason, unpricedInstances: unpriced },
  };
}

/** Builds the report in every format and stores them as blobs (`reports/weekly/<isoWeek>.{json,html,md}`). */
export async function writeWeeklyReport(input: { store: Store; catalog: Catalog; config: Config; nowMs: number; link?: string }): Promise<{ report: WeeklyReport; keys: string[]; html: string; markdown: string; json: string; slackSummary: unknown }> {
  const report = await buildWeeklyReportData(input);
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const html = renderHtml(report);
  const markdown = renderMarkdown(report);
  const base = `reports/weekly/${report.isoWeek}`;
  await input.store.putBlob(`${base}.json`, 'application/json', json);
  await input.store.putBlob(`${base}.html`, 'text/html', html);
  await input.store.putBlob(`${base}.md`, 'text/markdown', markdown);
  const usd = (x: number) => `$${Math.round(x).toLocaleString('en-US')}`;
  const slackSummary = {
    text: `Rightsize weekly report ${report.isoWeek}: spend ${usd(report.spend.thisWeekUsd)} (${report.spend.changePct === null ? 'n/a' : `${report.spend.changePct > 0 ? '+' : ''}${report.spend.changePct}%`} vs last week); ${report.recommendations.count} recommendations worth ${usd(report.recommendations.monthlySavingsUsd)}/month${input.link ? ` — ${input.link}` : ''}`,
  };
  return { report, keys: [`${base}.json`, `${base}.html`, `${base}.md`], html, markdown, json, slackSummary };
}
