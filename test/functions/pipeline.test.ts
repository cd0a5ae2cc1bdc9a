import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDynamoStore } from '../../src/store/dynamodb/dynamodb-store.js';
import { startAwsStoreServers, type AwsStoreServers } from '../helpers/aws-store-servers.js';
import { startAwsWireServer, type FakeInstance } from '../helpers/aws-wire-server.js';
import { startSqsServer } from '../helpers/sqs-server.js';

/**
 * The deployed pipeline end to end, every AWS call through the real SDK clients over HTTP: the planner fans out one
 * SQS message per region, each collect invocation stores its part, the last one assembles the snapshot into
 * DynamoDB + S3 and queues analysis, the analyzer writes results, and the API Lambda serves them.
 */
let dir: string;
let stores: AwsStoreServers;
let ec2: Awaited<ReturnType<typeof startAwsWireServer>>;
let sqs: Awaited<ReturnType<typeof startSqsServer>>;
const TOKEN = 'pipeline-test-token';

const fleet = (region: string, n: number): FakeInstance[] =>
  Array.from({ length: n }, (_, k) => ({ id: `i-${region.replace(/-/g, '')}${String(k).padStart(8, '0')}`, type: k % 2 ? 'm5.2xlarge' : 'c5.4xlarge', tags: { team: k % 3 ? 'web' : 'data' } }));

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'rightsize-pipeline-'));
  stores = await startAwsStoreServers();
  await stores.createTable('rightsize');
  await stores.createBucket('rightsize-data');
  // Mostly idle boxes (CPU max 4–9 %), so every one is a right-sizing candidate.
  ec2 = await startAwsWireServer({ instances: { 'us-east-1': fleet('us-east-1', 12), 'eu-west-1': fleet('eu-west-1', 7) }, reservedInstances: { 'us-east-1': [{ id: 'ri-m5', type: 'm5.2xlarge', count: 2, fixedUsd: 3000, durationS: 94_608_000 }] }, metric: (id, name, stat, t) => (name === 'CPUUtilization' ? ((t / 3_600_000) % 6) + 4 - (stat === 'Average' ? 2 : 0) : 20) });
  sqs = await startSqsServer({ failFirstEntries: 1 });
  const configFile = path.join(dir, 'rightsize.config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      store: { kind: 'dynamodb', table: 'rightsize', bucket: 'rightsize-data', region: 'us-east-1', endpoints: { dynamodb: stores.dynamodbEndpoint, s3: stores.s3Endpoint }, forcePathStyle: true },
      aws: { enabled: true, regions: ['us-east-1', 'eu-west-1'], endpoints: { ec2: ec2.url, cloudwatch: ec2.url } },
    }),
  );
  Object.assign(process.env, {
    RIGHTSIZE_CONFIG: configFile,
    RIGHTSIZE_API_TOKENS: TOKEN,
    RIGHTSIZE_COLLECT_QUEUE_URL_AWS: sqs.queueUrl('collect-aws'),
    RIGHTSIZE_ANALYZE_QUEUE_URL: sqs.queueUrl('analyze'),
    AWS_ENDPOINT_URL_SQS: sqs.url,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
  });
});

afterAll(async () => {
  expect(ec2.unexpected).toEqual([]);
  expect(sqs.unexpected).toEqual([]);
  await ec2.close();
  await sqs.close();
  await stores.stop();
  rmSync(dir, { recursive: true, force: true });
});

type ApiResult = { statusCode: number; body: string; headers?: Record<string, string> };

