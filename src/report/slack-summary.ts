import { clipMrkdwn, mrkdwn, slackPlain } from '../notify/mrkdwn.js';
import { daysLabel, signedPct, signedUsd, usd } from './format.js';
import type { WeeklyReport } from './weekly.js';

/**
 * The short Slack message that announces the weekly report: the headline numbers, what needs attention
 * (budgets crossed, dead alert channels, scopes that failed) and a button to the full report.
 */
export function slackSummary(r: WeeklyReport, link?: string): { text: string; blocks: unknown[] } {
  const s = r.spend;
  const text = `Rightsize weekly report ${mrkdwn(r.isoWeek)}: spend ${usd(s.thisWeekUsd)} (${signedPct(s.changePct)} vs last week); ${r.recommendations.count} recommendations worth ${usd(r.recommendations.monthlySavingsUsd)}/month`;
  const mover = s.topMovers[0];
  const lines = [
    ...(r.bill
      ? [`*Actual spend (bill, amortized) ${mrkdwn(r.bill.fromDay)} … ${mrkdwn(r.bill.toDay)}* ${usd(r.bill.actualUsd)}, ${signedPct(r.bill.changePct)} vs ${usd(r.bill.previousUsd)} before; modeled ${usd(r.bill.modeledUsd)}; instances explain ${r.bill.reconciliation.explainedPct === null ? 'n/a' : `${r.bill.reconciliation.explainedPct.toFixed(1)}%`} of the bill`]
      : []),
    `*Spend (modeled), 7 days to ${mrkdwn(r.weekEnd.slice(0, 10))}* ${usd(s.thisWeekUsd)}, ${signedPct(s.changePct)} vs ${usd(s.lastWeekUsd)} the 7 days before${mover ? `; biggest mover ${mrkdwn(mover.cloud)} ${mrkdwn(mover.account)} ${signedUsd(mover.deltaUsd)}` : ''}`,
    `*Savings found* ${r.recommendations.count} recommendations worth ${usd(r.recommendations.monthlySavingsUsd)}/month; purchase plans ${usd(r.purchasePlans.allOnDemandMonthlyUsd)} → ${usd(r.purchasePlans.recommendedMonthlyUsd)}/month`,
    `*Idle GPUs, ${r.fleetWindow ? `${daysLabel(r.fleetWindow.days)} to ${mrkdwn(r.fleetWindow.end.slice(0, 10))}` : 'no snapshot'}* ${r.utilization.gpu.idleGpuHours.toLocaleString('en-US')} of ${r.utilization.gpu.gpuHours.toLocaleString('en-US')} GPU-hours below ${r.utilization.gpu.targetPct}% (${usd(r.utilization.gpu.idleGpuCostUsd)})`,
  ];
  const crossed = r.budgets.filter((b) => b.thresholdsCrossed.length > 0);
  if (crossed.length > 0) lines.push(`*Budgets* ${crossed.map((b) => `${mrkdwn(b.name)} ${usd(b.actualUsd)} / forecast ${usd(b.forecastUsd)} of ${usd(b.amountUsd)}`).join('; ')}`);
  const deadChannels = r.budgets.flatMap((b) => b.channels.filter((c) => c.state === 'dead' || c.state === 'unset').map((c) => `${mrkdwn(c.channel)} (${mrkdwn(c.state)})`));
  if (deadChannels.length > 0) lines.push(`*Alert channels not delivering* ${[...new Set(deadChannels)].join(', ')}`);
  if (r.dataQuality.scopes.length > 0) lines.push(`*Data quality* ${r.dataQuality.scopes.length} scope(s) not collected`);
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: `Rightsize weekly report ${slackPlain(r.isoWeek)}` } },
    { type: 'section', text: { type: 'mrkdwn', text: clipMrkdwn(lines.join('\n'), 3000) } },
  ];
  if (link) blocks.push({ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open the report' }, url: link }] });
  return { text: link ? `${text} — ${link}` : text, blocks };
}
