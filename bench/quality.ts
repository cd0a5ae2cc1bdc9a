/**
 * `npm run bench -- quality [--corpus DIR]`: recommendation quality on real per-VM traces (default: Bitbrains
 * GWA-T-12 Rnd 2013-08, 200 VMs, test/fixtures/traces/). Days 1–14 are rolled up hourly (Maximum and Average, as
 * CloudWatch and Azure Monitor serve them) and fed to the engine; days 15–28 judge the result at 5-minute
 * resolution. Side by side: the anchors' rules (Compute Optimizer, Azure Advisor, KRR), keeping every size,
 * Rightsize's defaults, presets and `auto`, and the hindsight limit (the cheapest type per VM whose test time over
 * capacity is ≤ 0.1 % or 1 %, and at the defaults' own fleet time over capacity).
 *
 * A corpus folder holds meta.json and series.bin.gz in the layout scripts/build-traces.ts writes, so any fleet's
 * 5-minute traces can be judged the same way.
 */
import type { InstanceType } from '../src/domain/instance-type.js';
import { analyzeSnapshot } from '../src/engine/analyze.js';
import { EngineSettingsSchema, type EngineSettings } from '../src/engine/settings.js';
import { familyScenario, realCatalogScenario, type Scenario } from './quality/scenario.js';
import { cheapestCovering, type Choice, hindsight, overOf, pctOf, type Row, score } from './quality/score.js';
import { gpuSection } from './quality/gpu.js';
import { loadVmCorpus } from './quality/traces.js';

export async function engineChoices(scenario: Scenario, settings: EngineSettings): Promise<{ choices: Choice[]; policies: string[] }> {
  const results = await analyzeSnapshot({ meta: scenario.meta, instances: scenario.vms.map((v) => v.instance), seriesByInstance: scenario.series, catalog: scenario.catalog, settings, nowMs: scenario.meta.windowEndMs });
  const byId = new Map(results.recommendations.map((r) => [r.instanceId, r]));
  const policies = new Set<string>();
  const choices = scenario.vms.map((vm): Choice => {
    const rec = byId.get(vm.instance.id);
    if (!rec) return { type: vm.current };
    const policy = (rec.evidence['settings'] as { policy?: string } | undefined)?.policy;
    if (policy) policies.add(policy);
    if (rec.action === 'stop') return { type: rec.recommendedType !== null ? (scenario.catalog.type(scenario.cloud, rec.recommendedType) as InstanceType) : vm.current, stopped: true };
    const sizing = rec.evidence['sizing'] as { method?: string; saturation?: { hours: number } } | undefined;
    const cause = rec.kind !== 'upsize' ? undefined : sizing?.method === 'upsize' ? 'sustained CPU saturation' : 'sustained memory saturation';
    return { type: scenario.catalog.type(scenario.cloud, rec.recommendedType ?? vm.current.name) as InstanceType, ...(cause ? { cause } : {}) };
  });
  return { choices, policies: [...policies] };
}

/** An anchor's rule: the CPU and memory capacity it requires, percent of today's, from the training days. */
type Rule = (cpuMax: Float32Array, memMax: Float32Array) => { cpuPct: number; memPct: number; cause: string };

const ANCHORS: Record<string, Rule> = {
  'Compute Optimizer (p99.5 of maxima + 20 %)': (cpu, mem) => ({ cpuPct: pctOf(cpu, 0.995) * 1.2, memPct: pctOf(mem, 0.995) * 1.2, cause: 'p99.5 × 1.2 over capacity' }),
  'Azure Advisor (p95 of maxima ≤ 80 %)': (cpu, mem) => ({ cpuPct: pctOf(cpu, 0.95) / 0.8, memPct: pctOf(mem, 0.95) / 0.8, cause: 'p95 over 80 %' }),
  'KRR (p95 CPU, memory max + 15 %)': (cpu, mem) => ({ cpuPct: pctOf(cpu, 0.95), memPct: pctOf(mem, 1) * 1.15, cause: 'p95 or memory max + 15 % over capacity' }),
};

function anchorChoices(scenario: Scenario, rule: Rule): Choice[] {
  return scenario.vms.map((vm, i) => {
    const series = scenario.series[i]?.series ?? [];
    const cpu = series.find((s) => s.metric === 'cpu')?.max ?? new Float32Array();
    const mem = series.find((s) => s.metric === 'mem')?.max ?? new Float32Array();
    const req = rule(cpu, mem);
    return { type: cheapestCovering(vm, req.cpuPct, req.memPct), cause: req.cause };
  });
}

/** Hindsight at a fleet time over capacity: the per-VM limit that reaches it, found by bisection. */
export function hindsightAt(scenario: Scenario, fleetOverPct: number): Row {
  let lo = 0;
  let hi = 0.5;
  let best = score('', scenario, hindsight(scenario, 0));
  for (let k = 0; k < 30; k++) {
    const mid = (lo + hi) / 2;
    const row = score('', scenario, hindsight(scenario, mid));
    if (row.overPct <= fleetOverPct + 1e-9) {
      best = row;
      lo = mid;
    } else hi = mid;
  }
  return best;
}

