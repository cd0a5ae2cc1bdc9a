import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The recorded `virtualMachines` list (test/fixtures/azure), used as the first VM of every subscription. */
export function recordedVm(): Record<string, unknown> {
  const body = JSON.parse(readFileSync(path.join(here, '../fixtures/azure/virtualmachines-list.json'), 'utf8')) as { value: Record<string, unknown>[] };
  return body.value[0] as Record<string, unknown>;
}

export interface AzureWireOptions {
  /** VMs (ARM JSON, `properties` nested as on the wire) per subscription. */
  vms: Record<string, Record<string, unknown>[]>;
  pageSize?: number;
  /** Hourly (Maximum, Average, Minimum) of a metric for a VM id, or undefined. */
  metric?: (vmId: string, name: string, hourMs: number) => { maximum?: number; average?: number; minimum?: number } | undefined;
  failingSubscriptions?: string[];
  /** Retail Prices API items per armRegionName (GET /api/retail/prices, one page). */
  retailPrices?: Record<string, unknown[]>;
}

/** A local ARM endpoint for the real @azure/arm-compute client: VM list with nextLink paging and Azure Monitor metrics. */
export async function startAzureWireServer(options: AzureWireOptions) {
  const unexpected: string[] = [];
  const calls: Record<string, number> = {};
  let base = '';
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', base);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const list = /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.Compute\/virtualMachines$/.exec(url.pathname);
    if (req.method === 'GET' && list) {
      calls['list'] = (calls['list'] ?? 0) + 1;
      const sub = list[1] as string;
      if (options.failingSubscriptions?.includes(sub)) return send(403, { error: { code: 'AuthorizationFailed', message: 'no access' } });
      const all = options.vms[sub] ?? [];
      const size = options.pageSize ?? 1000;
      const skip = Number(url.searchParams.get('$skiptoken') ?? 0);
      const next = skip + size < all.length ? `${base}${url.pathname}?api-version=${url.searchParams.get('api-version')}&statusOnly=true&$skiptoken=${skip + size}` : undefined;
      return send(200, { value: all.slice(skip, skip + size), ...(next ? { nextLink: next } : {}) });
    }
    if (req.method === 'GET' && /^\/subscriptions\/[^/]+\/providers\/Microsoft\.Compute\/skus$/.test(url.pathname)) {
      // The recorded Resource SKUs sample (test/fixtures/azure), filtered by location as the API does.
      calls['skus'] = (calls['skus'] ?? 0) + 1;
      const location = /^location eq '([^']+)'$/.exec(url.searchParams.get('$filter') ?? '')?.[1];
      if (!location) {
        unexpected.push(`skus without a location filter: ${url.search}`);
        return send(400, { error: { code: 'InvalidFilter', message: 'location filter required here' } });
      }
      const recorded = JSON.parse(readFileSync(path.join(here, '../fixtures/azure/resource-skus-southcentralus.json'), 'utf8')) as { value: { locations: string[] }[] };
      return send(200, { value: recorded.value.filter((sku) => sku.locations.includes(location)) });
    }
    if (req.method === 'GET' && url.pathname === '/api/retail/prices' && options.retailPrices) {
      calls['retailPrices'] = (calls['retailPrices'] ?? 0) + 1;
      const region = /armRegionName eq '([^']+)'/.exec(url.searchParams.get('$filter') ?? '')?.[1] ?? '';
      return send(200, { BillingCurrency: 'USD', Items: options.retailPrices[region] ?? [], NextPageLink: null });
    }
    if (req.method === 'GET' && url.pathname.endsWith('/providers/Microsoft.Insights/metrics')) {
      calls['metrics'] = (calls['metrics'] ?? 0) + 1;
      const vmId = url.pathname.slice(0, -'/providers/Microsoft.Insights/metrics'.length);
      const [from, to] = (url.searchParams.get('timespan') ?? '/').split('/');
      const names = (url.searchParams.get('metricnames') ?? '').split(',');
      return send(200, {
        timespan: url.searchParams.get('timespan'),
        interval: 'PT1H',
        value: names.map((name) => {
          const data: Record<string, unknown>[] = [];
          for (let t = Date.parse(from ?? ''); t < Date.parse(to ?? ''); t += 3_600_000) {
            const v = options.metric?.(vmId, name, t);
            if (v) data.push({ timeStamp: new Date(t).toISOString(), ...v });
          }
          return { id: `${vmId}/providers/Microsoft.Insights/metrics/${name}`, type: 'Microsoft.Insights/metrics', name: { value: name, localizedValue: name }, unit: 'Percent', timeseries: [{ metadatavalues: [], data }] };
        }),
      });
    }
    unexpected.push(`${req.method} ${url.pathname}`);
    send(400, { error: { code: 'Unexpected', message: 'unexpected request' } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: base, unexpected, calls, close: () => new Promise<void>((r) => server.close(() => r())) };
}
