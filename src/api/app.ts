import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { requestId } from 'hono/request-id';
import { REPORT_CSP } from '../report/escape/html.js';
import type { Catalog, PriceFilter } from '../catalog/catalog.js';
import type { Recommendation } from '../domain/recommendation.js';
import type { AdviceOption, AdviceRequest } from '../engine/advice.js';
import { defaultEngineSettings, type EngineSettings } from '../engine/settings.js';
import { summarize } from '../engine/summary.js';
import { InvalidCursorError } from '../store/cursor.js';
import type { InstanceFilter, RecommendationFilter, Store } from '../store/store.js';
import type { AuthOptions } from './auth.js';
import { bearerAuth } from './auth.js';
import { BodyCache, normalizedQueryKey, type CachedBody } from './body-cache.js';
import { cachedBudgets } from './budget-cache.js';
import { DOCS_CSP, docsPage } from './docs.js';
import { CursorSnapshotConflictError, CursorSnapshotGoneError, decodeOffsetCursor, encodeOffsetCursor, encodePageCursor, queryDigest, resolvePageCursor } from './page-cursor.js';
import { problem, validationProblem } from './problem.js';
import { securityHeaders } from './security-headers.js';
import { RecommendationSummarySchema, summarizeRecommendation } from './recommendation-summary.js';
import { healthzRoutes } from './routes/healthz.js';
import { policyEvaluationRoutes } from './routes/policy-evaluation.js';
import { spendRoutes } from './routes/spend.js';
import { commitmentRoutes } from './routes/commitments.js';
import type { SpendLedger } from '../store/spend/spend-ledger.js';
import type { BudgetStatus } from './schemas.js';
import {
  AdviceBody, BudgetStatusSchema, CursorErrorResponses, ErrorResponses, IdParam, InstancesQuery, IsoWeekParam, JsonObject, NameParam, NoQuery, PageOf, PageQuery, PoolParam, PricesQuery, SnapshotQuery,
  RecommendationsQuery, ReportQuery,
} from './schemas.js';

export interface AppDeps {
  store: Store;
  catalog: Catalog;
  advise: (request: AdviceRequest) => AdviceOption[];
  /** Engine settings for /v1/policy-evaluation (the configured `engine`); default: the engine's defaults. */
  settings?: EngineSettings;
  budgets?: { list(): Promise<BudgetStatus[]>; get(name: string): Promise<BudgetStatus | undefined> };
  /** The spend ledger (imported bills) behind /v1/spend; absent: /v1/spend answers 404 with how to import one. */
  ledger?: SpendLedger;
  auth: AuthOptions;
  cors?: { origins: string[] };
  bodyLimitBytes?: number;
  /** Bound of the list-response cache in bytes (bodies, their gzip forms and keys); default 32 MiB. */
  responseCacheBytes?: number;
  /** How long a computed budget status is served before it is recomputed even without a store change; default 5 min. */
  budgetStatusMaxAgeMs?: number;
  /** The clock for budget-status ages (tests). */
  nowMs?: () => number;
  publicBaseUrl?: string;
  /** One line per request, with its request id; never headers or bodies. */
  logger?: (line: string) => void;
}

const RecommendationPage = z
  .object({ items: z.array(z.union([RecommendationSummarySchema, JsonObject])), nextCursor: z.string().optional(), snapshotId: z.string().nullable() })
  .openapi('RecommendationPage');
const json = (schema: z.ZodType, description: string) => ({ 200: { content: { 'application/json': { schema } }, description }, ...ErrorResponses });
/** A snapshot list: its cursor can also conflict with `?snapshot=` (409) or outlive its snapshot (410). */
const pagedJson = (schema: z.ZodType, description: string) => ({ ...json(schema, description), ...CursorErrorResponses });

/**
 * JSON with a strong ETag of the serialized body, answering 304 to a matching If-None-Match. Hashing the string we
 * already built is several times cheaper than a middleware that clones and re-reads the response stream.
 */
function jsonWithEtag(c: Context, body: unknown): Response {
  return jsonTextWithEtag(c, JSON.stringify(body));
}

