import { randomUUID } from 'node:crypto';
import { checkBudgets } from '../../budgets/check.js';
import { webhookResolver } from '../../budgets/webhooks.js';
import { usd } from '../../report/format.js';
import { openStore } from '../../store/open.js';
import { openSpendLedger } from '../../store/spend/open.js';
import type { Command } from '../context.js';

/** `rightsize alerts`: evaluate budgets and send each crossed threshold to Slack once. Exit 1 if a send failed. */
export const alertsCommand: Command = async (ctx) => {
  const { loadCatalogWithRefreshedPrices } = await import('../../catalog/load.js');
  const store = await openStore(ctx.config, ctx.env);
  const ledger = await openSpendLedger(ctx.config, ctx.env);
  const catalog = await loadCatalogWithRefreshedPrices(ctx.config.catalogDir, store, (m) => ctx.stderr.write(`rightsize: ignoring refreshed prices: ${m}\n`));
  try {
    const { statuses, result } = await checkBudgets({
      store, catalog, budgets: ctx.config.budgets, resolveWebhook: webhookResolver(ctx.env), nowMs: ctx.nowMs(), claimant: randomUUID(), ledger, slack: { timeoutMs: ctx.config.timeouts.requestMs },
      ...(ctx.config.server.publicBaseUrl ? { link: `${ctx.config.server.publicBaseUrl}/v1/reports/weekly/latest?format=html` } : {}),
    });
    if (ctx.flags.json) {
      ctx.stdout.write(`${JSON.stringify({ statuses, result })}\n`);
      return result.failed.length > 0 ? 1 : 0;
    }
    if (statuses.length === 0) ctx.stdout.write('No budgets configured (add `budgets` to the config).\n');
    for (const s of statuses) {
      ctx.stdout.write(`${s.name} ${s.period}: actual ${usd(s.actualUsd)}, forecast ${usd(s.forecastUsd)} of ${usd(s.amountUsd)} (${s.basis ?? 'modeled'}${s.billDataThrough ? `, bill through ${s.billDataThrough.slice(0, 10)}` : ''}${s.modeled ? `; modeled ${usd(s.modeled.actualUsd)}` : ''}); crossed: ${s.thresholdsCrossed.map((t) => `${t.kind} ${t.pct}%`).join(', ') || 'none'}\n`);
      if (s.basisNote) ctx.stdout.write(`  note: ${s.basisNote}\n`);
      for (const c of s.channels.filter((c) => c.state !== 'ok' && c.state !== 'never-used')) ctx.stdout.write(`  channel ${c.channel}: ${c.state}${c.detail ? ` (${c.detail})` : ''}\n`);
    }
    ctx.stdout.write(`alerts: ${result.sent.length} sent, ${result.alreadySent.length} already sent, ${result.superseded.length} superseded by a higher threshold, ${result.claimedByOther.length} held by another run, ${result.failed.length} failed (retried next run), ${result.dead.length} dead webhooks\n`);
    for (const f of [...result.failed, ...result.dead]) ctx.stderr.write(`  ${f.key}: ${f.detail}\n`);
    return result.failed.length > 0 ? 1 : 0;
  } finally {
    await ledger.close();
    await store.close();
  }
};
