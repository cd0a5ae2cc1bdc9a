import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { problem } from './problem.js';

export type AuthOptions = { tokenSha256: string[] } | { disabled: true };

const REALM = 'rightsize';
/** RFC 6750 §2.1: `b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

/**
 * Bearer auth (RFC 6750) against SHA-256 digests of the configured tokens. Digests are compared in constant time, so
 * neither the token nor how much of it matched leaks through timing. No credentials (or another scheme): 401 with
 * the `Bearer realm` challenge; a malformed Bearer header: 400 `invalid_request`; a token not accepted: 401
 * `invalid_token` (§3.1). Every answer is problem+json.
 * @example app.use('/v1/*', bearerAuth({ tokenSha256: [sha256Hex(token)] }));
 */
export function bearerAuth(options: AuthOptions): MiddlewareHandler {
  const digests = 'disabled' in options ? [] : options.tokenSha256.map((h) => Buffer.from(h, 'hex'));
  return async function auth(c, next) {
    if ('disabled' in options) return next();
    const header = c.req.header('authorization') ?? '';
    const match = BEARER.exec(header);
    if (!match) {
      if (/^Bearer(\s|$)/i.test(header)) {
        c.header('www-authenticate', `Bearer realm="${REALM}", error="invalid_request", error_description="malformed Authorization header"`);
        return problem(c, 400, 'malformed Authorization header: send "Authorization: Bearer <token>"');
      }
      c.header('www-authenticate', `Bearer realm="${REALM}"`);
      return problem(c, 401, 'missing bearer token: send "Authorization: Bearer <token>"');
    }
    const digest = createHash('sha256').update(match[1] as string, 'utf8').digest();
    let ok = false;
    for (const d of digests) ok = timingSafeEqual(d, digest) || ok;
    if (!ok) {
      c.header('www-authenticate', `Bearer realm="${REALM}", error="invalid_token", error_description="the token is not accepted"`);
      return problem(c, 401, 'bearer token not accepted');
    }
    return next();
  };
}
