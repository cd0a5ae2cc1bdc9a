import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a storage wire server records: every request, each Range asked for, and whatever it did not expect. */
export interface WireLog {
  /** `METHOD path?query` of every request, in order. */
  requests: string[];
  /** `<object name> <Range header>` of every ranged download. */
  ranges: string[];
  /** Requests (and malformed Ranges) the server does not serve. */
  unexpected: string[];
}

/**
 * Starts an HTTP server on 127.0.0.1 (a free port): each request is logged in `requests` as `METHOD path?query`, then
 * answered by `handle` with its URL parsed. Returns the base URL, the log's arrays and `close`.
 */
export async function startWireServer(handle: (req: IncomingMessage, res: ServerResponse, url: URL, log: WireLog) => void) {
  const log: WireLog = { requests: [], ranges: [], unexpected: [] };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    log.requests.push(`${req.method} ${url.pathname}${url.search}`);
    handle(req, res, url, log);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, ...log, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/**
 * Answers a download of `body` with `headers` (plus content-length): a `bytes=<start>-[<end>]` Range → 206 with
 * Content-Range (the end clamped to the last byte), logged in `log.ranges` as `<name> <range>`; no Range → 200 and all
 * of it. A malformed Range is logged in `log.unexpected` as `bad range <range>` and answered by `badRange` instead.
 */
export function sendBytes(
  res: ServerResponse,
  o: { name: string; body: Uint8Array; headers: OutgoingHttpHeaders; range: string | string[] | undefined; log: WireLog; badRange: () => void },
): void {
  const { name, body, headers, range, log } = o;
  if (typeof range === 'string') {
    log.ranges.push(`${name} ${range}`);
    const m = /^bytes=(\d+)-(\d*)$/.exec(range);
    if (!m) {
      log.unexpected.push(`bad range ${range}`);
      o.badRange();
      return;
    }
    const start = Number(m[1]);
    const end = Math.min(m[2] ? Number(m[2]) : body.length - 1, body.length - 1);
    res.writeHead(206, { ...headers, 'content-length': end - start + 1, 'content-range': `bytes ${start}-${end}/${body.length}` }).end(Buffer.from(body.subarray(start, end + 1)));
    return;
  }
  res.writeHead(200, { ...headers, 'content-length': body.length }).end(Buffer.from(body));
}
