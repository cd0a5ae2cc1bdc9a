import type { Cloud } from '../domain/cloud.js';
import type { Catalog, PriceFilter } from './catalog.js';

/** What an account pays per list dollar for a type: 0.8 for a 20 % negotiated discount. */
export type PriceFactorOf = (type: string) => number;

/**
 * The catalog as one account sees it: on-demand, spot and commitment prices of `cloud` scaled by the account's
 * negotiated rate (ContractedCost ÷ ListCost from its bill), so sizing compares and savings are stated in the
 * account's own dollars. Enterprise discounts (AWS EDP/PPA, Azure MACC/EA, Google's contract pricing) apply to the
 * price before commitment discounts, which is why commitment prices are scaled too. Other clouds are untouched:
 * a cross-cloud alternative is priced at list unless that cloud's bill says otherwise.
 */
export function negotiatedCatalog(catalog: Catalog, cloud: Cloud, factorOf: PriceFactorOf): Catalog {
  const scaled = (c: Cloud, type: string, usd: number | undefined) => (usd === undefined || c !== cloud ? usd : usd * factorOf(type));
  return {
    types: (c) => catalog.types(c),
    type: (c, name) => catalog.type(c, name),
    regions: (c) => catalog.regions(c),
    region: (c, id) => catalog.region(c, id),
    onDemandHourlyUsd: (c, region, type) => scaled(c, type, catalog.onDemandHourlyUsd(c, region, type)),
    spotHourlyUsd: (c, region, type) => scaled(c, type, catalog.spotHourlyUsd(c, region, type)),
    commitmentHourlyUsd: (c, region, type, term) => scaled(c, type, catalog.commitmentHourlyUsd(c, region, type, term)),
    commitmentTerms: (c, region, type) => catalog.commitmentTerms(c, region, type),
    pricedTypes: (c, region) => catalog.pricedTypes(c, region),
    prices: (filter: PriceFilter) => catalog.prices(filter).map((p) => (p.cloud === cloud ? { ...p, hourlyUsd: p.hourlyUsd * factorOf(p.instanceType) } : p)),
    gpuModel: (id) => catalog.gpuModel(id),
    gpuModels: () => catalog.gpuModels(),
    spotInterruption: (c, region, type) => catalog.spotInterruption(c, region, type),
    sources: (c) => (c === cloud ? [...catalog.sources(c), { what: 'negotiated rates', source: 'ContractedCost ÷ ListCost of the account\'s imported bill', effectiveDate: '' }] : catalog.sources(c)),
  };
}