function apiEvent(pathAndQuery: string, token = TOKEN) {
  const [rawPath = '/', rawQueryString = ''] = pathAndQuery.split('?');
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    headers: { host: 'api.example.com', authorization: `Bearer ${token}`, accept: 'application/json' },
    requestContext: { accountId: '123456789012', apiId: 'api', domainName: 'api.example.com', domainPrefix: 'api', http: { method: 'GET', path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' }, requestId: 'req-1', routeKey: '$default', stage: '$default', time: '27/Nov/2026:08:00:00 +0000', timeEpoch: Date.now() },
    isBase64Encoded: false,
  };
}

it('plans, collects per region, assembles once, analyzes and serves through the API Lambda', async () => {
  const { handler: plan } = await import('../../functions/plan-collection.js');
  const { handler: collect } = await import('../../functions/collect-aws.js');
  const { handler: analyze } = await import('../../functions/analyze.js');
  const { handler: api } = await import('../../functions/api.js');

  const planned = await plan();
  // Two regions → two messages; the first SendMessageBatch entry was refused once and re-sent.
  expect(planned).toMatchObject({ scopes: 2, sent: { aws: 2 } });
  const collectEvent = sqs.drain(sqs.queueUrl('collect-aws'));
  expect(collectEvent.Records.map((r) => JSON.parse(r.body).scope.region).sort()).toEqual(['eu-west-1', 'us-east-1']);

  // One region at a time, plus a poison message: the run completes only with the second part.
  const [first, second] = collectEvent.Records;
  const poison = { messageId: 'poison-1', body: '{"runId":"x"}', eventSource: 'aws:sqs' as const };
  expect(await collect({ Records: [first!, poison] })).toEqual({ batchItemFailures: [{ itemIdentifier: 'poison-1' }] });
  expect(sqs.drain(sqs.queueUrl('analyze')).Records).toHaveLength(0);
  expect(await collect({ Records: [second!] })).toEqual({ batchItemFailures: [] });
  const analyzeEvent = sqs.drain(sqs.queueUrl('analyze'));
  expect(analyzeEvent.Records.map((r) => JSON.parse(r.body))).toEqual([{ snapshotId: planned.runId }]);
  // A redelivered message (SQS is at-least-once) neither duplicates the snapshot nor queues analysis again.
  expect(await collect({ Records: [second!] })).toEqual({ batchItemFailures: [] });
  expect(sqs.drain(sqs.queueUrl('analyze')).Records).toHaveLength(0);

  expect(await analyze(analyzeEvent)).toEqual({ batchItemFailures: [] });

  const store = openDynamoStore({ tableName: 'rightsize', bucket: 'rightsize-data', region: 'us-east-1', endpoints: { dynamodb: stores.dynamodbEndpoint, s3: stores.s3Endpoint }, forcePathStyle: true });
  const meta = await store.latestSnapshot();
  expect(meta?.id).toBe(planned.runId);
  expect(meta?.instanceCount).toBe(19);
  expect(meta?.scopes.map((s) => `${s.region}:${s.status}:${s.instanceCount}`).sort()).toEqual(['eu-west-1:ok:7', 'us-east-1:ok:12']);
  expect(meta?.commitments?.map((c) => c.id)).toEqual(['ri-m5']);
  // The owned m5 reservation shows up in its pool's plan with how much of it right-sizing leaves in use.
  const m5 = await store.getPurchasePlan(planned.runId, 'aws:ri:us-east-1:m5');
  expect(m5?.evidence['owned']).toMatchObject({ reservations: ['ri-m5'], count: 2 });
  const recs = await store.listRecommendations(planned.runId, {}, { limit: 100 });
  expect(recs.items.length).toBeGreaterThan(0);
  expect(recs.items.every((r) => r.cloud === 'aws' && r.monthlySavingsUsd > 0)).toBe(true);
  await store.close();

  const res = (await api(apiEvent('/v1/recommendations?limit=3') as never, {} as never)) as ApiResult;
  expect(res.statusCode).toBe(200);
  const body = JSON.parse(res.body) as { items: { id: string; monthlySavingsUsd: number }[] };
  expect(body.items.map((r) => r.id)).toEqual(recs.items.slice(0, 3).map((r) => r.id));
  const denied = (await api(apiEvent('/v1/recommendations', 'wrong-token') as never, {} as never)) as ApiResult;
  expect(denied.statusCode).toBe(401); // a token, but not one of ours: RFC 6750 invalid_token
  expect(denied.headers?.['content-type']).toContain('application/problem+json');

  // The scheduled run finds nothing left to finalize and the latest snapshot already analyzed.
  expect(await analyze({ source: 'aws.events' })).toEqual({ finalized: [], analyzed: [] });
});
