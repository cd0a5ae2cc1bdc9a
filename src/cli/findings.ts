import type { Instance } from '../domain/instance.js';
import type { Recommendation } from '../domain/recommendation.js';
import { pct, table, usd, type Column } from './format.js';

/** What a risk score counts (engine/risk.ts): said under every table that shows one. */
export const RISK_LEGEND = 'risk 0–4: one point each for time over capacity, a sustained shortfall, thin or unvalidated evidence, a platform change';

/** Below this width the evidence goes on its own lines under each finding instead of in a column. */
const INLINE_EVIDENCE_MIN_WIDTH = 160;

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const obj = (v: unknown) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined);

/** The risk factors the engine named for a recommendation (empty for risk 0). */
export function riskFactors(rec: Recommendation): string[] {
  const factors = obj(rec.evidence['risk'])?.['factors'];
  return Array.isArray(factors) ? factors.map(String) : [];
}

/** One line of evidence: the measured percentiles, the backtest and out-of-sample share over capacity, the risk factors. */
export function evidenceLine(rec: Recommendation): string {
  const e = rec.evidence;
  const parts: string[] = [];
  const cpu = num(e['cpuPct']) ?? num(obj(e['cpu'])?.['percentileValuePct']);
  if (cpu !== undefined) parts.push(`CPU ${String(e['cpuPercentile'] ?? 'p95')} ${pct(cpu, 1)}`);
  const mem = num(e['memMaxPct']) ?? num(obj(e['mem'])?.['maxPct']);
  if (mem !== undefined) parts.push(`mem max ${pct(mem, 1)}`);
  else if (e['memoryMeasured'] === false) parts.push('mem not measured');
  const gpu = num(e['gpuPct']) ?? num(obj(e['gpu'])?.['percentileValuePct']);
  if (gpu !== undefined) parts.push(`GPU ${pct(gpu, 1)}`);
  const oos = num(obj(e['outOfSample'])?.['shareOverCapacityPct']);
  parts.push(`over capacity: backtest ${pct(rec.backtest.modeledShareOverPct ?? 0, 2)}${oos !== undefined ? `, out of sample ${pct(oos, 2)}` : ''} (peaks ${rec.backtest.hoursSaturated}/${rec.backtest.hoursObserved} h)`);
  const factors = riskFactors(rec);
  if (factors.length > 0) parts.push(`risk: ${factors.join('; ')}`);
  return parts.join(' · ');
}

/**
 * A readable form of an instance id: Azure's `/subscriptions/…/resourceGroups/<rg>/providers/…/virtualMachines/<vm>`
 * becomes `<rg>/<vm>`; other clouds' ids are short already. `explain` accepts this form too.
 */
export function shortInstanceId(id: string): string {
  const azure = /^\/subscriptions\/[^/]+\/resourceGroups\/([^/]+)\/providers\/.+\/([^/]+)$/i.exec(id);
  return azure ? `${azure[1]}/${azure[2]}` : id;
}

const target = (r: Recommendation) => (r.action === 'stop' ? 'stop' : (r.recommendedType ?? r.currentType));

/**
 * The findings table, fitted to `width`: name over id, where over account, kind over change, monthly cost now over
 * after, savings, risk (USD per month at the instance's purchase option). Evidence
 * is a wrapped column when there is room (≥ 160 columns or unlimited), else wrapped lines under each finding.
 */
export function renderFindings(recs: readonly Recommendation[], instances: readonly Instance[], width: number): string {
  const byId = new Map(instances.map((i) => [i.id, i]));
  const inline = width >= INLINE_EVIDENCE_MIN_WIDTH;
  const columns: Column[] = [
    { header: '#', align: 'right' },
    // 19: an EC2 instance id or a GCE numeric id on one line.
    { header: 'instance / id', minWidth: 19 },
    { header: 'where / account', minWidth: 12 },
    { header: 'kind / change', minWidth: 14 },
    { header: 'now/after', align: 'right' },
    { header: 'saves/mo', align: 'right' },
    { header: 'risk', align: 'right' },
    ...(inline ? [{ header: 'evidence', wrap: 'first' as const, minWidth: 30 }] : []),
  ];
  const rows = recs.map((r, i) => {
    const name = byId.get(r.instanceId)?.name;
    const shortId = shortInstanceId(r.instanceId);
    return [
      String(i + 1),
      name && name !== shortId ? `${name}\n${shortId}` : shortId,
      `${r.cloud}/${r.region}\n${r.account}`,
      `${r.kind}\n${r.currentType} → ${target(r)}`,
      `${usd(r.monthlyCostNow.actualUsd)}\n${usd(r.monthlyCostAfter.actualUsd)}`,
      usd(r.monthlySavingsUsd),
      `${r.risk}/4`,
      ...(inline ? [evidenceLine(r)] : []),
    ];
  });
  return table(columns, rows, { width, ...(inline ? {} : { details: recs.map(evidenceLine) }) });
}

const CSV_COLUMNS = [
  'id', 'instance_id', 'name', 'account', 'cloud', 'region', 'kind', 'action', 'current_type', 'recommended_type',
  'monthly_cost_now_usd', 'monthly_cost_after_usd', 'monthly_savings_usd', 'risk', 'risk_factors', 'hours_saturated',
  'hours_observed', 'evidence',
] as const;

/**
 * One cell of RFC 4180 CSV. Text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) is
 * prefixed with `'`: instance names and tags are written by whoever can tag an instance.
 */
function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Every finding as CSV (header row first, CRLF line ends as RFC 4180 says), largest savings first. */
export function findingsCsv(recs: readonly Recommendation[], instances: readonly Instance[]): string {
  const byId = new Map(instances.map((i) => [i.id, i]));
  const rows = [...recs]
    .sort((a, b) => b.monthlySavingsUsd - a.monthlySavingsUsd || a.id.localeCompare(b.id))
    .map((r) => [
      r.id, r.instanceId, byId.get(r.instanceId)?.name ?? null, r.account, r.cloud, r.region, r.kind, r.action, r.currentType, r.recommendedType,
      r.monthlyCostNow.actualUsd, r.monthlyCostAfter.actualUsd, r.monthlySavingsUsd, r.risk, riskFactors(r).join('; '), r.backtest.hoursSaturated,
      r.backtest.hoursObserved, evidenceLine(r),
    ]);
  return [CSV_COLUMNS.join(','), ...rows.map((row) => row.map(csvCell).join(','))].map((l) => `${l}\r\n`).join('');
}
