import { sendBytes, startWireServer } from './wire-server.js';

/** One stored blob: its bytes and last modification time. */
export interface WireBlob {
  body: Uint8Array;
  lastModifiedMs: number;
}

/**
 * A minimal Azure Blob Storage REST server, path-style as emulators are (`/<account>/<container>/<blob>`), for the
 * real @azure/storage-blob client: List Blobs (`restype=container&comp=list`, prefix, marker/NextMarker paging,
 * maxresults) answering the EnumerationResults XML of the REST reference, Get Blob with `x-ms-range`/`Range`
 * (206 + Content-Range), Get Blob Properties (HEAD). Anything else is recorded in `unexpected` and answered 400.
 */
export function startAzureBlobWireServer(options: { account: string; container: string; blobs: Map<string, WireBlob>; pageSize?: number }) {
  return startWireServer((req, res, url, log) => {
    const { unexpected } = log;
    const base = { 'x-ms-version': '2025-11-05', 'x-ms-request-id': '00000000-0000-0000-0000-000000000000' };
    const parts = url.pathname.split('/').slice(1).map(decodeURIComponent);
    if (parts[0] !== options.account || parts[1] !== options.container) {
      unexpected.push(`${req.method} ${url.pathname}`);
      res.writeHead(404, { ...base, 'x-ms-error-code': 'ContainerNotFound' }).end();
      return;
    }
    if (req.method === 'GET' && parts.length === 2 && url.searchParams.get('restype') === 'container' && url.searchParams.get('comp') === 'list') {
      const prefix = url.searchParams.get('prefix') ?? '';
      const max = Math.min(Number(url.searchParams.get('maxresults') ?? 5000), options.pageSize ?? 5000);
      const marker = url.searchParams.get('marker') ?? '';
      const names = [...options.blobs.keys()].filter((n) => n.startsWith(prefix)).sort();
      const start = marker ? names.findIndex((n) => n >= marker) : 0;
      const page = start < 0 ? [] : names.slice(start, start + max);
      const next = start >= 0 && start + max < names.length ? names[start + max] : '';
      const items = page.map((name) => {
        const blob = options.blobs.get(name) as WireBlob;
        return `<Blob><Name>${xml(name)}</Name><Properties><Creation-Time>${new Date(blob.lastModifiedMs).toUTCString()}</Creation-Time><Last-Modified>${new Date(blob.lastModifiedMs).toUTCString()}</Last-Modified><Etag>0x${blob.lastModifiedMs.toString(16).toUpperCase()}</Etag><Content-Length>${blob.body.length}</Content-Length><Content-Type>application/octet-stream</Content-Type><BlobType>BlockBlob</BlobType><AccessTier>Hot</AccessTier><AccessTierInferred>true</AccessTierInferred><LeaseStatus>unlocked</LeaseStatus><LeaseState>available</LeaseState><ServerEncrypted>true</ServerEncrypted></Properties></Blob>`;
      });
      const body = `\uFEFF<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="http://127.0.0.1/${options.account}/" ContainerName="${options.container}"><Prefix>${xml(prefix)}</Prefix>${marker ? `<Marker>${xml(marker)}</Marker>` : ''}<MaxResults>${max}</MaxResults><Blobs>${items.join('')}</Blobs><NextMarker>${xml(next ?? '')}</NextMarker></EnumerationResults>`;
      res.writeHead(200, { ...base, 'content-type': 'application/xml' }).end(body);
      return;
    }
    const name = parts.slice(2).join('/');
    const blob = options.blobs.get(name);
    if ((req.method === 'GET' || req.method === 'HEAD') && parts.length > 2) {
      if (!blob) {
        res.writeHead(404, { ...base, 'x-ms-error-code': 'BlobNotFound', 'content-type': 'application/xml' }).end(req.method === 'HEAD' ? undefined : '<?xml version="1.0" encoding="utf-8"?><Error><Code>BlobNotFound</Code><Message>The specified blob does not exist.</Message></Error>');
        return;
      }
      const headers = { ...base, 'last-modified': new Date(blob.lastModifiedMs).toUTCString(), etag: `"0x${blob.lastModifiedMs.toString(16)}"`, 'x-ms-blob-type': 'BlockBlob', 'accept-ranges': 'bytes', 'content-type': 'application/octet-stream' };
      if (req.method === 'HEAD') {
        res.writeHead(200, { ...headers, 'content-length': blob.body.length }).end();
        return;
      }
      const range = req.headers['x-ms-range'] ?? req.headers['range'];
      sendBytes(res, { name, body: blob.body, headers, range, log, badRange: () => res.writeHead(400, base).end() });
      return;
    }
    unexpected.push(`${req.method} ${url.pathname}${url.search}`);
    res.writeHead(400, base).end();
  });
}

function xml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
