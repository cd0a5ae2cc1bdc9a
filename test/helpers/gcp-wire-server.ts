import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local server speaking the Compute Engine and Cloud Monitoring REST JSON APIs (as documented in their API
 * references) for the real per-service gax clients in REST fallback mode. Any request it does not expect is recorded
 * in `unexpected` and answered 400.
 */
export interface GcpWireOptions {
  /** zone → REST instance objects. */
  instances: Record<string, Record<string, unknown>[]>;
  pageSize?: number;
  /** Value of a metric type for an instance id at an hour's end (ms), or undefined. */
  metric?: (metricType: string, aligner: string, instanceId: string, endMs: number, gpuNumber?: number) => number | undefined;
  /** Instances whose Ops Agent reports NVIDIA GPU metrics (agent.googleapis.com/gpu/*), with their GPU count. */
  gpus?: Record<string, number>;
  failingProjects?: string[];
  /** MachineType resources by name (GET …/zones/{zone}/machineTypes/{name}); others answer 404. */
  machineTypes?: Record<string, Record<string, unknown>>;
  /** Cloud Billing Catalog SKUs of Compute Engine (GET /v1/services/6F81-5844-456A/skus), paged. */
  skus?: unknown[];
  skuPageSize?: number;
}

export async function startGcpWireServer(options: GcpWireOptions) {
  const unexpected: string[] = [];
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(`${req.method} ${url.pathname}`);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const agg = /^\/compute\/v1\/projects\/([^/]+)\/aggregated\/instances$/.exec(url.pathname);
    if (agg) {
      if (options.failingProjects?.includes(agg[1] as string)) return send(403, { error: { code: 403, message: 'Required permission compute.instances.list', status: 'PERMISSION_DENIED' } });
      const all = Object.entries(options.instances).flatMap(([zone, list]) => list.map((i) => ({ zone, i })));
      const size = Math.min(Number(url.searchParams.get('maxResults') ?? 500), options.pageSize ?? 500);
      const start = Number(url.searchParams.get('pageToken') ?? 0);
      const page = all.slice(start, start + size);
      const items: Record<string, { instances: unknown[] }> = {};
      for (const { zone, i } of page) (items[`zones/${zone}`] ??= { instances: [] }).instances.push(i);
      return send(200, { kind: 'compute#instanceAggregatedList', items, ...(start + size < all.length ? { nextPageToken: String(start + size) } : {}) });
    }
    const mt = /^\/compute\/v1\/projects\/([^/]+)\/zones\/([^/]+)\/machineTypes\/([^/]+)$/.exec(url.pathname);
    if (mt && req.method === 'GET') {
      const found = options.machineTypes?.[mt[3] as string];
      if (!found) return send(404, { error: { code: 404, message: `The resource 'projects/${mt[1]}/zones/${mt[2]}/machineTypes/${mt[3]}' was not found`, status: 'NOT_FOUND' } });
      return send(200, { kind: 'compute#machineType', zone: mt[2], selfLink: `https://www.googleapis.com/compute/v1/projects/${mt[1]}/zones/${mt[2]}/machineTypes/${mt[3]}`, ...found });
    }
    if (url.pathname === '/v1/services/6F81-5844-456A/skus') {
      if (url.searchParams.get('currencyCode') !== 'USD') unexpected.push(`skus without currencyCode=USD: ${url.search}`);
      const all = options.skus ?? [];
      const size = options.skuPageSize ?? 5000;
      const start = Number(url.searchParams.get('pageToken') || 0);
      return send(200, { skus: all.slice(start, start + size), nextPageToken: start + size < all.length ? String(start + size) : '' });
    }
    const ts = /^\/v3\/projects\/([^/]+)\/timeSeries$/.exec(url.pathname);
    if (ts) {
      const filter = url.searchParams.get('filter') ?? '';
      const metricType = /metric\.type="([^"]+)"/.exec(filter)?.[1] ?? '';
      // gax sends enums as integers (`$alt=json;enum-encoding=int`); the REST API also takes their names.
      const ALIGNERS: Record<string, string> = { '10': 'ALIGN_MIN', '11': 'ALIGN_MAX', '12': 'ALIGN_MEAN' };
      const rawAligner = url.searchParams.get('aggregation.perSeriesAligner') ?? '';
      const aligner = ALIGNERS[rawAligner] ?? rawAligner;
      const startS = Date.parse(url.searchParams.get('interval.startTime') ?? '') || Number(url.searchParams.get('interval.startTime.seconds')) * 1000;
      const endS = Date.parse(url.searchParams.get('interval.endTime') ?? '') || Number(url.searchParams.get('interval.endTime.seconds')) * 1000;
      const ids = Object.values(options.instances).flat().map((i) => String(i['id']));
      // GPU metrics come one series per GPU, labelled as the Ops Agent labels them; others one per instance.
      const perGpu = metricType.startsWith('agent.googleapis.com/gpu/');
      const targets = perGpu ? ids.flatMap((id) => Array.from({ length: options.gpus?.[id] ?? 0 }, (_, g) => ({ id, gpu: g as number | undefined }))) : ids.map((id) => ({ id, gpu: undefined as number | undefined }));
      const timeSeries = targets
        .map(({ id, gpu }) => {
          const points: unknown[] = [];
          for (let t = endS; t > startS; t -= 3_600_000) {
            const v = options.metric?.(metricType, aligner, id, t, gpu);
            if (v !== undefined) points.push({ interval: { startTime: new Date(t - 3_600_000).toISOString(), endTime: new Date(t).toISOString() }, value: { doubleValue: v } });
          }
          const labels = gpu === undefined ? {} : { gpu_number: String(gpu), model: 'NVIDIA L4', uuid: `GPU-${id}-${gpu}` };
          return { metric: { type: metricType, labels }, resource: { type: 'gce_instance', labels: { instance_id: id, zone: 'x' } }, metricKind: 'GAUGE', valueType: 'DOUBLE', points };
        })
        .filter((s) => s.points.length > 0);
      return send(200, { timeSeries });
    }
    unexpected.push(`${req.method} ${url.pathname}${url.search}`);
    send(400, { error: { code: 400, message: 'unexpected request' } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { port, unexpected, requests, close: () => new Promise<void>((r) => server.close(() => r())) };
}
