import type { Cloud } from '../domain/cloud.js';
import { IGNORE_TAG, INTERRUPTIBLE_TAG, type Instance } from '../domain/instance.js';
import { HOUR_MS } from '../domain/utilization.js';
import { INSTANCE_ID, INSTANCE_NAME, resourceGroup, ZONE } from './identity.js';
import { CLOUD_WEIGHTS, CPU_TYPES, DEMO_ACCOUNTS, ENVS, GPU_TYPES, TEAMS, type DemoAccount, type DemoGpuType } from './layout.js';
import { createRng, type Rng } from './prng.js';
import { drawCpuProfile, drawGpuProfile, type Profile } from './profiles.js';
import type { DemoShapes } from './shapes.js';
import { SHOWCASE } from './showcase.js';

const DAY_MS = 24 * HOUR_MS;

/** An instance as planned: identity, lifetime and profile, but no series yet (history snapshots stop here). */
export interface PlannedInstance {
  instance: Instance;
  /** Seed stream for this instance's series. */
  seriesKey: string;
  profile: Profile;
  launchedAtMs: number;
  /** Set when the instance is stopped in the current snapshot: when it stopped. */
  stoppedAtMs?: number;
  /** Set only for instances already gone at the current snapshot (history only). */
  terminatedAtMs?: number;
  /** Agent/host outages: [startHour, endHour) within the window, all metrics missing. */
  gapHours: (readonly [number, number])[];
}

export interface PlanOptions {
  seed: number;
  windowEndMs: number;
  hours: number;
  instanceCount: number;
  shapes: DemoShapes;
}

/** Share of GPU boxes in the fleet (the brief: ~10 %), applied exactly so the mix is stable across seeds. */
export const GPU_SHARE = 0.1;
/** Memory unmeasured per cloud: AWS and GCP need an agent; Azure reports available memory as a platform metric. */
const MEM_UNMEASURED: Record<Cloud, number> = { aws: 0.3, gcp: 0.2, azure: 0.05 };
const WINDOWS_SHARE: Record<Cloud, number> = { aws: 0.03, gcp: 0.01, azure: 0.1 };

/** The showcase instances followed by `instanceCount − showcase` generated ones. Deterministic in the seed. */
export function planFleet(o: PlanOptions): PlannedInstance[] {
  const planned = SHOWCASE.map((s): PlannedInstance => {
    const launchedAtMs = o.windowEndMs - Math.round(s.launchedDaysAgo * DAY_MS);
    return {
      instance: { id: s.id, cloud: s.cloud, account: s.account, region: s.region, zone: s.zone, type: s.type, state: 'running', lifecycle: 'on-demand', os: 'linux', name: s.name, tags: { ...s.tags }, launchedAt: new Date(launchedAtMs).toISOString() },
      seriesKey: `showcase:${s.key}`,
      profile: s.profile,
      launchedAtMs,
      gapHours: (s.gapHours ?? []).map(([a, b]) => [a, b] as const),
    };
  });
  const generic = Math.max(0, o.instanceCount - planned.length);
  const gpuTotal = Math.round(o.instanceCount * GPU_SHARE);
  const gpuGeneric = Math.max(0, gpuTotal - planned.filter((p) => p.profile.gpu).length);
  const gpuIndexes = chooseIndexes(createRng(o.seed, 'gpu-indexes'), generic, gpuGeneric);
  const counters = new Map<string, number>();
  for (let i = 0; i < generic; i++) planned.push(planOne(o, i, gpuIndexes.has(i), counters));
  return planned;
}

/**
 * Instances that ran earlier in the window and are gone now (history snapshots only), so spend moves week over week.
 * The first two are GPU boxes, because a terminated GPU box is what a spend ledger notices.
 */
export function planTerminated(o: PlanOptions, count: number): PlannedInstance[] {
  const counters = new Map<string, number>();
  const out: PlannedInstance[] = [];
  for (let i = 0; i < count; i++) {
    const p = planOne(o, 100_000 + i, i < 2, counters);
    const rng = createRng(o.seed, 'terminated', i);
    const terminatedAtMs = o.windowEndMs - rng.int(1, 13) * DAY_MS - rng.int(0, 23) * HOUR_MS;
    const launchedAtMs = Math.min(p.launchedAtMs, terminatedAtMs - 30 * DAY_MS);
    out.push({ ...p, launchedAtMs, terminatedAtMs, instance: { ...p.instance, id: p.instance.cloud === 'azure' ? `${p.instance.id}-old` : p.instance.id, state: 'terminated', launchedAt: new Date(launchedAtMs).toISOString(), name: `${p.instance.name ?? 'vm'}-old` } });
  }
  return out;
}

