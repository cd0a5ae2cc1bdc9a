/**
 * Lambda handler (hourly schedule): evaluate budgets and send each crossed threshold to Slack once. Skips the
 * evaluation when nothing it depends on changed since the last one (src/deploy/alerts-gate.ts).
 */
import { randomUUID } from 'node:crypto';
import { checkBudgets } from '../src/budgets/check.js';
import { webhookResolver } from '../src/budgets/webhooks.js';
import { alertsDue, budgetsDigest, recordAlertsEvaluation } from '../src/deploy/alerts-gate.js';
import { runtime } from '../src/deploy/runtime.js';

export async function handler(): Promise<{ sent: number; failed: number; dead: number; skipped?: string }> {
  const { config, catalog, store, env, ledger: openLedger } = await runtime();
  const nowMs = Date.now();
  const budgetsSha256 = budgetsDigest(config.budgets);
  const onBill = config.budgets.some((b) => b.basis !== 'modeled');
  const ledger = onBill ? await openLedger() : undefined;
  const billImportedAtMs = ledger ? (await ledger.listImports())[0]?.importedAtMs : undefined;
  const gate = await alertsDue(store, nowMs, budgetsSha256, billImportedAtMs);
  if (!gate.due || !gate.latestId) {
    console.log(JSON.stringify({ msg: 'alerts skipped', reason: gate.reason }));
    return { sent: 0, failed: 0, dead: 0, skipped: gate.reason };
  }
  const link = config.server.publicBaseUrl ? `${config.server.publicBaseUrl}/v1/reports/weekly/latest?format=html` : undefined;
  const { result } = await checkBudgets({ store, catalog, budgets: config.budgets, resolveWebhook: webhookResolver(env), nowMs, claimant: randomUUID(), slack: { timeoutMs: config.timeouts.requestMs }, ...(link ? { link } : {}), ...(ledger ? { ledger } : {}) });
  await recordAlertsEvaluation(store, gate.latestId, nowMs, result.failed.length > 0, budgetsSha256, billImportedAtMs);
  console.log(JSON.stringify({ msg: 'alerts', reason: gate.reason, sent: result.sent.length, alreadySent: result.alreadySent.length, failed: result.failed.map((f) => f.key), dead: result.dead.map((d) => d.key) }));
  return { sent: result.sent.length, failed: result.failed.length, dead: result.dead.length };
}
