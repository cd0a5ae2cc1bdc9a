import { dayRange, daysLabel, partialDayNote, signedPct, signedUsd, usd } from './format.js';
import { safeHref } from './escape/html.js';
import { billMarkdown } from './bill-render.js';
import { FRONTIER_COLUMNS, frontierRows, scopeHeading, scopeSummary, type PolicyFrontier } from './policy-frontier.js';
import { mdCode, mdText } from './escape/markdown.js';
import type { TopRecommendation, WeeklyReport } from './weekly.js';

// Every value that reaches the Markdown goes through mdText (or mdCode in a code span): table() escapes every cell,
// so a scope message or an account name cannot add rows, HTML, links or images. The one exception is a figure this
// module formats from a number (`$1,234`, `+$815`), marked with ours() so it stays readable in the raw file.
interface Ours {
  ours: string;
}
type Cell = string | number | Ours;
/** Text formatted here from numbers only (usd, signedUsd): never data, so not escaped. */
const ours = (text: string): Ours => ({ ours: text });
const cellText = (c: Cell) => (typeof c === 'object' ? c.ours : mdText(c));
const table = (head: string[], rows: Cell[][]) => [`| ${head.map(mdText).join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cellText).join(' | ')} |`)].join('\n');

/** A safeHref URL as a bare link destination: parentheses percent-encoded so none closes the link early. */
const destination = (url: string) => url.replace(/[()]/g, (c) => (c === '(' ? '%28' : '%29'));

/** What to do: the console link (only to a known console, see safeHref), the CLI command, the API link. */
function todo(t: TopRecommendation): Ours {
  const console = safeHref(t.actions.consoleUrl);
  const api = safeHref(t.actions.api);
  const consolePart = console === undefined ? mdText(`${t.cloud} console`) : `[${mdText(`${t.cloud} console`)}](${destination(console)})`;
  const apiPart = api === undefined ? mdText('API') : `[API](${destination(api)})`;
  // The command as text, not a code span: GFM splits a table cell at a `|` even inside a code span.
  return ours(`${consolePart} · ${apiPart} · ${mdText(t.actions.cli)}${t.actions.change ? ` · ${mdText(t.actions.change)}` : ''}`);
}

/** Each channel and its delivery state; a dead or unset webhook shows its reason. */
const channelCell = (cs: WeeklyReport['budgets'][number]['channels']) => cs.map((c) => `${c.channel} ${c.state}${c.detail && c.state !== 'ok' ? ` (${c.detail})` : ''}`).join('; ') || 'none';

/** Per scope: a line naming auto's pick and the configured policy, and the frontier as a table. */
function frontierSection(f: PolicyFrontier): string {
  if (f.status === 'unavailable') return `No policy frontier: ${mdText(f.reason)}.`;
  const intro = `Walk-forward validation on snapshot ${mdCode(f.snapshotId)} (${mdText(f.windowStart.slice(0, 10))} → ${mdText(f.windowEnd.slice(0, 10))}): each candidate policy sized on ${f.trainDays} days, then measured on the next ${f.testDays} days it never saw.`;
  if (f.scopes.length === 0) return `${intro}\n\nNo running instance with a CPU series to evaluate.`;
  return [intro, ...f.scopes.map((s) => [`### ${mdText(scopeHeading(s))}`, mdText(scopeSummary(s)), ...(s.points.length === 0 ? [] : [table([...FRONTIER_COLUMNS], frontierRows(s))])].join('\n\n'))].join('\n\n');
}

