/**
 * Lambda handler (hourly schedule): evaluate budgets and send each crossed threshold to Slack once.
 * Uses the store under RIGHTSIZE_DATA_DIR until the DynamoDB store lands (issue 7).
 */
import { randomUUID } from 'node:crypto';
import { runAlerts, webhookResolver } from '../src/budgets/alerts.js';
import { budgetStatuses } from '../src/budgets/evaluate.js';
import { loadCatalog } from '../src/catalog/load.js';
import { loadConfig } from '../src/config.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';

export async function handler(): Promise<{ sent: number; failed: number; dead: number }> {
  const config = loadConfig({ env: process.env });
  const catalog = loadCatalog(config.catalogDir);
  const store = openSqliteStore({ dataDir: config.dataDir, retentionDays: config.retentionDays });
  try {
    const nowMs = Date.now();
    const statuses = await budgetStatuses({ store, catalog, budgets: config.budgets, nowMs });
    const latest = await store.latestSnapshot();
    const recommendations = latest ? (await store.listRecommendations(latest.id, {}, { limit: 50 })).items : [];
    const result = await runAlerts({ store, statuses, budgets: config.budgets, resolveWebhook: webhookResolver(process.env), recommendations, nowMs, claimant: randomUUID() });
    console.log(JSON.stringify({ msg: 'alerts', sent: result.sent.length, alreadySent: result.alreadySent.length, failed: result.failed.map((f) => f.key), dead: result.dead.map((d) => d.key) }));
    return { sent: result.sent.length, failed: result.failed.length, dead: result.dead.length };
  } finally {
    await store.close();
  }
}
