import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a handler answers: 200 with a JSON body, or an AWS JSON error (`__type` and message, as the services send). */
export type JsonReply = { status?: 200; body: unknown } | { status: 400 | 403 | 500; error: string; message: string };

/** One request the server received, its body parsed. */
export interface JsonRequest {
  operation: string;
  body: Record<string, unknown>;
  headers: IncomingHttpHeaders;
}

/**
 * A local server speaking the AWS JSON 1.1 protocol (`POST /`, `X-Amz-Target: <prefix>.<Operation>`,
 * `Content-Type: application/x-amz-json-1.1`) for the real SDK clients. `handle` answers each operation; a request
 * with another target prefix or content type, or one `handle` rejects by throwing, is recorded in `unexpected`
 * (answered 400): tests assert that list is empty.
 */
export async function startAwsJsonServer(targetPrefix: string, handle: (req: JsonRequest) => JsonReply) {
  const requests: JsonRequest[] = [];
  const unexpected: string[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const [prefix, operation = ''] = target.split('.');
      const send = (status: number, body: unknown, errorType?: string) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', ...(errorType ? { 'x-amzn-errortype': errorType } : {}) });
        res.end(JSON.stringify(body));
      };
      if (req.method !== 'POST' || req.url !== '/' || prefix !== targetPrefix || req.headers['content-type'] !== 'application/x-amz-json-1.1') {
        unexpected.push(`${req.method} ${req.url} ${target} ${String(req.headers['content-type'])}`);
        send(400, { __type: 'UnknownOperationException', message: 'unexpected request' }, 'UnknownOperationException');
        return;
      }
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(raw || '{}') as Record<string, unknown>;
      } catch {
        unexpected.push(`${operation}: body is not JSON`);
        send(400, { __type: 'SerializationException', message: 'bad json' }, 'SerializationException');
        return;
      }
      const request = { operation, body, headers: req.headers };
      requests.push(request);
      let reply: JsonReply;
      try {
        reply = handle(request);
      } catch (err) {
        unexpected.push(`${operation}: ${(err as Error).message}`);
        send(400, { __type: 'ValidationException', message: (err as Error).message }, 'ValidationException');
        return;
      }
      if ('error' in reply) send(reply.status, { __type: reply.error, message: reply.message }, reply.error);
      else send(200, reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    unexpected,
    /** Requests of one operation. */
    calls: (operation: string) => requests.filter((r) => r.operation === operation),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Test clients' settings: loopback endpoint, fixed credentials, quick retries. */
export const LOCAL_AWS = { region: 'us-east-1', credentials: { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-secret' } };
