import type { Cloud } from '../domain/cloud.js';
import { CLOUDS } from '../domain/cloud.js';
import type { Instance } from '../domain/instance.js';
import type { PurchasePlan } from '../domain/purchase-plan.js';
import type { Recommendation, Skip } from '../domain/recommendation.js';
import type { SnapshotMeta } from '../domain/snapshot.js';
import { int, pct, table, usd } from './format.js';

export interface SummaryInput {
  meta: SnapshotMeta;
  instances: Instance[];
  /** Modeled monthly cost of each running instance at its purchase option, USD. */
  monthlyCostUsdByInstance: Map<string, number>;
  recommendations: Recommendation[];
  skips: Skip[];
  plans: PurchasePlan[];
  topN?: number;
}

function evidenceLine(rec: Recommendation): string {
  const e = rec.evidence as Record<string, unknown>;
  const parts: string[] = [];
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const cpu = num(e['cpuPct']) ?? num((e['cpu'] as Record<string, unknown> | undefined)?.['percentileValuePct']);
  if (cpu !== undefined) parts.push(`CPU ${String(e['cpuPercentile'] ?? 'p95')} ${pct(cpu, 1)}`);
  const mem = num(e['memMaxPct']) ?? num((e['mem'] as Record<string, unknown> | undefined)?.['maxPct']);
  if (mem !== undefined) parts.push(`mem max ${pct(mem, 1)}`);
  else if (e['memoryMeasured'] === false) parts.push('mem not measured');
  const gpu = num(e['gpuPct']) ?? num((e['gpu'] as Record<string, unknown> | undefined)?.['percentileValuePct']);
  if (gpu !== undefined) parts.push(`GPU ${pct(gpu, 1)}`);
  const oos = (e['outOfSample'] as { shareOverCapacityPct?: number | null } | undefined)?.shareOverCapacityPct;
  parts.push(`over capacity: backtest ${pct(rec.backtest.modeledShareOverPct ?? 0, 2)}${typeof oos === 'number' ? `, out of sample ${pct(oos, 2)}` : ''} (peaks ${rec.backtest.hoursSaturated}/${rec.backtest.hoursObserved} h)`);
  return parts.join(' · ');
}

