import type { BudgetConfig } from '../config.js';
import type { Recommendation } from '../domain/recommendation.js';
import type { SlackOptions } from '../notify/slack.js';
import { postToSlack } from '../notify/slack.js';
import type { Store } from '../store/store.js';
import type { BudgetStatusDetail } from './evaluate.js';

export type SecretRef = BudgetConfig['channels'][number]['slackWebhook'];

export interface AlertRunResult {
  sent: string[];
  alreadySent: string[];
  claimedByOther: string[];
  failed: { key: string; detail: string }[];
  dead: { key: string; detail: string }[];
}

/** The one-time key of an alert: budget × period × kind × threshold. */
export function alertKey(status: Pick<BudgetStatusDetail, 'name' | 'period'>, threshold: { pct: number; kind: string }): string {
  return `budget-alert:${status.name}:${status.period}:${threshold.kind}:${threshold.pct}`;
}

const usd = (x: number) => `$${Math.round(x).toLocaleString('en-US')}`;

/** Block Kit message for one crossed threshold. */
export function alertBlocks(status: BudgetStatusDetail, threshold: { pct: number; kind: 'actual' | 'forecast' }, recommendations: readonly Recommendation[], link?: string): unknown {
  const verb = threshold.kind === 'actual' ? 'has spent' : 'is forecast to spend';
  const title = `Budget ${status.name} ${verb} ${threshold.pct}% of ${usd(status.amountUsd)} (${status.period})`;
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: title.slice(0, 150) } },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Actual*\n${usd(status.actualUsd)} (${Math.round((100 * status.actualUsd) / status.amountUsd)}%)` },
        { type: 'mrkdwn', text: `*Forecast*\n${usd(status.forecastUsd)} (${Math.round((100 * status.forecastUsd) / status.amountUsd)}%)` },
        { type: 'mrkdwn', text: `*Budget*\n${usd(status.amountUsd)} per ${status.period}` },
        { type: 'mrkdwn', text: `*Period*\n${status.periodStart.slice(0, 10)} → ${status.periodEnd.slice(0, 10)}` },
      ],
    },
    { type: 'section', text: { type: 'mrkdwn', text: `*Top cost drivers*\n${status.topDrivers.map((d) => `• ${d.name ?? d.instanceId} (${d.cloud} ${d.type}, ${d.region}): ${usd(d.usd)}`).join('\n') || '—'}` } },
    {
      type: 'section',
      text: { type: 'mrkdwn', text: `*Recommendations that would bring it back under*\n${recommendations.slice(0, 3).map((r) => `• ${r.currentType} → ${r.recommendedType ?? 'stop'} (${r.kind}): saves ${usd(r.monthlySavingsUsd)}/month, risk ${r.risk}/4`).join('\n') || '—'}` },
    },
  ];
  if (link) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `<${link}|Open the report>` }] });
  return { text: title, blocks };
}

export interface RunAlertsInput {
  store: Store;
  statuses: readonly BudgetStatusDetail[];
  budgets: readonly BudgetConfig[];
  resolveWebhook: (ref: SecretRef) => Promise<string | undefined>;
  /** Recommendations to cite, best first (filtered per budget scope here). */
  recommendations: readonly Recommendation[];
  nowMs: number;
  claimant: string;
  link?: string;
  slack?: SlackOptions;
}

/**
 * Sends each crossed threshold exactly once: claim it with a conditional write, send, then mark it sent. A failed
 * send releases the claim (the next run retries); a dead webhook is marked done and its error recorded, so it shows
 * as a status instead of being retried forever. Overlapping runs see 'claimed-by-other' and stay quiet.
 */
export async function runAlerts(input: RunAlertsInput): Promise<AlertRunResult> {
  const out: AlertRunResult = { sent: [], alreadySent: [], claimedByOther: [], failed: [], dead: [] };
  for (const status of input.statuses) {
    const budget = input.budgets.find((b) => b.name === status.name);
    if (!budget) continue;
    for (const threshold of status.thresholdsCrossed) {
      const key = alertKey(status, threshold);
      const claim = await input.store.claimAlert(key, input.claimant, input.nowMs);
      if (claim === 'already-sent') {
        out.alreadySent.push(key);
        continue;
      }
      if (claim === 'claimed-by-other') {
        out.claimedByOther.push(key);
        continue;
      }
      const recs = input.recommendations.filter(
        (r) => (!budget.scope.cloud || r.cloud === budget.scope.cloud) && (!budget.scope.account || r.account === budget.scope.account) && (!budget.scope.region || r.region === budget.scope.region),
      );
      const payload = alertBlocks(status, threshold, recs, input.link);
      const outcomes: { status: string; detail?: string }[] = [];
      for (const channel of budget.channels) {
        const url = await input.resolveWebhook(channel.slackWebhook);
        if (!url) {
          outcomes.push({ status: 'failed', detail: `webhook secret ${JSON.stringify(channel.slackWebhook)} is not set` });
          continue;
        }
        outcomes.push(await postToSlack(url, payload, input.slack));
      }
      const failed = outcomes.find((o) => o.status === 'failed');
      const dead = outcomes.find((o) => o.status === 'dead');
      if (failed) {
        await input.store.releaseAlert(key, failed.detail ?? 'send failed');
        out.failed.push({ key, detail: failed.detail ?? 'send failed' });
      } else {
        await input.store.markAlertSent(key, input.nowMs);
        if (dead) {
          await input.store.releaseAlert(key, `dead webhook: ${dead.detail ?? ''}`); // records the error; a sent alert stays sent
          out.dead.push({ key, detail: dead.detail ?? 'dead webhook' });
        } else {
          out.sent.push(key);
        }
      }
    }
  }
  return out;
}

/** Webhook URLs from the environment, or from SSM / Secrets Manager (SDKs loaded only when used). */
export function webhookResolver(env: Record<string, string | undefined>): (ref: SecretRef) => Promise<string | undefined> {
  const cache = new Map<string, string | undefined>();
  return async (ref) => {
    const key = JSON.stringify(ref);
    if (cache.has(key)) return cache.get(key);
    let value: string | undefined;
    if ('env' in ref) value = env[ref.env];
    else if ('ssmParameter' in ref) {
      const { SSMClient, GetParameterCommand } = await import('@aws-sdk/client-ssm');
      value = (await new SSMClient({}).send(new GetParameterCommand({ Name: ref.ssmParameter, WithDecryption: true }))).Parameter?.Value;
    } else {
      const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
      value = (await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: ref.secretsManagerSecret }))).SecretString;
    }
    cache.set(key, value);
    return value;
  };
}
