import { sendBytes, startWireServer } from './wire-server.js';

/**
 * A minimal Cloud Storage JSON API server for the real @google-cloud/storage client: `GET /storage/v1/b/<bucket>/o`
 * (prefix, maxResults, pageToken → nextPageToken) and media downloads `GET /storage/v1/b/<bucket>/o/<name>?alt=media`
 * with `Range` (206 + Content-Range). Anything else is recorded in `unexpected` and answered 400.
 */
export function startGcsWireServer(options: { bucket: string; objects: Map<string, { body: Uint8Array; updatedMs: number }>; pageSize?: number }) {
  return startWireServer((req, res, url, log) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const meta = (name: string, o: { body: Uint8Array; updatedMs: number }) => ({
      kind: 'storage#object', id: `${options.bucket}/${name}/1`, name, bucket: options.bucket, generation: '1', metageneration: '1', contentType: 'application/octet-stream',
      size: String(o.body.length), updated: new Date(o.updatedMs).toISOString(), timeCreated: new Date(o.updatedMs).toISOString(), storageClass: 'STANDARD',
    });
    const list = /^\/storage\/v1\/b\/([^/]+)\/o$/.exec(url.pathname);
    if (req.method === 'GET' && list && decodeURIComponent(list[1] as string) === options.bucket) {
      const prefix = url.searchParams.get('prefix') ?? '';
      const size = Math.min(Number(url.searchParams.get('maxResults') ?? 1000), options.pageSize ?? 1000);
      const start = Number(url.searchParams.get('pageToken') ?? 0);
      const names = [...options.objects.keys()].filter((n) => n.startsWith(prefix)).sort();
      const page = names.slice(start, start + size);
      return send(200, { kind: 'storage#objects', items: page.map((n) => meta(n, options.objects.get(n)!)), ...(start + size < names.length ? { nextPageToken: String(start + size) } : {}) });
    }
    const get = /^\/storage\/v1\/b\/([^/]+)\/o\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && get && decodeURIComponent(get[1] as string) === options.bucket) {
      const name = decodeURIComponent(get[2] as string);
      const o = options.objects.get(name);
      if (!o) return send(404, { error: { code: 404, message: `No such object: ${options.bucket}/${name}`, errors: [{ reason: 'notFound', message: 'No such object' }] } });
      if (url.searchParams.get('alt') !== 'media') return send(200, meta(name, o));
      const headers = { 'content-type': 'application/octet-stream', 'x-goog-generation': '1', 'x-goog-stored-content-length': String(o.body.length) };
      return sendBytes(res, { name, body: o.body, headers, range: req.headers['range'], log, badRange: () => send(400, { error: { code: 400, message: 'bad range' } }) });
    }
    log.unexpected.push(`${req.method} ${url.pathname}${url.search}`);
    send(400, { error: { code: 400, message: 'unexpected request' } });
  });
}
