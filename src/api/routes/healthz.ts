import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';

const route = createRoute({
  method: 'get',
  path: '/healthz',
  tags: ['health'],
  summary: 'Liveness: the API answers',
  description: 'Needs no token and reads nothing: a load balancer or an uptime check may call it as often as it likes.',
  responses: {
    200: { content: { 'application/json': { schema: z.object({ status: z.literal('ok') }).openapi('Health') } }, description: '`{"status":"ok"}`' },
  },
});

/**
 * `GET /healthz`, outside `/v1` and its bearer auth, documented in the OpenAPI document like every other route.
 * @example app.route('/', healthzRoutes());
 */
export function healthzRoutes() {
  return new OpenAPIHono().openapi(route, (c) => c.json({ status: 'ok' as const }, 200));
}
