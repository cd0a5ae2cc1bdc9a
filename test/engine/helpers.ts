import { newPool } from '../../src/engine/purchase-mix.js';
import type { Instance } from '../../src/domain/instance.js';
import type { Metric, UtilizationSeries } from '../../src/domain/utilization.js';

export const WINDOW_END_MS = Date.UTC(2026, 10, 16, 0);
export const HOURS = 14 * 24;
export const WINDOW_START_MS = WINDOW_END_MS - HOURS * 3_600_000;

/** An instance literal with sensible defaults. */
export function instance(over: Partial<Instance> & Pick<Instance, 'id' | 'type'>): Instance {
  return {
    cloud: 'aws',
    account: '111111111111',
    region: 'us-east-1',
    state: 'running',
    lifecycle: 'on-demand',
    os: 'linux',
    tags: {},
    launchedAt: '2026-01-01T00:00:00Z',
    ...over,
  };
}

/** A 14-day hourly series; `value` is a constant or a function of the hour (max and mean equal). */
export function series(instanceId: string, metric: Metric, value: number | ((h: number) => number), hours = HOURS): UtilizationSeries {
  const max = new Float32Array(hours);
  for (let h = 0; h < hours; h++) max[h] = typeof value === 'number' ? value : value(h);
  return { instanceId, metric, startMs: WINDOW_END_MS - hours * 3_600_000, max, mean: Float32Array.from(max) };
}

/** An m5 pool in us-east-1 whose on-demand demand per hour (today and after right-sizing alike) is `hourlyUsd`. */
export function poolWithDemand(hourlyUsd: readonly number[]) {
  const pool = newPool('aws:ri:us-east-1:m5', 'aws', 'us-east-1', 'm5', hourlyUsd.length);
  hourlyUsd.forEach((usd, h) => {
    pool.committable[h] = usd;
    pool.current[h] = usd;
    pool.currentOnDemand[h] = usd;
    pool.allOnDemand[h] = usd;
  });
  return pool;
}
