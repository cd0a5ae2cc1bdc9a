import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';

/** Where fan-out work goes; SQS when deployed, an array in tests. */
export interface Queue {
  send(messages: readonly unknown[]): Promise<{ sent: number }>;
}

const BATCH_MAX = 10;
const RETRY_LIMIT = 5;

/**
 * SQS SendMessageBatch in tens. Entries SQS rejects (throttling, a transient failure) are re-sent with backoff; an
 * entry still failing after the retries fails the call, so the scheduler's own retry covers it.
 */
export function sqsQueue(queueUrl: string, client: SQSClient = new SQSClient({ retryMode: 'adaptive', maxAttempts: 6 })): Queue {
  return {
    async send(messages) {
      let sent = 0;
      for (let i = 0; i < messages.length; i += BATCH_MAX) {
        let entries = messages.slice(i, i + BATCH_MAX).map((m, k) => ({ Id: String(i + k), MessageBody: JSON.stringify(m) }));
        for (let attempt = 0; entries.length > 0; attempt++) {
          if (attempt > RETRY_LIMIT) throw new Error(`SQS ${queueUrl}: ${entries.length} messages not accepted after ${RETRY_LIMIT} retries`);
          if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(2000, 100 * 2 ** attempt) * (0.5 + Math.random() / 2)));
          const out = await client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
          const failed = new Set((out.Failed ?? []).filter((f) => !f.SenderFault).map((f) => f.Id));
          const senderFault = (out.Failed ?? []).find((f) => f.SenderFault);
          if (senderFault) throw new Error(`SQS ${queueUrl}: message rejected: ${senderFault.Code ?? ''} ${senderFault.Message ?? ''}`);
          sent += entries.length - failed.size;
          entries = entries.filter((e) => failed.has(e.Id));
        }
      }
      return { sent };
    },
  };
}
