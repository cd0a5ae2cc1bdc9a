import type { Metric, UtilizationSeries } from '../domain/utilization.js';

/**
 * Folds per-GPU hourly series (keys `instanceId|metric|gpu`) into one series per instance and metric: utilization is
 * the mean over the node's GPUs (what the node delivered), memory the largest GPU's (what must fit on one GPU).
 */
export function combineGpus(perGpu: Map<string, { max: Float32Array; mean: Float32Array }>, startMs: number, hours: number): UtilizationSeries[] {
  const groups = new Map<string, { max: Float32Array; mean: Float32Array }[]>();
  for (const [key, b] of perGpu) {
    const [instanceId, metric] = key.split('|');
    const k = `${instanceId}|${metric}`;
    groups.set(k, [...(groups.get(k) ?? []), b]);
  }
  const out: UtilizationSeries[] = [];
  for (const [k, list] of [...groups.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const [instanceId, metric] = k.split('|') as [string, Metric];
    const fold = (pick: 'max' | 'mean') => {
      const arr = new Float32Array(hours).fill(Number.NaN);
      for (let h = 0; h < hours; h++) {
        const vals = list.map((b) => b[pick][h] as number).filter((v) => !Number.isNaN(v));
        if (vals.length === 0) continue;
        arr[h] = metric === 'gpu' ? vals.reduce((a, v) => a + v, 0) / vals.length : Math.max(...vals);
      }
      return arr;
    };
    out.push({ instanceId, metric, startMs, max: fold('max'), mean: fold('mean') });
  }
  return out;
}
