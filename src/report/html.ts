import { barChart, frontierChart, lineChart } from './charts.js';
import { html as esc } from './escape/html.js';
import { signedPct, signedUsd, usd } from './format.js';
import { FRONTIER_COLUMNS, frontierRows, scopeHeading, scopeSummary, type PolicyFrontier } from './policy-frontier.js';
import type { WeeklyReport } from './weekly.js';

const table = (head: string[], rows: (string | number)[][]) =>
  `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;

/** One self-contained HTML file: inline CSS and SVG, no scripts, viewable offline. */
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

export function renderHtml(r: WeeklyReport): string {
  const s = r.spend;
  const change = signedPct(s.changePct);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Rightsize weekly report ${esc(r.isoWeek)}</title>
<style>body{font:14px system-ui,sans-serif;max-width:980px;margin:2rem auto;padding:0 1rem;color:#1d2733}h1{margin:0}h2{margin-top:2rem;border-bottom:1px solid #dde3ea}table{border-collapse:collapse;margin:.5rem 0}td,th{padding:.25rem .6rem;border-bottom:1px solid #eef1f4;text-align:left}.kpi{display:inline-block;margin-right:2rem}.kpi b{font-size:1.4rem;display:block}svg.chart{display:block;margin:1rem 0}</style></head><body>
<h1>Rightsize weekly report — ${esc(r.isoWeek)}</h1><p>${esc(r.weekStart.slice(0, 10))} → ${esc(r.weekEnd.slice(0, 10))}; snapshot ${esc(r.snapshotId ?? 'none')}</p>
<div><span class="kpi"><b>${usd(s.thisWeekUsd)}</b>spend this week (${esc(change)} vs ${usd(s.lastWeekUsd)})</span><span class="kpi"><b>${usd(r.recommendations.monthlySavingsUsd)}</b>monthly savings in ${r.recommendations.count} recommendations</span><span class="kpi"><b>${usd(r.utilization.gpu.idleGpuCostUsd)}</b>idle GPU capacity (below ${r.utilization.gpu.targetPct}%)</span></div>
<h2>Spend</h2>
${barChart('Spend per cloud: this week vs last week', s.byCloud.map((c) => ({ label: c.cloud, values: [c.thisWeekUsd, c.lastWeekUsd] })), ['this week', 'last week'])}
${lineChart('Daily spend, last 14 days', s.daily.map((d) => ({ label: d.day, value: d.usd })))}
<h3>Top movers (accounts)</h3>${table(['cloud', 'account', 'this week', 'last week', 'change'], s.topMovers.map((m) => [m.cloud, m.account, usd(m.thisWeekUsd), usd(m.lastWeekUsd), signedUsd(m.deltaUsd)]))}
<h2>Fleet utilization</h2><p>Median CPU p95 ${esc(r.utilization.cpuP95MedianPct?.toFixed(1) ?? 'n/a')}% and median memory max ${esc(r.utilization.memMaxMedianPct?.toFixed(1) ?? 'n/a')}% across ${r.utilization.instancesMeasured} measured instances. GPUs: ${r.utilization.gpu.gpuInstances} instances, ${r.utilization.gpu.gpuHours.toLocaleString('en-US')} GPU-hours in the window, ${r.utilization.gpu.idleGpuHours.toLocaleString('en-US')} of them idle against a ${r.utilization.gpu.targetPct}% target (${usd(r.utilization.gpu.idleGpuCostUsd)}).</p>
<h2>Top recommendations</h2>
${barChart('Recommendations by kind (count)', Object.entries(r.recommendations.byKind).sort().map(([k, n]) => ({ label: k, values: [n] })), ['recommendations']).replace(/\$/g, '')}
${table(['instance', 'where', 'kind', 'change', 'saves/month', 'risk', 'backtest h saturated'], r.recommendations.top.map((t) => [t.instanceId, `${t.cloud}/${t.region}`, t.kind, t.change, usd(t.monthlySavingsUsd), `${t.risk}/4`, t.hoursSaturated]))}
<h2>Right-sizing policy frontier</h2>
${frontierSection(r.policyFrontier)}
<h2>Purchase plans</h2><p>${r.purchasePlans.pools} pools, ${r.purchasePlans.withCommitment} with a commitment: ${usd(r.purchasePlans.allOnDemandMonthlyUsd)}/month all on-demand → ${usd(r.purchasePlans.recommendedMonthlyUsd)}/month planned.</p>
${table(['pool', 'commitments', 'saves/month vs today'], r.purchasePlans.top.map((p) => [p.pool, p.commitments, usd(p.monthlySavingsUsd)]))}
<h2>Budgets</h2>${r.budgets.length === 0 ? '<p>No budgets configured.</p>' : table(['budget', 'period', 'amount', 'actual', 'forecast', 'thresholds crossed', 'alert channels'], r.budgets.map((b) => [b.name, b.period, usd(b.amountUsd), usd(b.actualUsd), usd(b.forecastUsd), b.thresholdsCrossed.map((t) => `${t.kind} ${t.pct}%`).join(', ') || '—', channelCell(b.channels)]))}
<h2>Data quality</h2>${r.dataQuality.scopes.length === 0 ? '<p>All scopes collected.</p>' : table(['cloud', 'account', 'region', 'status', 'message'], r.dataQuality.scopes.map((s) => [s.cloud, s.account, s.region, s.status, s.message ?? '']))}
<p>Skipped instances: ${esc(Object.entries(r.dataQuality.skipsByReason).map(([k, n]) => `${k} ${n}`).join(', ') || 'none')}. Unpriced instance-snapshots: ${r.dataQuality.unpricedInstances}.</p>
</body></html>
`;
}