function planOne(o: PlanOptions, i: number, gpu: boolean, counters: Map<string, number>): PlannedInstance {
  const rng = createRng(o.seed, 'instance', i);
  const cloud = rng.weighted(CLOUD_WEIGHTS);
  let gpuType: DemoGpuType | undefined;
  let account: DemoAccount;
  let region: string;
  if (gpu) {
    gpuType = rng.weighted(GPU_TYPES[cloud].map((g) => [g, g.weight] as const));
    const offered = gpuType.regions;
    account = rng.pick(DEMO_ACCOUNTS[cloud].filter((a) => a.regions.some((r) => offered.includes(r))));
    region = rng.pick(account.regions.filter((r) => offered.includes(r)));
  } else {
    account = rng.pick(DEMO_ACCOUNTS[cloud]);
    region = rng.pick(account.regions);
  }
  const type = gpuType ? gpuType.name : rng.weighted(CPU_TYPES[cloud]);
  const memMeasured = !rng.chance(MEM_UNMEASURED[cloud]);
  const profile = gpuType ? drawGpuProfile(rng, o.shapes, memMeasured, gpuType.gpuMemGiB, gpuType.training) : drawCpuProfile(rng, memMeasured);
  const batchish = profile.archetype === 'bursty-batch' || profile.archetype === 'gpu-busy';
  const team = gpuType ? rng.pick(TEAMS.filter((t) => t.team === 'ml')) : batchish ? rng.pick(TEAMS.filter((t) => t.batch)) : rng.pick(TEAMS);
  const app = rng.pick(team.apps);
  const env = rng.weighted(ENVS);
  const counterKey = `${cloud}:${app}:${env}`;
  const n = (counters.get(counterKey) ?? 0) + 1;
  counters.set(counterKey, n);
  const name = INSTANCE_NAME[cloud](app, env, n);
  const rg = resourceGroup(team.team, env);
  const id = INSTANCE_ID[cloud](rng, account.id, rg, name);

  // Spot: ~45 % of batch work and ~9 % of the rest on AWS/GCP (≈ 13 % there); Azure Spot is rarer.
  const spotP = cloud === 'azure' ? 0.04 : batchish ? 0.45 : profile.gpu ? 0.03 : 0.09;
  const spot = rng.chance(spotP);
  const tags: Record<string, string> = { team: team.team, env, app };
  if ((batchish && rng.chance(0.6)) || (spot && rng.chance(0.8))) tags[INTERRUPTIBLE_TAG] = 'true';
  if (rng.chance(0.02)) tags[IGNORE_TAG] = 'owner asked';
  if (rng.chance(0.3)) tags['cost-center'] = `cc-${rng.int(100, 999)}`;

  // Launch: most long-lived; ~6 % within the window (partial series); ~1.5 % hours ago (insufficient data).
  const r = rng.next();
  const launchedAtMs =
    r < 0.015 ? o.windowEndMs - rng.int(2, 20) * HOUR_MS : r < 0.075 ? o.windowEndMs - rng.int(24, o.hours - 24) * HOUR_MS : o.windowEndMs - rng.int(15, 900) * DAY_MS - rng.int(0, 23) * HOUR_MS;
  const stopped = launchedAtMs < o.windowEndMs - 3 * DAY_MS && rng.chance(0.03);
  const stoppedAtMs = stopped ? o.windowEndMs - rng.int(24, 120) * HOUR_MS : undefined;
  const gapHours: (readonly [number, number])[] = [];
  if (rng.chance(0.12)) {
    for (let g = rng.int(1, 3); g > 0; g--) {
      const start = rng.int(0, o.hours - 8);
      gapHours.push([start, start + rng.int(1, 6)]);
    }
  }
  const instance: Instance = {
    id, cloud, account: account.id, region, zone: ZONE[cloud](rng, region), type,
    state: stopped ? 'stopped' : 'running',
    lifecycle: spot ? 'spot' : 'on-demand',
    os: !gpuType && rng.chance(WINDOWS_SHARE[cloud]) ? 'windows' : 'linux',
    name, tags, launchedAt: new Date(launchedAtMs).toISOString(),
  };
  const p: PlannedInstance = { instance, seriesKey: `instance:${i}`, profile, launchedAtMs, gapHours };
  if (stoppedAtMs !== undefined) p.stoppedAtMs = stoppedAtMs;
  return p;
}

/** `count` distinct indexes in [0, n) by a seeded partial Fisher-Yates shuffle. */
function chooseIndexes(rng: Rng, n: number, count: number): Set<number> {
  const xs = Array.from({ length: n }, (_, i) => i);
  const k = Math.min(count, n);
  for (let i = 0; i < k; i++) {
    const j = rng.int(i, n - 1);
    [xs[i], xs[j]] = [xs[j] ?? 0, xs[i] ?? 0];
  }
  return new Set(xs.slice(0, k));
}
