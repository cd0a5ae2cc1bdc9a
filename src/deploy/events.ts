import { z } from 'zod';

/** The part of an SQS event Rightsize reads (https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html). */
export const SqsEventSchema = z.object({
  Records: z.array(z.object({ messageId: z.string().min(1), body: z.string(), eventSource: z.literal('aws:sqs').optional() })),
});
export type SqsEvent = z.infer<typeof SqsEventSchema>;

/** Partial batch response: only the listed messages return to the queue (ReportBatchItemFailures). */
export interface SqsBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

export function isSqsEvent(event: unknown): event is SqsEvent {
  return SqsEventSchema.safeParse(event).success;
}
