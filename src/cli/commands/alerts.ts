import { randomUUID } from 'node:crypto';
import { runAlerts, webhookResolver } from '../../budgets/alerts.js';
import { budgetStatuses } from '../../budgets/evaluate.js';
import { openSqliteStore } from '../../store/sqlite/sqlite-store.js';
import type { Command } from '../context.js';

/** `rightsize alerts`: evaluate budgets and send each crossed threshold to Slack once. Exit 1 if a send failed. */
export const alertsCommand: Command = async (ctx) => {
  const { loadCatalog } = await import('../../catalog/load.js');
  const catalog = loadCatalog(ctx.config.catalogDir);
  const store = openSqliteStore({ dataDir: ctx.config.dataDir, retentionDays: ctx.config.retentionDays });
  try {
    const nowMs = ctx.nowMs();
    const statuses = await budgetStatuses({ store, catalog, budgets: ctx.config.budgets, nowMs });
    const latest = await store.latestSnapshot();
    const recommendations = latest ? (await store.listRecommendations(latest.id, {}, { limit: 50 })).items : [];
    const result = await runAlerts({
      store, statuses, budgets: ctx.config.budgets, resolveWebhook: webhookResolver(ctx.env), recommendations, nowMs, claimant: randomUUID(),
      ...(ctx.config.server.publicBaseUrl ? { link: `${ctx.config.server.publicBaseUrl}/v1/reports/weekly/latest?format=html` } : {}),
    });
    for (const s of statuses) ctx.stdout.write(`${s.name} ${s.period}: actual $${s.actualUsd.toFixed(2)}, forecast $${s.forecastUsd.toFixed(2)} of $${s.amountUsd} — crossed: ${s.thresholdsCrossed.map((t) => `${t.kind} ${t.pct}%`).join(', ') || 'none'}\n`);
    ctx.stdout.write(`alerts: ${result.sent.length} sent, ${result.alreadySent.length} already sent, ${result.claimedByOther.length} held by another run, ${result.failed.length} failed (retried next run), ${result.dead.length} dead webhooks\n`);
    for (const f of [...result.failed, ...result.dead]) ctx.stderr.write(`  ${f.key}: ${f.detail}\n`);
    return result.failed.length > 0 ? 1 : 0;
  } finally {
    await store.close();
  }
};
