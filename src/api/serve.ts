import { serve as honoServe } from '@hono/node-server';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { RightsizeApp } from './app.js';
import { problemBody } from './problem.js';

/** Timeouts of the Node server: an API answers in milliseconds, so a slow client only holds a socket this long. */
export interface ServerTimeouts {
  /** Whole request (headers and body) must arrive within this; Node's default is 300 s. */
  requestTimeoutMs: number;
  /** Headers must arrive within this (slowloris); Node's default is 60 s. */
  headersTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
}

export const DEFAULT_SERVER_TIMEOUTS: ServerTimeouts = { requestTimeoutMs: 30_000, headersTimeoutMs: 10_000, keepAliveTimeoutMs: 5_000 };

/** Largest request head accepted (request line plus headers): 16 KiB, Node's default, stated here so it is ours. */
export const MAX_HEADER_BYTES = 16 * 1024;

/**
 * Serves the app with Node's HTTP server; resolves once listening. Port 0 picks a free port. Requests Node rejects
 * before the app sees them (malformed framing, a NUL in the path, headers over MAX_HEADER_BYTES, a request that
 * does not finish within the timeouts) get a problem+json answer with a request id from `clientError`, instead of
 * Node's bare status line.
 */
export async function serve(options: { app: RightsizeApp; host?: string; port: number; timeouts?: Partial<ServerTimeouts>; logger?: (line: string) => void }): Promise<{ url: string; port: number; server: Server; close(): Promise<void> }> {
  const host = options.host ?? '127.0.0.1';
  const t = { ...DEFAULT_SERVER_TIMEOUTS, ...options.timeouts };
  return new Promise((resolve, reject) => {
    const server = honoServe(
      {
        fetch: options.app.fetch,
        hostname: host,
        port: options.port,
        serverOptions: { requestTimeout: t.requestTimeoutMs, headersTimeout: t.headersTimeoutMs, keepAliveTimeout: t.keepAliveTimeoutMs, maxHeaderSize: MAX_HEADER_BYTES, connectionsCheckingInterval: Math.min(1000, t.headersTimeoutMs) },
      },
      (info) => {
        const url = `http://${host.includes(':') ? `[${host}]` : host}:${info.port}`;
        resolve({
          url,
          port: info.port,
          server: server as Server,
          close: () =>
            new Promise<void>((done) => {
              server.close(() => done());
              (server as Server).closeIdleConnections?.();
            }),
        });
      },
    ) as Server;
    server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => answerClientError(err, socket, options.logger));
    server.once('error', reject);
  });
}

/** What Node's parser errors mean to a client: Node's own defaults, with a body. */
function statusOf(code: string | undefined): { status: number; detail: string } {
  if (code === 'HPE_HEADER_OVERFLOW') return { status: 431, detail: `request head over ${MAX_HEADER_BYTES} bytes` };
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, detail: 'the request did not arrive in time' };
  if (code === 'HPE_URI_TOO_LONG') return { status: 414, detail: 'request line too long' };
  return { status: 400, detail: `malformed HTTP request (${code ?? 'parse error'})` };
}

const REASONS: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 414: 'URI Too Long', 431: 'Request Header Fields Too Large' };

/**
 * Node's `clientError`: answers once with problem+json and closes. A reset or a socket that already carried a
 * response part gets nothing (there is nobody to read it, or the response line is already out).
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Duplex, logger?: (line: string) => void): void {
  const partial = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
  if (err.code === 'ECONNRESET' || !socket.writable || partial) {
    socket.destroy();
    return;
  }
  const { status, detail } = statusOf(err.code);
  const requestId = randomUUID();
  const body = problemBody(status, detail, requestId);
  logger?.(`${requestId} client error ${status} ${err.code ?? err.message}`);
  socket.end(
    `HTTP/1.1 ${status} ${REASONS[status] ?? 'Bad Request'}\r\n` +
      'content-type: application/problem+json\r\n' +
      `content-length: ${Buffer.byteLength(body)}\r\n` +
      `x-request-id: ${requestId}\r\n` +
      'x-content-type-options: nosniff\r\n' +
      'cache-control: no-store\r\n' +
      'connection: close\r\n\r\n' +
      body,
  );
}
