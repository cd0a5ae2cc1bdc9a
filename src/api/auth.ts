import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { problem } from './problem.js';

export type AuthOptions = { tokenSha256: string[] } | { disabled: true };

/**
 * Bearer auth against SHA-256 digests of the configured tokens. Digests are compared in constant time, so
 * neither the token nor how much of it matched leaks through timing. 401 without a token, 403 with a wrong one.
 */
export function bearerAuth(options: AuthOptions): MiddlewareHandler {
  const digests = 'disabled' in options ? [] : options.tokenSha256.map((h) => Buffer.from(h, 'hex'));
  return async function auth(c, next) {
    if ('disabled' in options) return next();
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) {
      c.header('www-authenticate', 'Bearer realm="rightsize"');
      return problem(c, 401, 'missing bearer token: send "Authorization: Bearer <token>"');
    }
    const digest = createHash('sha256').update(match[1] as string, 'utf8').digest();
    let ok = false;
    for (const d of digests) ok = timingSafeEqual(d, digest) || ok;
    if (!ok) return problem(c, 403, 'bearer token not accepted');
    return next();
  };
}
