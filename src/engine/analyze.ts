import type { Catalog } from '../catalog/catalog.js';
import type { Cloud } from '../domain/cloud.js';
import type { InstanceType } from '../domain/instance-type.js';
import type { Instance } from '../domain/instance.js';
import { INTERRUPTIBLE_TAG } from '../domain/instance.js';
import type { Recommendation, Skip } from '../domain/recommendation.js';
import { poolKey, sameCommitment } from '../domain/purchase-plan.js';
import type { OwnedCommitment, SnapshotMeta } from '../domain/snapshot.js';
import type { UtilizationSeries } from '../domain/utilization.js';
import { HOUR_MS } from '../domain/utilization.js';
import type { AnalysisResults } from '../store/store.js';
import type { PoolAccumulator } from './purchase-mix.js';
import { newPool, type OwnedInPool, planPool, spotReworkOverhead } from './purchase-mix.js';
import { rightsizeInstance } from './rightsize.js';
import { evaluatePolicies, type PolicyEvaluation, type SeriesGroups } from './evaluate.js';
import { settingsFor } from './scope.js';
import type { EngineSettings } from './settings.js';
import { CANDIDATE_POLICIES } from './validation.js';

export interface AnalyzeInput {
  meta: SnapshotMeta;
  instances: readonly Instance[];
  /**
   * The series grouped by instance. A function is called once per pass: `policy: auto` reads the series twice
   * (validation, then analysis); a plain iterable is then buffered in memory first.
   */
  seriesByInstance: SeriesGroups | (() => SeriesGroups);
  catalog: Catalog;
  settings: EngineSettings;
  /** The analysis clock (unused by the rules today; kept so results can say when they were computed). */
  nowMs: number;
  /**
   * The prices an instance's account pays, when they differ from the catalog's list prices (negotiated rates from
   * the bill: src/billing/negotiated.ts, src/pipeline/bill-pricing.ts): sizing, savings and the plan's demand use them.
   */
  catalogFor?: (instance: Instance) => Catalog;
  /**
   * Commitments the bill shows as owned (savings plans, reservations, committed use), already attributed to the
   * pools whose instances they covered; added to the inventory's reservations of each pool.
   */
  billCommitments?: readonly BillCommitmentInPool[];
}

/** One owned commitment's share of one pool, as the bill shows it (src/billing/commitments.ts). */
export interface BillCommitmentInPool {
  pool: string;
  commitmentId: string;
  /** On-demand value per hour of what it covered in this pool. */
  onDemandUsdPerHour: number;
  /** Its amortized cost per hour attributed to this pool (used and unused). */
  commitUsdPerHour: number;
}


/**
 * Analyzes a snapshot one instance at a time: recommendations or skips for every instance, and a purchase plan per
 * pool from the hourly demand after right-sizing. Only per-pool hourly sums are kept across instances, so memory
 * stays flat in the fleet size. Output order is deterministic (independent of input order).
 */
