/**
 * Lambda handler (Mondays 08:00 UTC): build the weekly report, store it, and post the short summary to Slack
 * when `report.slackWebhook` is configured. Uses the store under RIGHTSIZE_DATA_DIR until DynamoDB/S3 land (issue 7).
 */
import { webhookResolver } from '../src/budgets/webhooks.js';
import { loadCatalog } from '../src/catalog/load.js';
import { loadConfig } from '../src/config.js';
import { postToSlack } from '../src/notify/slack.js';
import { writeWeeklyReport } from '../src/report/weekly.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';

export async function handler(): Promise<{ isoWeek: string; keys: string[]; slack: string }> {
  const config = loadConfig({ env: process.env });
  const catalog = loadCatalog(config.catalogDir);
  const store = openSqliteStore({ dataDir: config.dataDir, retentionDays: config.retentionDays });
  try {
    const link = config.server.publicBaseUrl ? `${config.server.publicBaseUrl}/v1/reports/weekly/latest?format=html` : undefined;
    const out = await writeWeeklyReport({ store, catalog, config, nowMs: Date.now(), ...(link ? { link } : {}) });
    let slack = 'not configured';
    if (config.report.slackWebhook) {
      const url = await webhookResolver(process.env)(config.report.slackWebhook);
      slack = url ? (await postToSlack(url, out.slackSummary)).status : 'webhook secret not set';
    }
    console.log(JSON.stringify({ msg: 'weekly-report', isoWeek: out.report.isoWeek, keys: out.keys, slack }));
    return { isoWeek: out.report.isoWeek, keys: out.keys, slack };
  } finally {
    await store.close();
  }
}
