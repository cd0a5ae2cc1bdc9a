import type { BudgetConfig } from '../config.js';
import type { Recommendation } from '../domain/recommendation.js';
import type { SlackOptions, SlackOutcome } from '../notify/slack.js';
import { postToSlack } from '../notify/slack.js';
import type { Store } from '../store/store.js';
import { alertBlocks, recommendationsToGetUnder } from './alert-message.js';
import { channelId, writeChannelStatus } from './channel-status.js';
import type { SecretRef } from './channel-status.js';
import type { BudgetStatusDetail } from './evaluate.js';

export interface AlertRunResult {
  sent: string[];
  alreadySent: string[];
  /** Lower thresholds of a kind crossed together with a higher one: marked done without a message, never sent later. */
  superseded: string[];
  claimedByOther: string[];
  failed: { key: string; detail: string }[];
  dead: { key: string; detail: string }[];
}

/**
 * The one-time key of an alert to one channel: budget × period × kind × threshold × channel. Each channel has
 * its own claim so that one failing webhook is retried without repeating the message to the others.
 */
export function alertKey(status: Pick<BudgetStatusDetail, 'name' | 'period'>, threshold: { pct: number; kind: string }, channel: string): string {
  return `budget-alert:${status.name}:${status.period}:${threshold.kind}:${threshold.pct}:${channel}`;
}

export interface RunAlertsInput {
  store: Store;
  statuses: readonly BudgetStatusDetail[];
  budgets: readonly BudgetConfig[];
  resolveWebhook: (ref: SecretRef) => Promise<string | undefined>;
  /** In-scope recommendations per budget name (see `scopedRecommendations`); the message cites the best three. */
  recommendations: ReadonlyMap<string, readonly Recommendation[]>;
  nowMs: number;
  claimant: string;
  link?: string;
  slack?: SlackOptions;
}

type Threshold = BudgetStatusDetail['thresholdsCrossed'][number];

/** Pure: the crossed thresholds grouped by kind, highest first (the first of each group is the one to send). */
export function thresholdsByKind(crossed: readonly Threshold[]): Threshold[][] {
  const groups = new Map<Threshold['kind'], Threshold[]>();
  for (const t of crossed) groups.set(t.kind, [...(groups.get(t.kind) ?? []), t]);
  return [...groups.values()].map((g) => [...g].sort((a, b) => b.pct - a.pct));
}

/**
 * Sends the highest crossed threshold of each kind to each channel exactly once: claim it with a conditional write,
 * send, then mark it sent. The lower thresholds of that kind are claimed and marked sent without a message (a budget
 * found at 234 % on its first run sends one "actual" message, not four, and its 50 % never fires later). A failed
 * send releases the claim (the next run retries) and is never marked sent; a dead webhook is marked done with its
 * error recorded and its channel shown as `dead`, instead of being retried forever. Overlapping runs see
 * 'claimed-by-other' and stay quiet.
 */
export async function runAlerts(input: RunAlertsInput): Promise<AlertRunResult> {
  const out: AlertRunResult = { sent: [], alreadySent: [], superseded: [], claimedByOther: [], failed: [], dead: [] };
  for (const status of input.statuses) {
    const budget = input.budgets.find((b) => b.name === status.name);
    if (!budget) continue;
    const plan = recommendationsToGetUnder(status, input.recommendations.get(budget.name) ?? []);
    for (const [highest, ...lower] of thresholdsByKind(status.thresholdsCrossed)) {
      if (!highest) continue;
      const payload = alertBlocks(status, highest, plan, input.link);
      for (const { slackWebhook } of budget.channels) {
        const channel = channelId(slackWebhook);
        const key = alertKey(status, highest, channel);
        const claim = await input.store.claimAlert(key, input.claimant, input.nowMs);
        if (claim === 'already-sent') out.alreadySent.push(key);
        else if (claim === 'claimed-by-other') out.claimedByOther.push(key);
        else await deliver(input, key, channel, slackWebhook, payload, out);
        for (const t of lower) await supersede(input, alertKey(status, t, channel), out);
      }
    }
  }
  return out;
}

