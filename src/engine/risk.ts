import type { Backtest } from '../domain/recommendation.js';

/**
 * Risk 0–4, one point each for: any hour above target in the backtest beyond 1 % of hours; any saturated hour;
 * saturation beyond 1 % of hours; thin evidence (coverage under 80 %, or memory not measured on a shrink).
 */
export function riskScore(bt: Backtest, coverageFraction: number, memoryUnmeasured: boolean): number {
  let risk = 0;
  const observed = Math.max(1, bt.hoursObserved);
  if (bt.hoursAboveTarget / observed > 0.01) risk++;
  if (bt.hoursSaturated > 0) risk++;
  if (bt.hoursSaturated / observed > 0.01) risk++;
  if (coverageFraction < 0.8 || memoryUnmeasured) risk++;
  return Math.min(4, risk);
}
