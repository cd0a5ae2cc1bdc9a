/**
 * `npm run bench -- collect [--instances N] [--latency MS]`: one AWS account with 10,000 instances over 17 regions,
 * served by the local wire-protocol server with injected latency, collected through the real SDK clients over a
 * 14-day window. Prints API calls per operation against the theoretical minimum (1,000 instances per
 * DescribeInstances page; GetMetricData at 500 queries per call, or fewer where the 100,800-datapoint limit binds),
 * and the wall time.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EC2Client } from '@aws-sdk/client-ec2';
import { collectAwsScope, queriesPerCall } from '../src/collectors/aws/collect.js';
import type { CloudCollector } from '../src/collectors/run.js';
import { collectAll } from '../src/collectors/run.js';
import { startAwsWireServer } from '../test/helpers/aws-wire-server.js';

const REGIONS = ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-north-1', 'ap-south-1', 'ap-southeast-1', 'ap-southeast-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'sa-east-1'];

export async function run(args: string[]): Promise<Record<string, number | string>> {
  const arg = (name: string, dflt: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
  const total = arg('--instances', 10_000);
  const latencyMs = arg('--latency', 20);
  const nowMs = Date.UTC(2026, 10, 20, 0);
  const instances: Record<string, { id: string; type: string; state?: string }[]> = {};
  // Uneven spread, as real fleets are: us-east-1 holds a third.
  REGIONS.forEach((r, k) => (instances[r] = []));
  for (let n = 0; n < total; n++) {
    const region = n % 3 === 0 ? 'us-east-1' : (REGIONS[n % REGIONS.length] as string);
    instances[region]?.push({ id: `i-${n.toString(16).padStart(17, '0')}`, type: 'm5.large', ...(n % 20 === 0 ? { state: 'stopped' } : {}) });
  }
  // Sparse datapoints keep the bench about call counts, not JSON volume; the limits are computed for full series.
  const server = await startAwsWireServer({ instances, latencyMs, metric: (_i, _m, _s, t) => ((t / 3_600_000) % 24 === 0 ? 10 : undefined) });
  const credentials = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench' };
  const collector: CloudCollector = {
    cloud: 'aws',
    scopes: async () => REGIONS.map((region) => ({ cloud: 'aws' as const, account: '111111111111', region })),
    collect: (scope, window) =>
      collectAwsScope(scope, window, {
        ec2: new EC2Client({ endpoint: server.url, region: scope.region, credentials }),
        cloudwatch: new CloudWatchClient({ endpoint: server.url, region: scope.region, credentials }),
      }),
  };
  const started = performance.now();
  const snapshot = await collectAll({ nowMs, lookbackDays: 14, collectors: [collector], concurrency: 8 });
  const wallS = (performance.now() - started) / 1000;
  await server.close();

  const hours = 14 * 24;
  const perCall = queriesPerCall(hours);
  let minDescribe = 0;
  let minMetric = 0;
  let minMetricAt500 = 0;
  for (const r of REGIONS) {
    const list = instances[r] ?? [];
    minDescribe += Math.ceil(list.length / 1000);
    const queries = list.filter((i) => i.state !== 'stopped').length * 4;
    minMetric += Math.ceil(queries / perCall);
    minMetricAt500 += Math.ceil(queries / 500);
  }
  const describe = server.calls['DescribeInstances'] ?? 0;
  const metric = server.calls['GetMetricData'] ?? 0;
  const figures = {
    instances: snapshot.instances.length,
    regions: REGIONS.length,
    latencyMs,
    wallSeconds: Math.round(wallS * 100) / 100,
    describeInstancesCalls: describe,
    describeInstancesMinimum: minDescribe,
    describeInstancesRatio: Math.round((describe / minDescribe) * 100) / 100,
    getMetricDataCalls: metric,
    getMetricDataMinimum: minMetric,
    getMetricDataMinimumAt500Queries: minMetricAt500,
    queriesPerCall: perCall,
    getMetricDataRatio: Math.round((metric / minMetric) * 100) / 100,
    listMetricsCalls: server.calls['ListMetrics'] ?? 0,
    scopesOk: snapshot.scopes.filter((s) => s.status === 'ok').length,
  };
  console.log(`collect: ${total.toLocaleString('en-US')} instances, ${REGIONS.length} regions, ${latencyMs} ms injected latency, 14-day window`);
  console.log(`  DescribeInstances  ${describe} calls (minimum ${minDescribe} at 1,000 per page) → ${figures.describeInstancesRatio}×`);
  console.log(`  GetMetricData      ${metric} calls (minimum ${minMetric} at ${perCall} queries per call: 100,800 datapoints ÷ ${hours} h; ${minMetricAt500} if only the 500-query limit applied) → ${figures.getMetricDataRatio}×`);
  console.log(`  ListMetrics        ${figures.listMetricsCalls} calls (one per GPU metric name per region, to find GPU dimensions)`);
  console.log(`  wall time          ${figures.wallSeconds} s, ${figures.scopesOk}/${REGIONS.length} scopes ok`);
  return figures;
}
