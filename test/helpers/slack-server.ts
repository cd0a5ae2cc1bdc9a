import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for Slack incoming webhooks on 127.0.0.1. Each path follows a script of responses (429 with
 * Retry-After, 500, 404 "no_service", ...), then answers 200 "ok" as Slack does.
 */
export interface SlackRequest {
  path: string;
  body: unknown;
}

export interface SlackAttempt {
  path: string;
  status: number;
}

export async function startSlackServer(scripts: Record<string, { status: number; headers?: Record<string, string>; body?: string }[]> = {}) {
  const requests: SlackRequest[] = [];
  const attempts: SlackAttempt[] = [];
  const remaining = new Map(Object.entries(scripts).map(([k, v]) => [k, [...v]]));
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      const path = req.url ?? '/';
      let body: unknown = raw;
      try {
        body = JSON.parse(raw);
      } catch {
        // keep the raw text
      }
      const next = remaining.get(path)?.shift() ?? { status: 200, body: 'ok' };
      attempts.push({ path, status: next.status });
      if (next.status === 200) requests.push({ path, body });
      res.writeHead(next.status, { 'content-type': 'text/plain', ...next.headers });
      res.end(next.body ?? (next.status === 200 ? 'ok' : 'error'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    /** Successfully delivered messages. */
    requests,
    /** Every request, answered how. */
    attempts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
