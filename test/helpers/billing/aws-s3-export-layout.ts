import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/** One object to put: its key and its bytes. */
export interface LayoutObject {
  key: string;
  body: Uint8Array | string;
}

/** A Data Exports manifest as AWS writes it (fields from the Data Exports manifest reference), naming `dataFiles`. */
export function manifestJson(bucket: string, exportName: string, executionId: string, dataKeys: string[]): string {
  return JSON.stringify({
    executionId,
    exportArn: `arn:aws:bcm-data-exports:us-east-1:111111111111:export/${exportName}-0000`,
    columns: [{ name: 'BilledCost', type: 'decimal' }, { name: 'ChargePeriodStart', type: 'timestamp' }],
    dataFiles: dataKeys.map((k) => `s3://${bucket}/${k}`),
    additionalOutputFiles: [],
  });
}

/** Puts every object of a layout into `bucket` (through the real S3 wire protocol). */
export async function putLayout(s3: S3Client, bucket: string, objects: LayoutObject[]): Promise<void> {
  for (const o of objects) {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: o.key, Body: typeof o.body === 'string' ? Buffer.from(o.body) : o.body }));
  }
}
