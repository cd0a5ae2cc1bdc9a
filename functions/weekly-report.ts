/**
 * Lambda handler (Mondays 08:00 UTC): build the weekly report, store it, and post the short summary to Slack
 * when `report.slackWebhook` is configured.
 */
import { webhookResolver } from '../src/budgets/webhooks.js';
import { runtime } from '../src/deploy/runtime.js';
import { postToSlack } from '../src/notify/slack.js';
import { writeWeeklyReport } from '../src/report/weekly.js';

export async function handler(): Promise<{ isoWeek: string; keys: string[]; slack: string }> {
  const { config, catalog, store, env, ledger } = await runtime();
  const link = config.server.publicBaseUrl ? `${config.server.publicBaseUrl}/v1/reports/weekly/latest?format=html` : undefined;
  const out = await writeWeeklyReport({ store, catalog, config, nowMs: Date.now(), ledger: await ledger(), ...(link ? { link } : {}) });
  let slack = 'not configured';
  if (config.report.slackWebhook) {
    const url = await webhookResolver(env)(config.report.slackWebhook);
    slack = url ? (await postToSlack(url, out.slackSummary, { timeoutMs: config.timeouts.requestMs })).status : 'webhook secret not set';
  }
  console.log(JSON.stringify({ msg: 'weekly-report', isoWeek: out.report.isoWeek, keys: out.keys, slack }));
  return { isoWeek: out.report.isoWeek, keys: out.keys, slack };
}
