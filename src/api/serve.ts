import { serve as honoServe } from '@hono/node-server';
import type { RightsizeApp } from './app.js';

/** Serves the app with Node's HTTP server; resolves once listening. Port 0 picks a free port. */
export async function serve(options: { app: RightsizeApp; host?: string; port: number }): Promise<{ url: string; port: number; close(): Promise<void> }> {
  const host = options.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    const server = honoServe({ fetch: options.app.fetch, hostname: host, port: options.port }, (info) => {
      const url = `http://${host.includes(':') ? `[${host}]` : host}:${info.port}`;
      resolve({
        url,
        port: info.port,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
    server.once('error', reject);
  });
}
