import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EC2Client } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { collectAwsScope, queriesPerCall } from '../../src/collectors/aws/collect.js';
import { useAwsWireServers } from '../helpers/aws-wire-servers.js';
import type { FakeInstance } from '../helpers/aws-wire-server.js';

const H = 3_600_000;
const END = Date.UTC(2026, 10, 20, 0);
const credentials = { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-secret' };
// Every server started is checked for unexpected requests (the test fails on any) and closed after each test.
const server = useAwsWireServers();

const clients = (url: string, region: string) => ({
  ec2: new EC2Client({ endpoint: url, region, credentials, maxAttempts: 3 }),
  cloudwatch: new CloudWatchClient({ endpoint: url, region, credentials, maxAttempts: 3 }),
});

const fleet = (n: number, prefix = 'i-0'): FakeInstance[] =>
  Array.from({ length: n }, (_, k) => ({ id: `${prefix}${String(k).padStart(16, '0')}`, type: k % 2 ? 'm5.large' : 'c5.xlarge', ...(k % 10 === 0 ? { lifecycle: 'spot' as const } : {}), ...(k % 7 === 0 ? { state: 'stopped' } : {}), tags: { Name: `web-${k}`, team: 'web' } }));

// CPU: Maximum = (hour index + instance number) mod 100; Average = half of that. Memory only on even instances.
const metric = (id: string, name: string, stat: string, t: number) => {
  const n = Number(id.slice(-6));
  const h = Math.round((t - (END - 48 * H)) / H);
  if (name === 'mem_used_percent' && n % 2 === 1) return undefined;
  const max = (h + n) % 100;
  return stat === 'Maximum' ? max : max / 2;
};

describe('AWS collector through the real SDK clients and a local wire server', () => {
  it('pages DescribeInstances and packs GetMetricData to the limits, with the values the server sent', async () => {
    const s = await server({ instances: { 'us-east-1': fleet(2300) }, pageSize: 1000, metric });
    const out = await collectAwsScope({ cloud: 'aws', account: '111111111111', region: 'us-east-1' }, { startMs: END - 48 * H, endMs: END }, clients(s.url, 'us-east-1'));
    expect(out.scope).toMatchObject({ status: 'ok', instanceCount: 2300 });
    expect(out.calls['DescribeInstances']).toBe(3); // ⌈2300 / 1000⌉
    const running = out.instances.filter((i) => i.state === 'running').length;
    expect(running).toBe(2300 - Math.ceil(2300 / 7));
    // 4 queries per running instance (CPU and memory × Maximum and Average), 500 per call at 48 hourly points.
    expect(out.calls['GetMetricData']).toBe(Math.ceil((running * 4) / 500));
    const i = out.instances.find((x) => x.id.endsWith('000000000012'));
    expect(i).toMatchObject({ type: 'c5.xlarge', state: 'running', lifecycle: 'on-demand', name: 'web-12', zone: 'us-east-1a', tags: { team: 'web' } });
    expect(out.instances.find((x) => x.id.endsWith('000000000010'))?.lifecycle).toBe('spot');
    const cpu = out.series.find((x) => x.instanceId === i?.id && x.metric === 'cpu');
    expect(Array.from(cpu?.max.slice(0, 5) ?? [])).toEqual([12, 13, 14, 15, 16]);
    expect(Array.from(cpu?.mean.slice(0, 2) ?? [])).toEqual([6, 6.5]);
    expect(out.series.find((x) => x.instanceId.endsWith('000000000013') && x.metric === 'mem')).toBeUndefined();
  });

  it('opt-in 5-minute resolution: one Average per period, rolled up to the hourly mean and the largest 5-minute average', async () => {
    // A 5-minute CPU average of 10 %, except one 5-minute period at 70 % in every hour (minute 25).
    const fine = (id: string, name: string, stat: string, t: number) => {
      if (name === 'mem_used_percent') return stat === 'Average' ? 40 : undefined;
      if (stat !== 'Average') throw new Error(`unexpected statistic ${stat}`);
      return ((t - (END - 48 * H)) % H) / 60_000 === 25 ? 70 : 10;
    };
    const s = await server({ instances: { 'us-east-1': fleet(3) }, metric: fine });
    const out = await collectAwsScope({ cloud: 'aws', account: '1', region: 'us-east-1' }, { startMs: END - 48 * H, endMs: END }, clients(s.url, 'us-east-1'), { metricPeriodSeconds: 300 });
    const cpu = out.series.find((x) => x.metric === 'cpu');
    expect(cpu?.max.length).toBe(48);
    expect(Array.from(cpu?.max ?? []).every((v) => v === 70)).toBe(true);
    // (11 × 10 + 70) / 12 = 15
    expect(Array.from(cpu?.mean ?? []).every((v) => Math.abs(v - 15) < 1e-5)).toBe(true);
    expect(out.series.find((x) => x.metric === 'mem')?.mean[3]).toBe(40);
    // 2 queries per running instance (one statistic each for CPU and memory); 48 h × 12 points each fit in one call.
    const running = out.instances.filter((i) => i.state === 'running').length;
    expect(out.calls['GetMetricData']).toBe(Math.ceil((running * 2) / queriesPerCall(48 * 12)));
    expect(queriesPerCall(14 * 24 * 12)).toBe(25); // 25 × 4,032 = 100,800 datapoints
  });

  it('reads CloudWatch-agent GPU metrics per GPU: utilization averaged across GPUs, memory the largest per GPU', async () => {
    const gpuBox = { id: 'i-0gpu0000000000001', type: 'p4d.24xlarge' };
    const s = await server({
      instances: { 'us-east-1': [gpuBox, ...fleet(2)] },
      gpus: { [gpuBox.id]: 2 },
      metric: (id, name, stat, t, gpu) => {
        if (name === 'nvidia_smi_utilization_gpu') return gpu === '0' ? (stat === 'Maximum' ? 10 : 5) : stat === 'Maximum' ? 30 : 15;
        if (name === 'nvidia_smi_memory_used') return gpu === '0' ? 1000 : 30_000;
        return metric(id, name, stat, t);
      },
    });
    const out = await collectAwsScope({ cloud: 'aws', account: '1', region: 'us-east-1' }, { startMs: END - 48 * H, endMs: END }, clients(s.url, 'us-east-1'));
    const gpu = out.series.find((x) => x.instanceId === gpuBox.id && x.metric === 'gpu');
    expect(gpu?.max[0]).toBe(20); // (10 + 30) / 2
    expect(gpu?.mean[0]).toBe(10); // (5 + 15) / 2
    expect(out.series.find((x) => x.instanceId === gpuBox.id && x.metric === 'gpuMem')?.max[0]).toBe(30_000);
    expect(out.series.filter((x) => x.metric === 'gpu')).toHaveLength(1); // CPU-only instances get no GPU series
    expect(out.calls['ListMetrics']).toBe(2); // one per GPU metric name
  });

  it('never asks for more datapoints per call than CloudWatch allows', () => {
    expect(queriesPerCall(48)).toBe(500);
    expect(queriesPerCall(14 * 24)).toBe(300); // 300 × 336 = 100,800
    expect(queriesPerCall(14 * 24) * 14 * 24).toBeLessThanOrEqual(100_800);
  });

  it('follows GetMetricData NextToken across pages', async () => {
    const s = await server({ instances: { 'us-east-1': fleet(60) }, metric, metricPageSize: 70 });
    const out = await collectAwsScope({ cloud: 'aws', account: '1', region: 'us-east-1' }, { startMs: END - 48 * H, endMs: END }, clients(s.url, 'us-east-1'));
    const running = out.instances.filter((i) => i.state === 'running').length;
    expect(out.calls['GetMetricData']).toBe(Math.ceil((running * 4) / 70));
    expect(out.series.filter((x) => x.metric === 'cpu')).toHaveLength(running);
  });

  it('retries throttling and then succeeds', async () => {
    const s = await server({ instances: { 'us-east-1': fleet(5) }, metric, throttleFirst: { DescribeInstances: 1, GetMetricData: 1 } });
    const out = await collectAwsScope({ cloud: 'aws', account: '1', region: 'us-east-1' }, { startMs: END - 48 * H, endMs: END }, clients(s.url, 'us-east-1'));
    expect(out.scope.status).toBe('ok');
    expect(s.calls['DescribeInstances']).toBe(2);
    expect(s.calls['GetMetricData']).toBe(2);
    expect(out.series.length).toBeGreaterThan(0);
  });

  it('records a region answering 500 as a named failure and leaves other regions whole', async () => {
    const s = await server({ instances: { 'us-east-1': fleet(3), 'eu-west-1': fleet(3, 'i-e') }, metric, failingRegions: ['eu-west-1'] });
    const bad = await collectAwsScope({ cloud: 'aws', account: '1', region: 'eu-west-1' }, { startMs: END - 48 * H, endMs: END }, clients(s.url, 'eu-west-1'));
    const good = await collectAwsScope({ cloud: 'aws', account: '1', region: 'us-east-1' }, { startMs: END - 48 * H, endMs: END }, clients(s.url, 'us-east-1'));
    expect(bad.scope.status).toBe('error');
    expect(bad.scope.message).toContain('ec2:DescribeInstances');
    expect(bad.instances).toEqual([]);
    expect(good.scope).toMatchObject({ status: 'ok', instanceCount: 3 });
  });

  it('turns a malformed body into parse-error naming the path, not a crash', async () => {
    const s = await server({ instances: { 'us-east-1': fleet(3) }, metric, malformedRegions: ['us-east-1'] });
    const out = await collectAwsScope({ cloud: 'aws', account: '1', region: 'us-east-1' }, { startMs: END - 48 * H, endMs: END }, clients(s.url, 'us-east-1'));
    expect(out.scope.status).toBe('parse-error');
    expect(out.scope.message).toContain('InstanceType');
  });

  it('assumes the member-account role with the external id and collects with the assumed credentials', async () => {
    const s = await server({ instances: { 'eu-west-1': fleet(3) }, metric });
    const { awsCollector } = await import('../../src/collectors/aws/collector.js');
    const config = {
      enabled: true,
      accounts: [{ id: '222222222222' }],
      roleName: 'RightsizeReadOnly',
      externalIdEnv: 'TEST_EXTERNAL_ID',
      regions: ['eu-west-1'],
      metricPeriodSeconds: 3600 as const,
      endpoints: { ec2: s.url, cloudwatch: s.url, sts: s.url },
    };
    const previous = { id: process.env['AWS_ACCESS_KEY_ID'], secret: process.env['AWS_SECRET_ACCESS_KEY'] };
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDBASECREDENTIAL', AWS_SECRET_ACCESS_KEY: 'base-secret' });
    try {
      const collector = await awsCollector(config, { TEST_EXTERNAL_ID: 'ext-id-0123456789abcdef' });
      const scopes = await collector.scopes();
      expect(scopes).toEqual([{ cloud: 'aws', account: '222222222222', region: 'eu-west-1' }]);
      const out = await collector.collect(scopes[0]!, { startMs: END - 48 * H, endMs: END });
      expect(out.scope).toMatchObject({ status: 'ok', instanceCount: 3 });
    } finally {
      for (const [k, v] of [['AWS_ACCESS_KEY_ID', previous.id], ['AWS_SECRET_ACCESS_KEY', previous.secret]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
    expect(s.assumeRoles).toEqual([{ roleArn: 'arn:aws:iam::222222222222:role/RightsizeReadOnly', externalId: 'ext-id-0123456789abcdef', sessionName: 'rightsize-collect' }]);
    // The base credentials only ever call STS; inventory and metrics are read as the member-account role.
    expect([...(s.accessKeys['AssumeRole'] ?? [])]).toEqual(['AKIDBASECREDENTIAL']);
    expect([...(s.accessKeys['DescribeInstances'] ?? [])]).toEqual(['ASIA222222222222']);
    expect([...(s.accessKeys['GetMetricData'] ?? [])]).toEqual(['ASIA222222222222']);
  });

  it('describes types the catalog lacks with DescribeInstanceTypes and carries them, GPUs named by model', async () => {
    const instances: FakeInstance[] = [
      { id: 'i-0000000000000001', type: 'm5.large' },
      { id: 'i-0000000000000002', type: 'm9z.large' },
      { id: 'i-0000000000000003', type: 'p9z.48xlarge' },
      { id: 'i-0000000000000004', type: 'm9z.large' },
    ];
    const s = await server({
      instances: { 'us-east-1': instances },
      metric,
      describedTypes: { 'm9z.large': { vcpu: 2, memoryMiB: 8192 }, 'p9z.48xlarge': { vcpu: 192, memoryMiB: 2_097_152, gpu: { name: 'H100', count: 8, memoryMiB: 81_920 } } },
    });
    const { loadCatalog } = await import('../../src/catalog/load.js');
    const catalog = loadCatalog();
    const out = await collectAwsScope({ cloud: 'aws', account: '1', region: 'us-east-1' }, { startMs: END - 48 * H, endMs: END }, clients(s.url, 'us-east-1'), { isKnownType: (t) => catalog.type('aws', t) !== undefined });
    expect(out.calls['DescribeInstanceTypes']).toBe(1); // only the two unknown names, in one call
    expect(out.scope.status).toBe('ok');
    expect(out.types).toEqual([
      { cloud: 'aws', name: 'm9z.large', family: 'm9z', generation: 9, vcpu: 2, memoryGiB: 8, arch: 'x86_64', burstable: false, currentGeneration: true, networkGbps: 12.5 },
      { cloud: 'aws', name: 'p9z.48xlarge', family: 'p9z', generation: 9, vcpu: 192, memoryGiB: 2048, arch: 'x86_64', burstable: false, currentGeneration: true, gpu: { count: 8, model: 'h100-80gb', memoryGiBPerGpu: 80 }, networkGbps: 12.5 },
    ]);
    // The engine's catalog gains them for this snapshot only.
    const { withExtraTypes } = await import('../../src/catalog/extend.js');
    const extended = withExtraTypes(catalog, out.types);
    expect(extended.type('aws', 'p9z.48xlarge')?.gpu?.model).toBe('h100-80gb');
    expect(extended.type('aws', 'm5.large')).toBe(catalog.type('aws', 'm5.large'));
    expect(catalog.type('aws', 'm9z.large')).toBeUndefined();
  });

  it('keeps the inventory and names the types left unknown when DescribeInstanceTypes fails', async () => {
    const s = await server({ instances: { 'us-east-1': [{ id: 'i-0000000000000009', type: 'zz9.huge' }] }, metric, describedTypes: {} });
    const out = await collectAwsScope({ cloud: 'aws', account: '1', region: 'us-east-1' }, { startMs: END - 48 * H, endMs: END }, clients(s.url, 'us-east-1'), { isKnownType: () => false });
    expect(out.scope).toMatchObject({ status: 'ok', instanceCount: 1 });
    expect(out.scope.message).toContain('zz9.huge stay unknown');
    expect(out.types).toBeUndefined();
  });

  it('collects active Linux reserved instances with their effective hourly rate', async () => {
    const THREE_YEARS_S = 94_608_000;
    const s = await server({
      instances: { 'us-east-1': fleet(2) },
      metric,
      reservedInstances: {
        'us-east-1': [
          { id: 'ri-all-upfront', type: 'm5.large', count: 3, fixedUsd: 1226, durationS: THREE_YEARS_S },
          { id: 'ri-no-upfront', type: 'c5.xlarge', count: 1, fixedUsd: 0, hourlyRecurringUsd: 0.107, durationS: THREE_YEARS_S / 3 },
          { id: 'ri-windows', type: 'm5.large', count: 1, fixedUsd: 2000, durationS: THREE_YEARS_S, product: 'Windows' },
        ],
      },
    });
    const out = await collectAwsScope({ cloud: 'aws', account: '1', region: 'us-east-1' }, { startMs: END - 48 * H, endMs: END }, clients(s.url, 'us-east-1'));
    expect(out.calls['DescribeReservedInstances']).toBe(1);
    expect(out.commitments?.map((c) => [c.id, c.instanceType, c.count])).toEqual([['ri-all-upfront', 'm5.large', 3], ['ri-no-upfront', 'c5.xlarge', 1]]);
    expect(out.commitments?.[0]?.effectiveHourlyUsd).toBeCloseTo(1226 / 26_280, 12);
    expect(out.commitments?.[1]?.effectiveHourlyUsd).toBeCloseTo(0.107, 12);
    expect(out.commitments?.[0]).toMatchObject({ scope: 'Region', offeringClass: 'standard', endsAt: '2029-01-01T00:00:00.000Z' });
  });
});
