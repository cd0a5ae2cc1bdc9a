import type { Hook } from '@hono/zod-openapi';
import type { Context, Env } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';

/** RFC 9457 problem details, with the failing field paths for validation errors. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  requestId?: string;
  errors?: { path: string; message: string }[];
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
};

/** Sends a problem+json response; never includes a stack trace. */
export function problem(c: Context, status: ContentfulStatusCode, detail: string, extra: Partial<Problem> = {}): Response {
  const body: Problem = {
    type: `https://rightsize.dev/problems/${status}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    instance: c.req.path,
    ...(c.get('requestId') ? { requestId: c.get('requestId') as string } : {}),
    ...extra,
  };
  return c.body(JSON.stringify(body), status, { 'content-type': 'application/problem+json' });
}

/**
 * Field paths and messages of a zod error, prefixed with where the input came from (`query.limit`). An unknown key
 * is named as its own path (`query.view2: unknown parameter`).
 */
export function zodErrors(error: z.ZodError, where: string): { path: string; message: string }[] {
  return error.issues.flatMap((i) =>
    i.code === 'unrecognized_keys'
      ? i.keys.map((k) => ({ path: [where, ...i.path.map(String), k].join('.'), message: where === 'query' ? 'unknown parameter' : 'unknown field' }))
      : [{ path: [where, ...i.path.map(String)].join('.'), message: i.message }],
  );
}

/**
 * A problem+json body as a string, for answers written outside Hono (Node's `clientError`): same shape as `problem`.
 */
export function problemBody(status: number, detail: string, requestId?: string): string {
  const body: Problem = { type: `https://rightsize.dev/problems/${status}`, title: TITLES[status] ?? 'Error', status, detail, ...(requestId ? { requestId } : {}) };
  return JSON.stringify(body);
}

/**
 * The `defaultHook` of every OpenAPIHono app and route module: a failed validation is a 400 problem naming each
 * failing field (`query.limit`, `body.gpu.model`).
 */
export const validationProblem: Hook<unknown, Env, string, Response | undefined> = (result, c) => {
  if (result.success) return undefined;
  const where = result.target === 'json' ? 'body' : result.target;
  const errors = zodErrors(result.error as unknown as z.ZodError, where);
  return problem(c, 400, `invalid ${where}: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, { errors });
};
