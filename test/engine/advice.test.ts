import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import type { Catalog } from '../../src/catalog/catalog.js';
import { CLOUDS } from '../../src/domain/cloud.js';
import { PURCHASE_OPTIONS } from '../../src/domain/price.js';
import type { AdviceOption, AdviceRequest } from '../../src/engine/advice.js';
import { adviseInstances } from '../../src/engine/advice.js';
import { spotReworkOverhead } from '../../src/engine/purchase-mix.js';
import { defaultEngineSettings } from '../../src/engine/settings.js';

const catalog = loadCatalog();
const settings = defaultEngineSettings();
const r4 = (x: number) => Math.round(x * 10000) / 10000;
const r2 = (x: number) => Math.round(x * 100) / 100;

/**
 * The definition, written the slow way: every priced, non-metal type in every region, each priced in full, all
 * sorted, the first `limit` taken. adviseInstances prunes and keeps a bounded list; it must give the same answer.
 */
function adviseByDefinition(request: AdviceRequest, cat: Catalog): AdviceOption[] {
  const options = request.purchaseOptions ?? (request.interruptible ? ['on-demand', 'spot', 'commitment'] : ['on-demand', 'commitment']);
  const hours = request.hoursPerMonth ?? settings.hoursPerMonth;
  const all: AdviceOption[] = [];
  for (const cloud of request.clouds ?? CLOUDS) {
    for (const region of cat.regions(cloud)) {
      if (request.regions && !request.regions.includes(region.id)) continue;
      for (const type of cat.pricedTypes(cloud, region.id)) {
        const hourly = cat.onDemandHourlyUsd(cloud, region.id, type.name);
        if (hourly === undefined || type.name.includes('metal')) continue;
        if (type.vcpu < request.vcpu || type.memoryGiB < request.memoryGiB || (request.arch && type.arch !== request.arch)) continue;
        const fitMargin: AdviceOption['fitMargin'] = { vcpu: r2(type.vcpu / request.vcpu), memory: r2(type.memoryGiB / Math.max(request.memoryGiB, 1e-9)) };
        if (request.gpu) {
          const g = type.gpu;
          if (!g || g.count < request.gpu.count || (request.gpu.model && g.model !== request.gpu.model)) continue;
          if (request.gpu.minMemoryGiB !== undefined && g.memoryGiBPerGpu < request.gpu.minMemoryGiB) continue;
          const throughput = g.count * (cat.gpuModel(g.model)?.relThroughput ?? 0);
          if (request.gpu.minThroughput !== undefined && throughput < request.gpu.minThroughput) continue;
          if (request.gpu.minThroughput) fitMargin.gpuThroughput = r2(throughput / request.gpu.minThroughput);
          if (request.gpu.minMemoryGiB) fitMargin.gpuMemory = r2(g.memoryGiBPerGpu / request.gpu.minMemoryGiB);
        } else if (type.gpu || type.accelerators) continue;
        const prices: AdviceOption['prices'] = [];
        if (options.includes('on-demand')) prices.push({ purchaseOption: 'on-demand', hourlyUsd: r4(hourly), monthlyUsd: r2(hourly * hours) });
        const spot = options.includes('spot') ? cat.spotHourlyUsd(cloud, region.id, type.name) : undefined;
        if (spot !== undefined) {
          const { overhead } = spotReworkOverhead(cat.spotInterruption(cloud, region.id, type.name), settings);
          prices.push({ purchaseOption: 'spot', hourlyUsd: r4(spot), monthlyUsd: r2(spot * hours), riskAdjustedHourlyUsd: r4(spot * (1 + overhead)) });
        }
        if (options.includes('commitment')) {
          for (const term of cat.commitmentTerms(cloud, region.id, type.name)) {
            const c = cat.commitmentHourlyUsd(cloud, region.id, type.name, term);
            if (c !== undefined) prices.push({ purchaseOption: 'commitment', term: `${term.kind} ${term.termYears}y ${term.payment}`, hourlyUsd: r4(c), monthlyUsd: r2(c * hours) });
          }
        }
        if (prices.length === 0) continue;
        const cheapest = Math.min(...prices.map((p) => p.monthlyUsd));
        all.push({
          cloud, region: region.id, instanceType: type.name, vcpu: type.vcpu, memoryGiB: type.memoryGiB, arch: type.arch, gpu: type.gpu ?? null, fitMargin, prices,
          cheapestMonthlyUsd: cheapest, rankMonthlyUsd: prices.find((p) => p.purchaseOption === 'on-demand')?.monthlyUsd ?? cheapest,
        });
      }
    }
  }
  all.sort((a, b) => a.rankMonthlyUsd - b.rankMonthlyUsd || a.cloud.localeCompare(b.cloud) || a.region.localeCompare(b.region) || a.instanceType.localeCompare(b.instanceType));
  return all.slice(0, request.limit ?? 20);
}

