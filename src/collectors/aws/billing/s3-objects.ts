import { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import type { BillingObject } from '../../../billing/source.js';
import { AwsBillingError, billingErrorOf, eitherSignal } from './errors.js';

/** One listed object. */
export interface S3Listed {
  key: string;
  sizeBytes: number;
  lastModifiedMs: number;
}

// The SDK types every field optional: what a listing entry must have to be used.
const ListedSchema = z.object({ Key: z.string().min(1), Size: z.number().int().nonnegative(), LastModified: z.date().optional() });
const ListPageSchema = z.object({
  Contents: z.array(z.unknown()).optional(),
  IsTruncated: z.boolean().optional(),
  NextContinuationToken: z.string().optional(),
});

/** Every object under `prefix` (ListObjectsV2, 1000 a page, followed to the end). Needs s3:ListBucket on the bucket. */
export async function listS3(s3: S3Client, bucket: string, prefix: string, signal?: AbortSignal): Promise<{ objects: S3Listed[] }> {
  const objects: S3Listed[] = [];
  let token: string | undefined;
  const where = `s3://${bucket}/${prefix}`;
  do {
    let out: unknown;
    try {
      out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }), signal ? { abortSignal: signal } : {});
    } catch (err) {
      throw billingErrorOf(`s3:ListObjectsV2 ${where}`, err, 's3:ListBucket');
    }
    const page = ListPageSchema.parse(out);
    for (const c of page.Contents ?? []) {
      const item = ListedSchema.safeParse(c);
      if (!item.success) throw new AwsBillingError('bad-response', 'parse-error', `aws s3:ListObjectsV2 ${where}: a listed object lacks Key or Size`);
      objects.push({ key: item.data.Key, sizeBytes: item.data.Size, lastModifiedMs: item.data.LastModified?.getTime() ?? 0 });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return { objects };
}

/** Size of one object (s3:GetObject covers HeadObject). */
export async function headS3(s3: S3Client, bucket: string, key: string, signal?: AbortSignal): Promise<number> {
  try {
    const out = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), signal ? { abortSignal: signal } : {});
    return z.number().int().nonnegative().parse(out.ContentLength);
  } catch (err) {
    throw billingErrorOf(`s3:HeadObject s3://${bucket}/${key}`, err, 's3:GetObject');
  }
}

/** Whole object as text (manifests are a few KB). */
export async function readS3Text(s3: S3Client, bucket: string, key: string, signal?: AbortSignal): Promise<string> {
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }), signal ? { abortSignal: signal } : {});
    if (!out.Body) throw new AwsBillingError('bad-response', 'parse-error', `aws s3:GetObject s3://${bucket}/${key}: no body`);
    return await out.Body.transformToString('utf8');
  } catch (err) {
    throw billingErrorOf(`s3:GetObject s3://${bucket}/${key}`, err, 's3:GetObject');
  }
}

/**
 * A BillingObject over one S3 object: `readRange` is a ranged GetObject (Parquet footers and column chunks), `stream`
 * the GetObject body (CSV). Every request carries `baseSignal` and the call's own signal.
 */
export function s3BillingObject(s3: S3Client, bucket: string, key: string, sizeBytes: number, baseSignal?: AbortSignal): BillingObject {
  const name = `s3://${bucket}/${key}`;
  const get = async (range: string | undefined, signal: AbortSignal | undefined) => {
    const abortSignal = eitherSignal(baseSignal, signal);
    try {
      const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...(range ? { Range: range } : {}) }), abortSignal ? { abortSignal } : {});
      if (!out.Body) throw new AwsBillingError('bad-response', 'parse-error', `aws s3:GetObject ${name}: no body`);
      return out.Body;
    } catch (err) {
      throw billingErrorOf(`s3:GetObject ${name}${range ? ` (${range})` : ''}`, err, 's3:GetObject');
    }
  };
  return {
    name,
    sizeBytes,
    async readRange(start, endExclusive, signal) {
      const end = Math.min(endExclusive, sizeBytes);
      if (start < 0 || start >= end) return new Uint8Array(0);
      // HTTP ranges are inclusive at both ends (RFC 9110 §14.1.2).
      const range = `bytes=${start}-${end - 1}`;
      const body = await get(range, signal);
      const bytes = await body.transformToByteArray();
      if (bytes.length !== end - start) {
        throw new AwsBillingError('bad-response', 'parse-error', `aws s3:GetObject ${name} (${range}): got ${bytes.length} bytes, expected ${end - start} (object rewritten while reading?)`);
      }
      return bytes;
    },
    async stream(signal) {
      const body = await get(undefined, signal);
      if (body instanceof Readable) return body;
      // Outside Node the SDK hands a web stream; Rightsize runs on Node, but convert rather than fail.
      return Readable.fromWeb(body.transformToWebStream() as Parameters<typeof Readable.fromWeb>[0]);
    },
  };
}
