import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { EC2Client } from '@aws-sdk/client-ec2';
import { PricingClient } from '@aws-sdk/client-pricing';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import { fetchAwsPrices } from '../../src/collectors/prices/aws.js';
import { fetchAzurePrices } from '../../src/collectors/prices/azure.js';
import { startAwsWireServer } from '../helpers/aws-wire-server.js';

const credentials = { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-secret' };
const NOW = Date.UTC(2026, 10, 27, 9);
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

/** A Price List product as GetProducts returns it (AWS Price List API reference, "GetProducts" example). */
function product(type: string, onDemandUsd: string, ri3y?: { upfrontUsd: string; hourlyUsd: string }) {
  const sku = `SKU${type.replace(/\W/g, '')}`;
  return {
    product: { productFamily: 'Compute Instance', attributes: { instanceType: type, operatingSystem: 'Linux', tenancy: 'Shared', capacitystatus: 'Used', preInstalledSw: 'NA', regionCode: 'us-east-1' }, sku },
    serviceCode: 'AmazonEC2',
    terms: {
      OnDemand: { [`${sku}.JRTCKXETXF`]: { offerTermCode: 'JRTCKXETXF', sku, effectiveDate: '2026-11-01T00:00:00Z', termAttributes: {}, priceDimensions: { [`${sku}.JRTCKXETXF.6YS6EN2CT7`]: { unit: 'Hrs', description: `$${onDemandUsd} per On Demand Linux ${type} Instance Hour`, pricePerUnit: { USD: onDemandUsd } } } } },
      ...(ri3y
        ? {
            Reserved: {
              [`${sku}.NQ3QZPMQV9`]: {
                offerTermCode: 'NQ3QZPMQV9',
                termAttributes: { LeaseContractLength: '3yr', OfferingClass: 'standard', PurchaseOption: 'All Upfront' },
                priceDimensions: { [`${sku}.NQ3QZPMQV9.2TG2D8R56U`]: { unit: 'Quantity', pricePerUnit: { USD: ri3y.upfrontUsd } }, [`${sku}.NQ3QZPMQV9.6YS6EN2CT7`]: { unit: 'Hrs', pricePerUnit: { USD: ri3y.hourlyUsd } } },
              },
              // Another reservation shape in the same product: must not be taken for the 3-year all-upfront column.
              [`${sku}.4NA7Y494T4`]: {
                termAttributes: { LeaseContractLength: '1yr', OfferingClass: 'standard', PurchaseOption: 'No Upfront' },
                priceDimensions: { [`${sku}.4NA7Y494T4.6YS6EN2CT7`]: { unit: 'Hrs', pricePerUnit: { USD: '0.0600000000' } } },
              },
            },
          }
        : {}),
    },
    version: '20261101000000',
    publicationDate: '2026-11-01T00:00:00Z',
  };
}

/** Independent of the SDK: the recorded page parsed with a regex, latest Linux/UNIX price per zone, mean per type. */
function expectedSpot(xml: string): Map<string, number> {
  const latest = new Map<string, { at: string; usd: number }>();
  for (const m of xml.matchAll(/<item>([\s\S]*?)<\/item>/g)) {
    const f = Object.fromEntries([...m[1]!.matchAll(/<(\w+)>([^<]*)<\/\1>/g)].map((x) => [x[1], x[2]]));
    if (f['productDescription'] !== 'Linux/UNIX') continue;
    const key = `${f['instanceType']}|${f['availabilityZone']}`;
    const prev = latest.get(key);
    if (!prev || f['timestamp']! > prev.at) latest.set(key, { at: f['timestamp']!, usd: Number(f['spotPrice']) });
  }
  const byType = new Map<string, number[]>();
  for (const [key, v] of latest) (byType.get(key.split('|')[0]!) ?? byType.set(key.split('|')[0]!, []).get(key.split('|')[0]!)!).push(v.usd);
  return new Map([...byType].map(([t, xs]) => [t, xs.reduce((a, b) => a + b, 0) / xs.length]));
}

describe('AWS price refresh through the real Pricing and EC2 clients', () => {
  it('pages GetProducts, amortizes the 3-year all-upfront RI, and takes spot from a recorded DescribeSpotPriceHistory page', async () => {
    const recorded = readFileSync(path.join(import.meta.dirname, '../fixtures/aws/ec2-describe-spot-price-history.xml'), 'utf8');
    const lastPage = '<?xml version="1.0" encoding="UTF-8"?><DescribeSpotPriceHistoryResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r2</requestId><spotPriceHistorySet/><nextToken></nextToken></DescribeSpotPriceHistoryResponse>';
    const products = [product('m5.large', '0.0960000000', { upfrontUsd: '1226', hourlyUsd: '0.0000000000' }), product('c5.xlarge', '0.1700000000'), product('m1.small', '0.0440000000'), product('t1.micro', '0.0200000000'), product('m2.4xlarge', '0.9800000000')];
    const s = await startAwsWireServer({ instances: {}, products: { 'us-west-2': products }, productPageSize: 2, spotHistoryXml: { 'us-west-2': [recorded, lastPage] } });
    stops.push(s.close);
    const out = await fetchAwsPrices(
      { pricing: new PricingClient({ endpoint: s.url, region: 'us-east-1', credentials }), ec2For: (region) => new EC2Client({ endpoint: s.url, region, credentials }) },
      ['us-west-2'],
      NOW,
    );
    expect(s.unexpected).toEqual([]);
    expect(out.scopes).toEqual([{ cloud: 'aws', account: 'prices', region: 'us-west-2', status: 'ok', instanceCount: expect.any(Number) }]);
    expect(out.calls).toEqual({ GetProducts: 3, DescribeSpotPriceHistory: 2 }); // ⌈5 / 2⌉ pages; the recorded page + the last
    const prices = out.file.regions['us-west-2']!.prices;
    expect(prices['m5.large']![0]).toBe(0.096);
    expect(prices['m5.large']![2]).toBeCloseTo(1226 / (3 * 8760), 12);
    expect(prices['c5.xlarge']).toEqual([0.17, null, null]);
    const spot = expectedSpot(recorded);
    expect(spot.size).toBeGreaterThan(5);
    for (const [type, usd] of spot) expect(prices[type]?.[1], type).toBeCloseTo(usd, 12);
    // Read off the fixture by hand: m1.small's latest Linux/UNIX prices are 0.010 in 2b (03-20 13:35:55), 2c (10:15:32)
    // and 2a (04:51:53), though 2b also shows 0.020 earlier that hour; c1.xlarge 0.112 in all three zones.
    expect(prices['m1.small']![1]).toBe(0.01);
    expect(prices['c1.xlarge']![1]).toBeCloseTo(0.112, 12);
  });

  it('records a malformed product as parse-error with its path, keeps the other region, and loses no bundled price', async () => {
    const bad = product('m5.large', '0.0960000000') as { terms: { OnDemand: Record<string, { priceDimensions: Record<string, { pricePerUnit: { USD: string } }> }> } };
    Object.values(Object.values(bad.terms.OnDemand)[0]!.priceDimensions)[0]!.pricePerUnit.USD = 'free';
    const s = await startAwsWireServer({ instances: {}, products: { 'eu-west-1': [bad], 'us-east-1': [product('m5.large', '0.1010000000')] } });
    stops.push(s.close);
    const out = await fetchAwsPrices({ pricing: new PricingClient({ endpoint: s.url, region: 'us-east-1', credentials }), ec2For: (region) => new EC2Client({ endpoint: s.url, region, credentials }) }, ['eu-west-1', 'us-east-1'], NOW);
    const [eu, us] = out.scopes;
    expect(eu).toMatchObject({ region: 'eu-west-1', status: 'parse-error' });
    expect(eu!.message).toContain('PriceList[0].terms.OnDemand');
    expect(us).toMatchObject({ region: 'us-east-1', status: 'ok', instanceCount: 1 });
    expect(out.file.regions['eu-west-1']).toBeUndefined();
    // Overlaid on the bundled catalog: the refreshed price wins, every other bundled price stays.
    const bundled = loadCatalog();
    const refreshed = loadCatalog(undefined, { priceOverlays: [out.file] });
    expect(refreshed.onDemandHourlyUsd('aws', 'us-east-1', 'm5.large')).toBe(0.101);
    expect(refreshed.onDemandHourlyUsd('aws', 'eu-west-1', 'm5.large')).toBe(bundled.onDemandHourlyUsd('aws', 'eu-west-1', 'm5.large'));
    expect(refreshed.onDemandHourlyUsd('aws', 'us-east-1', 'c5.xlarge')).toBe(bundled.onDemandHourlyUsd('aws', 'us-east-1', 'c5.xlarge'));
    expect(refreshed.spotHourlyUsd('aws', 'us-east-1', 'm5.large')).toBe(bundled.spotHourlyUsd('aws', 'us-east-1', 'm5.large'));
  });
});

/** Items shaped as the Retail Prices API documents them (learn.microsoft.com, "Azure Retail Prices REST API"). */
function retailItem(sku: string, price: number, kind: 'Consumption' | 'Spot' | 'Windows' | 'LowPriority' | 'Reservation3y') {
  const size = sku.replace(/^Standard_/, '').replace(/_/g, ' ');
  return {
    currencyCode: 'USD', tierMinimumUnits: 0, retailPrice: price, unitPrice: price, armRegionName: 'eastus', location: 'US East', effectiveStartDate: '2026-10-01T00:00:00Z',
    meterId: `m-${sku}-${kind}`, meterName: size, productId: 'DZH318Z0BQ4L', skuId: 'DZH318Z0BQ4L/00TG', productName: kind === 'Windows' ? `Virtual Machines Dv5 Series Windows` : 'Virtual Machines Dv5 Series',
    skuName: kind === 'Spot' ? `${size} Spot` : kind === 'LowPriority' ? `${size} Low Priority` : size, serviceName: 'Virtual Machines', serviceId: 'DZH313Z7MMC8', serviceFamily: 'Compute',
    unitOfMeasure: kind === 'Reservation3y' ? '1 Hour' : '1 Hour', type: kind === 'Reservation3y' ? 'Reservation' : 'Consumption', ...(kind === 'Reservation3y' ? { reservationTerm: '3 Years' } : {}),
    isPrimaryMeterRegion: true, armSkuName: sku,
  };
}

async function retailServer(pages: unknown[][], options: { failFirst?: number; malformed?: boolean } = {}) {
  const requests: string[] = [];
  let failures = options.failFirst ?? 0;
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    if (failures-- > 0) {
      res.writeHead(429, { 'retry-after': '0' });
      return res.end('{"error":"too many"}');
    }
    const url = new URL(req.url ?? '/', 'http://x');
    const page = Number(url.searchParams.get('$skip') ?? 0) / 2;
    // As the real API does: the same query with $skip advanced.
    const nextQuery = new URLSearchParams({ 'api-version': url.searchParams.get('api-version') ?? '', $filter: url.searchParams.get('$filter') ?? '', $skip: String((page + 1) * 2) });
    const next = page + 1 < pages.length ? `http://127.0.0.1:${(server.address() as AddressInfo).port}${url.pathname}?${nextQuery.toString()}` : null;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(options.malformed ? '{"Items":[{"armSkuName":"x","retailPrice":"cheap"}]}' : JSON.stringify({ BillingCurrency: 'USD', CustomerEntityId: 'Default', CustomerEntityType: 'Retail', Items: pages[page], NextPageLink: next, Count: pages[page]!.length }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  stops.push(() => new Promise<void>((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

describe('Azure price refresh from the Retail Prices API', () => {
  it('follows NextPageLink, keeps Linux pay-as-you-go, spot and 3-year reservations, retries a 429', async () => {
    const pages = [
      [retailItem('Standard_D4s_v5', 0.192, 'Consumption'), retailItem('Standard_D4s_v5', 0.0384, 'Spot')],
      [retailItem('Standard_D4s_v5', 0.376, 'Windows'), retailItem('Standard_D4s_v5', 0.0384, 'LowPriority')],
      [retailItem('Standard_D4s_v5', 2_418.0, 'Reservation3y'), retailItem('Standard_D8s_v5', 0.384, 'Consumption')],
    ];
    const server = await retailServer(pages, { failFirst: 1 });
    const out = await fetchAzurePrices(['eastus'], NOW, { endpoint: server.url });
    expect(out.scopes).toEqual([{ cloud: 'azure', account: 'prices', region: 'eastus', status: 'ok', instanceCount: 2 }]);
    expect(out.calls['retailPrices']).toBe(3);
    expect(server.requests).toHaveLength(4); // the 429, then three pages
    expect(decodeURIComponent(server.requests[1]!)).toContain("$filter=serviceName eq 'Virtual Machines' and armRegionName eq 'eastus'");
    const prices = out.file.regions['eastus']!.prices;
    expect(prices['Standard_D4s_v5']![0]).toBe(0.192);
    expect(prices['Standard_D4s_v5']![1]).toBe(0.0384);
    expect(prices['Standard_D4s_v5']![2]).toBeCloseTo(2418 / (3 * 8760), 12);
    expect(prices['Standard_D8s_v5']).toEqual([0.384, null, null]);
    // Overlaid: the bundled Azure file has no spot column; the refresh adds it.
    const catalog = loadCatalog(undefined, { priceOverlays: [out.file] });
    expect(catalog.spotHourlyUsd('azure', 'eastus', 'Standard_D4s_v5')).toBe(0.0384);
    expect(catalog.onDemandHourlyUsd('azure', 'eastus', 'Standard_D4s_v5')).toBe(0.192);
  });

  it('reports a malformed page as parse-error naming the field', async () => {
    const server = await retailServer([[]], { malformed: true });
    const out = await fetchAzurePrices(['eastus'], NOW, { endpoint: server.url });
    expect(out.scopes[0]).toMatchObject({ status: 'parse-error' });
    expect(out.scopes[0]!.message).toMatch(/Items\.0\.(armRegionName|retailPrice)/);
  });
});

describe('price refresh into the store', () => {
  it('stores the refresh as an overlay, keeps a failed region’s last refreshed prices, and analysis reads them', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { openSqliteStore } = await import('../../src/store/sqlite/sqlite-store.js');
    const { refreshPrices } = await import('../../src/pipeline/refresh-prices.js');
    const { loadCatalogWithRefreshedPrices } = await import('../../src/catalog/load.js');
    const { ConfigSchema } = await import('../../src/config.js');
    const dir = mkdtempSync(path.join(tmpdir(), 'rightsize-prices-'));
    stops.push(async () => rmSync(dir, { recursive: true, force: true }));
    const store = openSqliteStore({ dataDir: dir });
    stops.push(() => store.close());
    const first = await startAwsWireServer({ instances: {}, products: { 'us-east-1': [product('m5.large', '0.1010000000')], 'eu-west-1': [product('m5.large', '0.1110000000')] } });
    stops.push(first.close);
    const config = (url: string) => ConfigSchema.parse({ aws: { enabled: true, regions: ['us-east-1', 'eu-west-1'], endpoints: { ec2: url, pricing: url, spotAdvisor: `${url}/spot-advisor-data.json` } } });
    const env = { AWS_ACCESS_KEY_ID: 'AKIDLOCALTEST', AWS_SECRET_ACCESS_KEY: 'local-secret' };
    const previous = { ...process.env };
    Object.assign(process.env, env);
    try {
      const catalog = loadCatalog();
      const one = await refreshPrices({ config: config(first.url), catalog, store, nowMs: NOW });
      expect(one.written).toEqual(['catalog/aws-spot-advisor.json', 'catalog/prices/aws.json']);
      expect(one.scopes.find((s) => s.account === 'spot-advisor')).toMatchObject({ status: 'ok', instanceCount: 2 });
      // Second refresh: eu-west-1 answers 500; us-east-1 has a new price.
      const second = await startAwsWireServer({ instances: {}, products: { 'us-east-1': [product('m5.large', '0.0990000000')] }, failingRegions: ['eu-west-1'] });
      stops.push(second.close);
      const two = await refreshPrices({ config: config(second.url), catalog, store, nowMs: NOW + 1 });
      expect(two.scopes.map((s) => `${s.region}:${s.status}`)).toEqual(['us-east-1:ok', 'eu-west-1:error', '*:ok']);
      const refreshed = await loadCatalogWithRefreshedPrices(undefined, store);
      expect(refreshed.onDemandHourlyUsd('aws', 'us-east-1', 'm5.large')).toBe(0.099);
      expect(refreshed.onDemandHourlyUsd('aws', 'eu-west-1', 'm5.large')).toBe(0.111); // kept from the first refresh
      expect(refreshed.onDemandHourlyUsd('aws', 'us-east-1', 'c5.xlarge')).toBe(catalog.onDemandHourlyUsd('aws', 'us-east-1', 'c5.xlarge'));
      // The refreshed Spot Advisor feed replaces the bundled buckets: m5.large is in the 15-20 % bucket now, Linux only.
      expect(refreshed.spotInterruption('aws', 'us-east-1', 'm5.large')).toEqual({ bucket: 3, label: '15-20%', maxMonthlyRate: 0.22, savingsPct: 61 });
      expect(refreshed.spotInterruption('aws', 'eu-west-1', 'm5.large')).toBeUndefined();
      // A corrupt overlay is reported and ignored: the bundled prices stay.
      await store.putBlob('catalog/prices/aws.json', 'application/json', '{"cloud":"aws","columns":[]}');
      const warnings: string[] = [];
      const fallback = await loadCatalogWithRefreshedPrices(undefined, store, (m) => warnings.push(m));
      expect(warnings[0]).toContain('catalog/prices/aws.json');
      expect(fallback.onDemandHourlyUsd('aws', 'us-east-1', 'm5.large')).toBe(catalog.onDemandHourlyUsd('aws', 'us-east-1', 'm5.large'));
    } finally {
      for (const k of Object.keys(env)) if (!(k in previous)) delete process.env[k];
    }
  });
});

it('falls back to the bundled prices, and says why, when the store cannot be read', async () => {
  const { loadCatalogWithRefreshedPrices } = await import('../../src/catalog/load.js');
  const warnings: string[] = [];
  const unreachable = { getBlob: async () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:9')) };
  const catalog = await loadCatalogWithRefreshedPrices(undefined, unreachable, (m) => warnings.push(m));
  expect(catalog.onDemandHourlyUsd('aws', 'us-east-1', 'm5.large')).toBe(loadCatalog().onDemandHourlyUsd('aws', 'us-east-1', 'm5.large'));
  expect(warnings).toHaveLength(4); // three clouds' prices and the spot advisor
  expect(warnings[0]).toContain('ECONNREFUSED');
});

/** A Compute Engine SKU as the Cloud Billing Catalog API reference shows it. */
function gceSku(description: string, usageType: string, unit: 'h' | 'GiBy.h', nanos: number, regions: string[]) {
  return {
    name: `services/6F81-5844-456A/skus/${description.length}-${nanos}`,
    skuId: `${description.length}-${nanos}`,
    description,
    category: { serviceDisplayName: 'Compute Engine', resourceFamily: 'Compute', resourceGroup: 'N2Standard', usageType },
    serviceRegions: regions,
    pricingInfo: [{ summary: '', pricingExpression: { usageUnit: unit, displayQuantity: 1, tieredRates: [{ startUsageAmount: 0, unitPrice: { currencyCode: 'USD', units: '0', nanos } }], usageUnitDescription: unit === 'h' ? 'hour' : 'gibibyte hour', baseUnit: 's', baseUnitConversionFactor: 3600 }, currencyConversionRate: 1, effectiveTime: '2026-11-01T00:00:00Z' }],
    serviceProviderName: 'Google',
  };
}

describe('GCP price refresh from the Cloud Billing Catalog through the real CloudCatalogClient', () => {
  it('prices machine types as vCPUs × core rate + GiB × RAM rate for on-demand, spot and both CUD terms', async () => {
    const { startGcpWireServer } = await import('../helpers/gcp-wire-server.js');
    const { refreshPrices } = await import('../../src/pipeline/refresh-prices.js');
    const { ConfigSchema } = await import('../../src/config.js');
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { openSqliteStore } = await import('../../src/store/sqlite/sqlite-store.js');
    const { loadCatalogWithRefreshedPrices } = await import('../../src/catalog/load.js');
    const us = ['us-central1', 'us-east1'];
    const skus = [
      gceSku('N2 Instance Core running in Americas', 'OnDemand', 'h', 31_611_000, us),
      gceSku('N2 Instance Ram running in Americas', 'OnDemand', 'GiBy.h', 4_237_000, us),
      gceSku('Spot Preemptible N2 Instance Core running in Americas', 'Preemptible', 'h', 7_650_000, us),
      gceSku('Spot Preemptible N2 Instance Ram running in Americas', 'Preemptible', 'GiBy.h', 1_025_000, us),
      gceSku('Commitment v1: N2 Cpu in Americas for 1 Year', 'Commit1Yr', 'h', 19_915_000, us),
      gceSku('Commitment v1: N2 Ram in Americas for 1 Year', 'Commit1Yr', 'GiBy.h', 2_669_000, us),
      gceSku('Commitment v1: N2 Cpu in Americas for 3 Years', 'Commit3Yr', 'h', 14_225_000, us),
      gceSku('Commitment v1: N2 Ram in Americas for 3 Years', 'Commit3Yr', 'GiBy.h', 1_907_000, us),
      // Not core/RAM rates: a GPU and a license must not leak into any machine price.
      gceSku('Nvidia Tesla T4 GPU running in Americas', 'OnDemand', 'h', 350_000_000, us),
      { ...gceSku('Licensing Fee for Windows Server 2022 (CPU cost)', 'OnDemand', 'h', 46_000_000, us), category: { resourceFamily: 'License', usageType: 'OnDemand' } },
    ];
    const s = await startGcpWireServer({ instances: {}, skus, skuPageSize: 3 });
    stops.push(s.close);
    const dir = mkdtempSync(path.join(tmpdir(), 'rightsize-gcp-prices-'));
    stops.push(async () => rmSync(dir, { recursive: true, force: true }));
    const store = openSqliteStore({ dataDir: dir });
    stops.push(() => store.close());
    const config = ConfigSchema.parse({ gcp: { enabled: true, regions: ['us-central1', 'europe-west4'], endpoints: { billing: `http://127.0.0.1:${s.port}` } } });
    const authClient = { getRequestHeaders: async () => new Headers(), fetch: (url: string, init: RequestInit) => fetch(url, init) };
    const out = await refreshPrices({ config, catalog: loadCatalog(), store, nowMs: NOW, gcpAuthClient: authClient });
    expect(s.unexpected).toEqual([]);
    expect(s.requests.filter((r) => r.includes('/skus'))).toHaveLength(Math.ceil(skus.length / 3)); // paged
    expect(out.scopes.map((x) => `${x.region}:${x.status}`)).toEqual(['us-central1:ok', 'europe-west4:no-data']);
    const catalog = await loadCatalogWithRefreshedPrices(undefined, store);
    // By hand: n2-standard-4 is 4 vCPUs and 16 GiB.
    expect(catalog.onDemandHourlyUsd('gcp', 'us-central1', 'n2-standard-4')).toBeCloseTo(4 * 0.031611 + 16 * 0.004237, 9);
    // And it is the list price the bundled catalog holds, built independently from another Billing Catalog export.
    expect(catalog.onDemandHourlyUsd('gcp', 'us-central1', 'n2-standard-4')).toBeCloseTo(loadCatalog().onDemandHourlyUsd('gcp', 'us-central1', 'n2-standard-4') as number, 6);
    expect(catalog.spotHourlyUsd('gcp', 'us-central1', 'n2-standard-4')).toBeCloseTo(4 * 0.00765 + 16 * 0.001025, 9);
    expect(catalog.commitmentHourlyUsd('gcp', 'us-central1', 'n2-standard-4', { kind: 'cud', termYears: 3, payment: 'no-upfront' })).toBeCloseTo(4 * 0.014225 + 16 * 0.001907, 9);
    // Series without SKUs here, shared-core and GPU types keep their bundled prices.
    const bundled = loadCatalog();
    expect(catalog.onDemandHourlyUsd('gcp', 'us-central1', 'e2-standard-4')).toBe(bundled.onDemandHourlyUsd('gcp', 'us-central1', 'e2-standard-4'));
    expect(catalog.onDemandHourlyUsd('gcp', 'europe-west4', 'n2-standard-4')).toBe(bundled.onDemandHourlyUsd('gcp', 'europe-west4', 'n2-standard-4'));
  });
});
