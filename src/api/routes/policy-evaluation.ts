import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import type { Catalog } from '../../catalog/catalog.js';
import type { EngineSettings } from '../../engine/settings.js';
import { policyEvaluationFor } from '../../pipeline/analyze-run.js';
import type { Store } from '../../store/store.js';
import { problem, validationProblem } from '../problem.js';
import { ErrorResponses, PolicyEvaluationQuery, PolicyEvaluationSchema } from '../schemas.js';

export interface PolicyEvaluationRouteDeps {
  store: Store;
  catalog: Catalog;
  /** The engine settings the evaluation runs with: the candidates are laid over these, per scope. */
  settings: EngineSettings;
}

const route = createRoute({
  method: 'get',
  path: '/v1/policy-evaluation',
  tags: ['policy evaluation'],
  summary: 'Walk-forward validation of the candidate right-sizing policies, per scope, and what policy auto picks',
  request: { query: PolicyEvaluationQuery },
  responses: {
    200: { content: { 'application/json': { schema: PolicyEvaluationSchema } }, description: 'every candidate policy\'s out-of-sample savings and time over capacity' },
    ...ErrorResponses,
  },
});

/**
 * `GET /v1/policy-evaluation[?snapshot=ID]`: the evaluation kept in the store, or computed on first request (one
 * pass over the snapshot's series) and kept. Mounted by createApp under its bearer auth.
 * @example app.route('/', policyEvaluationRoutes({ store, catalog, settings: config.engine }));
 */
export function policyEvaluationRoutes(deps: PolicyEvaluationRouteDeps) {
  const app = new OpenAPIHono({ defaultHook: validationProblem });
  return app.openapi(route, async (c) => {
    const { snapshot } = c.req.valid('query');
    const meta = snapshot ? await deps.store.getSnapshotMeta(snapshot) : await deps.store.latestSnapshot();
    if (!meta) return problem(c, 404, snapshot ? `snapshot ${snapshot} not found` : 'no snapshot yet: run a collection first') as never;
    const evaluation = await policyEvaluationFor({ store: deps.store, catalog: deps.catalog, settings: deps.settings, snapshotId: meta.id });
    return c.json(evaluation, 200);
  });
}
