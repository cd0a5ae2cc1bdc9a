import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EC2Client } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsClientFactory } from '../../src/collectors/aws/clients.js';
import { collectAwsScope } from '../../src/collectors/aws/collect.js';
import { azureCollector } from '../../src/collectors/azure/collector.js';
import { describeFailure, failureOf, statusOf } from '../../src/collectors/failure.js';
import { gcpCollector } from '../../src/collectors/gcp/collector.js';
import { addPrometheusGpu } from '../../src/collectors/prometheus/enrich.js';
import { allScopesFailed, collectAll, collectScopeSafely } from '../../src/collectors/run.js';
import type { CloudCollector } from '../../src/collectors/run.js';
import { ConfigSchema } from '../../src/config.js';
import type { Snapshot } from '../../src/domain/snapshot.js';
import { closedPort } from '../helpers/blackhole.js';
import { useAwsWireServers } from '../helpers/aws-wire-servers.js';

const H = 3_600_000;
const END = Date.UTC(2026, 10, 20, 0);
const WINDOW = { startMs: END - 48 * H, endMs: END };
const credentials = { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-secret' };
const fast = { connectMs: 500, requestMs: 2_000, scopeMs: 20_000, heartbeatMs: 0 };
// Every server started is checked for unexpected requests (the test fails on any) and closed after each test.
const server = useAwsWireServers();
const clients = (url: string) => ({ ec2: new EC2Client({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 2 }), cloudwatch: new CloudWatchClient({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 2 }) });

// The SDKs' default credential chains read the process environment: strip every credential source this file's worker
// could see, so "no credentials" is what each chain finds (and nothing probes a metadata server).
const saved = { ...process.env };
beforeAll(() => {
  for (const k of Object.keys(process.env)) if (/^(AWS_|AZURE_|GOOGLE_|GCLOUD_|CLOUDSDK_|MSI_|IDENTITY_)/.test(k)) delete process.env[k];
  Object.assign(process.env, { AWS_EC2_METADATA_DISABLED: 'true', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials', AWS_CONFIG_FILE: '/nonexistent/config', GOOGLE_APPLICATION_CREDENTIALS: '', METADATA_SERVER_DETECTION: 'none', CLOUDSDK_CONFIG: '/nonexistent/gcloud', AZURE_TOKEN_CREDENTIALS: 'dev', PATH: '/nonexistent' });
});
afterAll(() => {
  process.env = saved;
});

describe('errors name the operation, the HTTP status and the cause', () => {
  it('a closed port: ec2:DescribeInstances: connect ECONNREFUSED 127.0.0.1:PORT', async () => {
    const port = await closedPort();
    const out = await collectAwsScope({ cloud: 'aws', account: '1', region: 'us-east-1' }, WINDOW, clients(`http://127.0.0.1:${port}`));
    expect(out.scope).toMatchObject({ status: 'error', message: `ec2:DescribeInstances: connect ECONNREFUSED 127.0.0.1:${port}` });
  });

  it('an unreachable STS: sts:AssumeRole names the role and the socket error', async () => {
    const port = await closedPort();
    const config = ConfigSchema.parse({ aws: { enabled: true, accounts: [{ id: '123456789012' }], regions: ['us-east-1'], endpoints: { sts: `http://127.0.0.1:${port}` } } }).aws;
    const factory = awsClientFactory(config, { credentials, timeouts: fast });
    await expect(factory.clients('123456789012', 'us-east-1')).rejects.toThrow(`sts:AssumeRole arn:aws:iam::123456789012:role/RightsizeReadOnly: connect ECONNREFUSED 127.0.0.1:${port}`);
  });

  it('an HTML 500 from DescribeReservedInstances is HTTP 500 (not XML), and the rest of the scope is kept', async () => {
    const s = await server({ instances: { 'us-east-1': [{ id: 'i-0000000000000001', type: 'm5.large' }] }, htmlErrors: ['DescribeReservedInstances'], metric: () => 10 });
    const out = await collectAwsScope({ cloud: 'aws', account: '1', region: 'us-east-1' }, WINDOW, clients(s.url));
    expect(out.scope.status).toBe('ok');
    expect(out.scope.message).toContain('owned reservations not collected (ec2:DescribeReservedInstances: HTTP 500 (not XML)); purchase plans assume none');
    expect(out.series.length).toBeGreaterThan(0);
  });

  it('an unreachable Prometheus: prometheus query_range: connect ECONNREFUSED …', async () => {
    const port = await closedPort();
    const snapshot = { id: 's', source: 'collect', startedAt: new Date(END).toISOString(), finishedAt: new Date(END).toISOString(), windowStartMs: WINDOW.startMs, windowEndMs: WINDOW.endMs, scopes: [], instanceCount: 0, instances: [], series: [] } as Snapshot;
    await addPrometheusGpu(snapshot, ConfigSchema.parse({ prometheus: { enabled: true, url: `http://127.0.0.1:${port}` } }).prometheus, {}, fast);
    expect(snapshot.sources?.[0]).toMatchObject({ status: 'error', message: `prometheus query_range: connect ECONNREFUSED 127.0.0.1:${port}` });
  });

  it('maps each SDK error shape to a status and one line', () => {
    expect(statusOf(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }))).toBe('throttled');
    expect(statusOf(Object.assign(new Error('denied'), { name: 'UnauthorizedOperation', $metadata: { httpStatusCode: 403 } }))).toBe('auth-failed');
    expect(statusOf(Object.assign(new Error('deadline'), { code: 4 }))).toBe('timeout');
    expect(statusOf(Object.assign(new Error('x'), { code: 16 }))).toBe('auth-failed');
    expect(statusOf(new TypeError('fetch failed', { cause: Object.assign(new Error('connect ETIMEDOUT 10.0.0.1:443'), { code: 'ETIMEDOUT' }) }))).toBe('timeout');
    expect(describeFailure('ec2:DescribeInstances', Object.assign(new Error('boom'), { name: 'InternalError', $metadata: { httpStatusCode: 503 } }))).toBe('ec2:DescribeInstances: HTTP 503: InternalError: boom');
    expect(describeFailure('x', new Error('line one\n    at stack'))).toBe('x: line one');
  });
});

describe('missing credentials: auth-failed with the chain tried and what to set, one line', () => {
  it('AWS', async () => {
    const port = await closedPort();
    const config = ConfigSchema.parse({ aws: { enabled: true, regions: ['us-east-1'], endpoints: { ec2: `http://127.0.0.1:${port}`, cloudwatch: `http://127.0.0.1:${port}` } }, timeouts: fast });
    const { awsCollector } = await import('../../src/collectors/aws/collector.js');
    const out = await collectAll({ nowMs: END, lookbackDays: 2, collectors: [await awsCollector(config.aws, {}, undefined, config.timeouts)] });
    expect(out.scopes[0]?.status).toBe('auth-failed');
    expect(out.scopes[0]?.message).toMatch(/^ec2:DescribeInstances: no AWS credentials: the default chain tried .*set AWS_PROFILE/);
    expect(out.scopes[0]?.message).not.toContain('\n');
  });

  it('GCP (Application Default Credentials find nothing)', async () => {
    const port = await closedPort();
    const config = ConfigSchema.parse({ gcp: { enabled: true, projects: ['p1'], endpoints: { compute: `http://127.0.0.1:${port}`, monitoring: `http://127.0.0.1:${port}` } }, timeouts: fast });
    const out = await collectAll({ nowMs: END, lookbackDays: 2, collectors: [await gcpCollector(config.gcp, { timeouts: config.timeouts })] });
    expect(out.scopes[0]).toMatchObject({ cloud: 'gcp', account: 'p1', status: 'auth-failed' });
    expect(out.scopes[0]?.message).toMatch(/^credentials: no GCP credentials: .*gcloud auth application-default login.* — Could not load the default credentials/);
  });

  it('Azure (DefaultAzureCredential finds nothing)', async () => {
    const port = await closedPort();
    const config = ConfigSchema.parse({ azure: { enabled: true, subscriptions: ['6b1c2d3e-4f50-4a61-8b72-9c8d7e6f5a40'], endpoints: { arm: `https://127.0.0.1:${port}` } }, timeouts: fast });
    const out = await collectAll({ nowMs: END, lookbackDays: 2, collectors: [await azureCollector(config.azure, () => 16, { timeouts: config.timeouts })] });
    expect(out.scopes[0]).toMatchObject({ cloud: 'azure', status: 'auth-failed' });
    expect(out.scopes[0]?.message).toMatch(/^virtualMachines\.listAll: no Azure credentials: .*az login/);
  });

  it('a credential that is refused (403) gets the permission hint instead', () => {
    const f = failureOf('aws', 'ec2:DescribeInstances', Object.assign(new Error('You are not authorized'), { name: 'UnauthorizedOperation', $metadata: { httpStatusCode: 403 } }));
    expect(f).toEqual({ status: 'auth-failed', message: 'ec2:DescribeInstances: HTTP 403: UnauthorizedOperation: You are not authorized — the AWS credentials were refused or lack permission: grant infra/aws/collector-policy.json (prices: prices-policy.json) to it or to the role in aws.roleName' });
  });
});

describe('every scope fails alone', () => {
  const ok = (cloud: 'aws' | 'gcp' | 'azure'): CloudCollector => ({
    cloud,
    scopes: async () => [{ cloud, account: 'a', region: 'r' }],
    collect: async (scope) => ({ instances: [{ id: `${cloud}-1`, cloud, account: 'a', region: 'r', type: 't', state: 'running', lifecycle: 'on-demand', os: 'linux', tags: {}, launchedAt: '2026-01-01T00:00:00Z' }], series: [{ instanceId: `${cloud}-1`, metric: 'cpu', startMs: 0, max: new Float32Array(1), mean: new Float32Array(1) }], calls: {}, scope: { ...scope, status: 'ok', instanceCount: 1 } }),
  });

  it('a cloud whose listing throws or hangs, or whose collect throws, never drops another cloud', async () => {
    const throwing: CloudCollector = { cloud: 'gcp', scopes: () => Promise.reject(new Error('Could not load the default credentials. Browse to https://cloud.google.com/docs/authentication')), collect: () => Promise.reject(new Error('unreachable')) };
    const hanging: CloudCollector = { cloud: 'azure', scopes: () => new Promise(() => undefined), collect: () => new Promise(() => undefined) };
    const out = await collectAll({ nowMs: END, lookbackDays: 2, collectors: [ok('aws'), throwing, hanging], scopeTimeoutMs: 500 });
    expect(out.scopes.map((s) => `${s.cloud}:${s.status}`)).toEqual(['aws:ok', 'azure:timeout', 'gcp:auth-failed']);
    expect(out.instances.map((i) => i.id)).toEqual(['aws-1']);
    expect(allScopesFailed(out.scopes)).toBe(false);
    expect(allScopesFailed(out.scopes.filter((s) => s.cloud !== 'aws'))).toBe(true);
  });

  it('no-data: instances running but no utilization came back', async () => {
    const empty: CloudCollector = { ...ok('aws'), collect: async (scope) => ({ ...(await ok('aws').collect(scope, WINDOW)), series: [] }) };
    const part = await collectScopeSafely(empty, { cloud: 'aws', account: 'a', region: 'r' }, WINDOW);
    expect(part.scope).toMatchObject({ status: 'no-data', message: '1 running instance but no utilization metrics in the window (monitoring disabled, or no permission to read it)' });
    expect(allScopesFailed([part.scope])).toBe(false); // the inventory is usable
  });

  it('a slow scope is reported by the heartbeat while the others finish', async () => {
    const slow: CloudCollector = { ...ok('gcp'), collect: async (scope, window) => new Promise((resolve) => setTimeout(() => resolve(ok('gcp').collect(scope, window)), 400)) };
    const beats: string[][] = [];
    await collectAll({ nowMs: END, lookbackDays: 2, collectors: [ok('aws'), slow], heartbeatMs: 100, onHeartbeat: (running) => beats.push(running.map((r) => `${r.scope.cloud}/${r.scope.account}/${r.scope.region}`)) });
    expect(beats.length).toBeGreaterThan(0);
    expect(beats.at(-1)).toEqual(['gcp/a/r']);
  });
});

describe('the account of the ambient credentials', () => {
  it('is resolved with sts:GetCallerIdentity when no accounts are configured, so budgets by account id match', async () => {
    const s = await server({ instances: { 'us-east-1': [{ id: 'i-0000000000000001', type: 'm5.large' }] }, metric: () => 10 });
    const { awsCollector } = await import('../../src/collectors/aws/collector.js');
    const config = ConfigSchema.parse({ aws: { enabled: true, regions: ['us-east-1'], endpoints: { ec2: s.url, cloudwatch: s.url, sts: s.url } }, timeouts: fast });
    process.env['AWS_ACCESS_KEY_ID'] = credentials.accessKeyId;
    process.env['AWS_SECRET_ACCESS_KEY'] = credentials.secretAccessKey;
    try {
      const out = await collectAll({ nowMs: END, lookbackDays: 2, collectors: [await awsCollector(config.aws, {}, undefined, config.timeouts)] });
      expect(out.scopes.map((x) => `${x.account}/${x.region}:${x.status}`)).toEqual(['123456789012/us-east-1:ok']);
      expect(out.instances[0]?.account).toBe('123456789012');
      expect(s.calls['GetCallerIdentity']).toBe(1);
    } finally {
      delete process.env['AWS_ACCESS_KEY_ID'];
      delete process.env['AWS_SECRET_ACCESS_KEY'];
    }
  });
});

describe('CloudWatch agent GPU metrics', () => {
  it('are matched by host (the private DNS name) when they carry no InstanceId, and strays are counted and named', async () => {
    const gpuBox = { id: 'i-0gpu0000000000001', type: 'p4d.24xlarge', privateDnsName: 'ip-10-0-0-12.ec2.internal' };
    const s = await server({
      instances: { 'us-east-1': [gpuBox] },
      gpus: { [gpuBox.id]: 2 },
      gpuDimensions: 'host',
      strayGpuHosts: ['ip-10-9-9-9.ec2.internal'],
      metric: (_id, name, stat, _t, gpu) => (name === 'nvidia_smi_utilization_gpu' ? (gpu === '0' ? 10 : 30) : name === 'nvidia_smi_memory_used' ? 1000 : stat === 'Maximum' ? 50 : 20),
    });
    const out = await collectAwsScope({ cloud: 'aws', account: '1', region: 'us-east-1' }, WINDOW, clients(s.url));
    expect(out.series.find((x) => x.instanceId === gpuBox.id && x.metric === 'gpu')?.max[0]).toBe(20);
    expect(out.scope.message).toContain('1 GPU metric host matched no instance: ip-10-9-9-9.ec2.internal');
  });
});
