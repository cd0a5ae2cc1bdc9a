/**
 * Lambda handler (hourly schedule): evaluate budgets and send each crossed threshold to Slack once.
 */
import { randomUUID } from 'node:crypto';
import { checkBudgets } from '../src/budgets/check.js';
import { webhookResolver } from '../src/budgets/webhooks.js';
import { runtime } from '../src/deploy/runtime.js';

export async function handler(): Promise<{ sent: number; failed: number; dead: number }> {
  const { config, catalog, store, env } = await runtime();
  const link = config.server.publicBaseUrl ? `${config.server.publicBaseUrl}/v1/reports/weekly/latest?format=html` : undefined;
  const { result } = await checkBudgets({ store, catalog, budgets: config.budgets, resolveWebhook: webhookResolver(env), nowMs: Date.now(), claimant: randomUUID(), ...(link ? { link } : {}) });
  console.log(JSON.stringify({ msg: 'alerts', sent: result.sent.length, alreadySent: result.alreadySent.length, failed: result.failed.map((f) => f.key), dead: result.dead.map((d) => d.key) }));
  return { sent: result.sent.length, failed: result.failed.length, dead: result.dead.length };
}
