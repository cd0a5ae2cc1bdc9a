import { createServer, type Socket } from 'node:net';
import { freePort } from './prometheus.js';

/**
 * A TCP listener that accepts every connection and never answers: the failure a timeout exists for (a firewall that
 * drops replies, a hung proxy). `connections` counts what reached it; close() drops every socket.
 */
export async function startBlackhole(): Promise<{ url: string; port: number; connections: () => number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    socket.resume(); // read and discard whatever the client sends
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    connections: () => connections,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nothing listens on (connections are refused). */
export async function closedPort(): Promise<number> {
  return freePort();
}