export async function analyzeSnapshot(input: AnalyzeInput): Promise<AnalysisResults & { policyEvaluation?: PolicyEvaluation }> {
  const { meta, catalog, settings } = input;
  const windowEndMs = meta.windowEndMs;
  const windowStartMs = Math.max(meta.windowStartMs, windowEndMs - settings.lookbackDays * 24 * HOUR_MS);
  const hours = Math.max(0, Math.round((windowEndMs - windowStartMs) / HOUR_MS));
  let open: () => SeriesGroups;
  const source = input.seriesByInstance;
  const auto = settings.policy === 'auto' || settings.overrides.some((o) => o.settings.policy === 'auto');
  if (typeof source === 'function') open = source;
  else if (auto && !Array.isArray(source)) {
    const buffered: { instanceId: string; series: UtilizationSeries[] }[] = [];
    for await (const group of source) buffered.push(group);
    open = () => buffered;
  } else open = () => source;
  // auto: validation on the fleet's own history picks each scope's policy before any instance is sized.
  const chosenByScope = new Map<string, { settings: EngineSettings; policyId: string }>();
  let evaluation: PolicyEvaluation | undefined;
  if (auto) {
    evaluation = await evaluatePolicies({ meta, instances: input.instances, seriesByInstance: open(), catalog, settings });
    for (const scope of evaluation.scopes) {
      const policy = CANDIDATE_POLICIES.find((p) => p.id === scope.chosen);
      if (policy) chosenByScope.set(scope.scope, { settings: policy.settings as EngineSettings, policyId: policy.id });
    }
  }
  const resolved = new Map<string, { settings: EngineSettings; policyId?: string }>();
  const settingsOf = (instance: Instance) => {
    const scoped = settingsFor(settings, instance);
    let r = resolved.get(scoped.scopeKey);
    if (!r) {
      const chosen = scoped.settings.policy === 'auto' ? chosenByScope.get(scoped.scopeKey) : undefined;
      r = chosen ? { settings: { ...scoped.settings, ...chosen.settings }, policyId: chosen.policyId } : { settings: scoped.settings };
      resolved.set(scoped.scopeKey, r);
    }
    return r;
  };
  const byId = new Map(input.instances.map((i) => [i.id, i]));
  const seen = new Set<string>();
  const recommendations: Recommendation[] = [];
  const skips: Skip[] = [];
  const pools = new Map<string, PoolAccumulator>();

  const handle = (instance: Instance, series: UtilizationSeries[]) => {
    const scoped = settingsOf(instance);
    const instanceStartMs = Math.max(meta.windowStartMs, windowEndMs - scoped.settings.lookbackDays * 24 * HOUR_MS);
    const priced = input.catalogFor?.(instance) ?? catalog;
    const result = rightsizeInstance({
      snapshotId: meta.id,
      instance,
      series,
      catalog: priced,
      settings: scoped.settings,
      windowStartMs: instanceStartMs,
      windowEndMs,
      ...(scoped.policyId ? { policyId: scoped.policyId } : {}),
    });
    if (result.outcome === 'recommendation') recommendations.push(result.recommendation);
    else skips.push(result.skip);
    const currentType = catalog.type(instance.cloud, instance.type);
    if (instance.state === 'running' && currentType) {
      const after = result.outcome === 'recommendation' ? result.afterType : currentType;
      addToPools(pools, instance, currentType, after, series, { windowStartMs, hours }, priced, settings);
    }
  };

  for await (const group of open()) {
    const instance = byId.get(group.instanceId);
    if (!instance || seen.has(instance.id)) continue;
    seen.add(instance.id);
    handle(instance, group.series);
  }
  for (const instance of input.instances) if (!seen.has(instance.id)) handle(instance, []);

  const owned = ownedByPool(meta.commitments ?? [], catalog);
  for (const b of input.billCommitments ?? []) {
    const entry = owned.get(b.pool) ?? { ids: [], count: 0, onDemandUsdPerHour: 0, commitUsdPerHour: 0 };
    // The inventory's reservation and the bill's line for it are one commitment: counted once, as the inventory has it.
    if (entry.ids.some((id) => sameCommitment(id, b.commitmentId))) continue;
    entry.ids.push(b.commitmentId);
    entry.count += 1;
    entry.onDemandUsdPerHour += b.onDemandUsdPerHour;
    entry.commitUsdPerHour += b.commitUsdPerHour;
    owned.set(b.pool, entry);
  }
  for (const key of owned.keys()) {
    // Reservations no instance uses after right-sizing still cost money: their pool gets a plan too.
    if (!pools.has(key)) {
      const [cloud, , region, family] = key.split(':') as [Cloud, string, string, string];
      pools.set(key, newPool(key, cloud, region, family, hours));
    }
  }
  const plans = [...pools.values()].map((p) => planPool(p, meta.id, settings, owned.get(p.pool))).sort((a, b) => a.pool.localeCompare(b.pool));
  recommendations.sort((a, b) => a.id.localeCompare(b.id));
  skips.sort((a, b) => a.instanceId.localeCompare(b.instanceId));
  return { snapshotId: meta.id, recommendations, skips, plans, ...(evaluation ? { policyEvaluation: evaluation } : {}) };
}

