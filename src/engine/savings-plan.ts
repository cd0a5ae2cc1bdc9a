/**
 * AWS Compute Savings Plan: one $/h commitment spread across families, applied each hour to the usage with the
 * highest discount first (AWS's documented order). Per hour, the on-demand value a commitment c covers is concave
 * piecewise-linear in c (steeper segments first), so the hourly cost c + uncovered on-demand is convex
 * piecewise-linear, and so is the sum over hours. Its minimum therefore lies on a kink: some hour's cumulative
 * savings-plan cost of its top-k families (or 0). Evaluating every kink gives the exact optimum.
 */
export interface FamilyDemand {
  family: string;
  /** Savings-plan discount versus on-demand for this family, 0–1 (rate = on-demand × (1 − discount)). */
  discount: number;
  /** On-demand USD per hour of this family's usage, one value per hour. */
  onDemandUsd: ArrayLike<number>;
}

function hours(families: readonly FamilyDemand[]): number {
  return families.reduce((n, f) => Math.max(n, f.onDemandUsd.length), 0);
}

/** Total cost over the window with a commitment of `commitUsdPerHour` (savings-plan dollars per hour). */
export function savingsPlanCost(families: readonly FamilyDemand[], commitUsdPerHour: number): number {
  const order = [...families].sort((a, b) => b.discount - a.discount);
  const H = hours(families);
  let total = 0;
  for (let h = 0; h < H; h++) {
    let remaining = commitUsdPerHour;
    let onDemand = 0;
    for (const f of order) {
      const od = (f.onDemandUsd[h] as number | undefined) ?? 0;
      const rate = 1 - f.discount;
      const used = Math.min(remaining, od * rate);
      remaining -= used;
      onDemand += od - used / rate;
    }
    total += commitUsdPerHour + onDemand;
  }
  return total;
}

/** The exact cost-minimizing commitment, by evaluating the cost at every kink. */
export function optimalSavingsPlan(families: readonly FamilyDemand[]): { commitUsdPerHour: number; cost: number } {
  const order = [...families].sort((a, b) => b.discount - a.discount);
  const kinks = new Set<number>([0]);
  const H = hours(families);
  for (let h = 0; h < H; h++) {
    let cumulative = 0;
    for (const f of order) {
      cumulative += ((f.onDemandUsd[h] as number | undefined) ?? 0) * (1 - f.discount);
      kinks.add(Math.round(cumulative * 1e9) / 1e9);
    }
  }
  let best = { commitUsdPerHour: 0, cost: savingsPlanCost(families, 0) };
  for (const c of [...kinks].sort((a, b) => a - b)) {
    const cost = savingsPlanCost(families, c);
    if (cost < best.cost - 1e-12) best = { commitUsdPerHour: c, cost };
  }
  return best;
}
