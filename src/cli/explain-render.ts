import type { Instance } from '../domain/instance.js';
import type { Recommendation } from '../domain/recommendation.js';
import { RISK_LEGEND, evidenceLine, riskFactors, shortInstanceId } from './findings.js';
import { paragraph, pct, table, usd, type Column } from './format.js';

const obj = (v: unknown) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
const utc = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** `key: value` lines of a nested evidence object (`sizing.rule: …`, `cpu: p50 12.2, p95 15`), in the engine's order. */
function flatten(value: unknown, prefix = ''): string[] {
  const o = obj(value);
  if (!o) return [`${prefix}: ${Array.isArray(value) ? value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(', ') : String(value)}`];
  const entries = Object.entries(o);
  // A flat object of numbers (percentiles, demand) reads best on one line.
  if (entries.length > 0 && entries.every(([, v]) => typeof v === 'number')) return [`${prefix}: ${entries.map(([k, v]) => `${k} ${String(v)}`).join(', ')}`];
  return entries.flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
}

function typeLine(t: unknown): string {
  const o = obj(t);
  if (!o) return '—';
  const gpu = obj(o['gpu']);
  return `${String(o['type'])} (${String(o['vcpu'])} vCPU, ${String(o['memoryGiB'])} GiB${gpu ? `, ${String(gpu['count'] ?? '')} × ${String(gpu['model'] ?? 'GPU')}` : ''})`;
}

/**
 * The full evidence of one recommendation as text fitted to `width`: what and where, costs, sizing, risk factors,
 * backtest, out-of-sample folds, cross-cloud alternatives and notes, then where to get the same as JSON.
 */
export function renderExplanation(rec: Recommendation, instance: Instance | undefined, width: number): string {
  const e = rec.evidence;
  const out: string[] = [];
  const say = (text: string, indent = '  ') => out.push(paragraph(text, width, indent));
  const section = (title: string) => out.push('', paragraph(title, width, ''));
  out.push(paragraph(`Recommendation ${rec.id}`, width, ''));
  say(`instance: ${instance?.name ? `${instance.name} (${shortInstanceId(rec.instanceId)})` : shortInstanceId(rec.instanceId)}${shortInstanceId(rec.instanceId) !== rec.instanceId ? ` — ${rec.instanceId}` : ''}`);
  say(`where: ${rec.cloud} account ${rec.account}, ${rec.region}${typeof e['purchaseOption'] === 'string' ? `, ${e['purchaseOption']}` : ''}`);
  say(`change: ${rec.kind} — ${typeLine(e['current'])} → ${rec.action === 'stop' ? 'stop' : typeLine(e['recommended'])}`);
  say(`cost: ${usd(rec.monthlyCostNow.actualUsd)}/mo now → ${usd(rec.monthlyCostAfter.actualUsd)}/mo after, saves ${usd(rec.monthlySavingsUsd)}/mo (at its purchase option; on-demand ${usd(rec.monthlyCostNow.onDemandUsd)} → ${usd(rec.monthlyCostAfter.onDemandUsd)})`);
  const keep = obj(e['ifKeptRunning']);
  if (keep) say(`if it must keep running: ${typeLine(keep)}, saves ${usd(Number(keep['monthlySavingsUsd'] ?? 0))}/mo`);
  say(`summary: ${rec.summary}`);
  say(`evidence: ${evidenceLine(rec)}`);

  section('Sizing');
  for (const key of ['sizing', 'cpu', 'mem', 'gpu', 'demand', 'projected', 'settings']) {
    if (e[key] !== undefined) for (const line of flatten(e[key], key)) say(line);
  }

  section(`Risk ${rec.risk}/4`);
  const factors = riskFactors(rec);
  if (factors.length === 0) say('no risk factor');
  for (const f of factors) say(`- ${f}`);
  say(RISK_LEGEND);

  section('Backtest (the measured hourly series replayed against the new type)');
  const b = rec.backtest;
  say(`hours observed ${b.hoursObserved}, saturated ${b.hoursSaturated}, above target ${b.hoursAboveTarget}${b.hoursSustainedOver !== undefined ? `, sustained over ${b.hoursSustainedOver}` : ''}`);
  if (b.modeledShareOverPct !== undefined) say(`modeled share of time over capacity: ${pct(b.modeledShareOverPct, 3)}`);
  say(b.worstHour ? `worst hour: ${utc(b.worstHour.atMs)}, ${b.worstHour.metric} at ${pct(b.worstHour.projectedPct, 1)} of the new type` : 'worst hour: none');

  section('Out of sample (walk-forward: sized on the train window, checked on the test window)');
  const oos = obj(e['outOfSample']);
  const folds = Array.isArray(oos?.['folds']) ? (oos['folds'] as Record<string, unknown>[]) : [];
  if (folds.length > 0) {
    const n = (v: unknown, digits = 1) => (typeof v === 'number' ? v.toFixed(digits) : '—');
    const columns: Column[] = [
      { header: 'test window' },
      { header: 'test h', align: 'right' },
      { header: 'CPU cap %', align: 'right' },
      { header: 'mem cap %', align: 'right' },
      { header: 'over %', align: 'right' },
      { header: 'sustained h', align: 'right' },
      { header: 'upsized' },
    ];
    const rows = folds.map((f) => [`${day(Number(f['testStartMs']))} → ${day(Number(f['testEndMs']))}`, n(f['testHours'], 0), n(f['cpuCapacityPct']), n(f['memCapacityPct']), n(f['shareOverPct'], 2), n(f['hoursSustainedOver'], 0), f['upsized'] === true ? 'yes' : 'no']);
    out.push(table(columns, rows, { width: width - 2 }).replace(/^/gm, '  '));
  }
  if (typeof oos?.['shareOverCapacityPct'] === 'number') say(`share of test time over capacity: ${pct(oos['shareOverCapacityPct'], 3)}`);
  if (typeof oos?.['note'] === 'string') say(oos['note']);
  if (folds.length === 0 && typeof oos?.['note'] !== 'string') say('no fold');

  section('Cross-cloud alternatives (migrations, nearest region, on-demand)');
  if (rec.crossCloud.length === 0) say('none');
  else {
    const columns: Column[] = [{ header: 'cloud' }, { header: 'region' }, { header: 'type' }, { header: 'km', align: 'right' }, { header: '$/mo', align: 'right' }, { header: 'saves/mo', align: 'right' }];
    const rows = rec.crossCloud.map((a) => [a.cloud, a.region, a.instanceType, String(Math.round(a.distanceKm)), usd(a.monthlyOnDemandUsd), usd(a.monthlySavingsUsd)]);
    out.push(table(columns, rows, { width: width - 2 }).replace(/^/gm, '  '));
  }

  const notes = Array.isArray(e['notes']) ? (e['notes'] as unknown[]).map(String) : [];
  if (notes.length > 0) {
    section('Notes');
    for (const note of notes) say(`- ${note}`);
  }
  out.push('');
  out.push(paragraph(`As JSON: rightsize explain ${rec.id} --json, or GET /v1/recommendations/${encodeURIComponent(rec.id)}`, width, ''));
  return `${out.join('\n')}\n`;
}
