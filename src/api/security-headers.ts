import type { MiddlewareHandler } from 'hono';

/** What the API answers with when a route sets no policy of its own: JSON needs no resource of any kind. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * Headers on every response (problems, 304s and 404s included): `nosniff` so a browser never reads JSON or a report
 * as another type, no framing, no referrer, and a CSP that allows nothing unless the route set its own (the HTML
 * report and /docs do). `no-store` unless the route chose a cache policy (lists: `private, no-cache` with ETags).
 * @example app.use('*', securityHeaders());
 */
export function securityHeaders(): MiddlewareHandler {
  return async function securityHeadersMiddleware(c, next) {
    await next();
    const h = c.res.headers;
    h.set('x-content-type-options', 'nosniff');
    h.set('x-frame-options', 'DENY');
    h.set('referrer-policy', 'no-referrer');
    h.set('cross-origin-resource-policy', 'same-origin');
    if (!h.has('content-security-policy')) h.set('content-security-policy', API_CSP);
    if (!h.has('cache-control')) h.set('cache-control', 'no-store');
  };
}
