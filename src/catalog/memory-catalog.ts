import type { Cloud, Region } from '../domain/cloud.js';
import { CLOUDS } from '../domain/cloud.js';
import type { GpuModel, InstanceType } from '../domain/instance-type.js';
import type { CommitmentTerm, Price, SpotInterruption } from '../domain/price.js';
import type { Catalog, PriceFilter } from './catalog.js';
import type { CatalogData, PricesFile } from './schema.js';

interface RegionPrices {
  file: PricesFile;
  region: string;
  rows: Map<string, (number | null)[]>;
  pricedTypes?: InstanceType[];
}

const termKey = (t: CommitmentTerm) => `${t.kind}|${t.termYears}|${t.payment}`;

/**
 * Builds an in-memory catalog from validated data. Lookups are Map hits; lists are computed once and cached.
 * @example const catalog = createCatalog({ types, prices, gpuModels, regions });
 */
export function createCatalog(data: CatalogData): Catalog {
  const types = new Map<Cloud, InstanceType[]>(CLOUDS.map((c) => [c, []]));
  const typeIndex = new Map<string, InstanceType>();
  for (const file of data.types) {
    for (const t of file.types) {
      types.get(t.cloud)?.push(t);
      typeIndex.set(`${t.cloud}|${t.name}`, t);
    }
  }
  const regionPrices = new Map<string, RegionPrices>();
  const columnIndex = new Map<Cloud, { onDemand: number; spot: number; terms: Map<string, number>; termList: CommitmentTerm[] }>();
  for (const file of data.prices) {
    const terms = new Map<string, number>();
    const termList: CommitmentTerm[] = [];
    file.columns.forEach((c, i) => {
      if (c.option === 'commitment' && c.term) {
        terms.set(termKey(c.term), i);
        termList.push(c.term);
      }
    });
    columnIndex.set(file.cloud, {
      onDemand: file.columns.findIndex((c) => c.option === 'on-demand'),
      spot: file.columns.findIndex((c) => c.option === 'spot'),
      terms,
      termList,
    });
    for (const [region, r] of Object.entries(file.regions)) {
      regionPrices.set(`${file.cloud}|${region}`, { file, region, rows: new Map(Object.entries(r.prices)) });
    }
  }
  const regions = new Map<Cloud, Region[]>(CLOUDS.map((c) => [c, data.regions.regions.filter((r) => r.cloud === c && regionPrices.has(`${c}|${r.id}`))]));
  const gpuModels = new Map<string, GpuModel>(data.gpuModels.models.map((m) => [m.id, m]));
  const advisor = data.spotAdvisor;

  const column = (cloud: Cloud, region: string, type: string, index: number | undefined): number | undefined => {
    if (index === undefined || index < 0) return undefined;
    const value = regionPrices.get(`${cloud}|${region}`)?.rows.get(type)?.[index];
    return value === null || value === undefined ? undefined : value;
  };

  const catalog: Catalog = {
    types: (cloud) => types.get(cloud) ?? [],
    type: (cloud, name) => typeIndex.get(`${cloud}|${name}`),
    regions: (cloud) => regions.get(cloud) ?? [],
    region: (cloud, id) => regions.get(cloud)?.find((r) => r.id === id),
    onDemandHourlyUsd: (cloud, region, type) => column(cloud, region, type, columnIndex.get(cloud)?.onDemand),
    spotHourlyUsd: (cloud, region, type) => column(cloud, region, type, columnIndex.get(cloud)?.spot),
    commitmentHourlyUsd: (cloud, region, type, term) => column(cloud, region, type, columnIndex.get(cloud)?.terms.get(termKey(term))),
    commitmentTerms: (cloud, region, type) => {
      const idx = columnIndex.get(cloud);
      if (!idx) return [];
      return idx.termList.filter((t) => column(cloud, region, type, idx.terms.get(termKey(t))) !== undefined);
    },
    pricedTypes: (cloud, region) => {
      const rp = regionPrices.get(`${cloud}|${region}`);
      if (!rp) return [];
      if (!rp.pricedTypes) {
        const od = columnIndex.get(cloud)?.onDemand ?? -1;
        rp.pricedTypes = [];
        for (const [name, row] of rp.rows) {
          const t = typeIndex.get(`${cloud}|${name}`);
          if (t && od >= 0 && row[od] !== null && row[od] !== undefined) rp.pricedTypes.push(t);
        }
      }
      return rp.pricedTypes;
    },
    prices: (filter: PriceFilter) => {
      const out: Price[] = [];
      for (const rp of regionPrices.values()) {
        const cloud = rp.file.cloud;
        if (filter.cloud && filter.cloud !== cloud) continue;
        if (filter.region && filter.region !== rp.region) continue;
        const regionSources = rp.file.regions[rp.region]?.sources ?? [];
        const entries = filter.instanceType ? [[filter.instanceType, rp.rows.get(filter.instanceType)] as const] : [...rp.rows.entries()];
        for (const [type, row] of entries) {
          if (!row) continue;
          rp.file.columns.forEach((col, i) => {
            const hourlyUsd = row[i];
            if (hourlyUsd === null || hourlyUsd === undefined) return;
            if (filter.purchaseOption && filter.purchaseOption !== col.option) return;
            const src = rp.file.sources[regionSources[i] ?? ''];
            out.push({
              cloud,
              region: rp.region,
              instanceType: type,
              os: 'linux',
              purchaseOption: col.option,
              ...(col.term ? { commitment: col.term } : {}),
              hourlyUsd,
              effectiveDate: src?.effectiveDate ?? '1970-01-01',
              source: src?.source ?? 'unknown',
            });
          });
        }
      }
      return out;
    },
    gpuModel: (id) => gpuModels.get(id),
    gpuModels: () => [...gpuModels.values()],
    spotInterruption: (cloud, region, type): SpotInterruption | undefined => {
      if (cloud !== 'aws' || !advisor) return undefined;
      const entry = advisor.regions[region]?.[type];
      if (!entry) return undefined;
      const range = advisor.ranges.find((r) => r.bucket === entry[0]);
      if (!range) return undefined;
      return { bucket: entry[0], label: range.label, maxMonthlyRate: range.maxMonthlyRate, savingsPct: entry[1] };
    },
    sources: (cloud) => {
      const file = data.prices.find((p) => p.cloud === cloud);
      const out = Object.values(file?.sources ?? {}).map((s) => ({ what: `${cloud} prices`, ...s }));
      if (cloud === 'aws' && advisor) out.push({ what: 'aws spot interruption buckets', source: advisor.source, effectiveDate: advisor.effectiveDate });
      return out;
    },
  };
  return catalog;
}
