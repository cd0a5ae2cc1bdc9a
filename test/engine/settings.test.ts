import { describe, expect, it } from 'vitest';
import { settingsFor } from '../../src/engine/scope.js';
import { cpuHeadroomPct, EngineSettingsSchema, PRESETS } from '../../src/engine/settings.js';
import { instance } from './helpers.js';

describe('engine settings', () => {
  it('defaults: risk sizing at a 0.1 % budget, 10 % headroom, upsizes only on pegged hours', () => {
    const s = EngineSettingsSchema.parse({});
    expect(s).toMatchObject({ cpuSizing: 'risk', riskBudgetPct: 0.1, peakToMean: 2.5, peakFloorPct: 3, saturatedHourMeanPct: 95, policy: 'fixed', memStatistic: 'p99.5' });
    expect(cpuHeadroomPct(s)).toBe(10);
    expect(cpuHeadroomPct(EngineSettingsSchema.parse({ cpuSizing: 'percentile' }))).toBe(20);
    expect(cpuHeadroomPct(EngineSettingsSchema.parse({ cpuSizing: 'percentile', cpuHeadroomPct: 0 }))).toBe(0);
  });

  it('a preset fills what the user did not set; what the user set wins', () => {
    const s = EngineSettingsSchema.parse({ preset: 'conservative', peakToMean: 5 });
    expect(s.riskBudgetPct).toBe(PRESETS.conservative.riskBudgetPct);
    expect(s.memStatistic).toBe('max');
    expect(s.peakToMean).toBe(5);
    expect(EngineSettingsSchema.parse({ preset: 'aggressive' }).riskBudgetPct).toBe(0.5);
  });

  it('unknown keys and out-of-range values are errors that name the field', () => {
    const typo = EngineSettingsSchema.safeParse({ riskBudgetPtc: 1 });
    expect(typo.success).toBe(false);
    expect(JSON.stringify(typo.error?.issues)).toContain('riskBudgetPtc');
    const range = EngineSettingsSchema.safeParse({ lookbackDays: 400 });
    expect(range.error?.issues[0]?.path).toEqual(['lookbackDays']);
    expect(EngineSettingsSchema.safeParse({ preset: 'reckless' }).success).toBe(false);
  });

  it('overrides apply per account, region or tag, in order, without resetting what they do not name', () => {
    const base = EngineSettingsSchema.parse({
      riskBudgetPct: 0.2,
      overrides: [
        { match: { account: '111111111111' }, settings: { lookbackDays: 32 } },
        { match: { tags: { env: 'prod' } }, settings: { preset: 'conservative' } },
        { match: { region: 'eu-west-1', tags: { team: '*' } }, settings: { riskBudgetPct: 1 } },
      ],
    });
    const plain = settingsFor(base, instance({ id: 'a', type: 'm5.large', account: '222222222222' }));
    expect(plain).toEqual({ settings: base, scopeKey: 'fleet' });
    const acct = settingsFor(base, instance({ id: 'b', type: 'm5.large' }));
    expect(acct.settings).toMatchObject({ lookbackDays: 32, riskBudgetPct: 0.2 });
    const prod = settingsFor(base, instance({ id: 'c', type: 'm5.large', tags: { env: 'prod' } }));
    expect(prod.settings).toMatchObject({ lookbackDays: 32, riskBudgetPct: PRESETS.conservative.riskBudgetPct, memStatistic: 'max' });
    const team = settingsFor(base, instance({ id: 'd', type: 'm5.large', region: 'eu-west-1', tags: { env: 'prod', team: 'x' } }));
    expect(team.settings.riskBudgetPct).toBe(1);
    expect(team.scopeKey).toBe('overrides:0,1,2');
    // The same combination is the same object: per-settings memo tables stay shared.
    expect(settingsFor(base, instance({ id: 'e', type: 'm5.large', tags: { env: 'prod' } })).settings).toBe(prod.settings);
    expect(settingsFor(base, instance({ id: 'f', type: 'm5.large', region: 'eu-west-1', tags: { other: 'y' } })).scopeKey).toBe('overrides:0');
  });
});
