import type { BudgetStatus } from './schemas.js';

/** Where the API reads budget status from (the CLI and Lambda compute it from the spend ledger or the store). */
export interface BudgetStatusSource {
  list(): Promise<BudgetStatus[]>;
  get(name: string): Promise<BudgetStatus | undefined>;
}

/**
 * Budget status computed once per store change (a snapshot, a ledger change, an alert's channel state), not once per
 * request: evaluating the ledger reads every snapshot of the period (55–65 ms of CPU on a month of hourly
 * snapshots), while a list page costs a map lookup. Concurrent requests share one computation; a status older
 * than `maxAgeMs` is recomputed even without a change, so forecasts do not stand still between collections.
 * `get` answers from the cached list.
 * @example const budgets = cachedBudgets(source, { changeToken: () => store.changeToken?.(), maxAgeMs: 300_000, nowMs: Date.now });
 */
export function cachedBudgets(source: BudgetStatusSource, options: { changeToken: () => string | undefined; maxAgeMs: number; nowMs: () => number }): BudgetStatusSource & { computations(): number } {
  let entry: { token: string | undefined; atMs: number; value: Promise<BudgetStatus[]> } | undefined;
  let computations = 0;
  const list = (): Promise<BudgetStatus[]> => {
    const token = options.changeToken();
    const nowMs = options.nowMs();
    if (entry && token !== undefined && entry.token === token && nowMs - entry.atMs < options.maxAgeMs) return entry.value;
    computations++;
    const value = source.list();
    const mine = { token, atMs: nowMs, value };
    entry = mine;
    // A failed computation is not kept: the next request tries again.
    value.catch(() => {
      if (entry === mine) entry = undefined;
    });
    return value;
  };
  return {
    list,
    get: async (name) => (await list()).find((b) => b.name === name),
    computations: () => computations,
  };
}