function fmtCauses(c: Record<string, number>): string {
  return Object.entries(c)
    .map(([k, v]) => `${v} ${k}`)
    .join('; ');
}

function printRows(rows: Row[]): void {
  const head = ['policy', 'savings $', 'savings vCPU', 'test time over capacity', 'upsizes', 'idle (stop)', 'changed'];
  const body = rows.map((r) => [r.policy, `${r.savingsPricePct.toFixed(1)} %`, `${r.savingsVcpuPct.toFixed(1)} %`, `${r.overPct.toFixed(3)} %`, String(r.upsizes), String(r.stops), String(r.changed)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] as string).length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ')}`;
  console.log(line(head));
  for (const b of body) console.log(line(b));
  for (const r of rows) if (r.upsizes > 0) console.log(`    ${r.policy}: upsizes — ${fmtCauses(r.causes)}`);
}

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const dirArg = args.indexOf('--corpus');
  const corpus = loadVmCorpus(...(dirArg >= 0 && args[dirArg + 1] ? [args[dirArg + 1] as string] : []));
  const defaults = EngineSettingsSchema.parse({});
  console.log(`quality: ${corpus.vms.length} VMs of ${corpus.name} (${corpus.origin.split(';')[0]})`);
  console.log(`  ${corpus.attribution}`);
  console.log('  train: days 1–14 as hourly Maximum/Average (CPU clipped at 100 %); test: days 15–28 at 5-minute resolution');
  console.log('  an idle stop is judged on the type the engine names for keeping it running (its savings are larger if stopped)');
  const figures: Record<string, unknown> = { vms: corpus.vms.length, corpus: corpus.name };
  for (const scenario of [familyScenario(corpus, defaults.minVcpu), realCatalogScenario(corpus, defaults.minVcpu)]) {
    console.log('');
    console.log(`scenario ${scenario.name}: ${scenario.description}; no size below min(${defaults.minVcpu}, today's) vCPUs`);
    const rows: Row[] = [];
    for (const [name, rule] of Object.entries(ANCHORS)) rows.push(score(name, scenario, anchorChoices(scenario, rule)));
    rows.push(score('keep every size', scenario, scenario.vms.map((vm) => ({ type: vm.current }))));
    const def = await engineChoices(scenario, defaults);
    const defaultsRow = score('Rightsize defaults', scenario, def.choices);
    rows.push(defaultsRow);
    for (const preset of ['conservative', 'aggressive'] as const) rows.push(score(`Rightsize preset ${preset}`, scenario, (await engineChoices(scenario, EngineSettingsSchema.parse({ preset }))).choices));
    const auto = await engineChoices(scenario, EngineSettingsSchema.parse({ policy: 'auto' }));
    rows.push(score(`Rightsize auto (chose ${auto.policies.join(', ') || 'nothing'})`, scenario, auto.choices));
    const h01 = score('hindsight ≤ 0.1 % per VM', scenario, hindsight(scenario, 0.001));
    const h1 = score('hindsight ≤ 1 % per VM', scenario, hindsight(scenario, 0.01));
    const hAt = hindsightAt(scenario, defaultsRow.overPct);
    hAt.policy = `hindsight at the defaults' ${defaultsRow.overPct.toFixed(3)} %`;
    rows.push(h01, h1, hAt);
    printRows(rows);
    const anchors = rows.slice(0, 3);
    const dominatedBy = anchors.filter((a) => a.savingsPricePct > defaultsRow.savingsPricePct && a.overPct < defaultsRow.overPct).map((a) => a.policy);
    const gap = hAt.savingsPricePct - defaultsRow.savingsPricePct;
    console.log(`  defaults dominated by an anchor: ${dominatedBy.length === 0 ? 'no' : dominatedBy.join(', ')}; gap to hindsight at the same time over capacity: ${gap.toFixed(1)} points`);
    let saturatedMissed = 0;
    scenario.vms.forEach((vm, i) => {
      const keep = overOf(vm, vm.current);
      if (keep.over > 0.2 * keep.n && (def.choices[i]?.type?.vcpu ?? 0) <= vm.current.vcpu) saturatedMissed++;
    });
    console.log(`  VMs over capacity > 20 % of test time at today's size and not upsized by the defaults: ${saturatedMissed}`);
    figures[scenario.name] = Object.fromEntries(rows.map((r) => [r.policy, { savingsPricePct: r.savingsPricePct, savingsVcpuPct: r.savingsVcpuPct, overPct: r.overPct, upsizes: r.upsizes }]));
    figures[`${scenario.name}.defaultsDominated`] = dominatedBy.length > 0;
    figures[`${scenario.name}.gapToHindsightPoints`] = Math.round(gap * 10) / 10;
  }
  if (dirArg < 0) figures['gpu'] = Object.fromEntries(gpuSection(defaults).map((r) => [r.policy, { savingsPricePct: r.savingsPricePct, overPct: r.overPct }]));
  return figures;
}
