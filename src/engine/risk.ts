/**
 * Risk 0–4 of acting on a recommendation: one point per kind of doubt, each named in `factors`.
 *  1. time over capacity in the lookback: the modeled share of time the new type would be short exceeds a tenth of
 *     a percent, or the hourly maxima would exceed it in more than 5 % of hours (peaks would be clipped);
 *  2. sustained shortfall: some hour's *mean* alone exceeds the new capacity, memory's maximum would not fit, or
 *     an hour's GPU use would not fit the new GPUs (GPU work is throughput: it would run longer);
 *  3. thin or unvalidated evidence: CPU coverage under 80 %, memory or GPU not measured, no
 *     walk-forward fold (lookback shorter than train + test days), or a fold over the risk budget out of sample;
 *  4. a platform change: CPU architecture, GPU model (a GPU removed counts), GPU vendor.
 * Idle stops carry 1 (stopping serves nothing afterwards) plus thin evidence.
 */
export interface RiskInputs {
  idle: boolean;
  modeledShareOverPct: number;
  hoursPeakOver: number;
  hoursSustainedOver: number;
  memoryOverHours: number;
  /** Hours whose GPU use would not fit the new GPUs (throughput-scaled hourly maximum over 100 %). */
  gpuOverHours: number;
  hoursObserved: number;
  coverageFraction: number;
  memoryUnmeasured: boolean;
  gpuUnmeasured: boolean;
  validated: boolean;
  outOfSampleOverPct: number | null;
  riskBudgetPct: number;
  archChange: boolean;
  gpuModelChange: boolean;
  gpuVendorChange: boolean;
}

export function riskOf(r: RiskInputs): { risk: number; factors: string[] } {
  const factors: string[] = [];
  const thin: string[] = [];
  if (r.coverageFraction < 0.8) thin.push(`CPU coverage ${Math.round(r.coverageFraction * 100)} %`);
  if (r.memoryUnmeasured) thin.push('memory not measured (kept at today\'s size)');
  if (r.gpuUnmeasured) thin.push('GPU not measured');
  if (r.idle) {
    factors.push('stop: nothing serves this workload afterwards');
    if (thin.length > 0) factors.push(`thin evidence: ${thin.join(', ')}`);
    return { risk: factors.length, factors };
  }
  const observed = Math.max(1, r.hoursObserved);
  if (r.modeledShareOverPct > 0.1 || r.hoursPeakOver / observed > 0.05) {
    factors.push(`time over capacity: modeled ${r.modeledShareOverPct} % of the lookback; peaks over capacity in ${r.hoursPeakOver} of ${r.hoursObserved} h`);
  }
  if (r.hoursSustainedOver > 0 || r.memoryOverHours > 0 || r.gpuOverHours > 0) {
    factors.push(`sustained shortfall: ${r.hoursSustainedOver} h whose mean CPU exceeds the new capacity, ${r.memoryOverHours} h whose memory would not fit, ${r.gpuOverHours} h whose GPU use would not fit`);
  }
  if (!r.validated) thin.push('no walk-forward fold (lookback shorter than train + test days)');
  else if (r.outOfSampleOverPct !== null && r.outOfSampleOverPct > r.riskBudgetPct) thin.push(`out of sample ${r.outOfSampleOverPct} % over capacity, above the ${r.riskBudgetPct} % budget`);
  if (thin.length > 0) factors.push(`thin or unvalidated evidence: ${thin.join(', ')}`);
  const changes = [r.archChange ? 'CPU architecture' : '', r.gpuModelChange ? 'GPU model' : '', r.gpuVendorChange ? 'GPU vendor' : ''].filter(Boolean);
  if (changes.length > 0) factors.push(`platform change: ${changes.join(', ')}`);
  return { risk: Math.min(4, factors.length), factors };
}
