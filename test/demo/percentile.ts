/** Independent nearest-rank percentile for the tests: sort the finite values, take rank ceil(p·n). */
export function p(xs: ArrayLike<number>, pct: number): number {
  const v = Array.from(xs).filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  return v[Math.ceil((pct / 100) * v.length) - 1] ?? Number.NaN;
}