/**
 * Marks a lower threshold done without sending: the higher one of its kind speaks for it. Done even when the higher
 * send failed this run: that one is retried, and a later run must not send the stale lower one instead.
 */
async function supersede(input: RunAlertsInput, key: string, out: AlertRunResult): Promise<void> {
  const claim = await input.store.claimAlert(key, input.claimant, input.nowMs);
  if (claim === 'already-sent') out.alreadySent.push(key);
  else if (claim === 'claimed-by-other') out.claimedByOther.push(key);
  else {
    await input.store.markAlertSent(key, input.nowMs);
    out.superseded.push(key);
  }
}

async function deliver(input: RunAlertsInput, key: string, channel: string, ref: SecretRef, payload: unknown, out: AlertRunResult): Promise<void> {
  let outcome: SlackOutcome | { status: 'unset'; detail: string };
  try {
    const url = await input.resolveWebhook(ref);
    outcome = url ? await postToSlack(url, payload, input.slack) : { status: 'unset', detail: `webhook secret ${channel} is not set` };
  } catch (err) {
    // A secret that cannot be read now (throttled SSM, missing permission) may be readable next run.
    outcome = { status: 'failed', attempts: 0, detail: `reading webhook secret ${channel}: ${(err as Error).message}` };
  }
  const at = { channel, atMs: input.nowMs, alertKey: key };
  if (outcome.status === 'sent') {
    await input.store.markAlertSent(key, input.nowMs);
    await writeChannelStatus(input.store, { ...at, state: 'ok' });
    out.sent.push(key);
  } else if (outcome.status === 'dead') {
    await input.store.markAlertSent(key, input.nowMs);
    await input.store.releaseAlert(key, `dead webhook: ${outcome.detail}`); // records the error; a sent alert stays sent
    await writeChannelStatus(input.store, { ...at, state: 'dead', detail: outcome.detail });
    out.dead.push({ key, detail: outcome.detail });
  } else {
    await input.store.releaseAlert(key, outcome.detail);
    await writeChannelStatus(input.store, { ...at, state: outcome.status === 'unset' ? 'unset' : 'failing', detail: outcome.detail });
    out.failed.push({ key, detail: outcome.detail });
  }
}

/**
 * In-scope recommendations of the latest analysis per budget, largest savings first. Cloud, account and region
 * are filtered by the store; tag scopes are matched against the instances' tags in that snapshot.
 */
export async function scopedRecommendations(store: Store, budgets: readonly BudgetConfig[]): Promise<Map<string, Recommendation[]>> {
  const out = new Map<string, Recommendation[]>();
  const latest = await store.latestSnapshot();
  if (!latest) return out;
  let tagsById: Map<string, Record<string, string>> | undefined;
  for (const b of budgets) {
    const tags = Object.entries(b.scope.tags ?? {});
    const filter = { sort: 'savings' as const, minMonthlySavingsUsd: 0.01, ...(b.scope.cloud ? { cloud: b.scope.cloud } : {}), ...(b.scope.account ? { account: b.scope.account } : {}), ...(b.scope.region ? { region: b.scope.region } : {}) };
    // With a tag scope the store cannot filter, so read deeper and keep the matching ones.
    const page = await store.listRecommendations(latest.id, filter, { limit: tags.length > 0 ? 2000 : 20 });
    let recs = page.items;
    if (tags.length > 0) {
      tagsById ??= new Map((await store.instances(latest.id)).map((i) => [i.id, i.tags]));
      const index = tagsById;
      recs = recs.filter((r) => tags.every(([k, v]) => index.get(r.instanceId)?.[k] === v));
    }
    out.set(b.name, recs.slice(0, 20));
  }
  return out;
}
