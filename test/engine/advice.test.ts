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
 * The definition, written the slow way: every priced, eligible, non-metal type in every region, each priced in full;
 * each type kept once at its best rank (once per region with perRegion); every cloud's (cloud and region's) best
 * first, then the rest by rank up to `limit`, answered in rank order. adviseInstances prunes; it must agree.
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
        if (type.burstable && !request.includeBurstable) continue;
        if (type.special && !request.includeSpecial) continue;
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
  const byRank = (a: AdviceOption, b: AdviceOption) => a.rankMonthlyUsd - b.rankMonthlyUsd || a.cloud.localeCompare(b.cloud) || a.region.localeCompare(b.region) || a.instanceType.localeCompare(b.instanceType);
  all.sort(byRank);
  const seen = new Set<string>();
  const distinct = all.filter((o) => {
    const key = request.perRegion ? `${o.cloud} ${o.region} ${o.instanceType}` : `${o.cloud} ${o.instanceType}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const limit = request.limit ?? 20;
  const groups = new Set<string>();
  const firsts = distinct.filter((o) => {
    const g = request.perRegion ? `${o.cloud} ${o.region}` : o.cloud;
    if (groups.has(g)) return false;
    groups.add(g);
    return true;
  });
  const answer = new Set(firsts.slice(0, limit));
  for (const o of distinct) if (answer.size < limit) answer.add(o);
  return [...answer].sort(byRank);
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
        includeBurstable: sometimes(fc.boolean()),
        includeSpecial: sometimes(fc.boolean()),
        perRegion: sometimes(fc.boolean()),
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
    expect(new Set(answer.map((o) => o.cloud))).toEqual(new Set(CLOUDS));
    // Burstable Arm Standard_B4ps_v2 ($0.134/h in eastus) used to rank first.
    expect(answer.map((o) => o.instanceType)).not.toContain('Standard_B4ps_v2');
    expect(adviseInstances({ vcpu: 4, memoryGiB: 16, limit: 25, includeBurstable: true }, catalog).map((o) => o.instanceType)).toContain('Standard_B4ps_v2');
  });

  it("answers the README's example with each cloud's best GPU type, once each", () => {
    const answer = adviseInstances({ vcpu: 4, memoryGiB: 16, gpu: { count: 1, minMemoryGiB: 20 }, limit: 3 }, catalog);
    // g2-standard-4 used to fill all three places, once per GCP region.
    expect(answer.map((o) => `${o.cloud} ${o.region} ${o.instanceType}`)).toEqual([
      'gcp us-central1 g2-standard-4', // L4 24 GB, $0.706832/h (Cyclenerd 2026-07-30)
      'aws us-east-1 g6.xlarge', // L4, $0.8048/h (Karpenter 2026-07-20)
      'azure eastus Standard_NV36ads_A10_v5', // the smallest whole A10 on Azure, $3.20/h
    ]);
    expect(answer.map((o) => o.rankMonthlyUsd)).toEqual([r2(0.706832 * 730), r2(0.8048 * 730), r2(3.2 * 730)]);
  });

  it('never answers a burstable, special-purpose or repeated type unless asked (property)', () => {
    const request = fc.record({
      vcpu: fc.constantFrom(1, 2, 4, 8, 16, 32, 64),
      memoryGiB: fc.constantFrom(0, 2, 8, 16, 64, 256),
      clouds: fc.option(fc.uniqueArray(fc.constantFrom(...CLOUDS), { minLength: 1, maxLength: 3 }), { nil: undefined }),
      regions: fc.option(fc.uniqueArray(fc.constantFrom(...allRegions), { minLength: 1, maxLength: 6 }), { nil: undefined }),
      limit: fc.integer({ min: 1, max: 80 }),
      perRegion: fc.boolean(),
    });
    fc.assert(
      fc.property(request, (r) => {
        const req = JSON.parse(JSON.stringify(r)) as AdviceRequest;
        const answer = adviseInstances(req, catalog);
        const keys = answer.map((o) => (req.perRegion ? `${o.cloud} ${o.region} ${o.instanceType}` : `${o.cloud} ${o.instanceType}`));
        expect(new Set(keys).size).toBe(keys.length);
        for (const o of answer) {
          const t = catalog.type(o.cloud, o.instanceType);
          expect(t?.burstable, o.instanceType).toBe(false);
          expect(t?.special, o.instanceType).toBeUndefined();
        }
        // Every cloud asked that has a fit is answered (when the limit leaves room).
        const clouds = req.clouds ?? CLOUDS;
        if (!req.perRegion && req.limit !== undefined && req.limit >= clouds.length) {
          for (const cloud of clouds) {
            if (adviseInstances({ ...req, clouds: [cloud], limit: 1 }, catalog).length > 0) expect(answer.some((o) => o.cloud === cloud), cloud).toBe(true);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('answers special-purpose sizes and burstable types when asked', () => {
    const confidential = adviseInstances({ vcpu: 96, memoryGiB: 384, clouds: ['azure'], includeSpecial: true, limit: 200 }, catalog).map((o) => o.instanceType);
    expect(confidential).toContain('Standard_EC96as_cc_v5');
    expect(adviseInstances({ vcpu: 96, memoryGiB: 384, clouds: ['azure'], limit: 200 }, catalog).map((o) => o.instanceType)).not.toContain('Standard_EC96as_cc_v5');
    const perRegion = adviseInstances({ vcpu: 4, memoryGiB: 16, gpu: { count: 1, minMemoryGiB: 20 }, clouds: ['gcp'], perRegion: true, limit: 5 }, catalog);
    expect(perRegion.filter((o) => o.instanceType === 'g2-standard-4').length).toBeGreaterThan(1);
  });
});
