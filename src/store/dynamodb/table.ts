import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * The one table the deployed store uses. serverless.yml declares the same keys and indexes (a test compares them);
 * tests and `rightsize store init` create it from here.
 *
 * Items (pk · sk):
 * - `SNAPSHOTS` · `<finishedAtMs, 15 digits>#<id>`: the pointer that makes a snapshot visible; written last.
 * - `SNAP#<id>` · `#META`: snapshot meta; `#RESULTS`: the current results generation; `I#<instanceId>`: instances.
 * - `RECS#<snapshot>#<gen>` · savings key (LSI `byRisk`: risk key; GSI `byRecommendationId`: `REC#<id>`).
 * - `SKIPS#<snapshot>#<gen>` · instance id; `PLANS#<snapshot>#<gen>` · pool.
 * - `ALERT#<key>` · `A`: one-time notification claims; `ALERTERR#<key>` · `A`: the last send error.
 * - `SPEND#IMPORT` · `<billingPeriod>#<datasetId>`: one bill import record and the pointer to its rows (`spend/…` in S3).
 * Series and blobs live in S3 (series are ~8 KiB per instance: cheaper there than as write units).
 */
export const TABLE_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
  localIndexes: { byRisk: 'lsi1sk' },
  globalIndexes: { byRecommendationId: { partitionKey: 'gsi1pk', sortKey: 'gsi1sk' } },
  ttlAttribute: 'expiresAt',
} as const;

export function tableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
      { AttributeName: 'lsi1sk', AttributeType: 'S' },
      { AttributeName: 'gsi1pk', AttributeType: 'S' },
      { AttributeName: 'gsi1sk', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    LocalSecondaryIndexes: [
      {
        IndexName: 'byRisk',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'lsi1sk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: 'byRecommendationId',
        KeySchema: [
          { AttributeName: 'gsi1pk', KeyType: 'HASH' },
          { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  };
}
