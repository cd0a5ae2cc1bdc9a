import type { Cloud } from '../domain/cloud.js';
import { CLOUDS } from '../domain/cloud.js';
import type { Instance } from '../domain/instance.js';
import type { PurchasePlan } from '../domain/purchase-plan.js';
import type { Recommendation, Skip } from '../domain/recommendation.js';
import type { SnapshotMeta } from '../domain/snapshot.js';
import { RISK_LEGEND, renderFindings, shortInstanceId } from './findings.js';
import { int, paragraph, pct, table, usd } from './format.js';

export interface SummaryInput {
  meta: SnapshotMeta;
  instances: Instance[];
  /** Modeled monthly cost of each running instance at its purchase option, USD. */
  monthlyCostUsdByInstance: Map<string, number>;
  recommendations: Recommendation[];
  skips: Skip[];
  plans: PurchasePlan[];
  topN?: number;
  /** Width to fit (columns); Infinity for `--wide`. Default 100. */
  width?: number;
}

/** The terminal summary `rightsize demo` and `rightsize analyze` print: fleet, cost, top savings, plans, gaps. */
export function renderSummary(input: SummaryInput): string {
  const { meta, instances, recommendations, skips, plans } = input;
  const topN = input.topN ?? 10;
  const width = input.width ?? 100;
  const out: string[] = [];
  const say = (text: string) => out.push(paragraph(text, width));
  const running = instances.filter((i) => i.state === 'running');
  const monthlyTotalUsd = [...input.monthlyCostUsdByInstance.values()].reduce((a, b) => a + b, 0);
  const perCloud = CLOUDS.map((cloud: Cloud) => {
    const ids = running.filter((i) => i.cloud === cloud);
    const cost = ids.reduce((a, i) => a + (input.monthlyCostUsdByInstance.get(i.id) ?? 0), 0);
    const regions = new Set(ids.map((i) => i.region)).size;
    const accounts = new Set(ids.map((i) => i.account)).size;
    return [cloud, int(ids.length), int(accounts), int(regions), usd(cost)];
  });
  say(`Snapshot ${meta.id} (${meta.source}) — ${int(instances.length)} instances, ${int(running.length)} running`);
  say(`Modeled monthly cost: ${usd(monthlyTotalUsd)} (running instances × catalog price at their purchase option)`);
  out.push('');
  out.push(
    table(
      [{ header: 'cloud' }, { header: 'running', align: 'right' }, { header: 'accounts', align: 'right' }, { header: 'regions', align: 'right' }, { header: 'monthly', align: 'right' }],
      perCloud,
      { width },
    ),
  );

  const savingRecs = recommendations.filter((r) => r.monthlySavingsUsd > 0);
  const totalSavingsUsd = savingRecs.reduce((a, r) => a + r.monthlySavingsUsd, 0);
  const byKind = new Map<string, number>();
  for (const r of recommendations) byKind.set(r.kind, (byKind.get(r.kind) ?? 0) + 1);
  out.push('');
  say(
    `Recommendations: ${int(recommendations.length)} (${[...byKind.entries()]
      .sort()
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}) — ${usd(totalSavingsUsd)}/month savings (${monthlyTotalUsd > 0 ? pct((100 * totalSavingsUsd) / monthlyTotalUsd, 1) : '0%'} of spend)`,
  );
  const top = [...recommendations].sort((a, b) => b.monthlySavingsUsd - a.monthlySavingsUsd || a.id.localeCompare(b.id)).slice(0, topN);
  out.push('');
  say(`Top ${top.length} by monthly savings:`);
  out.push(renderFindings(top, instances, width));
  // The id, not the name: names need not be unique, ids are.
  const example = top[0] ? shortInstanceId(top[0].instanceId) : '<instance-id>';
  say(RISK_LEGEND);
  say(`Full evidence of one finding: rightsize explain ${example.includes(' ') ? JSON.stringify(example) : example} (an instance id, a unique name or a recommendation id). Every finding: rightsize analyze --json, or --output csv; the API: GET /v1/recommendations/{id}.`);
  const withCrossCloud = top.filter((r) => r.crossCloud.length > 0).slice(0, 3);
  if (withCrossCloud.length > 0) {
    out.push('');
    say('Cross-cloud alternatives (migrations, nearest region):');
    for (const r of withCrossCloud) {
      const alts = r.crossCloud.map((a) => `${a.cloud} ${a.instanceType} in ${a.region} ${usd(a.monthlyOnDemandUsd)}/mo`).join('; ');
      out.push(paragraph(`${r.action === 'stop' ? r.currentType : (r.recommendedType ?? r.currentType)} (${r.cloud}): ${alts}`, width, '  '));
    }
  }

  if (plans.length > 0) {
    const topPlans = [...plans].sort((a, b) => b.monthlySavingsUsd - a.monthlySavingsUsd || a.pool.localeCompare(b.pool)).slice(0, 5);
    const allOnDemandUsd = plans.reduce((a, p) => a + p.monthlyCostAllOnDemandUsd, 0);
    const recommendedUsd = plans.reduce((a, p) => a + p.monthlyCostRecommendedUsd, 0);
    const withCommitments = plans.filter((p) => p.commitments.length > 0).length;
    out.push('');
    say(
      `Purchase plans: ${plans.length} pools (${withCommitments} with a commitment). After right-sizing, commitments and spot take ${usd(allOnDemandUsd - recommendedUsd)}/month off all-on-demand (${usd(allOnDemandUsd)} → ${usd(recommendedUsd)}). Top ${topPlans.length} by savings versus today, split into what right-sizing saves (today → right-sized at on-demand) and what the purchase mix saves (right-sized on-demand → planned):`,
    );
    out.push(
      table(
        [
          { header: 'pool', minWidth: 14 },
          { header: 'commitments', minWidth: 14 },
          { header: 'today/mo', align: 'right' },
          { header: 'planned/mo', align: 'right' },
          { header: 'right-sizing saves/mo', align: 'right', wrap: true, minWidth: 12 },
          { header: 'commitments+spot saves/mo', align: 'right', wrap: true, minWidth: 12 },
        ],
        topPlans.map((p) => {
          const { rightsizingUsd, mixUsd } = planSavingsSplit(p);
          return [
            p.pool,
            p.commitments.length === 0
              ? `none${p.spot ? ' (spot only)' : ''}`
              : p.commitments
                  .map((c) => `${c.term.termYears}y ${c.term.kind} ${c.unit === 'usd-per-hour' ? usd(c.quantity, 2) + '/h' : c.quantity.toFixed(1)} (util ${pct(100 * c.utilization)})`)
                  .join(', '),
            usd(p.monthlyCostCurrentUsd),
            usd(p.monthlyCostRecommendedUsd),
            usd(rightsizingUsd),
            mixUsd === undefined ? '—' : usd(mixUsd),
          ];
        }),
        { width },
      ),
    );
    // Reservations already paid for that right-sizing would leave idle: exchange, sell or right-size into them.
    const stranded = plans
      .map((p) => ({ pool: p.pool, owned: p.evidence['owned'] as { count: number; monthlyCostUsd: number; utilizationAfterRightsizing: number | null } | undefined }))
      .filter((x): x is { pool: string; owned: { count: number; monthlyCostUsd: number; utilizationAfterRightsizing: number } } => x.owned?.utilizationAfterRightsizing !== null && x.owned !== undefined && x.owned.utilizationAfterRightsizing < 0.995);
    if (stranded.length > 0) {
      say(
        `Owned commitments (reservations, and savings plans and CUDs from the bill) right-sizing would leave partly idle: ${stranded
          .map((x) => `${x.pool} ${x.owned.count} owned, ${pct(100 * x.owned.utilizationAfterRightsizing)} used, ${usd(x.owned.monthlyCostUsd * (1 - x.owned.utilizationAfterRightsizing))}/month idle`)
          .join('; ')}`,
      );
    }
  }

  if (skips.length > 0) {
    const byReason = new Map<string, number>();
    for (const s of skips) byReason.set(s.reason, (byReason.get(s.reason) ?? 0) + 1);
    out.push('');
    say(`Skipped ${int(skips.length)} instances: ${[...byReason.entries()].map(([r, n]) => `${r} ${n}`).join(', ')}`);
  }
  for (const src of meta.sources ?? []) {
    if (src.status !== 'ok' || src.message) say(`GPU metrics from ${src.kind} ${src.endpoint}: ${src.status}${src.message ? ` (${src.message})` : ''}`);
  }
  const failed = meta.scopes.filter((s) => s.status !== 'ok');
  if (failed.length > 0) {
    say(`Scopes not fully collected: ${failed.map((s) => `${s.cloud}/${s.account}/${s.region} ${s.status}${s.message ? ` (${s.message})` : ''}`).join('; ')}`);
  }
  return `${out.join('\n')}\n`;
}

/**
 * Splits a plan's savings versus today: right-sizing (today → the right-sized demand all on-demand) and the purchase
 * mix (that → the planned commitments and spot). A pool with neither commitment nor spot has no mix savings
 * (undefined): all of its savings are right-sizing's. The two add up to the plan's savings.
 */
export function planSavingsSplit(plan: PurchasePlan): { rightsizingUsd: number; mixUsd: number | undefined } {
  const r2 = (x: number) => Math.round(x * 100) / 100;
  if (plan.commitments.length === 0 && !plan.spot) return { rightsizingUsd: plan.monthlySavingsUsd, mixUsd: undefined };
  const mixUsd = r2(plan.monthlyCostAllOnDemandUsd - plan.monthlyCostRecommendedUsd);
  return { rightsizingUsd: r2(plan.monthlySavingsUsd - mixUsd), mixUsd };
}
