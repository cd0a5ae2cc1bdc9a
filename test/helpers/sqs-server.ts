import { createHash, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local SQS speaking the AWS JSON 1.0 protocol the current SDK sends (X-Amz-Target AmazonSQS.SendMessageBatch),
 * answering with the MD5 of each body as SQS does (the SDK checks it). It records what was sent per queue URL so a
 * test can hand the messages to the consuming function as an SQS event. Anything else is recorded in `unexpected`.
 */
export async function startSqsServer(options: { failFirstEntries?: number } = {}) {
  const queues = new Map<string, string[]>();
  const unexpected: string[] = [];
  let toFail = options.failFirstEntries ?? 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      if (target !== 'AmazonSQS.SendMessageBatch') {
        unexpected.push(`${req.method} ${req.url} ${target}`);
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify({ __type: 'com.amazonaws.sqs#InvalidAction', message: `unexpected ${target}` }));
        return;
      }
      const input = JSON.parse(body) as { QueueUrl: string; Entries: { Id: string; MessageBody: string }[] };
      const successful: unknown[] = [];
      const failed: unknown[] = [];
      for (const e of input.Entries) {
        if (toFail > 0) {
          toFail--;
          failed.push({ Id: e.Id, SenderFault: false, Code: 'ServiceUnavailable', Message: 'try again' });
          continue;
        }
        const list = queues.get(input.QueueUrl) ?? [];
        list.push(e.MessageBody);
        queues.set(input.QueueUrl, list);
        successful.push({ Id: e.Id, MessageId: randomUUID(), MD5OfMessageBody: createHash('md5').update(e.MessageBody).digest('hex') });
      }
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify({ Successful: successful, Failed: failed }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    queueUrl: (name: string) => `${url}/000000000000/${name}`,
    unexpected,
    /** Messages sent to a queue so far, removed from it: an SQS event for the consumer. */
    drain(queueUrl: string): { Records: { messageId: string; body: string; eventSource: 'aws:sqs' }[] } {
      const bodies = queues.get(queueUrl) ?? [];
      queues.set(queueUrl, []);
      return { Records: bodies.map((body) => ({ messageId: randomUUID(), body, eventSource: 'aws:sqs' as const })) };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