/** Owned reservations grouped by the pool they cover (region and family: AWS regional RIs are size-flexible). */
function ownedByPool(commitments: readonly OwnedCommitment[], catalog: Catalog): Map<string, OwnedInPool> {
  const out = new Map<string, OwnedInPool>();
  for (const c of commitments) {
    const type = catalog.type(c.cloud, c.instanceType);
    const od = catalog.onDemandHourlyUsd(c.cloud, c.region, c.instanceType);
    if (!type || od === undefined) continue; // unpriced: cannot be weighed against demand
    const key = poolKey(c.cloud, c.region, type.family);
    const entry = out.get(key) ?? { ids: [], count: 0, onDemandUsdPerHour: 0, commitUsdPerHour: 0 };
    entry.ids.push(c.id);
    entry.count += c.count;
    entry.onDemandUsdPerHour += c.count * od;
    entry.commitUsdPerHour += c.count * c.effectiveHourlyUsd;
    out.set(key, entry);
  }
  return out;
}

/** Running hours of an instance in the window: hours with a CPU point, else every hour since launch. */
function runningHours(instance: Instance, series: readonly UtilizationSeries[], windowStartMs: number, hours: number): Uint8Array {
  const out = new Uint8Array(hours);
  const cpu = series.find((s) => s.metric === 'cpu');
  if (cpu) {
    for (let h = 0; h < hours; h++) {
      const idx = Math.round((windowStartMs - cpu.startMs) / HOUR_MS) + h;
      if (idx >= 0 && idx < cpu.max.length && !Number.isNaN(cpu.max[idx] as number)) out[h] = 1;
    }
    return out;
  }
  const launchedMs = Date.parse(instance.launchedAt);
  for (let h = 0; h < hours; h++) if (windowStartMs + h * HOUR_MS >= launchedMs) out[h] = 1;
  return out;
}

function addToPools(
  pools: Map<string, PoolAccumulator>,
  instance: Instance,
  currentType: InstanceType,
  after: InstanceType | null,
  series: readonly UtilizationSeries[],
  window: { windowStartMs: number; hours: number },
  catalog: Catalog,
  settings: EngineSettings,
): void {
  const { cloud, region } = instance;
  const odNow = catalog.onDemandHourlyUsd(cloud, region, currentType.name);
  if (odNow === undefined) return;
  const currentUsd = instance.lifecycle === 'spot' ? (catalog.spotHourlyUsd(cloud, region, currentType.name) ?? odNow) : odNow;
  const family = (after ?? currentType).family;
  const key = poolKey(cloud, region, family);
  let pool = pools.get(key);
  if (!pool) {
    pool = newPool(key, cloud, region, family, window.hours);
    pools.set(key, pool);
  }
  const running = runningHours(instance, series, window.windowStartMs, window.hours);
  const odAfter = after ? (catalog.onDemandHourlyUsd(cloud, region, after.name) ?? 0) : 0;
  const interruptible = instance.lifecycle === 'spot' || INTERRUPTIBLE_TAG in instance.tags || settings.interruptibleByDefault;
  const spotAfter = after ? catalog.spotHourlyUsd(cloud, region, after.name) : undefined;
  const onSpot = after !== null && interruptible && spotAfter !== undefined;
  const { overhead } = onSpot ? spotReworkOverhead(catalog.spotInterruption(cloud, region, (after as InstanceType).name), settings) : { overhead: 0 };
  let runHours = 0;
  for (let h = 0; h < window.hours; h++) {
    if (!running[h]) continue;
    runHours++;
    pool.current[h] = (pool.current[h] as number) + currentUsd;
    if (instance.lifecycle !== 'spot') pool.currentOnDemand[h] = (pool.currentOnDemand[h] as number) + currentUsd;
    pool.allOnDemand[h] = (pool.allOnDemand[h] as number) + odAfter;
    if (onSpot) pool.spot[h] = (pool.spot[h] as number) + (spotAfter as number) * (1 + overhead);
    else pool.committable[h] = (pool.committable[h] as number) + odAfter;
  }
  if (onSpot) {
    pool.spotHours += runHours;
    pool.spotOverheadPct.push(overhead * 100);
    return;
  }
  if (!after || runHours === 0) return;
  for (const term of catalog.commitmentTerms(cloud, region, after.name)) {
    const commit = catalog.commitmentHourlyUsd(cloud, region, after.name, term);
    if (commit === undefined) continue;
    const k = `${term.kind}|${term.termYears}|${term.payment}`;
    const rate = pool.rates.get(k) ?? { term, commitUsd: 0, onDemandUsd: 0 };
    rate.commitUsd += commit * runHours;
    rate.onDemandUsd += odAfter * runHours;
    pool.rates.set(k, rate);
  }
}
