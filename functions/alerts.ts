/**
 * Lambda handler (hourly schedule): evaluate budgets and send each crossed threshold to Slack once.
 * Uses the store under RIGHTSIZE_DATA_DIR until the DynamoDB store lands (issue 7).
 */
import { randomUUID } from 'node:crypto';
import { checkBudgets } from '../src/budgets/check.js';
import { webhookResolver } from '../src/budgets/webhooks.js';
import { loadCatalog } from '../src/catalog/load.js';
import { loadConfig } from '../src/config.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';

export async function handler(): Promise<{ sent: number; failed: number; dead: number }> {
  const config = loadConfig({ env: process.env });
  const catalog = loadCatalog(config.catalogDir);
  const store = openSqliteStore({ dataDir: config.dataDir, retentionDays: config.retentionDays });
  try {
    const link = config.server.publicBaseUrl ? `${config.server.publicBaseUrl}/v1/reports/weekly/latest?format=html` : undefined;
    const { result } = await checkBudgets({ store, catalog, budgets: config.budgets, resolveWebhook: webhookResolver(process.env), nowMs: Date.now(), claimant: randomUUID(), ...(link ? { link } : {}) });
    console.log(JSON.stringify({ msg: 'alerts', sent: result.sent.length, alreadySent: result.alreadySent.length, failed: result.failed.map((f) => f.key), dead: result.dead.map((d) => d.key) }));
    return { sent: result.sent.length, failed: result.failed.length, dead: result.dead.length };
  } finally {
    await store.close();
  }
}
