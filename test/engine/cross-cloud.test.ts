import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import type { InstanceType } from '../../src/domain/instance-type.js';
import { cheapestFit, specialAllowed } from '../../src/engine/candidates.js';
import { crossCloudAlternatives } from '../../src/engine/cross-cloud.js';
import type { Demand } from '../../src/engine/demand.js';
import { EngineSettingsSchema, defaultEngineSettings } from '../../src/engine/settings.js';
import { instance } from './helpers.js';

const catalog = loadCatalog();
const settings = defaultEngineSettings();

const cpuDemand = (vcpu: number, memoryGiB: number, arch: InstanceType['arch'] = 'x86_64'): Demand => ({
  cpuBaselineVcpu: vcpu,
  cpuTargetUtil: 1,
  memoryGiB,
  memoryMeasured: true,
  arch,
  cpuPerfAssumedEqual: true,
  cpuPerfCeiling: 1,
});

describe('crossCloudAlternatives', () => {
  it('lists only moves cheaper than today, cheapest first, and never a burstable or special-purpose size', () => {
    const arb = fc.record({
      vcpu: fc.constantFrom(1, 2, 3.5, 8, 30, 90),
      memoryGiB: fc.constantFrom(2, 8, 30, 120, 700),
      arch: fc.constantFrom('x86_64' as const, 'arm64' as const),
      from: fc.constantFrom(['aws', 'us-east-1'] as const, ['gcp', 'europe-west4'] as const, ['azure', 'eastus'] as const),
      currentHourlyUsd: fc.constantFrom(0.05, 0.4, 2, 10, 40),
    });
    let listed = 0;
    fc.assert(
      fc.property(arb, ({ vcpu, memoryGiB, arch, from, currentHourlyUsd }) => {
        const inst = instance({ id: 'i-x', type: 'm5.large', cloud: from[0], region: from[1] });
        const alts = crossCloudAlternatives(inst, cpuDemand(vcpu, memoryGiB, arch), currentHourlyUsd, catalog, settings);
        listed += alts.length;
        for (const [i, a] of alts.entries()) {
          expect(a.cloud).not.toBe(from[0]);
          expect(a.monthlySavingsUsd).toBeGreaterThan(0);
          expect(a.monthlyOnDemandUsd).toBeLessThan(currentHourlyUsd * 730);
          if (i > 0) expect(a.monthlyOnDemandUsd).toBeGreaterThanOrEqual((alts[i - 1] as { monthlyOnDemandUsd: number }).monthlyOnDemandUsd);
          const t = catalog.type(a.cloud, a.instanceType) as InstanceType;
          expect(t.burstable, a.instanceType).toBe(false);
          expect(t.special, a.instanceType).toBeUndefined();
          expect(t.arch).toBe(arch);
        }
      }),
      { numRuns: 80 },
    );
    expect(listed).toBeGreaterThan(20);
  });

  it('drops a dearer move and keeps a cheaper one, priced as the catalog prices it', () => {
    // 90 vCPU, 700 GiB from AWS us-east-1: nothing on the other clouds is cheaper than $1/h.
    const inst = instance({ id: 'i-big', type: 'r6i.24xlarge' });
    expect(crossCloudAlternatives(inst, cpuDemand(90, 700), 1, catalog, settings)).toEqual([]);
    // 2 vCPU, 8 GiB against m5.xlarge's $0.192/h: GCP and Azure both have a cheaper x86 fit in the nearest region.
    const alts = crossCloudAlternatives(instance({ id: 'i-s', type: 'm5.xlarge' }), cpuDemand(2, 8), 0.192, catalog, settings);
    expect(alts.map((a) => a.cloud).sort()).toEqual(['azure', 'gcp']);
    for (const a of alts) {
      const hourly = catalog.onDemandHourlyUsd(a.cloud, a.region, a.instanceType) as number;
      expect(a.monthlyOnDemandUsd).toBeCloseTo(hourly * 730, 2);
      expect(a.monthlySavingsUsd).toBeCloseTo((0.192 - hourly) * 730, 2);
    }
  });
});

describe('special-purpose sizes as candidates', () => {
  const ec = catalog.type('azure', 'Standard_EC4as_v5') as InstanceType;
  const d = catalog.type('azure', 'Standard_D4as_v5') as InstanceType;

  it('flags confidential, constrained-core, HPC, isolated, -flex and bare-metal sizes from the names', () => {
    expect(ec.special).toEqual(['confidential']);
    expect(catalog.type('azure', 'Standard_EC96as_cc_v5')?.special).toEqual(['confidential']);
    expect(catalog.type('azure', 'Standard_E4-2as_v5')?.special).toEqual(['constrained-core']);
    expect(catalog.type('azure', 'Standard_HB120rs_v3')?.special).toEqual(['hpc']);
    expect(catalog.type('azure', 'Standard_E104i_v5')?.special).toEqual(['isolated']);
    expect(catalog.type('aws', 'm7i-flex.large')?.special).toEqual(['flex']);
    expect(catalog.type('aws', 'm5.metal')?.special).toEqual(['bare-metal']);
    expect(catalog.type('gcp', 'h3-standard-88')?.special).toEqual(['hpc']);
    expect(d.special).toBeUndefined();
  });

  it('are candidates only for a current type of the same kind, or with allowSpecialSizes', () => {
    expect(specialAllowed(ec, d, settings)).toBe(false);
    expect(specialAllowed(ec, undefined, settings)).toBe(false);
    expect(specialAllowed(ec, ec, settings)).toBe(true);
    expect(specialAllowed(d, ec, settings)).toBe(true);
    expect(specialAllowed(ec, d, EngineSettingsSchema.parse({ allowSpecialSizes: true }))).toBe(true);
    // A confidential current type widens the search; it never narrows it.
    const demand = cpuDemand(3, 14);
    const ordinary = cheapestFit(catalog, 'azure', 'eastus', demand, settings, { current: d });
    expect(ordinary?.candidate.type.special).toBeUndefined();
    const fromConfidential = cheapestFit(catalog, 'azure', 'eastus', demand, settings, { current: ec });
    expect(fromConfidential?.candidate.hourlyUsd).toBeLessThanOrEqual(ordinary?.candidate.hourlyUsd as number);
  });
});
