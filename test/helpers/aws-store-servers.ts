import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import dynalite from 'dynalite';
import S3rver from 's3rver';
import { tableDefinition } from '../../src/store/dynamodb/table.js';

/** Credentials the local servers accept; dynalite ignores signatures and s3rver knows this pair. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface AwsStoreServers {
  dynamodbEndpoint: string;
  s3Endpoint: string;
  /** A DynamoDB client and an S3 client pointed at the servers. */
  clients(): { dynamodb: DynamoDBClient; s3: S3Client };
  /** Creates a table (the store's definition) and waits until it is ACTIVE. */
  createTable(name: string): Promise<void>;
  /** Creates a bucket by name (s3rver keeps it in its directory). */
  createBucket(name: string): Promise<void>;
  stop(): Promise<void>;
}

/** Starts dynalite (in memory) and s3rver (in a temp directory) on 127.0.0.1 with free ports. */
export async function startAwsStoreServers(): Promise<AwsStoreServers> {
  const dyn = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }) as Server;
  await new Promise<void>((resolve, reject) => {
    dyn.once('error', reject);
    dyn.listen(0, '127.0.0.1', () => resolve());
  });
  const dir = mkdtempSync(path.join(tmpdir(), 'rightsize-s3rver-'));
  const s3rver = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir, allowMismatchedSignatures: false });
  const s3Address = (await s3rver.run()) as AddressInfo;
  const dynamodbEndpoint = `http://127.0.0.1:${(dyn.address() as AddressInfo).port}`;
  const s3Endpoint = `http://127.0.0.1:${s3Address.port}`;
  const clients = () => ({
    dynamodb: new DynamoDBClient({ endpoint: dynamodbEndpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS }),
    s3: new S3Client({ endpoint: s3Endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS, forcePathStyle: true }),
  });
  return {
    dynamodbEndpoint,
    s3Endpoint,
    clients,
    async createTable(name) {
      const { dynamodb } = clients();
      await dynamodb.send(new CreateTableCommand(tableDefinition(name)));
      for (;;) {
        const out = await dynamodb.send(new DescribeTableCommand({ TableName: name }));
        if (out.Table?.TableStatus === 'ACTIVE') break;
        await new Promise((r) => setTimeout(r, 10));
      }
      dynamodb.destroy();
    },
    async createBucket(name) {
      const { s3 } = clients();
      const { CreateBucketCommand } = await import('@aws-sdk/client-s3');
      await s3.send(new CreateBucketCommand({ Bucket: name }));
      s3.destroy();
    },
    async stop() {
      await new Promise<void>((resolve) => dyn.close(() => resolve()));
      await s3rver.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
