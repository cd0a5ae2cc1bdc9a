import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { channelId } from '../../src/budgets/channel-status.js';
import { webhookResolver } from '../../src/budgets/webhooks.js';

// A local stand-in for SSM and Secrets Manager (AWS JSON 1.1 protocol); any other request fails the test.
const seen: { target: string; body: Record<string, unknown> }[] = [];
const unexpected: string[] = [];
const server = createServer((req, res) => {
  let raw = '';
  req.on('data', (c: Buffer) => (raw += c.toString()));
  req.on('end', () => {
    const target = String(req.headers['x-amz-target'] ?? '');
    const body = JSON.parse(raw || '{}') as Record<string, unknown>;
    seen.push({ target, body });
    res.setHeader('content-type', 'application/x-amz-json-1.1');
    if (target === 'AmazonSSM.GetParameter' && body['Name'] === '/rightsize/slack') {
      res.end(JSON.stringify({ Parameter: { Name: '/rightsize/slack', Type: 'SecureString', Value: 'https://hooks.example/ssm\n', Version: 1 } }));
    } else if (target === 'secretsmanager.GetSecretValue' && body['SecretId'] === 'rightsize/slack') {
      res.end(JSON.stringify({ Name: 'rightsize/slack', SecretString: 'https://hooks.example/sm' }));
    } else {
      unexpected.push(`${target} ${raw}`);
      res.statusCode = 400;
      res.setHeader('x-amzn-errortype', 'ValidationException');
      res.end(JSON.stringify({ __type: 'ValidationException', message: 'unexpected request' }));
    }
  });
});
let endpoint = '';
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

it('resolves webhook URLs from env, SSM (decrypted, trimmed) and Secrets Manager, once per run', async () => {
  const resolve = webhookResolver({ HOOK: 'https://hooks.example/env', EMPTY: '  ' }, { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' } });
  expect(await resolve({ env: 'HOOK' })).toBe('https://hooks.example/env');
  expect(await resolve({ env: 'EMPTY' })).toBeUndefined();
  expect(await resolve({ env: 'MISSING' })).toBeUndefined();
  expect(await resolve({ ssmParameter: '/rightsize/slack' })).toBe('https://hooks.example/ssm');
  expect(await resolve({ secretsManagerSecret: 'rightsize/slack' })).toBe('https://hooks.example/sm');
  expect(await resolve({ ssmParameter: '/rightsize/slack' })).toBe('https://hooks.example/ssm');
  expect(seen).toEqual([
    { target: 'AmazonSSM.GetParameter', body: { Name: '/rightsize/slack', WithDecryption: true } },
    { target: 'secretsmanager.GetSecretValue', body: { SecretId: 'rightsize/slack' } },
  ]);
  expect(unexpected).toEqual([]);
});

it('names channels by their reference, never by the secret', () => {
  expect([channelId({ env: 'SLACK' }), channelId({ ssmParameter: '/a/b' }), channelId({ secretsManagerSecret: 'c' })]).toEqual(['env:SLACK', 'ssm:/a/b', 'secretsmanager:c']);
});
