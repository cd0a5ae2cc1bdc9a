import type { Catalog } from '../catalog/catalog.js';
import type { BudgetConfig } from '../config.js';
import type { SlackOptions } from '../notify/slack.js';
import type { Store } from '../store/store.js';
import { runAlerts, scopedRecommendations } from './alerts.js';
import type { AlertRunResult } from './alerts.js';
import { budgetStatuses } from './evaluate.js';
import { latestImportMs, putStoredBudgetStatuses } from './stored-status.js';
import type { BudgetStatusDetail } from './evaluate.js';
import type { SecretRef } from './channel-status.js';
import type { SpendLedger } from '../store/spend/spend-ledger.js';

/**
 * One alerts run, as `rightsize alerts` and the hourly function do it: evaluate every budget at `nowMs`, cite the
 * latest analysis' in-scope recommendations, and send each newly crossed threshold once per channel.
 */
export async function checkBudgets(input: {
  store: Store;
  catalog: Catalog;
  budgets: readonly BudgetConfig[];
  resolveWebhook: (ref: SecretRef) => Promise<string | undefined>;
  nowMs: number;
  claimant: string;
  link?: string;
  slack?: SlackOptions;
  /** The imported bill, for budgets on a bill basis. */
  ledger?: SpendLedger;
}): Promise<{ statuses: BudgetStatusDetail[]; result: AlertRunResult }> {
  const statuses = await budgetStatuses(input);
  const recommendations = statuses.some((s) => s.thresholdsCrossed.length > 0) ? await scopedRecommendations(input.store, input.budgets) : new Map();
  const result = await runAlerts({ ...input, statuses, recommendations });
  // Read the channel states again so the caller shows what this run changed.
  const final = result.sent.length + result.failed.length + result.dead.length > 0 ? await budgetStatuses(input) : statuses;
  // The ledger was just evaluated: keep it for the API (served from the store until the next snapshot).
  await putStoredBudgetStatuses(input.store, input.budgets, final, input.nowMs, input.ledger ? await latestImportMs(input.ledger) : undefined);
  return { statuses: final, result };
}
