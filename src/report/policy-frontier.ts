import type { Catalog } from '../catalog/catalog.js';
import type { PolicyEvaluation } from '../engine/evaluate.js';
import { cpuHeadroomPct, type EngineSettings, type ScopeOverride } from '../engine/settings.js';
import { CANDIDATE_POLICIES, type PolicyCandidate } from '../engine/validation.js';
import { RightsizeError } from '../errors.js';
import { policyEvaluationFor } from '../pipeline/analyze-run.js';
import type { Store } from '../store/store.js';

/**
 * The right-sizing policy frontier as the report and the CLI show it: per scope, each candidate policy's
 * out-of-sample time over capacity against its savings, with the policy auto picks and the one configured.
 */

/** One candidate policy on the frontier (x = outOfSampleOverPct, y = savingsPct). */
export interface FrontierPoint {
  id: string;
  label: string;
  /** Out of sample: share of test time over the capacity the policy chose, percent. */
  outOfSampleOverPct: number;
  /** Monthly cost saved in capacity terms, percent. */
  savingsPct: number;
  upsizes: number;
  withinBudget: boolean;
}

export interface FrontierScope {
  scope: string;
  instances: number;
  folds: number;
  /** The scope's fleetRiskBudgetPct: out-of-sample time over capacity it accepts, percent. */
  budgetPct: number;
  /** The scope's configured `policy` setting. */
  policy: 'fixed' | 'auto';
  /** What `policy: auto` picks, or null with `autoPickReason`. */
  autoPick: string | null;
  autoPickReason?: string;
  /** The candidate the scope's settings run today (auto: its pick), or null with `configuredReason`. */
  configuredPolicyId: string | null;
  configuredReason?: string;
  /** Candidates measured on at least one fold; empty when the scope has none. */
  points: FrontierPoint[];
}

export type PolicyFrontier =
  | { status: 'ok'; snapshotId: string; windowStart: string; windowEnd: string; trainDays: number; testDays: number; scopes: FrontierScope[] }
  | { status: 'unavailable'; snapshotId: string | null; reason: string };

/**
 * The settings of one evaluated scope: the base for `fleet`, else the base with the named overrides laid over it in
 * order (the engine's scope key, `overrides:<i>,<j>`, from engine/scope.ts). Undefined for a key it cannot read.
 */
export function scopeSettingsOf(base: EngineSettings, scopeKey: string): EngineSettings | undefined {
  if (scopeKey === 'fleet') return base;
  const m = /^overrides:(\d+(?:,\d+)*)$/.exec(scopeKey);
  if (!m) return undefined;
  const settings = { ...base };
  for (const i of (m[1] as string).split(',').map(Number)) {
    const override: ScopeOverride | undefined = base.overrides[i];
    if (!override) return undefined;
    Object.assign(settings, override.settings);
  }
  return settings;
}

/**
 * The first candidate policy that leaves `settings` unchanged when laid over them (validation.ts `withPolicy`), so
 * its frontier point is what the configured settings score; undefined when the settings match none. CPU headroom
 * is compared as in effect (unset means 20 % for percentile sizing, 0 for risk sizing).
 */
export function matchingPolicy(settings: EngineSettings, policies: readonly PolicyCandidate[] = CANDIDATE_POLICIES): PolicyCandidate | undefined {
  return policies.find((p) => {
    const merged = { ...settings, ...p.settings };
    const same = (Object.keys(p.settings) as (keyof PolicyCandidate['settings'])[]).every((k) => k === 'cpuHeadroomPct' || merged[k] === settings[k]);
    return same && cpuHeadroomPct(merged) === cpuHeadroomPct(settings);
  });
}

