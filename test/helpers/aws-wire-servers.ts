import { afterEach, expect } from 'vitest';
import { type AwsWireOptions, startAwsWireServer } from './aws-wire-server.js';

/**
 * A test file's AWS wire servers: `server(options)` starts one; after each test every server started is checked for
 * requests it did not expect (the test fails on any) and closed.
 */
export function useAwsWireServers(): (options: AwsWireOptions) => ReturnType<typeof startAwsWireServer> {
  let servers: Awaited<ReturnType<typeof startAwsWireServer>>[] = [];
  afterEach(async () => {
    for (const s of servers) {
      expect(s.unexpected).toEqual([]);
      await s.close();
    }
    servers = [];
  });
  return async (options) => {
    const s = await startAwsWireServer(options);
    servers.push(s);
    return s;
  };
}
