import type { Catalog } from '../catalog/catalog.js';
import type { Instance } from '../domain/instance.js';
import { IGNORE_TAG } from '../domain/instance.js';
import type { SnapshotMeta } from '../domain/snapshot.js';
import type { UtilizationSeries } from '../domain/utilization.js';
import { HOUR_MS } from '../domain/utilization.js';
import { hourlyCostUsd } from './cost.js';
import { hourlyWindow } from './cpu-sizing.js';
import { settingsFor } from './scope.js';
import type { EngineSettings } from './settings.js';
import { CANDIDATE_POLICIES, chooseAuto, foldsOf, type PolicyCandidate, type PolicyScore, PolicyScoreboard, validateInstance, validationInputOf, withPolicy } from './validation.js';

export type SeriesGroups = Iterable<{ instanceId: string; series: UtilizationSeries[] }> | AsyncIterable<{ instanceId: string; series: UtilizationSeries[] }>;

/** One scope's frontier: every candidate policy's out-of-sample savings and time over capacity, and auto's pick. */
export interface ScopeEvaluation {
  scope: string;
  instances: number;
  folds: number;
  budgetPct: number;
  scores: PolicyScore[];
  /** The policy auto picks for the scope (the cheapest within the budget), or null without any fold. */
  chosen: string | null;
}

export interface PolicyEvaluation {
  snapshotId: string;
  windowStartMs: number;
  windowEndMs: number;
  trainDays: number;
  testDays: number;
  scopes: ScopeEvaluation[];
}

/**
 * Walk-forward evaluation of every candidate policy on a snapshot's own history, per scope (the fleet, or each
 * combination of matching overrides). Streams the series once; keeps only per-policy sums.
 */
export async function evaluatePolicies(input: {
  meta: SnapshotMeta;
  instances: readonly Instance[];
  seriesByInstance: SeriesGroups;
  catalog: Catalog;
  settings: EngineSettings;
  policies?: readonly PolicyCandidate[];
}): Promise<PolicyEvaluation> {
  const { meta, catalog } = input;
  const policies = input.policies ?? CANDIDATE_POLICIES;
  const byId = new Map(input.instances.map((i) => [i.id, i]));
  const boards = new Map<string, { board: PolicyScoreboard; merged: EngineSettings[]; base: EngineSettings; instances: number }>();
  for await (const group of input.seriesByInstance) {
    const instance = byId.get(group.instanceId);
    if (!instance || instance.state !== 'running' || IGNORE_TAG in instance.tags) continue;
    const type = catalog.type(instance.cloud, instance.type);
    if (!type || type.gpu) continue; // GPU boxes are sized on the GPU, which the CPU policies do not decide
    const { settings, scopeKey } = settingsFor(input.settings, instance);
    const cpuSeries = group.series.find((s) => s.metric === 'cpu');
    if (!cpuSeries) continue;
    const startMs = Math.max(meta.windowStartMs, meta.windowEndMs - settings.lookbackDays * 24 * HOUR_MS);
    const cpu = hourlyWindow(cpuSeries, startMs, meta.windowEndMs);
    const memSeries = group.series.find((s) => s.metric === 'mem');
    const mem = memSeries ? hourlyWindow(memSeries, startMs, meta.windowEndMs) : undefined;
    const monthly = (hourlyCostUsd(catalog, instance.cloud, instance.region, instance.type, instance.lifecycle) ?? 0) * settings.hoursPerMonth;
    let entry = boards.get(scopeKey);
    if (!entry) {
      entry = { board: new PolicyScoreboard(policies), merged: policies.map((p) => withPolicy(settings, p)), base: settings, instances: 0 };
      boards.set(scopeKey, entry);
    }
    entry.instances++;
    const folds = foldsOf(cpu.to - cpu.from, settings);
    entry.board.add(validateInstance(validationInputOf(cpu, mem, type, settings, monthly), settings, entry.merged, folds), monthly);
  }
  const scopes: ScopeEvaluation[] = [...boards.entries()]
    .map(([scope, e]) => {
      const scores = e.board.scores(e.base.fleetRiskBudgetPct);
      const folds = Math.max(0, ...scores.map((s) => s.folds));
      return { scope, instances: e.instances, folds, budgetPct: e.base.fleetRiskBudgetPct, scores, chosen: folds > 0 ? (chooseAuto(scores)?.id ?? null) : null };
    })
    .sort((a, b) => a.scope.localeCompare(b.scope));
  return {
    snapshotId: meta.id,
    windowStartMs: Math.max(meta.windowStartMs, meta.windowEndMs - input.settings.lookbackDays * 24 * HOUR_MS),
    windowEndMs: meta.windowEndMs,
    trainDays: input.settings.validationTrainDays,
    testDays: input.settings.validationTestDays,
    scopes,
  };
}
