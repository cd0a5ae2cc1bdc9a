/**
 * How the per-service google-gax clients are loaded and pointed: shared by the GCP collector and the price refresh.
 */

/** A CommonJS module's exports: Node exposes them as named exports, a bundler only as `default`; accept both. */
export function cjsExports<M extends object>(mod: M, name: keyof M): M {
  return (mod[name] ? mod : (mod as unknown as { default: M }).default);
}

/** gax client options for an endpoint override: gax takes host, port and protocol apart (a full URL is ignored). */
export function gaxEndpoint(url: string | undefined): { apiEndpoint?: string; port?: number; protocol?: string } {
  if (!url) return {};
  const u = new URL(url);
  return { apiEndpoint: u.hostname, port: Number(u.port || (u.protocol === 'http:' ? 80 : 443)), protocol: u.protocol.replace(':', '') };
}
