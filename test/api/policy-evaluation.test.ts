import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from '@hono/zod-openapi';
import { createApp } from '../../src/api/app.js';
import { PolicyEvaluationSchema } from '../../src/api/schemas.js';
import { hashToken } from '../../src/config.js';
import { adviseInstances } from '../../src/engine/advice.js';
import { evaluatePolicies, type PolicyEvaluation } from '../../src/engine/evaluate.js';
import { defaultEngineSettings, EngineSettingsSchema, type EngineSettings } from '../../src/engine/settings.js';
import { CANDIDATE_POLICIES } from '../../src/engine/validation.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { AUTH, makeApi, TOKEN } from './setup.js';

let api: Awaited<ReturnType<typeof makeApi>>;
beforeAll(async () => {
  api = await makeApi();
});
afterAll(async () => api.cleanup());

/** The evaluation computed here, straight from the engine over the stored series: what the route must serve. */
const direct = (settings: EngineSettings) =>
  evaluatePolicies({ meta: api.fleet, instances: api.fleet.instances, seriesByInstance: api.store.seriesByInstance(api.fleet.id), catalog: api.catalog, settings });

const appWith = (settings: EngineSettings, store = api.store) => createApp({ store, catalog: api.catalog, advise: (r) => adviseInstances(r, api.catalog), settings, auth: { tokenSha256: [hashToken(TOKEN)] } });

async function expectProblem(res: Response, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  const body = (await res.json()) as { status: number; detail: string; errors?: { path: string }[] };
  expect(body.status).toBe(status);
  return body;
}

describe('GET /v1/policy-evaluation', () => {
  it('serves the latest snapshot\'s evaluation: the engine\'s numbers, one score per candidate, auto picking the cheapest within budget', async () => {
    const res = await api.app.request('/v1/policy-evaluation', { headers: AUTH });
    expect(res.status).toBe(200);
    const body = (await res.json()) as PolicyEvaluation;
    // The documented schema holds the engine's type and the served body.
    const documented: z.infer<typeof PolicyEvaluationSchema> = body;
    expect(PolicyEvaluationSchema.parse(documented)).toEqual(body);
    expect(body).toEqual(await direct(defaultEngineSettings()));
    expect(body.snapshotId).toBe(api.fleet.id);
    expect(body.windowEndMs).toBe(api.fleet.windowEndMs);
    const fleet = body.scopes.find((s) => s.scope === 'fleet');
    if (!fleet) throw new Error('no fleet scope');
    expect(fleet.scores.map((s) => s.id)).toEqual(CANDIDATE_POLICIES.map((p) => p.id));
    expect(fleet.folds).toBeGreaterThan(0);
    expect(fleet.budgetPct).toBe(defaultEngineSettings().fleetRiskBudgetPct);
    for (const s of fleet.scores) expect(s.withinBudget).toBe(s.outOfSampleOverPct <= fleet.budgetPct);
    const within = fleet.scores.filter((s) => s.withinBudget);
    expect(within.length, 'fixture needs a policy within the budget').toBeGreaterThan(0);
    expect(within.length, 'fixture needs a policy over the budget').toBeLessThan(fleet.scores.length);
    const best = Math.max(...within.map((s) => s.savingsPct));
    expect(fleet.scores.find((s) => s.id === fleet.chosen)?.savingsPct).toBe(best);
    // Computed once, then kept in the store under the settings' fingerprint.
    expect(await api.store.listBlobs('policy-evaluations/')).toHaveLength(1);
    const again = await api.app.request(`/v1/policy-evaluation?snapshot=${encodeURIComponent(api.fleet.id)}`, { headers: AUTH });
    expect(await again.json()).toEqual(body);
  });

  it('evaluates with the app\'s engine settings: each override scope with its own budget', async () => {
    const settings = EngineSettingsSchema.parse({ fleetRiskBudgetPct: 1, overrides: [{ match: { cloud: 'gcp' }, settings: { fleetRiskBudgetPct: 0.05 } }] });
    const body = (await (await appWith(settings).request('/v1/policy-evaluation', { headers: AUTH })).json()) as PolicyEvaluation;
    expect(body.scopes.map((s) => [s.scope, s.budgetPct])).toEqual([['fleet', 1], ['overrides:0', 0.05]]);
    // The two scopes split the fleet the default settings evaluate as one.
    const whole = (await direct(defaultEngineSettings())).scopes;
    expect(whole.map((s) => s.scope)).toEqual(['fleet']);
    expect(body.scopes.every((s) => s.instances > 0)).toBe(true);
    expect(body.scopes.reduce((a, s) => a + s.instances, 0)).toBe(whole[0]?.instances);
    expect(body).toEqual(await direct(settings));
  });

  it('answers 404 for an unknown snapshot or an empty store, 400 for an empty id, as problem+json', async () => {
    const unknown = await expectProblem(await api.app.request('/v1/policy-evaluation?snapshot=nope', { headers: AUTH }), 404);
    expect(unknown.detail).toBe('snapshot nope not found');
    const bad = await expectProblem(await api.app.request('/v1/policy-evaluation?snapshot=', { headers: AUTH }), 400);
    expect(bad.errors?.map((e) => e.path)).toEqual(['query.snapshot']);
    const dir = mkdtempSync(path.join(tmpdir(), 'rightsize-api-empty-'));
    const empty = openSqliteStore({ dataDir: dir });
    try {
      const none = await expectProblem(await appWith(defaultEngineSettings(), empty).request('/v1/policy-evaluation', { headers: AUTH }), 404);
      expect(none.detail).toContain('no snapshot');
    } finally {
      await empty.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('needs a bearer token like every /v1 route', async () => {
    await expectProblem(await api.app.request('/v1/policy-evaluation'), 401);
    await expectProblem(await api.app.request('/v1/policy-evaluation', { headers: { authorization: 'Bearer nope' } }), 401);
  });

  it('is documented in /openapi.json with its query and response schema', async () => {
    const doc = (await (await api.app.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; responses: Record<string, { content: Record<string, { schema: { $ref?: string } }> }> }>>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    const op = doc.paths['/v1/policy-evaluation']?.['get'];
    if (!op) throw new Error('route not documented');
    expect(op.parameters?.map((p) => `${p.in}:${p.name}`)).toEqual(['query:snapshot']);
    expect(op.responses['200']?.content['application/json']?.schema.$ref).toBe('#/components/schemas/PolicyEvaluation');
    expect(Object.keys(op.responses).sort()).toEqual(['200', '400', '401', '404']);
    expect(Object.keys(doc.components.schemas['PolicyEvaluation']?.properties ?? {}).sort()).toEqual(['scopes', 'snapshotId', 'testDays', 'trainDays', 'windowEndMs', 'windowStartMs']);
    expect(Object.keys(doc.components.schemas['PolicyScore']?.properties ?? {}).sort()).toEqual(
      ['folds', 'hoursSustainedOver', 'id', 'instances', 'label', 'outOfSampleOverPct', 'savingsPct', 'upsizes', 'withinBudget'],
    );
  });
});
