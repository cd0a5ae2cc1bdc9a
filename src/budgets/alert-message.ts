import type { Recommendation } from '../domain/recommendation.js';
import { clipMrkdwn, mrkdwn, slackPlain } from '../notify/mrkdwn.js';
import { usd } from '../report/format.js';
import type { BudgetStatusDetail } from './evaluate.js';

/** Average month in ms (365.25 / 12 days): recommendations state savings per month. */
const MONTH_MS = (365.25 / 12) * 86_400_000;


export interface GetUnderPlan {
  /** How far the worse of actual and forecast is above the budget amount (0 when under). */
  overByUsd: number;
  /** Up to three in-scope recommendations, largest savings first (lower risk breaks ties). */
  picks: Recommendation[];
  /** What the picks would save between now and the period's end, if applied now. */
  savingsToPeriodEndUsd: number;
  /** Whether those savings bring the forecast back under the amount. */
  bringsUnder: boolean;
}

/**
 * Pure: the recommendations to cite in a budget alert. Only positive savings count; the largest three are the
 * fastest way back under, since each saves in proportion to the time left in the period.
 */
export function recommendationsToGetUnder(status: BudgetStatusDetail, inScope: readonly Recommendation[]): GetUnderPlan {
  const picks = inScope
    .filter((r) => r.monthlySavingsUsd > 0)
    .sort((a, b) => b.monthlySavingsUsd - a.monthlySavingsUsd || a.risk - b.risk || a.id.localeCompare(b.id))
    .slice(0, 3);
  const remainingMs = Math.max(0, Date.parse(status.periodEnd) - Date.parse(status.asOf));
  const savingsToPeriodEndUsd = Math.round(picks.reduce((a, r) => a + (r.monthlySavingsUsd * remainingMs) / MONTH_MS, 0) * 100) / 100;
  const overByUsd = Math.max(0, Math.max(status.actualUsd, status.forecastUsd) - status.amountUsd);
  return { overByUsd: Math.round(overByUsd * 100) / 100, picks, savingsToPeriodEndUsd, bringsUnder: status.actualUsd <= status.amountUsd && status.forecastUsd - savingsToPeriodEndUsd <= status.amountUsd };
}

/** Whole percent of `of` (budget amounts are positive: the config schema says so). */
const pct = (x: number, of: number) => `${Math.round((100 * x) / of)}%`;

/**
 * Block Kit message for one crossed threshold, titled with the true percentage of the amount: budget, period, actual and forecast against the amount, the top 5
 * cost drivers, the top 3 recommendations and what they would save before the period ends, and a link.
 * Slack limits: header text ≤ 150 characters, section text ≤ 3,000.
 */
export function alertBlocks(status: BudgetStatusDetail, threshold: { pct: number; kind: 'actual' | 'forecast' }, plan: GetUnderPlan, link?: string): { text: string; blocks: unknown[] } {
  const verb = threshold.kind === 'actual' ? 'has spent' : 'is forecast to spend';
  const onBill = status.basis === 'billed' || status.basis === 'amortized';
  // The title says where spend is, not which threshold tripped: a budget first seen at 234 % reads "234 %", not "50 %".
  const truePct = pct(threshold.kind === 'actual' ? status.actualUsd : status.forecastUsd, status.amountUsd);
  // Every value from the clouds or the config goes through mrkdwn() (or slackPlain() in plain_text): data never formats.
  const title = (esc: (v: unknown) => string) => `Budget ${esc(status.name)} ${verb} ${truePct} of ${usd(status.amountUsd)} (${esc(status.period)}, past the ${threshold.pct}% ${threshold.kind} threshold)`;
  const drivers = status.topDrivers.map((d) => `• ${mrkdwn(d.name ?? d.instanceId)} (${mrkdwn(d.cloud)} ${mrkdwn(d.type)}, ${mrkdwn(d.region)}): ${usd(d.usd)}`).join('\n') || '—';
  const recs = plan.picks.map((r) => `• ${mrkdwn(r.instanceId)}: ${mrkdwn(r.currentType)} → ${r.action === 'stop' ? 'stop' : mrkdwn(r.recommendedType)} (${mrkdwn(r.kind)}) saves ${usd(r.monthlySavingsUsd)}/month, risk ${r.risk}/4`).join('\n');
  const outcome =
    plan.picks.length === 0
      ? 'No recommendation in this budget’s scope.'
      : plan.overByUsd === 0
        ? `Applied now they would save ${usd(plan.savingsToPeriodEndUsd)} before ${status.periodEnd.slice(0, 10)}.`
        : `Forecast is ${usd(plan.overByUsd)} over; applied now these save ${usd(plan.savingsToPeriodEndUsd)} before ${status.periodEnd.slice(0, 10)}${plan.bringsUnder ? ', enough to finish under budget' : ', not enough on their own'}.`;
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: title(slackPlain).slice(0, 150) } },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Actual${onBill ? ` (${status.basis}, bill through ${mrkdwn(billThrough(status.billDataThrough))})` : ''}*\n${usd(status.actualUsd)} (${pct(status.actualUsd, status.amountUsd)})` },
        { type: 'mrkdwn', text: `*Forecast*\n${usd(status.forecastUsd)} (${pct(status.forecastUsd, status.amountUsd)})` },
        { type: 'mrkdwn', text: `*Budget*\n${usd(status.amountUsd)} per ${mrkdwn(status.period)}` },
        { type: 'mrkdwn', text: `*Period*\n${mrkdwn(status.periodStart.slice(0, 10))} → ${mrkdwn(status.periodEnd.slice(0, 10))}` },
        ...(onBill && status.modeled ? [{ type: 'mrkdwn', text: `*Modeled (inventory × list)*\n${usd(status.modeled.actualUsd)} actual, ${usd(status.modeled.forecastUsd)} forecast` }] : []),
      ],
    },
    { type: 'section', text: { type: 'mrkdwn', text: clipMrkdwn(`*Top cost drivers this period*\n${drivers}`, 3000) } },
    { type: 'section', text: { type: 'mrkdwn', text: clipMrkdwn(`*Recommendations to bring it back under*\n${recs ? `${recs}\n` : ''}${outcome}`, 3000) } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: `Spend source: ${status.sources.map(mrkdwn).join('; ')}` }] },
  ];
  if (link) blocks.push({ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open the report' }, url: link }] });
  // The top-level `text` is the notification fallback, which Slack parses as mrkdwn.
  return { text: title(mrkdwn), blocks };
}

/** The bill's last covered day (its freshness is an exclusive end instant), with the hour when it ends mid-day. */
function billThrough(iso: string | undefined): string {
  if (!iso) return '?';
  const endMs = Date.parse(iso);
  const midnight = endMs % 86_400_000 === 0;
  return midnight ? new Date(endMs - 1).toISOString().slice(0, 10) : `${new Date(endMs).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