/** The frontier of an evaluation, with auto's pick and the configured policy named per scope. */
export function frontierOf(evaluation: PolicyEvaluation, settings: EngineSettings): Extract<PolicyFrontier, { status: 'ok' }> {
  const foldDays = evaluation.trainDays + evaluation.testDays;
  const scopes = evaluation.scopes.map((s): FrontierScope => {
    const scoped = scopeSettingsOf(settings, s.scope);
    const policy = scoped?.policy ?? settings.policy;
    const points = s.scores
      .filter((p) => p.folds > 0)
      .map((p) => ({ id: p.id, label: p.label, outOfSampleOverPct: p.outOfSampleOverPct, savingsPct: p.savingsPct, upsizes: p.upsizes, withinBudget: p.withinBudget }));
    const autoPickReason = s.chosen === null ? `no instance in this scope has ${foldDays} days of CPU history (train ${evaluation.trainDays} + test ${evaluation.testDays})` : undefined;
    let configuredPolicyId: string | null;
    let configuredReason: string | undefined;
    if (policy === 'auto') {
      configuredPolicyId = s.chosen;
      if (s.chosen === null) configuredReason = 'policy auto without a pick keeps the scope\'s own settings';
    } else if (!scoped) {
      configuredPolicyId = null;
      configuredReason = `scope ${s.scope} is not one this configuration names`;
    } else {
      configuredPolicyId = matchingPolicy(scoped)?.id ?? null;
      if (configuredPolicyId === null) configuredReason = 'the configured sizing settings match none of the candidate policies';
    }
    return {
      scope: s.scope,
      instances: s.instances,
      folds: s.folds,
      budgetPct: s.budgetPct,
      policy,
      autoPick: s.chosen,
      ...(autoPickReason ? { autoPickReason } : {}),
      configuredPolicyId,
      ...(configuredReason ? { configuredReason } : {}),
      points,
    };
  });
  return {
    status: 'ok',
    snapshotId: evaluation.snapshotId,
    windowStart: new Date(evaluation.windowStartMs).toISOString(),
    windowEnd: new Date(evaluation.windowEndMs).toISOString(),
    trainDays: evaluation.trainDays,
    testDays: evaluation.testDays,
    scopes,
  };
}

/**
 * The frontier of a stored snapshot (the evaluation kept in the store, or computed and kept now). A missing
 * snapshot or a failed evaluation is a section with its reason, so the rest of the report still goes out.
 */
export async function policyFrontierFor(input: { store: Store; catalog: Catalog; settings: EngineSettings; snapshotId: string | undefined }): Promise<PolicyFrontier> {
  const { snapshotId } = input;
  if (snapshotId === undefined) return { status: 'unavailable', snapshotId: null, reason: 'no snapshot in the store yet' };
  try {
    const evaluation = await policyEvaluationFor({ store: input.store, catalog: input.catalog, settings: input.settings, snapshotId });
    return frontierOf(evaluation, input.settings);
  } catch (err) {
    const message = err instanceof Error ? (err.message.split('\n')[0] ?? err.name) : String(err);
    return { status: 'unavailable', snapshotId, reason: err instanceof RightsizeError ? message : `policy evaluation failed: ${message}` };
  }
}

/** Column heads of the frontier table, shared by the HTML and Markdown report and the CLI. */
export const FRONTIER_COLUMNS = ['policy', 'label', 'savings', 'time over capacity (out of sample)', 'upsizes', 'within budget', 'pick'] as const;

/** `auto pick`, `configured`, both or neither. */
export function pickMark(scope: FrontierScope, id: string): string {
  return [scope.autoPick === id ? 'auto pick' : '', scope.configuredPolicyId === id ? 'configured' : ''].filter(Boolean).join(', ');
}

/** The frontier table's rows, one per candidate policy, as text (escaped by the renderer). */
export function frontierRows(scope: FrontierScope): string[][] {
  return scope.points.map((p) => [p.id, p.label, `${p.savingsPct.toFixed(2)}%`, `${p.outOfSampleOverPct.toFixed(3)}%`, String(p.upsizes), p.withinBudget ? 'yes' : 'no', pickMark(scope, p.id)]);
}

/** One line per scope: what auto picks (and why none) and what the configured policy is. */
export function scopeSummary(scope: FrontierScope): string {
  const pick = scope.points.find((p) => p.id === scope.autoPick);
  const auto = pick
    ? `auto picks ${pick.id} (${pick.label}): saves ${pick.savingsPct.toFixed(2)}% with ${pick.outOfSampleOverPct.toFixed(3)}% of test time over capacity${pick.withinBudget ? '' : ', the least time over capacity: no candidate is within the budget'}`
    : `auto has no pick: ${scope.autoPickReason ?? 'no candidate was measured'}`;
  const configured =
    scope.policy === 'auto'
      ? `configured policy: auto${scope.configuredPolicyId ? ` (runs ${scope.configuredPolicyId})` : ` (${scope.configuredReason ?? 'no pick'})`}`
      : `configured policy: fixed${scope.configuredPolicyId ? ` (runs as ${scope.configuredPolicyId})` : ` (${scope.configuredReason ?? 'matches no candidate'})`}`;
  return `${auto}; ${configured}.`;
}

/** `fleet: 101 instances, 96 folds, budget 0.25% of test time over capacity`. */
export function scopeHeading(scope: FrontierScope): string {
  return `${scope.scope}: ${scope.instances} instances, ${scope.folds} instance-folds, budget ${scope.budgetPct}% of test time over capacity`;
}
