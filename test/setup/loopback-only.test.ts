import { expect, it } from 'vitest';

it('refuses sockets to anything but loopback, so no test can reach the internet', async () => {
  await expect(fetch('http://example.com/')).rejects.toThrow();
  const err = await fetch('http://example.com/').catch((e: Error) => e);
  expect(String((err as Error & { cause?: Error }).cause ?? err)).toContain('tests only talk to servers they start on 127.0.0.1');
});
