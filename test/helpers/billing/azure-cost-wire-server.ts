import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A Cost Management table: the `properties` of a QueryResult/ForecastResult without nextLink. */
export interface WireCostTable {
  columns: { name: string; type: string }[];
  rows: unknown[][];
}

export interface AzureCostWireOptions {
  /** Query answers by request `type` (ActualCost, AmortizedCost). */
  query?: Record<string, WireCostTable>;
  /** Forecast answer pages: page 0 is answered as given (its nextLink too), page n when `$skiptoken` is there. */
  forecastPages?: Record<string, unknown>[];
  /** Rows per Query page; more rows are paged with a nextLink carrying `$skiptoken=<offset>`. */
  pageSize?: number;
  /** The first N requests answer 429 with these headers. */
  throttle?: { times: number; headers: Record<string, string> };
  /** Answer every request with this status and ARM error body. */
  fail?: { status: number; code: string; message: string };
}

/**
 * A local ARM endpoint for Cost Management Query and Forecast (POST `{scope}/providers/Microsoft.CostManagement/
 * {query|forecast}`), answering the documented response shapes (test/fixtures/billing/azure-*.json). Records every
 * request body and Authorization header; anything unexpected is recorded and answered 400.
 */
export async function startAzureCostWireServer(options: AzureCostWireOptions) {
  const unexpected: string[] = [];
  const requests: { path: string; search: string; body: Record<string, unknown>; authorization: string | undefined }[] = [];
  let throttled = 0;
  let base = '';
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', base);
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    const m = /^\/(subscriptions\/[^/]+|providers\/Microsoft\.Billing\/billingAccounts\/[^/]+)\/providers\/Microsoft\.CostManagement\/(query|forecast)$/i.exec(url.pathname);
    if (req.method !== 'POST' || !m) {
      unexpected.push(`${req.method} ${url.pathname}${url.search}`);
      return send(400, { error: { code: 'Unexpected', message: 'unexpected request' } });
    }
    const body = JSON.parse(raw || '{}') as Record<string, unknown>;
    requests.push({ path: url.pathname, search: url.search, body, authorization: req.headers.authorization });
    if (options.fail) return send(options.fail.status, { error: { code: options.fail.code, message: options.fail.message } });
    if (options.throttle && throttled < options.throttle.times) {
      throttled++;
      return send(429, { error: { code: '429', message: 'Too many requests. Please retry.' } }, options.throttle.headers);
    }
    const skip = url.searchParams.get('$skiptoken');
    if ((m[2] as string).toLowerCase() === 'forecast') {
      const pages = options.forecastPages ?? [];
      const page = skip === null ? pages[0] : pages[Number(skip) || 1];
      if (!page) return send(204, {});
      return send(200, page);
    }
    const table = options.query?.[String(body['type'])];
    if (!table) return send(204, {});
    const size = options.pageSize ?? 1000;
    const start = Number(skip ?? 0);
    const more = start + size < table.rows.length;
    // Like the real service, nextLink names the public endpoint; the client must send it to its own.
    const nextLink = more ? `https://management.azure.com${url.pathname}?api-version=${url.searchParams.get('api-version')}&$skiptoken=${start + size}` : null;
    return send(200, {
      id: `${m[1]}/providers/Microsoft.CostManagement/query/00000000-0000-0000-0000-000000000000`,
      name: '00000000-0000-0000-0000-000000000000',
      type: 'microsoft.costmanagement/Query',
      properties: { nextLink, columns: table.columns, rows: table.rows.slice(start, start + size) },
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: base, unexpected, requests, close: () => new Promise<void>((r) => server.close(() => r())) };
}
