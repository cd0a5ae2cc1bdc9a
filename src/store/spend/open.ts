import type { Config } from '../../config.js';
import { ConfigError } from '../../errors.js';
import type { SpendLedger } from './spend-ledger.js';

/** A ledger the caller owns: close it when done (a SQLite connection, or two SDK clients' sockets). */
export type OpenSpendLedger = SpendLedger & { close(): Promise<void> };

/**
 * The configured spend ledger, beside the configured store (src/store/open.ts) and in the same place: the SQLite
 * file under dataDir, or the store's DynamoDB table and S3 bucket. Each implementation is imported only when chosen,
 * so better-sqlite3 never loads on Lambda and the AWS SDK never loads for `npm start`.
 * @example const ledger = await openSpendLedger(config, process.env);
 */
export async function openSpendLedger(config: Config, env: Record<string, string | undefined>): Promise<OpenSpendLedger> {
  const settings = config.store;
  if (settings.kind === 'sqlite') {
    const { openSqliteSpendLedger } = await import('./sqlite-spend-ledger.js');
    return openSqliteSpendLedger({ dataDir: config.dataDir });
  }
  const region = settings.region ?? env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'];
  if (!region) throw new ConfigError('store.region: not set and AWS_REGION is not in the environment');
  const { openDynamoSpendLedger } = await import('./dynamodb-spend-ledger.js');
  return openDynamoSpendLedger({
    tableName: settings.table,
    bucket: settings.bucket,
    region,
    endpoints: { ...(settings.endpoints.dynamodb ? { dynamodb: settings.endpoints.dynamodb } : {}), ...(settings.endpoints.s3 ? { s3: settings.endpoints.s3 } : {}) },
    forcePathStyle: settings.forcePathStyle,
    timeouts: { connectMs: config.timeouts.connectMs, requestMs: config.timeouts.requestMs },
  });
}
