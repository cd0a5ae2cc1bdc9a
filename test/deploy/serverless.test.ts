import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, type Tags } from 'yaml';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../scripts/bundle.js';
import { TABLE_KEYS, tableDefinition } from '../../src/store/dynamodb/table.js';

// CloudFormation short forms (!Ref, !GetAtt, !Sub) as the plain objects CloudFormation sees.
const cfnTags: Tags = ['Ref', 'GetAtt', 'Sub'].flatMap((name) => {
  const key = name === 'Ref' ? 'Ref' : `Fn::${name}`;
  return [
    { tag: `!${name}`, resolve: (value: string) => ({ [key]: name === 'GetAtt' ? value.split('.') : value }) },
    { tag: `!${name}`, collection: 'seq' as const, resolve: (seq: unknown) => ({ [key]: (seq as { toJSON(): unknown }).toJSON() }) },
  ];
});

type Statement = { Sid: string; Effect: string; Action: string[] | string; Resource: unknown };
const ROOT = path.resolve(import.meta.dirname, '../..');
const sls = parse(readFileSync(path.join(ROOT, 'serverless.yml'), 'utf8'), { customTags: cfnTags }) as {
  provider: Record<string, unknown>;
  functions: Record<string, { handler: string; role: string; events?: Record<string, unknown>[]; package: { patterns: string[] } }>;
  resources: { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
};
const resources = sls.resources.Resources;
const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const statementsOf = (role: string) =>
  ((resources[role]?.Properties['Policies'] as { PolicyDocument: { Statement: Statement[] } }[]) ?? []).flatMap((p) => p.PolicyDocument.Statement);

describe('serverless.yml', () => {
  it('deploys exactly the bundled functions, each from its own bundle with the catalog and config', () => {
    expect(Object.keys(sls.functions).sort()).toEqual(Object.keys(FUNCTIONS).sort());
    for (const [name, fn] of Object.entries(sls.functions)) {
      expect(fn.handler).toBe(`.build/${name}/index.handler`);
      expect(existsSync(path.join(ROOT, 'functions', FUNCTIONS[name as keyof typeof FUNCTIONS]))).toBe(true);
      // The catalog, without the audit's inputs (second sources, exceptions, price corrections), which no function reads.
      expect(fn.package.patterns).toEqual([`.build/${name}/**`, 'data/catalog/**', '!data/catalog/second-sources.json', '!data/catalog/audit-exceptions.json', '!data/catalog/azure-price-corrections.json', 'infra/rightsize.config.yaml']);
    }
    expect(existsSync(path.join(ROOT, 'infra/rightsize.config.yaml'))).toBe(true);
    expect(sls.provider).toMatchObject({ runtime: 'nodejs20.x', architecture: 'arm64' });
  });

  it('declares the table the DynamoDB store expects, with TTL, point-in-time recovery and on-demand billing', () => {
    const table = resources['Table']!.Properties;
    const def = tableDefinition('x');
    expect(table['KeySchema']).toEqual(def.KeySchema);
    expect(table['AttributeDefinitions']).toEqual(def.AttributeDefinitions);
    expect(table['LocalSecondaryIndexes']).toEqual(def.LocalSecondaryIndexes);
    expect(table['GlobalSecondaryIndexes']).toEqual(def.GlobalSecondaryIndexes);
    expect(table['BillingMode']).toBe('PAY_PER_REQUEST');
    expect(table['TimeToLiveSpecification']).toEqual({ AttributeName: TABLE_KEYS.ttlAttribute, Enabled: true });
    expect(table['PointInTimeRecoverySpecification']).toEqual({ PointInTimeRecoveryEnabled: true });
  });

  it('keeps the bucket private and encrypted, and every queue behind a dead-letter queue', () => {
    const bucket = resources['DataBucket']!.Properties;
    expect(bucket['PublicAccessBlockConfiguration']).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(JSON.stringify(bucket['BucketEncryption'])).toContain('SSEAlgorithm');
    const queues = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::SQS::Queue');
    for (const [name, q] of queues.filter(([n]) => !n.includes('DeadLetter'))) {
      expect(q.Properties['RedrivePolicy'], name).toMatchObject({ maxReceiveCount: 3 });
      expect(q.Properties['SqsManagedSseEnabled'], name).toBe(true);
    }
    // Every SQS trigger reports partial batch failures, so one bad message does not redeliver the batch.
    for (const fn of Object.values(sls.functions)) {
      for (const e of fn.events ?? []) if ('sqs' in e) expect(e['sqs']).toMatchObject({ functionResponseType: 'ReportBatchItemFailures' });
    }
  });

  it('gives each function its own role with no wildcard actions, and * resources only where AWS allows nothing narrower', () => {
    const roles = Object.values(sls.functions).map((f) => f.role);
    expect(new Set(roles).size).toBe(roles.length);
    // These read-only APIs take no resource ARNs (IAM service authorization reference).
    const resourceless = new Set(['ec2:DescribeInstances', 'ec2:DescribeInstanceTypes', 'ec2:DescribeReservedInstances', 'ec2:DescribeRegions', 'cloudwatch:GetMetricData', 'cloudwatch:ListMetrics', 'pricing:GetProducts', 'ec2:DescribeSpotPriceHistory', 'ce:GetCostAndUsage', 'ce:GetCostForecast']);
    for (const role of roles) {
      const statements = statementsOf(role);
      expect(statements.length, role).toBeGreaterThan(0);
      for (const s of statements) {
        expect(s.Effect).toBe('Allow');
        for (const a of actions(s)) expect(a, `${role}/${s.Sid}`).not.toMatch(/\*/);
        if (s.Resource === '*') for (const a of actions(s)) expect(resourceless.has(a), `${role}/${s.Sid}: ${a} on *`).toBe(true);
      }
    }
  });

  it('lets the API and the report only read the store, and only the collectors read the clouds', () => {
    const writes = /^(dynamodb:(Put|Update|Delete|BatchWrite)|sqs:SendMessage)/;
    expect(statementsOf('ApiRole').flatMap(actions).filter((a) => writes.test(a) || a.startsWith('s3:Put'))).toEqual([]);
    expect(statementsOf('WeeklyReportRole').flatMap(actions).filter((a) => writes.test(a))).toEqual([]);
    const cloudReads = (role: string) => statementsOf(role).flatMap(actions).filter((a) => a.startsWith('ec2:') || a.startsWith('cloudwatch:'));
    for (const role of ['ApiRole', 'AnalyzeRole', 'AlertsRole', 'WeeklyReportRole', 'CollectGcpRole', 'CollectAzureRole']) expect(cloudReads(role), role).toEqual([]);
    expect(cloudReads('CollectAwsRole').sort()).toEqual(['cloudwatch:GetMetricData', 'cloudwatch:ListMetrics', 'ec2:DescribeInstanceTypes', 'ec2:DescribeInstances', 'ec2:DescribeRegions', 'ec2:DescribeReservedInstances']);
    // The price refresher reads public price data only: no inventory, no metrics.
    expect(cloudReads('RefreshPricesRole')).toEqual(['ec2:DescribeSpotPriceHistory']);
  });

  it('lets each function read and write exactly the S3 keys its code touches', () => {
    // [role, action, an object key the function's code reads or writes] (src/: store keys under blobs/, series under snapshots/).
    const needs: [string, string, string][] = [
      ['ApiRole', 's3:GetObject', 'blobs/reports/weekly/2026-W48.html'],
      ['ApiRole', 's3:GetObject', 'snapshots/s1/series/000000.json.gz'],
      ['ApiRole', 's3:GetObject', 'blobs/catalog/prices/aws.json'],
      ['AlertsRole', 's3:PutObject', 'blobs/alerts/channels/x.json'],
      ['AlertsRole', 's3:PutObject', 'blobs/alerts/last-evaluation.json'],
      ['AlertsRole', 's3:GetObject', 'blobs/catalog/prices/aws.json'],
      ['WeeklyReportRole', 's3:PutObject', 'blobs/reports/weekly/2026-W48.html'],
      ['WeeklyReportRole', 's3:GetObject', 'snapshots/s1/series/000000.json.gz'],
      ['WeeklyReportRole', 's3:GetObject', 'blobs/catalog/aws-spot-advisor.json'],
      ['RefreshPricesRole', 's3:PutObject', 'blobs/catalog/prices/gcp.json'],
      ['PlanCollectionRole', 's3:PutObject', 'blobs/runs/manifests/collect-x.json'],
      ['CollectAwsRole', 's3:PutObject', 'blobs/runs/parts/collect-x/aws.json'],
      ['CollectAwsRole', 's3:PutObject', 'snapshots/collect-x/series/000000.json.gz'],
      ['AnalyzeRole', 's3:PutObject', 'blobs/analysis/collect-x.json'],
      // The spend ledger's period objects (src/store/spend/dynamodb-spend-ledger.ts): written by the import, read by
      // everything that shows or uses the bill.
      ['ImportBillRole', 's3:PutObject', 'spend/0123abcd/2026-11/gen.json.gz'],
      ['ImportBillRole', 's3:DeleteObject', 'spend/0123abcd/2026-11/gen.json.gz'],
      ['ApiRole', 's3:GetObject', 'spend/0123abcd/2026-11/gen.json.gz'],
      ['AlertsRole', 's3:GetObject', 'spend/0123abcd/2026-11/gen.json.gz'],
      ['WeeklyReportRole', 's3:GetObject', 'spend/0123abcd/2026-11/gen.json.gz'],
      ['AnalyzeRole', 's3:GetObject', 'spend/0123abcd/2026-11/gen.json.gz'],
    ];
    const bucketArn = '${DataBucket.Arn}';
    for (const [role, action, key] of needs) {
      const allowed = statementsOf(role).some((s) => {
        if (!actions(s).includes(action)) return false;
        const resources = (Array.isArray(s.Resource) ? s.Resource : [s.Resource]).map((r) => (r as { 'Fn::Sub'?: string })['Fn::Sub'] ?? '');
        return resources.some((r) => r.startsWith(`${bucketArn}/`) && key.startsWith(r.slice(bucketArn.length + 1).replace(/\*$/, '')));
      });
      expect(allowed, `${role} ${action} ${key}`).toBe(true);
    }
    // And the reverse for the read-only ones: no write anywhere in the bucket.
    expect(statementsOf('ApiRole').flatMap(actions).filter((a) => a.startsWith('s3:') && a !== 's3:GetObject' && a !== 's3:ListBucket')).toEqual([]);
  });
});