const allRegions = CLOUDS.flatMap((c) => catalog.regions(c).map((r) => r.id));
const gpuModels = catalog.gpuModels().map((m) => m.id);

describe('adviseInstances', () => {
  it('gives exactly the answer of the slow definition on random requests', () => {
    const sometimes = <T>(arb: fc.Arbitrary<T>, weight = 1) => fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight, arbitrary: arb });
    const request = fc
      .record({
        vcpu: fc.constantFrom(0.5, 1, 2, 4, 6, 8, 16, 48, 96, 200),
        memoryGiB: fc.constantFrom(0, 1, 4, 16, 30, 64, 256, 1000),
        gpu: sometimes(fc.record({ count: fc.integer({ min: 1, max: 8 }), model: sometimes(fc.constantFrom(...gpuModels)), minMemoryGiB: sometimes(fc.constantFrom(16, 24, 40, 80)), minThroughput: sometimes(fc.constantFrom(0.5, 1, 4)) })),
        arch: sometimes(fc.constantFrom('x86_64' as const, 'arm64' as const)),
        clouds: sometimes(fc.uniqueArray(fc.constantFrom(...CLOUDS), { minLength: 1, maxLength: 3 })),
        regions: sometimes(fc.uniqueArray(fc.constantFrom(...allRegions), { minLength: 1, maxLength: 8 })),
        purchaseOptions: sometimes(fc.uniqueArray(fc.constantFrom(...PURCHASE_OPTIONS), { minLength: 1, maxLength: 3 }), 3),
        hoursPerMonth: sometimes(fc.constantFrom(100, 730)),
        interruptible: sometimes(fc.boolean()),
        limit: sometimes(fc.integer({ min: 1, max: 60 }), 3),
      })
      .map((r) => JSON.parse(JSON.stringify(r)) as AdviceRequest); // drops the undefined keys, as a parsed body has none
    let answered = 0;
    const runs = process.env.CI ? 400 : 150;
    fc.assert(
      fc.property(request, (req) => {
        const expected = adviseByDefinition(req, catalog);
        if (expected.length > 0) answered++;
        expect(adviseInstances(req, catalog)).toEqual(expected);
      }),
      { numRuns: runs },
    );
    // Most random requests must have answers, or the comparison above proves little.
    expect(answered).toBeGreaterThan(runs / 2);
  });

  it('answers a plain CPU request with the cheapest fits first, each fitting and priced per requested option', () => {
    const answer = adviseInstances({ vcpu: 4, memoryGiB: 16, limit: 25 }, catalog);
    expect(answer).toHaveLength(25);
    expect(answer).toEqual(adviseByDefinition({ vcpu: 4, memoryGiB: 16, limit: 25 }, catalog));
    for (const [i, o] of answer.entries()) {
      expect(o.vcpu).toBeGreaterThanOrEqual(4);
      expect(o.memoryGiB).toBeGreaterThanOrEqual(16);
      expect(o.gpu).toBeNull();
      expect(o.prices[0]?.purchaseOption).toBe('on-demand');
      if (i > 0) expect(o.rankMonthlyUsd).toBeGreaterThanOrEqual((answer[i - 1] as AdviceOption).rankMonthlyUsd);
    }
    expect(new Set(answer.map((o) => o.cloud)).size).toBeGreaterThan(1);
  });
});
