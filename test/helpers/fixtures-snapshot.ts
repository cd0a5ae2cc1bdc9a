import type { Cloud } from '../../src/domain/cloud.js';
import type { Instance } from '../../src/domain/instance.js';
import type { Recommendation } from '../../src/domain/recommendation.js';
import type { Snapshot } from '../../src/domain/snapshot.js';
import type { UtilizationSeries } from '../../src/domain/utilization.js';

const HOUR_MS = 3_600_000;
const CLOUD_OF = ['aws', 'gcp', 'azure'] as const satisfies readonly Cloud[];

/** A small deterministic snapshot for store tests: `count` instances with cpu and mem series, one NaN hour each. */
export function makeSnapshot(id: string, finishedAtMs: number, count: number, hours = 48): Snapshot {
  const instances: Instance[] = [];
  const series: UtilizationSeries[] = [];
  const startMs = Math.floor(finishedAtMs / HOUR_MS) * HOUR_MS - hours * HOUR_MS;
  for (let n = 0; n < count; n++) {
    const cloud = CLOUD_OF[n % 3] as Cloud;
    const instanceId = `${id}-i-${String(n).padStart(5, '0')}`;
    instances.push({
      id: instanceId,
      cloud,
      account: `acct-${n % 4}`,
      region: ['us-east-1', 'us-central1', 'eastus'][n % 3] as string,
      type: ['m5.large', 'n2-standard-4', 'Standard_D4s_v5'][n % 3] as string,
      state: n % 10 === 9 ? 'stopped' : 'running',
      lifecycle: n % 7 === 0 ? 'spot' : 'on-demand',
      os: 'linux',
      tags: n % 2 === 0 ? { team: 'web', env: n % 4 === 0 ? 'prod' : 'dev' } : { team: 'data' },
      launchedAt: new Date(startMs - DAY(30)).toISOString(),
    });
    for (const metric of ['cpu', 'mem'] as const) {
      const max = new Float32Array(hours);
      const mean = new Float32Array(hours);
      for (let h = 0; h < hours; h++) {
        max[h] = ((n * 7 + h * 13) % 100) + 0.5;
        mean[h] = ((n * 7 + h * 13) % 100) / 2;
      }
      max[hours - 1] = Number.NaN;
      mean[hours - 1] = Number.NaN;
      series.push({ instanceId, metric, startMs, max, mean });
    }
  }
  return {
    id,
    source: 'demo',
    startedAt: new Date(finishedAtMs - 60_000).toISOString(),
    finishedAt: new Date(finishedAtMs).toISOString(),
    windowStartMs: startMs,
    windowEndMs: startMs + hours * HOUR_MS,
    scopes: [{ cloud: 'aws', account: 'acct-0', region: 'us-east-1', status: 'ok', instanceCount: count }],
    instanceCount: count,
    instances,
    series,
  };
}

function DAY(n: number): number {
  return n * 24 * HOUR_MS;
}

/** A recommendation row with the fields the store indexes; the rest is filler. */
export function makeRecommendation(snapshotId: string, instance: Instance, savingsUsd: number, risk: number, kind: Recommendation['kind'] = 'downsize'): Recommendation {
  return {
    id: `${snapshotId}:${instance.id}`,
    snapshotId,
    instanceId: instance.id,
    cloud: instance.cloud,
    account: instance.account,
    region: instance.region,
    kind,
    action: kind === 'idle' ? 'stop' : 'resize',
    currentType: instance.type,
    recommendedType: kind === 'idle' ? null : 'smaller',
    monthlyCostNow: { onDemandUsd: 100 + savingsUsd, actualUsd: 100 + savingsUsd },
    monthlyCostAfter: { onDemandUsd: 100, actualUsd: 100 },
    monthlySavingsUsd: savingsUsd,
    risk,
    evidence: {},
    backtest: { hoursObserved: 48, hoursSaturated: 0, hoursAboveTarget: 0, worstHour: null },
    crossCloud: [],
    summary: 'test',
  };
}