export function renderMarkdown(r: WeeklyReport): string {
  const s = r.spend;
  const change = signedPct(s.changePct);
  const fw = r.fleetWindow;
  const fleetPeriod = fw ? `${daysLabel(fw.days)} to ${fw.end.slice(0, 10)}` : 'no snapshot';
  const partial = partialDayNote(s.daily);
  return `# Rightsize weekly report — ${mdText(r.isoWeek)}

Spend week ${mdText(dayRange(r.weekStart, r.weekEnd))} (UTC) · ${r.snapshotId === null ? 'no snapshot in the store yet: run `rightsize collect` (or `rightsize demo`) first' : `fleet figures from snapshot ${mdCode(r.snapshotId)}${fw ? `, utilization window ${mdText(dayRange(fw.start, fw.end))}` : ''}`}

- **Spend, 7 days ${mdText(dayRange(r.weekStart, r.weekEnd))}: ${usd(s.thisWeekUsd)}** (${change} vs ${usd(s.lastWeekUsd)} the 7 days before)
- **Savings found: ${usd(r.recommendations.monthlySavingsUsd)}/month** in ${r.recommendations.count} open recommendations (USD per month)
- **Idle GPU capacity, ${mdText(fleetPeriod)}: ${usd(r.utilization.gpu.idleGpuCostUsd)}** (GPU-hours below ${r.utilization.gpu.targetPct}% utilization, at on-demand prices)

## Spend per cloud (modeled: running instances × catalog prices; USD, 7 days)

${table(['cloud', 'this week', 'week before'], s.byCloud.map((c) => [c.cloud, ours(usd(c.thisWeekUsd)), ours(usd(c.lastWeekUsd))]))}

${partial ? `Daily spend: ${mdText(partial)}\n\n` : ''}## Top movers (accounts, USD over 7 days)

${table(['cloud', 'account', 'this week', 'week before', 'change'], s.topMovers.map((m) => [m.cloud, m.account, ours(usd(m.thisWeekUsd)), ours(usd(m.lastWeekUsd)), ours(signedUsd(m.deltaUsd))]))}

${billMarkdown(r.bill, table, r.billAbsent)}
## Fleet utilization

${fw === null ? 'No snapshot, so no utilization figures.' : `Utilization window ${mdText(`${dayRange(fw.start, fw.end)} (${daysLabel(fw.days)})`)}: median CPU p95 ${r.utilization.cpuP95MedianPct?.toFixed(1) ?? 'n/a'}%, median memory max ${r.utilization.memMaxMedianPct?.toFixed(1) ?? 'n/a'}% over ${r.utilization.instancesMeasured} instances. GPU: ${r.utilization.gpu.gpuHours.toLocaleString('en-US')} GPU-hours, ${r.utilization.gpu.idleGpuHours.toLocaleString('en-US')} idle against ${r.utilization.gpu.targetPct}% (${usd(r.utilization.gpu.idleGpuCostUsd)}).`}

## Top recommendations

${r.recommendations.source === 'computed' ? 'This week\'s snapshot was never analyzed by the scheduled run: its findings were computed for this report.\n\n' : ''}${r.recommendations.top.length === 0 ? 'No recommendation.' : table(['instance', 'id', 'where', 'finding', 'saves/month', 'risk', 'what to do'], r.recommendations.top.map((t) => [t.displayName, t.shortId, `${t.cloud}/${t.region}`, `${t.kind}: ${t.change}`, ours(usd(t.monthlySavingsUsd)), `${t.risk}/4, ${t.hoursSaturated} h saturated`, todo(t)]))}

Risk 0/4 is safest. Full ids, evidence and risk factors: \`rightsize explain RECOMMENDATION-ID\` or \`GET /v1/recommendations/RECOMMENDATION-ID\`.

## Week over week

${r.trend === null ? 'No snapshot from before this week to compare with.' : `Savings found (USD per month): ${usd(r.trend.savingsFoundMonthlyUsd.thisWeek)} this week, ${usd(r.trend.savingsFoundMonthlyUsd.lastWeek)} in the last snapshot before it. Applied since then: ${r.trend.realised.count} finding${r.trend.realised.count === 1 ? '' : 's'}, ${usd(r.trend.realised.monthlySavingsUsd)} per month realised.${r.trend.realised.items.length === 0 ? '' : `\n\n${table(['instance', 'change applied', 'saves/month'], r.trend.realised.items.map((i) => [i.displayName, i.change, ours(usd(i.monthlySavingsUsd))]))}`}`}

## Right-sizing policy frontier

${frontierSection(r.policyFrontier)}

## Purchase plans

${r.purchasePlans.pools} pools (${r.purchasePlans.withCommitment} with a commitment): ${usd(r.purchasePlans.allOnDemandMonthlyUsd)}/month all on-demand → ${usd(r.purchasePlans.recommendedMonthlyUsd)}/month planned.

${table(['pool', 'commitments', 'saves/month vs today'], r.purchasePlans.top.map((p) => [p.pool, p.commitments, ours(usd(p.monthlySavingsUsd))]))}

## Budgets

${r.budgets.length === 0 ? 'No budgets configured.' : table(['budget', 'period', 'amount', 'actual', 'forecast', 'crossed', 'alert channels'], r.budgets.map((b) => [b.name, b.period, ours(usd(b.amountUsd)), ours(usd(b.actualUsd)), ours(usd(b.forecastUsd)), b.thresholdsCrossed.map((t) => `${t.kind} ${t.pct}%`).join(', ') || '—', channelCell(b.channels)]))}

## Data quality

${r.snapshotId === null ? 'Nothing collected yet.' : r.dataQuality.scopes.length === 0 ? 'All scopes collected.' : table(['cloud', 'account', 'region', 'status', 'message'], r.dataQuality.scopes.map((q) => [q.cloud, q.account, q.region, q.status, q.message ?? '']))}

Skipped: ${mdText(Object.entries(r.dataQuality.skipsByReason).map(([k, n]) => `${k} ${n}`).join(', ') || 'none')}. Unpriced instance-snapshots: ${r.dataQuality.unpricedInstances}.
`;
}
