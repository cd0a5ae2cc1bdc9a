import { beforeAll, describe, expect, it } from 'vitest';
import { engineChoices, hindsightAt } from '../../bench/quality.js';
import { familyScenario, realCatalogScenario, type Scenario } from '../../bench/quality/scenario.js';
import { cheapestCovering, overOf, pctOf, type Row, score } from '../../bench/quality/score.js';
import { loadVmCorpus } from '../../bench/quality/traces.js';
import { analyzeSnapshot } from '../../src/engine/analyze.js';
import { EngineSettingsSchema } from '../../src/engine/settings.js';

/**
 * The acceptance on the bundled real traces (Bitbrains GWA-T-12, 200 VMs): trained on days 1–14 hourly,
 * judged on days 15–28 at 5-minute resolution. Same code as `npm run bench -- quality`.
 */
const corpus = loadVmCorpus();
const defaults = EngineSettingsSchema.parse({});

function anchorRows(scenario: Scenario): Row[] {
  const rule = (name: string, f: (cpu: Float32Array, mem: Float32Array) => [number, number]) =>
    score(
      name,
      scenario,
      scenario.vms.map((vm, i) => {
        const [cpu, mem] = f(scenario.series[i]?.series[0]?.max as Float32Array, scenario.series[i]?.series[1]?.max as Float32Array);
        return { type: cheapestCovering(vm, cpu, mem) };
      }),
    );
  return [
    rule('compute-optimizer', (c, m) => [pctOf(c, 0.995) * 1.2, pctOf(m, 0.995) * 1.2]),
    rule('advisor', (c, m) => [pctOf(c, 0.95) / 0.8, pctOf(m, 0.95) / 0.8]),
    rule('krr', (c, m) => [pctOf(c, 0.95), pctOf(m, 1) * 1.15]),
  ];
}

describe.each([
  ['family', () => familyScenario(corpus, defaults.minVcpu)],
  ['azure-d8s-v5', () => realCatalogScenario(corpus, defaults.minVcpu)],
])('quality on real traces: %s', (_name, make) => {
  let scenario: Scenario;
  let row: Row;
  let choices: Awaited<ReturnType<typeof engineChoices>>['choices'];
  beforeAll(async () => {
    scenario = make();
    choices = (await engineChoices(scenario, defaults)).choices;
    row = score('defaults', scenario, choices);
  });

  it('the defaults are dominated by no anchor rule (more savings and less time over capacity)', () => {
    for (const anchor of anchorRows(scenario)) {
      expect(anchor.savingsPricePct > row.savingsPricePct && anchor.overPct < row.overPct, `${anchor.policy}: ${anchor.savingsPricePct} % at ${anchor.overPct} % vs defaults ${row.savingsPricePct} % at ${row.overPct} %`).toBe(false);
    }
  });

  it('the defaults are within 5 points of hindsight\'s savings at the same time over capacity', () => {
    // The largest per-VM limit whose fleet time over capacity does not exceed the defaults'.
    const best = hindsightAt(scenario, row.overPct);
    expect(best.savingsPricePct - row.savingsPricePct).toBeLessThanOrEqual(5);
    expect(row.overPct).toBeLessThan(0.25);
  });

  it('every VM that stays over capacity at today\'s size for a fifth of the test days, pegged in the lookback, is upsized', () => {
    scenario.vms.forEach((vm, i) => {
      const keep = overOf(vm, vm.current);
      const cpuMean = scenario.series[i]?.series[0]?.mean as Float32Array;
      const pegged = Array.from(cpuMean).filter((m) => m >= 95).length;
      if (keep.over > 0.2 * keep.n && pegged >= 4) expect(choices[i]?.type.vcpu, vm.instance.id).toBeGreaterThan(vm.current.vcpu);
    });
  });

  it('no upsize without sustained saturation in the lookback, stated with its hours', async () => {
    const results = await analyzeSnapshot({ meta: scenario.meta, instances: scenario.vms.map((v) => v.instance), seriesByInstance: scenario.series, catalog: scenario.catalog, settings: defaults, nowMs: scenario.meta.windowEndMs });
    const upsizes = results.recommendations.filter((r) => r.kind === 'upsize');
    expect(upsizes.length).toBeGreaterThan(20);
    for (const r of upsizes) {
      const sizing = r.evidence['sizing'] as { saturation: { hours: number; sustained: boolean }; memorySaturation?: { hours: number } };
      expect(sizing.saturation.sustained || (sizing.memorySaturation?.hours ?? 0) >= defaults.saturatedMinHours, r.instanceId).toBe(true);
      expect(r.summary).toMatch(/\d+ of \d+ h averaged ≥ 95% (CPU|memory)/);
    }
  });
});
