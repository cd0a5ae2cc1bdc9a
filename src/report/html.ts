import { barChart, frontierChart, lineChart } from './charts.js';
import { billHtml } from './bill-render.js';
import { html as esc, safeHref } from './escape/html.js';
import { dayRange, daysLabel, partialDayNote, signedPct, signedUsd, usd } from './format.js';
import { FRONTIER_COLUMNS, frontierRows, scopeHeading, scopeSummary, type PolicyFrontier } from './policy-frontier.js';
import type { TopRecommendation, WeeklyReport } from './weekly.js';

/** Markup built here from escaped parts (a finding's cells); every other cell is data and escaped by table(). */
interface Markup {
  markup: string;
}
const cell = (c: string | number | Markup) => (typeof c === 'object' ? c.markup : esc(c));
const table = (head: string[], rows: (string | number | Markup)[][], cls = '') =>
  `<table${cls ? ` class="${cls}"` : ''}><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${cell(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;

/**
 * Fits a 960 px column and an A4 page: every table spans the column and wraps long words, charts scale down, links
 * print their target. No script anywhere (the API serves the report with a CSP that allows none).
 */
const STYLE = `*{box-sizing:border-box}body{font:14px system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#1d2733}h1{margin:0;font-size:1.6rem}h2{margin-top:2rem;border-bottom:1px solid #dde3ea}table{border-collapse:collapse;margin:.5rem 0;width:100%}td,th{padding:.25rem .5rem;border-bottom:1px solid #eef1f4;text-align:left;vertical-align:top;overflow-wrap:anywhere}th{font-size:.85rem;color:#4a5866}td.n,th.n{text-align:right;white-space:nowrap}.kpis{display:flex;flex-wrap:wrap;gap:1rem;margin:1rem 0}.kpi{flex:1 1 14rem;border:1px solid #dde3ea;border-radius:6px;padding:.6rem .8rem}.kpi b{font-size:1.4rem;display:block}.kpi small,.note,.sub{color:#4a5866}.sub{display:block;font-size:.8rem}svg.chart{display:block;margin:1rem 0;max-width:100%;height:auto}code{font-size:.85em;background:#f3f5f8;padding:0 .2rem;overflow-wrap:anywhere}.nowrap{white-space:nowrap}.findings tr.finding td{border-bottom:0}.findings tr.action td{padding-top:0;font-size:.85rem}.todo{margin-right:.6rem}code.change{display:block;margin-top:.2rem}.todo a,.todo span{margin-left:.6rem}@media print{body{margin:0;max-width:none;font-size:11px}h2{break-after:avoid}tr,svg.chart,.kpi{break-inside:avoid}tr.finding{break-after:avoid}a{color:inherit}.todo a[href^="http"]::after{content:" (" attr(href) ")";font-size:.7rem;overflow-wrap:anywhere}}`;

/** A finding's instance cell: its name first, the shortened id under it with the full id on hover. */
const instanceCell = (t: TopRecommendation): Markup => ({
  markup: `${esc(t.displayName)}<span class="sub" title="${esc(t.instanceId)}">${esc(t.displayName === t.shortId ? t.cloud : t.shortId)} · ${esc(t.account)}</span>`,
});

/** What to do: the console page, the API link and the CLI command with the full evidence. */
const todoCell = (t: TopRecommendation) =>
  `<span class="todo">What to do: ${link(t.actions.consoleUrl, `open in the ${t.cloud} console`, `${t.instanceId} in the ${t.cloud} console`)}${link(t.actions.api, 'API: full evidence')}</span><code>${esc(t.actions.cli)}</code>${t.actions.change ? `<code class="change">${esc(t.actions.change)}</code>` : ''}`;

/** A link to one of the report's known targets (safeHref); any other URL is shown as text, never followed. */
const link = (url: string, text: string, title?: string) => {
  const href = safeHref(url);
  return href === undefined ? `<span>${esc(text)}</span>` : `<a href="${esc(href)}"${title === undefined ? '' : ` title="${esc(title)}"`}>${esc(text)}</a>`;
};

/** One finding per two rows: the figures, then what to do across the whole width (a long id wraps there, not in a column). */
const findingsTable = (top: TopRecommendation[]) => {
  const head = ['instance', 'region', 'finding', 'saves/month', 'risk'].map((h, i) => `<th${i === 3 ? ' class="n"' : ''}>${esc(h)}</th>`).join('');
  const rows = top.map((t) => {
    const figures = [instanceCell(t).markup, `<span class="nowrap">${esc(t.region)}</span>`, `${esc(t.change)}<span class="sub">${esc(t.kind)}</span>`, esc(usd(t.monthlySavingsUsd)), `${esc(`${t.risk}/4`)}<span class="sub">${esc(`${t.hoursSaturated} h saturated in backtest`)}</span>`];
    return `<tr class="finding">${figures.map((c, i) => `<td${i === 3 ? ' class="n"' : ''}>${c}</td>`).join('')}</tr><tr class="action"><td colspan="5">${todoCell(t)}</td></tr>`;
  });
  return `<table class="findings"><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
};

/** Each channel and its delivery state; a dead or unset webhook shows its reason. */
const channelCell = (cs: WeeklyReport['budgets'][number]['channels']) => cs.map((c) => `${c.channel} ${c.state}${c.detail && c.state !== 'ok' ? ` (${c.detail})` : ''}`).join('; ') || 'none';

/** Per scope: the frontier chart, a line naming auto's pick and the configured policy, and the table. */
function frontierSection(f: PolicyFrontier): string {
  if (f.status === 'unavailable') return `<p>No policy frontier: ${esc(f.reason)}.</p>`;
  const intro = `<p>Walk-forward validation on snapshot ${esc(f.snapshotId)} (${esc(f.windowStart.slice(0, 10))} → ${esc(f.windowEnd.slice(0, 10))}): each candidate policy sized on ${f.trainDays} days of history, then measured on the next ${f.testDays} days it never saw.</p>`;
  if (f.scopes.length === 0) return `${intro}<p>No running instance with a CPU series to evaluate.</p>`;
  return intro + f.scopes
    .map((s) => {
      const chart = s.points.length === 0 ? '' : frontierChart(`Policy frontier, ${s.scope}: savings vs time over capacity`, s.points.map((p) => ({ id: p.id, label: p.label, overPct: p.outOfSampleOverPct, savingsPct: p.savingsPct, auto: p.id === s.autoPick, configured: p.id === s.configuredPolicyId })), s.budgetPct);
      return `<h3>${esc(scopeHeading(s))}</h3>${chart}<p>${esc(scopeSummary(s))}</p>${s.points.length === 0 ? '' : table([...FRONTIER_COLUMNS], frontierRows(s))}`;
    })
    .join('\n');
}

/** One self-contained HTML file: inline CSS and SVG, no scripts, viewable offline. */
function trendHtml(r: WeeklyReport): string {
  const t = r.trend;
  if (t === null) return '<p>No snapshot from before this week to compare with.</p>';
  const found = `<p>Savings found (USD per month): ${esc(usd(t.savingsFoundMonthlyUsd.thisWeek))} this week, ${esc(usd(t.savingsFoundMonthlyUsd.lastWeek))} in the last snapshot before it. Applied since then: ${t.realised.count} finding${t.realised.count === 1 ? '' : 's'}, ${esc(usd(t.realised.monthlySavingsUsd))} per month realised.</p>`;
  return t.realised.items.length === 0 ? found : found + table(['instance', 'change applied', 'saves/month'], t.realised.items.map((i) => [i.displayName, i.change, usd(i.monthlySavingsUsd)]));
}

export function renderHtml(r: WeeklyReport): string {
  const s = r.spend;
  const change = signedPct(s.changePct);
  const week = dayRange(r.weekStart, r.weekEnd);
  const fw = r.fleetWindow;
  const fleetPeriod = fw ? `${daysLabel(fw.days)} to ${fw.end.slice(0, 10)}` : 'no snapshot';
  const snapshotLine = r.snapshotId === null ? 'No snapshot in the store yet: run <code>rightsize collect</code> (or <code>rightsize demo</code>) first.' : `fleet figures from snapshot <span title="${esc(r.snapshotId)}">${esc(r.snapshotId)}</span>${fw ? `, utilization window ${esc(dayRange(fw.start, fw.end))}` : ''}`;
  const partial = partialDayNote(s.daily);
  const computed = r.recommendations.source === 'computed' ? '<p class="note">This week\'s snapshot was never analyzed by the scheduled run: its findings were computed for this report.</p>' : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><link rel="icon" href="data:,"><title>Rightsize weekly report ${esc(r.isoWeek)}</title>
<style>${STYLE}</style></head><body>
<h1>Rightsize weekly report — ${esc(r.isoWeek)}</h1><p>Spend week ${esc(week)} (UTC); ${snapshotLine}.</p>
<div class="kpis"><div class="kpi"><b>${esc(usd(s.thisWeekUsd))}</b>spend, 7 days ${esc(week)} (USD)<small class="sub">${esc(change)} vs ${esc(usd(s.lastWeekUsd))} the 7 days before</small></div><div class="kpi"><b>${esc(usd(r.recommendations.monthlySavingsUsd))}/month</b>savings found (USD per month)<small class="sub">${r.recommendations.count} open recommendations, snapshot of ${esc(fw?.end.slice(0, 10) ?? 'none')}</small></div><div class="kpi"><b>${esc(usd(r.utilization.gpu.idleGpuCostUsd))}</b>idle GPU capacity, ${esc(fleetPeriod)} (USD)<small class="sub">GPU-hours below ${r.utilization.gpu.targetPct}% utilization, at on-demand prices</small></div></div>
<h2>Spend (modeled: running instances × catalog prices)</h2>
${barChart('Spend per cloud (USD): this week vs the week before', s.byCloud.map((c) => ({ label: c.cloud, values: [c.thisWeekUsd, c.lastWeekUsd] })), ['this week', 'week before'])}
${lineChart('Daily spend, last 14 days (USD per UTC day)', s.daily.map((d) => ({ label: d.day, value: d.usd, ...(d.partial ? { partial: `partial: ${d.partial.hours} of 24 hours` } : {}) })))}
${partial ? `<p class="note partial-day">${esc(partial)}</p>` : ''}
<h3>Top movers (accounts, USD over 7 days)</h3>${table(['cloud', 'account', 'this week', 'week before', 'change'], s.topMovers.map((m) => [m.cloud, m.account, usd(m.thisWeekUsd), usd(m.lastWeekUsd), signedUsd(m.deltaUsd)]))}
${billHtml(r.bill, table, r.billAbsent)}
<h2>Fleet utilization</h2><p>${fw === null ? 'No snapshot, so no utilization figures.' : `Utilization window ${esc(`${dayRange(fw.start, fw.end)} (${daysLabel(fw.days)})`)}: median CPU p95 ${esc(r.utilization.cpuP95MedianPct?.toFixed(1) ?? 'n/a')}% and median memory max ${esc(r.utilization.memMaxMedianPct?.toFixed(1) ?? 'n/a')}% across ${r.utilization.instancesMeasured} measured instances. GPUs: ${r.utilization.gpu.gpuInstances} instances, ${r.utilization.gpu.gpuHours.toLocaleString('en-US')} GPU-hours, ${r.utilization.gpu.idleGpuHours.toLocaleString('en-US')} of them idle against a ${r.utilization.gpu.targetPct}% target (${esc(usd(r.utilization.gpu.idleGpuCostUsd))} at on-demand prices).`}</p>
<h2>Top recommendations</h2>${computed}
${barChart('Recommendations by kind (count)', Object.entries(r.recommendations.byKind).sort().map(([k, n]) => ({ label: k, values: [n] })), ['recommendations']).replace(/\$/g, '')}
${r.recommendations.top.length === 0 ? '<p>No recommendation.</p>' : findingsTable(r.recommendations.top)}
<p class="note">Savings are USD per month at the snapshot's prices. Risk 0/4 is safest: one point each for time over capacity, a sustained shortfall, thin or unvalidated evidence and a platform change (CPU architecture, GPU model or vendor); stopping an idle instance counts one. <code>rightsize explain &lt;id&gt;</code> lists the factors.</p>
<h2>Week over week</h2>${trendHtml(r)}
<h2>Right-sizing policy frontier</h2>
${frontierSection(r.policyFrontier)}
<h2>Purchase plans</h2><p>${r.purchasePlans.pools} pools, ${r.purchasePlans.withCommitment} with a commitment: ${esc(usd(r.purchasePlans.allOnDemandMonthlyUsd))}/month all on-demand → ${esc(usd(r.purchasePlans.recommendedMonthlyUsd))}/month planned (USD per month).</p>
${table(['pool', 'commitments', 'saves (USD/month) vs today'], r.purchasePlans.top.map((p) => [p.pool, p.commitments, usd(p.monthlySavingsUsd)]))}
<h2>Budgets</h2>${r.budgets.length === 0 ? '<p>No budgets configured.</p>' : table(['budget', 'period', 'amount', 'actual', 'forecast', 'thresholds crossed', 'alert channels'], r.budgets.map((b) => [b.name, b.period, usd(b.amountUsd), usd(b.actualUsd), usd(b.forecastUsd), b.thresholdsCrossed.map((t) => `${t.kind} ${t.pct}%`).join(', ') || '—', channelCell(b.channels)]))}
<h2>Data quality</h2>${r.snapshotId === null ? '<p>Nothing collected yet.</p>' : r.dataQuality.scopes.length === 0 ? '<p>All scopes collected.</p>' : table(['cloud', 'account', 'region', 'status', 'message'], r.dataQuality.scopes.map((s) => [s.cloud, s.account, s.region, s.status, s.message ?? '']))}
<p>Skipped instances: ${esc(Object.entries(r.dataQuality.skipsByReason).map(([k, n]) => `${k} ${n}`).join(', ') || 'none')}. Unpriced instance-snapshots: ${r.dataQuality.unpricedInstances}.</p>
</body></html>
`;
}