function etagOf(text: string): string {
  return `"${createHash('sha1').update(text).digest('base64url')}"`;
}

/** Default bound of the list-response cache: 32 MiB of bodies, gzip forms and keys. */
export const DEFAULT_RESPONSE_CACHE_BYTES = 32 * 1024 * 1024;

function acceptsGzip(c: Context): boolean {
  return /\bgzip\b/.test(c.req.header('accept-encoding') ?? '');
}

/**
 * Serves a cached list body: 304 on a matching ETag, gzip (compressed once per body, not per request) when the
 * client accepts it. A 50-row summary page is ~27 KB of JSON and a few KB gzipped.
 */
function cachedBodyResponse(c: Context, body: CachedBody, onGzip?: (bytes: number) => void): Response {
  c.header('vary', 'accept-encoding');
  c.header('cache-control', 'private, no-cache');
  if (acceptsGzip(c)) {
    const tag = body.tag.replace(/"$/, '-gz"');
    c.header('etag', tag);
    if (c.req.header('if-none-match')?.split(/\s*,\s*/).includes(tag)) return c.body(null, 304);
    if (!body.gzip) {
      body.gzip = gzipSync(body.bytes, { level: 6 });
      onGzip?.(body.gzip.byteLength);
    }
    return c.body(body.gzip as Uint8Array<ArrayBuffer>, 200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
  }
  c.header('etag', body.tag);
  if (c.req.header('if-none-match')?.split(/\s*,\s*/).includes(body.tag)) return c.body(null, 304);
  return c.body(body.bytes as Uint8Array<ArrayBuffer>, 200, { 'content-type': 'application/json' });
}

function jsonTextWithEtag(c: Context, text: string, knownTag?: string): Response {
  const tag = knownTag ?? etagOf(text);
  c.header('etag', tag);
  c.header('cache-control', 'private, no-cache');
  if (c.req.header('if-none-match')?.split(/\s*,\s*/).includes(tag)) return c.body(null, 304);
  return c.body(text, 200, { 'content-type': 'application/json' });
}

/** Drops undefined fields: validated queries carry them, the store's filters (exact optional types) do not. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

const REPORT_TYPES = { json: 'application/json', html: 'text/html; charset=utf-8', md: 'text/markdown; charset=utf-8' } as const;

/**
 * The Rightsize HTTP API. Dependencies are injected so tests, the CLI and Lambda share one app.
 * @example const app = createApp({ store, catalog, advise: (r) => adviseInstances(r, catalog), auth: { tokenSha256 } });
 */
export function createApp(deps: AppDeps) {
  const app = new OpenAPIHono({ defaultHook: validationProblem });
  const budgets = cachedBudgets(deps.budgets ?? { list: async () => [], get: async () => undefined }, {
    changeToken: () => deps.store.changeToken?.(),
    maxAgeMs: deps.budgetStatusMaxAgeMs ?? 5 * 60_000,
    nowMs: deps.nowMs ?? Date.now,
  });
  const listCache = new BodyCache(deps.responseCacheBytes ?? DEFAULT_RESPONSE_CACHE_BYTES);
  const budgetBodies = new WeakMap<object, CachedBody>();

  app.use('*', securityHeaders());
  app.use('*', requestId());
  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    deps.logger?.(`${c.get('requestId')} ${c.req.method} ${c.req.path} ${c.res.status} ${(performance.now() - started).toFixed(1)}ms`);
  });
  // Only the methods some route serves (GET, HEAD, POST) and the headers clients send or read.
  if (deps.cors && deps.cors.origins.length > 0) {
    app.use('*', cors({ origin: deps.cors.origins, allowMethods: ['GET', 'HEAD', 'POST'], allowHeaders: ['authorization', 'content-type', 'if-none-match'], exposeHeaders: ['etag', 'x-request-id', 'www-authenticate'], maxAge: 600 }));
  }
  const maxBodyBytes = deps.bodyLimitBytes ?? 64 * 1024;
  const tooLarge = (c: Context) => problem(c, 413, `request body over ${maxBodyBytes} bytes`);
  const limitStreamedBody = bodyLimit({ maxSize: maxBodyBytes, onError: tooLarge });
  // Hono's bodyLimit first asks for the request's body stream, which on Node builds a full fetch Request: a third of
  // a list call and a sixth of an advice call. GET and HEAD carry no body, and on Node's server a declared
  // Content-Length is all the body its parser will deliver, so only chunked bodies need counting as they stream.
  // Elsewhere (Lambda) the body is already a buffer and Hono's counter costs nothing extra.
  app.use('/v1/*', (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const onNodeServer = (c.env as { incoming?: unknown } | undefined)?.incoming !== undefined;
    const length = onNodeServer ? c.req.header('content-length') : undefined;
    if (length !== undefined && /^\d{1,15}$/.test(length) && c.req.header('transfer-encoding') === undefined) return Number(length) > maxBodyBytes ? Promise.resolve(tooLarge(c)) : next();
    return limitStreamedBody(c, next);
  });
  app.use('/v1/*', bearerAuth(deps.auth));

  app.route('/', healthzRoutes());

  /** The snapshot a request reads: ?snapshot=<id> or the latest (remembered until the store's change token moves). */
  let latest: { token: string; meta: Awaited<ReturnType<Store['latestSnapshot']>> } | undefined;
  const snapshotFor = async (requested: string | undefined) => {
    if (requested) return deps.store.getSnapshotMeta(requested);
    const token = deps.store.changeToken?.();
    if (token !== undefined && latest?.token === token) return latest.meta;
    const meta = await deps.store.latestSnapshot();
    if (token !== undefined) latest = { token, meta };
    return meta;
  };

  /**
   * Where a page of a snapshot list starts: the cursor's snapshot (a traversal stays on the snapshot it started on)
   * or the requested or latest one. A cursor's snapshot that is gone is a 410.
   */
  const pageStart = async (cursor: string | undefined, requested: string | undefined, digest: string) => {
    const start = resolvePageCursor(cursor, requested, digest);
    const meta = await snapshotFor(start.snapshotId);
    if (!meta && cursor !== undefined) throw new CursorSnapshotGoneError(`cursor: snapshot ${start.snapshotId} is no longer stored; start again without a cursor`);
    return { meta, storeCursor: start.storeCursor };
  };

  app.openapi(createRoute({ method: 'get', path: '/v1/snapshots', tags: ['snapshots'], summary: 'Collection runs with their per-scope statuses', request: { query: PageQuery.omit({ snapshot: true }).strict() }, responses: json(PageOf('SnapshotPage'), 'snapshots, newest first') }), async (c) => {
    const q = c.req.valid('query');
    const page = await deps.store.listSnapshots({ limit: q.limit, ...(q.cursor ? { cursor: q.cursor } : {}) });
    return jsonWithEtag(c, { ...page, snapshotId: null }) as never;
  });

  app.openapi(createRoute({ method: 'get', path: '/v1/instances', tags: ['instances'], summary: 'Instances in a snapshot', request: { query: InstancesQuery }, responses: pagedJson(PageOf('InstancePage'), 'instances by id') }), async (c) => {
    const { limit, cursor, snapshot, ...filter } = c.req.valid('query');
    const digest = queryDigest(filter);
    const { meta, storeCursor } = await pageStart(cursor, snapshot, digest);
    if (!meta) return c.json({ items: [], snapshotId: null }, 200);
    const page = await deps.store.listInstances(meta.id, defined(filter) as InstanceFilter, { limit, ...(storeCursor ? { cursor: storeCursor } : {}) });
    const nextCursor = page.nextCursor ? encodePageCursor(meta.id, digest, page.nextCursor) : undefined;
    return jsonWithEtag(c, { items: page.items, ...(nextCursor ? { nextCursor } : {}), snapshotId: meta.id }) as never;
  });

  app.openapi(createRoute({ method: 'get', path: '/v1/instances/{id}', tags: ['instances'], summary: 'One instance with its utilization summary', request: { params: IdParam, query: SnapshotQuery }, responses: json(JsonObject, 'the instance') }), async (c) => {
    const { id } = c.req.valid('param');
    const meta = await snapshotFor(c.req.valid('query').snapshot);
    const instance = meta ? await deps.store.getInstance(meta.id, id) : undefined;
    if (!meta || !instance) return problem(c, 404, `instance ${id} not found`) as never;
    const series = await deps.store.seriesFor(meta.id, id);
    const utilization = series.map((s) => summarize(s, meta.windowStartMs, meta.windowEndMs));
    return c.json({ ...instance, snapshotId: meta.id, utilization }, 200);
  });

  /**
   * A cached recommendations page is served before the query is validated again: the key is the exact URL, which
   * was validated when the page was built, and the store's change token, which moves with every write (so "latest"
   * still means the latest). Dashboards poll the same pages; this keeps a hit to auth + a map lookup.
   */
  const listCacheKey = (c: Context) => {
    const token = deps.store.changeToken?.();
    return token === undefined ? undefined : `${token}|${normalizedQueryKey(c.req.path, c.req.url)}`;
  };
  app.on(['GET', 'HEAD'], '/v1/recommendations', async (c, next) => {
    const key = listCacheKey(c);
    const cached = key === undefined ? undefined : listCache.get(key);
    if (cached && key !== undefined) return cachedBodyResponse(c, cached, (bytes) => listCache.grow(key, bytes));
    await next();
  });

  app.openapi(createRoute({ method: 'get', path: '/v1/recommendations', tags: ['recommendations'], summary: 'Recommendations, by savings or risk', request: { query: RecommendationsQuery }, responses: pagedJson(RecommendationPage, 'recommendations: summary rows, or full ones with ?view=full') }), async (c) => {
    // The token is read before any store read: a write landing mid-request leaves this page under the old token.
    const cacheKey = listCacheKey(c);
    const { limit, cursor, snapshot, view, ...filter } = c.req.valid('query');
    const digest = queryDigest(filter);
    const { meta, storeCursor } = await pageStart(cursor, snapshot, digest);
    if (!meta) return c.json({ items: [], snapshotId: null }, 200);
    const pageRequest = { limit, ...(storeCursor ? { cursor: storeCursor } : {}) };
    const recFilter = defined(filter) as RecommendationFilter;
    let itemsJson: string[];
    let nextCursor: string | undefined;
    if (deps.store.listRecommendationsJson) {
      // The store holds each row as JSON: the full view serves it as is, with no parse and re-serialize.
      const raw = await deps.store.listRecommendationsJson(meta.id, recFilter, pageRequest);
      itemsJson = view === 'full' ? raw.itemsJson : raw.itemsJson.map((j) => JSON.stringify(summarizeRecommendation(JSON.parse(j) as Recommendation)));
      nextCursor = raw.nextCursor;
    } else {
      const page = await deps.store.listRecommendations(meta.id, recFilter, pageRequest);
      itemsJson = page.items.map((r) => JSON.stringify(view === 'full' ? r : summarizeRecommendation(r)));
      nextCursor = page.nextCursor;
    }
    if (nextCursor) nextCursor = encodePageCursor(meta.id, digest, nextCursor);
    const text = `{"items":[${itemsJson.join(',')}]${nextCursor ? `,"nextCursor":${JSON.stringify(nextCursor)}` : ''},"snapshotId":${JSON.stringify(meta.id)}}`;
    const body: CachedBody = { bytes: Buffer.from(text, 'utf8'), tag: etagOf(text) };
    if (cacheKey) listCache.set(cacheKey, body);
    return cachedBodyResponse(c, body, (bytes) => cacheKey && listCache.grow(cacheKey, bytes)) as never;
  });

  app.openapi(createRoute({ method: 'get', path: '/v1/recommendations/{id}', tags: ['recommendations'], summary: 'One recommendation with full evidence, backtest and cross-cloud alternatives', request: { params: IdParam, query: NoQuery }, responses: json(JsonObject, 'the recommendation') }), async (c) => {
    const { id } = c.req.valid('param');
    const rec = await deps.store.getRecommendation(id);
    if (!rec) return problem(c, 404, `recommendation ${id} not found`) as never;
    return c.json(rec, 200);
  });

  app.openapi(createRoute({ method: 'post', path: '/v1/advice', tags: ['advice'], summary: 'Which instance fits these needs, cheapest, across clouds', request: { query: NoQuery, body: { content: { 'application/json': { schema: AdviceBody } }, required: true } }, responses: json(z.object({ options: z.array(JsonObject) }), 'fitting types, cheapest first') }), async (c) => {
    const body = c.req.valid('json') as AdviceRequest;
    if (body.gpu?.model && !deps.catalog.gpuModel(body.gpu.model)) {
      return problem(c, 400, `unknown GPU model "${body.gpu.model}"`, { errors: [{ path: 'body.gpu.model', message: `one of ${deps.catalog.gpuModels().map((m) => m.id).join(', ')}` }] }) as never;
    }
    return c.json({ options: deps.advise(body) as unknown as Record<string, unknown>[] }, 200);
  });

  app.openapi(createRoute({ method: 'get', path: '/v1/purchase-plans', tags: ['purchase plans'], summary: 'Purchase plans per pool', request: { query: SnapshotQuery }, responses: json(z.object({ items: z.array(JsonObject), snapshotId: z.string().nullable() }), 'plans by pool') }), async (c) => {
    const meta = await snapshotFor(c.req.valid('query').snapshot);
    if (!meta) return c.json({ items: [], snapshotId: null }, 200);
    return jsonWithEtag(c, { items: await deps.store.listPurchasePlans(meta.id), snapshotId: meta.id }) as never;
  });

  app.openapi(createRoute({ method: 'get', path: '/v1/purchase-plans/{pool}', tags: ['purchase plans'], summary: 'One pool\'s plan', request: { params: PoolParam, query: NoQuery }, responses: json(JsonObject, 'the plan') }), async (c) => {
    const { pool } = c.req.valid('param');
    const meta = await deps.store.latestSnapshot();
    const plan = meta ? await deps.store.getPurchasePlan(meta.id, pool) : undefined;
    if (!plan) return problem(c, 404, `purchase plan ${pool} not found`) as never;
    return c.json(plan, 200);
  });

  app.openapi(createRoute({ method: 'get', path: '/v1/prices', tags: ['prices'], summary: 'Catalog prices', request: { query: PricesQuery.omit({ snapshot: true }).strict() }, responses: json(PageOf('PricePage'), 'prices') }), async (c) => {
    const { limit, cursor, type, ...filter } = c.req.valid('query');
    const all = deps.catalog.prices(defined({ ...filter, ...(type ? { instanceType: type } : {}) }) as PriceFilter);
    const offset = cursor ? decodeOffsetCursor(cursor, all.length) : 0;
    const items = all.slice(offset, offset + limit);
    const next = offset + limit < all.length ? encodeOffsetCursor(offset + limit) : undefined;
    return jsonWithEtag(c, { items, snapshotId: null, ...(next ? { nextCursor: next } : {}) }) as never;
  });

  app.openapi(createRoute({ method: 'get', path: '/v1/budgets', tags: ['budgets'], summary: 'Budget status: actual, forecast, thresholds crossed', request: { query: NoQuery }, responses: json(z.object({ items: z.array(BudgetStatusSchema) }), 'budgets') }), async (c) => {
    // The cached status list is the same array until it is recomputed: its body and gzip form are made once too.
    const items = await budgets.list();
    let body = budgetBodies.get(items);
    if (!body) {
      const text = JSON.stringify({ items });
      body = { bytes: Buffer.from(text, 'utf8'), tag: etagOf(text) };
      budgetBodies.set(items, body);
    }
    return cachedBodyResponse(c, body) as never;
  });

  app.openapi(createRoute({ method: 'get', path: '/v1/budgets/{name}', tags: ['budgets'], summary: 'One budget', request: { params: NameParam, query: NoQuery }, responses: json(BudgetStatusSchema, 'the budget') }), async (c) => {
    const { name } = c.req.valid('param');
    const status = await budgets.get(name);
    if (!status) return problem(c, 404, `budget ${name} not found`) as never;
    return c.json(status, 200);
  });

  app.route('/', spendRoutes({ ledger: deps.ledger, nowMs: deps.nowMs ?? Date.now }));
  app.route('/', commitmentRoutes({ ledger: deps.ledger, nowMs: deps.nowMs ?? Date.now }));
  app.route('/', policyEvaluationRoutes({ store: deps.store, catalog: deps.catalog, settings: deps.settings ?? defaultEngineSettings() }));

  const sendReport = async (c: Context, isoWeek: string, format: keyof typeof REPORT_TYPES) => {
    const blob = await deps.store.getBlob(`reports/weekly/${isoWeek}.${format}`);
    if (!blob) return problem(c, 404, `weekly report ${isoWeek} (${format}) not found`);
    // The report holds cloud strings (escaped): the CSP is the second wall, so even a missed escape runs nothing.
    return c.body(blob.body, 200, { 'content-type': REPORT_TYPES[format], ...(format === 'html' ? { 'content-security-policy': REPORT_CSP } : {}) });
  };
  const formatOf = (query: string | undefined, accept: string | undefined): keyof typeof REPORT_TYPES =>
    (query as keyof typeof REPORT_TYPES | undefined) ?? (accept?.includes('text/html') ? 'html' : accept?.includes('text/markdown') ? 'md' : 'json');

  app.openapi(createRoute({ method: 'get', path: '/v1/reports/weekly/latest', tags: ['reports'], summary: 'The latest weekly report (JSON, HTML or Markdown by Accept or ?format=)', request: { query: ReportQuery }, responses: json(JsonObject, 'the report') }), async (c) => {
    const keys = await deps.store.listBlobs('reports/weekly/');
    const weeks = [...new Set(keys.map((k) => /reports\/weekly\/(\d{4}-W\d{2})\./.exec(k)?.[1]).filter((w): w is string => Boolean(w)))].sort();
    const latest = weeks[weeks.length - 1];
    if (!latest) return problem(c, 404, 'no weekly report yet') as never;
    return sendReport(c, latest, formatOf(c.req.valid('query').format, c.req.header('accept'))) as never;
  });

  app.openapi(createRoute({ method: 'get', path: '/v1/reports/weekly/{isoWeek}', tags: ['reports'], summary: 'One week\'s report', request: { params: IsoWeekParam, query: ReportQuery }, responses: json(JsonObject, 'the report') }), async (c) => {
    return sendReport(c, c.req.valid('param').isoWeek, formatOf(c.req.valid('query').format, c.req.header('accept'))) as never;
  });

  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Rightsize API', version: '1.0.0', description: 'Multi-cloud right-sizing, purchase plans, prices and budgets.' },
    servers: deps.publicBaseUrl ? [{ url: deps.publicBaseUrl }] : [],
    security: [{ bearer: [] }],
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  app.get('/docs', (c) => c.html(docsPage(app.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 'Rightsize API', version: '1.0.0' } }) as unknown as Record<string, unknown>), 200, { 'content-security-policy': DOCS_CSP }));

  app.notFound((c) => problem(c, 404, `no route for ${c.req.method} ${c.req.path}`));
  app.onError((err, c) => {
    if (err instanceof InvalidCursorError) return problem(c, 400, err.message, { errors: [{ path: 'query.cursor', message: err.message }] });
    if (err instanceof CursorSnapshotConflictError) return problem(c, 409, err.message, { errors: [{ path: 'query.cursor', message: err.message }] });
    if (err instanceof CursorSnapshotGoneError) return problem(c, 410, err.message, { errors: [{ path: 'query.cursor', message: err.message }] });
    const status = (err as { status?: number }).status;
    if (status === 413) return problem(c, 413, 'request body too large');
    if (err instanceof SyntaxError || (status === 400 && /json/i.test(err.message))) return problem(c, 400, 'body is not valid JSON', { errors: [{ path: 'body', message: 'malformed JSON' }] });
    if (status !== undefined && status >= 400 && status < 500) return problem(c, status as 400, err.message.split('\n')[0] ?? 'bad request');
    deps.logger?.(`${c.get('requestId')} error ${err.name}: ${err.message.split('\n')[0]}`);
    return problem(c, 500, 'internal error; the request id identifies it in the logs');
  });
  return app;
}

export type RightsizeApp = ReturnType<typeof createApp>;
