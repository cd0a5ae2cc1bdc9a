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
