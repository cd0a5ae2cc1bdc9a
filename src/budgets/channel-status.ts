import { z } from 'zod';
import type { BudgetConfig } from '../config.js';
import type { Store } from '../store/store.js';

export type SecretRef = BudgetConfig['channels'][number]['slackWebhook'];

/**
 * A stable, non-secret name for a webhook channel: the reference, never the URL (`env:SLACK_FINOPS`,
 * `ssm:/rightsize/slack`, `secretsmanager:rightsize/slack`). Used in alert keys and status records.
 */
export function channelId(ref: SecretRef): string {
  if ('env' in ref) return `env:${ref.env}`;
  if ('ssmParameter' in ref) return `ssm:${ref.ssmParameter}`;
  return `secretsmanager:${ref.secretsManagerSecret}`;
}

/**
 * Delivery state of a channel after its last alert: `ok`; `failing` (retried next run); `dead` (the webhook
 * answered 404/410 or Slack said it no longer exists: fix the secret, nothing retries); `unset` (the secret is
 * missing). Kept as a blob so it is visible through the budget status, the report and the API on any store.
 */
export const ChannelStatusSchema = z.object({
  channel: z.string(),
  state: z.enum(['ok', 'failing', 'dead', 'unset']),
  atMs: z.number(),
  alertKey: z.string(),
  detail: z.string().optional(),
});
export type ChannelStatus = z.infer<typeof ChannelStatusSchema>;

const blobKey = (channel: string) => `alerts/channels/${encodeURIComponent(channel)}.json`;

export async function writeChannelStatus(store: Store, status: ChannelStatus): Promise<void> {
  await store.putBlob(blobKey(status.channel), 'application/json', JSON.stringify(status));
}

/** The last recorded status of a channel, or undefined when no alert was ever sent to it. */
export async function readChannelStatus(store: Store, channel: string): Promise<ChannelStatus | undefined> {
  const blob = await store.getBlob(blobKey(channel));
  if (!blob) return undefined;
  const parsed = ChannelStatusSchema.safeParse(JSON.parse(blob.body));
  if (!parsed.success) throw new Error(`store blob ${blobKey(channel)}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}
