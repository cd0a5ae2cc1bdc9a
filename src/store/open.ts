import type { Config } from '../config.js';
import { ConfigError } from '../errors.js';
import type { Store } from './store.js';

/**
 * The configured store. Each implementation is imported only when chosen, so the embedded store's native module
 * never loads on Lambda and the AWS SDK never loads for `npm start`.
 * @example const store = await openStore(config, process.env);
 */
export async function openStore(config: Config, env: Record<string, string | undefined>): Promise<Store> {
  const settings = config.store;
  if (settings.kind === 'sqlite') {
    const { openSqliteStore } = await import('./sqlite/sqlite-store.js');
    return openSqliteStore({ dataDir: config.dataDir, retentionDays: config.retentionDays });
  }
  const region = settings.region ?? env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'];
  if (!region) throw new ConfigError('store.region: not set and AWS_REGION is not in the environment');
  const { openDynamoStore } = await import('./dynamodb/dynamodb-store.js');
  return openDynamoStore({
    tableName: settings.table,
    bucket: settings.bucket,
    region,
    endpoints: { ...(settings.endpoints.dynamodb ? { dynamodb: settings.endpoints.dynamodb } : {}), ...(settings.endpoints.s3 ? { s3: settings.endpoints.s3 } : {}) },
    forcePathStyle: settings.forcePathStyle,
    retentionDays: config.retentionDays,
  });
}
