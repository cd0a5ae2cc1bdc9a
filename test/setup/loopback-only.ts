/**
 * Tests own their servers on 127.0.0.1: any socket a test process opens to another host fails the test at once,
 * naming the host, instead of quietly reaching the internet (or hanging without it).
 */
import net from 'node:net';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost', '::ffff:127.0.0.1']);
const original = net.Socket.prototype.connect;

function target(args: unknown[]): { host?: string; port?: unknown; path?: string } {
  const [first, second] = args as [unknown, unknown];
  if (Array.isArray(first)) return target(first as unknown[]); // internal normalized form
  if (typeof first === 'object' && first !== null) return first as { host?: string; port?: unknown; path?: string };
  if (typeof first === 'string' && Number.isNaN(Number(first))) return { path: first };
  return { port: first, ...(typeof second === 'string' ? { host: second } : {}) };
}

net.Socket.prototype.connect = function connect(this: net.Socket, ...args: unknown[]) {
  const t = target(args);
  if (!t.path) {
    const host = t.host ?? 'localhost';
    if (!LOOPBACK.has(host)) throw new Error(`a test tried to reach ${host}:${String(t.port)}; tests only talk to servers they start on 127.0.0.1`);
  }
  return (original as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;