/** The terminal summary `rightsize demo` and `rightsize analyze` print: fleet, cost, top savings, plans, gaps. */
export function renderSummary(input: SummaryInput): string {
  const { meta, instances, recommendations, skips, plans } = input;
  const topN = input.topN ?? 10;
  const out: string[] = [];
  const running = instances.filter((i) => i.state === 'running');
  const monthlyTotalUsd = [...input.monthlyCostUsdByInstance.values()].reduce((a, b) => a + b, 0);
  const perCloud = CLOUDS.map((cloud: Cloud) => {
    const ids = running.filter((i) => i.cloud === cloud);
    const cost = ids.reduce((a, i) => a + (input.monthlyCostUsdByInstance.get(i.id) ?? 0), 0);
    const regions = new Set(ids.map((i) => i.region)).size;
    const accounts = new Set(ids.map((i) => i.account)).size;
    return [cloud, int(ids.length), int(accounts), int(regions), usd(cost)];
  });
  out.push(`Snapshot ${meta.id} (${meta.source}) — ${int(instances.length)} instances, ${int(running.length)} running`);
  out.push(`Modeled monthly cost: ${usd(monthlyTotalUsd)} (running instances × catalog price at their purchase option)`);
  out.push('');
  out.push(
    table(
      [{ header: 'cloud' }, { header: 'running', align: 'right' }, { header: 'accounts', align: 'right' }, { header: 'regions', align: 'right' }, { header: 'monthly', align: 'right' }],
      perCloud,
    ),
  );

  const savingRecs = recommendations.filter((r) => r.monthlySavingsUsd > 0);
  const totalSavingsUsd = savingRecs.reduce((a, r) => a + r.monthlySavingsUsd, 0);
  const byKind = new Map<string, number>();
  for (const r of recommendations) byKind.set(r.kind, (byKind.get(r.kind) ?? 0) + 1);
  out.push('');
  out.push(
    `Recommendations: ${int(recommendations.length)} (${[...byKind.entries()]
      .sort()
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}) — ${usd(totalSavingsUsd)}/month savings (${monthlyTotalUsd > 0 ? pct((100 * totalSavingsUsd) / monthlyTotalUsd, 1) : '0%'} of spend)`,
  );
  const top = [...recommendations].sort((a, b) => b.monthlySavingsUsd - a.monthlySavingsUsd || a.id.localeCompare(b.id)).slice(0, topN);
  out.push('');
  out.push(`Top ${top.length} by monthly savings:`);
  out.push(
    table(
      [
        { header: '#', align: 'right' },
        { header: 'instance' },
        { header: 'where' },
        { header: 'kind' },
        { header: 'change' },
        { header: 'now/mo', align: 'right' },
        { header: 'after/mo', align: 'right' },
        { header: 'saves/mo', align: 'right' },
        { header: 'risk', align: 'right' },
        { header: 'evidence' },
      ],
      top.map((r, i) => [
        String(i + 1),
        instances.find((x) => x.id === r.instanceId)?.name ?? r.instanceId,
        `${r.cloud}/${r.region}`,
        r.kind,
        `${r.currentType} → ${r.action === 'stop' ? 'stop' : r.recommendedType}`,
        usd(r.monthlyCostNow.actualUsd),
        usd(r.monthlyCostAfter.actualUsd),
        usd(r.monthlySavingsUsd),
        `${r.risk}/4`,
        evidenceLine(r),
      ]),
      64,
    ),
  );
  const withCrossCloud = top.filter((r) => r.crossCloud.length > 0).slice(0, 3);
  if (withCrossCloud.length > 0) {
    out.push('');
    out.push('Cross-cloud alternatives (migrations, nearest region):');
    for (const r of withCrossCloud) {
      const alts = r.crossCloud.map((a) => `${a.cloud} ${a.instanceType} in ${a.region} ${usd(a.monthlyOnDemandUsd)}/mo`).join('; ');
      out.push(`  ${r.action === 'stop' ? r.currentType : (r.recommendedType ?? r.currentType)} (${r.cloud}): ${alts}`);
    }
  }

  if (plans.length > 0) {
    const topPlans = [...plans].sort((a, b) => b.monthlySavingsUsd - a.monthlySavingsUsd).slice(0, 5);
    const allOnDemandUsd = plans.reduce((a, p) => a + p.monthlyCostAllOnDemandUsd, 0);
    const recommendedUsd = plans.reduce((a, p) => a + p.monthlyCostRecommendedUsd, 0);
    const withCommitments = plans.filter((p) => p.commitments.length > 0).length;
    out.push('');
    out.push(
      `Purchase plans: ${plans.length} pools (${withCommitments} with a commitment). After right-sizing, commitments and spot take ${usd(allOnDemandUsd - recommendedUsd)}/month off all-on-demand (${usd(allOnDemandUsd)} → ${usd(recommendedUsd)}). Top ${topPlans.length} by savings versus today:`,
    );
    out.push(
      table(
        [
          { header: 'pool' },
          { header: 'commitments' },
          { header: 'on-demand/mo', align: 'right' },
          { header: 'current/mo', align: 'right' },
          { header: 'planned/mo', align: 'right' },
          { header: 'saves/mo', align: 'right' },
        ],
        topPlans.map((p) => [
          p.pool,
          p.commitments.length === 0
            ? 'none'
            : p.commitments
                .map((c) => `${c.term.termYears}y ${c.term.kind} ${c.unit === 'usd-per-hour' ? usd(c.quantity, 2) + '/h' : c.quantity.toFixed(1)} (util ${pct(100 * c.utilization)})`)
                .join(', '),
          usd(p.monthlyCostAllOnDemandUsd),
          usd(p.monthlyCostCurrentUsd),
          usd(p.monthlyCostRecommendedUsd),
          usd(p.monthlySavingsUsd),
        ]),
        60,
      ),
    );
    // Reservations already paid for that right-sizing would leave idle: exchange, sell or right-size into them.
    const stranded = plans
      .map((p) => ({ pool: p.pool, owned: p.evidence['owned'] as { count: number; monthlyCostUsd: number; utilizationAfterRightsizing: number | null } | undefined }))
      .filter((x): x is { pool: string; owned: { count: number; monthlyCostUsd: number; utilizationAfterRightsizing: number } } => x.owned?.utilizationAfterRightsizing !== null && x.owned !== undefined && x.owned.utilizationAfterRightsizing < 0.995);
    if (stranded.length > 0) {
      out.push(
        `Owned reservations right-sizing would leave partly idle: ${stranded
          .map((x) => `${x.pool} ${x.owned.count} reserved, ${pct(100 * x.owned.utilizationAfterRightsizing)} used, ${usd(x.owned.monthlyCostUsd * (1 - x.owned.utilizationAfterRightsizing))}/month idle`)
          .join('; ')}`,
      );
    }
  }

  if (skips.length > 0) {
    const byReason = new Map<string, number>();
    for (const s of skips) byReason.set(s.reason, (byReason.get(s.reason) ?? 0) + 1);
    out.push('');
    out.push(`Skipped ${int(skips.length)} instances: ${[...byReason.entries()].map(([r, n]) => `${r} ${n}`).join(', ')}`);
  }
  for (const src of meta.sources ?? []) {
    if (src.status !== 'ok' || src.message) out.push(`GPU metrics from ${src.kind} ${src.endpoint}: ${src.status}${src.message ? ` (${src.message})` : ''}`);
  }
  const failed = meta.scopes.filter((s) => s.status !== 'ok');
  if (failed.length > 0) {
    out.push(`Scopes not fully collected: ${failed.map((s) => `${s.cloud}/${s.account}/${s.region} ${s.status}${s.message ? ` (${s.message})` : ''}`).join('; ')}`);
  }
  return `${out.join('\n')}\n`;
}
