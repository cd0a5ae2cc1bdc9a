/**
 * `npm run bench -- engine [--instances N]`: a generated fleet (default 100,000 instances × 14 days hourly CPU and
 * memory, 10 % also GPU utilization and GPU memory) through the whole engine — recommendations, backtests,
 * cross-cloud alternatives, purchase plans — streamed one instance at a time, against a bare pass that only
 * generates and sums the same arrays. Prints instances/s, wall time, peak RSS and the ratio to the bare pass.
 */
import { loadCatalog } from '../src/catalog/load.js';
import type { Cloud } from '../src/domain/cloud.js';
import type { Instance } from '../src/domain/instance.js';
import type { SnapshotMeta } from '../src/domain/snapshot.js';
import type { UtilizationSeries } from '../src/domain/utilization.js';
import { analyzeSnapshot } from '../src/engine/analyze.js';
import { mulberry32 } from '../src/demo/prng.js';
import { defaultEngineSettings } from '../src/engine/settings.js';

const HOURS = 14 * 24;
const END_MS = Date.UTC(2026, 10, 16);
const START_MS = END_MS - HOURS * 3_600_000;

const CPU_TYPES: Record<Cloud, [string, string[]][]> = {
  aws: [['m5.xlarge', ['us-east-1', 'eu-west-1']], ['m5.2xlarge', ['us-east-1']], ['c5.2xlarge', ['us-west-2']], ['r5.xlarge', ['eu-west-1']], ['m6i.4xlarge', ['us-east-1']]],
  gcp: [['n2-standard-8', ['us-central1', 'europe-west4']], ['e2-standard-4', ['us-central1']], ['n1-standard-8', ['asia-southeast1']]],
  azure: [['Standard_D8s_v5', ['eastus', 'westeurope']], ['Standard_D4s_v3', ['eastus']], ['Standard_E8s_v5', ['southeastasia']]],
};
const GPU_TYPES: [Cloud, string, string][] = [['aws', 'g5.xlarge', 'us-east-1'], ['aws', 'p4d.24xlarge', 'us-east-1'], ['gcp', 'g2-standard-4', 'us-central1'], ['azure', 'Standard_NC4as_T4_v3', 'eastus']];


function makeInstances(count: number): Instance[] {
  const rnd = mulberry32(42);
  const clouds: Cloud[] = ['aws', 'aws', 'gcp', 'azure'];
  const out: Instance[] = [];
  for (let n = 0; n < count; n++) {
    let cloud: Cloud;
    let type: string;
    let region: string;
    if (n % 10 === 0) {
      [cloud, type, region] = GPU_TYPES[Math.floor(rnd() * GPU_TYPES.length)] as [Cloud, string, string];
    } else {
      cloud = clouds[Math.floor(rnd() * clouds.length)] as Cloud;
      const [t, regions] = CPU_TYPES[cloud][Math.floor(rnd() * CPU_TYPES[cloud].length)] as [string, string[]];
      type = t;
      region = regions[Math.floor(rnd() * regions.length)] as string;
    }
    out.push({ id: `i-${String(n).padStart(8, '0')}`, cloud, account: `acct-${n % 50}`, region, type, state: 'running', lifecycle: n % 9 === 0 ? 'spot' : 'on-demand', os: 'linux', tags: n % 13 === 0 ? { 'rightsize:interruptible': 'true' } : {}, launchedAt: '2026-01-01T00:00:00Z' });
  }
  return out;
}

/** Series for one instance, generated on demand from its index so the whole fleet is never in memory. */
function seriesFor(instance: Instance, n: number): UtilizationSeries[] {
  const rnd = mulberry32(n + 1);
  const level = 2 + rnd() * 70;
  const swing = rnd() * 25;
  const metrics: UtilizationSeries[] = [];
  const make = (metric: UtilizationSeries['metric'], f: (h: number) => number) => {
    const max = new Float32Array(HOURS);
    const mean = new Float32Array(HOURS);
    for (let h = 0; h < HOURS; h++) {
      const v = f(h);
      max[h] = v;
      mean[h] = v * 0.7;
    }
    metrics.push({ instanceId: instance.id, metric, startMs: START_MS, max, mean });
  };
  make('cpu', (h) => Math.min(100, Math.max(0, level + swing * Math.sin((h / 24) * 2 * Math.PI) + rnd() * 8)));
  make('mem', () => 20 + rnd() * 40);
  if (n % 10 === 0) {
    const gpuLevel = rnd() < 0.7 ? rnd() * 10 : 40 + rnd() * 50;
    make('gpu', () => Math.min(100, gpuLevel * rnd() * 1.5));
    make('gpuMem', () => 2048 + rnd() * 20000);
  }
  return metrics;
}

function* stream(instances: Instance[]) {
  for (let n = 0; n < instances.length; n++) {
    const instance = instances[n] as Instance;
    yield { instanceId: instance.id, series: seriesFor(instance, n) };
  }
}

export async function run(args: string[]): Promise<Record<string, number | string>> {
  const countArg = args.indexOf('--instances');
  const count = countArg >= 0 ? Number(args[countArg + 1]) : 100_000;
  const catalog = loadCatalog();
  const settings = defaultEngineSettings();
  const instances = makeInstances(count);
  const meta: SnapshotMeta = { id: 'bench', source: 'import', startedAt: new Date(END_MS).toISOString(), finishedAt: new Date(END_MS).toISOString(), windowStartMs: START_MS, windowEndMs: END_MS, scopes: [], instanceCount: count };

  // Bare pass: generate the same arrays and touch every value.
  const bareStart = performance.now();
  let checksum = 0;
  for (const g of stream(instances)) for (const s of g.series) for (let h = 0; h < s.max.length; h++) checksum += s.max[h] as number;
  const bareMs = performance.now() - bareStart;

  const start = performance.now();
  const results = await analyzeSnapshot({ meta, instances, seriesByInstance: stream(instances), catalog, settings, nowMs: END_MS });
  const wallMs = performance.now() - start;
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  const figures = {
    instances: count,
    wallSeconds: Math.round(wallMs) / 1000,
    instancesPerSecond: Math.round(count / (wallMs / 1000)),
    barePassSeconds: Math.round(bareMs) / 1000,
    ratioToBarePass: Math.round((wallMs / bareMs) * 10) / 10,
    peakRssMiB: Math.round(peakRssMiB),
    recommendations: results.recommendations.length,
    skips: results.skips.length,
    plans: results.plans.length,
  };
  console.log(`engine: ${count.toLocaleString('en-US')} instances × ${HOURS} h (CPU, memory; 10 % GPU + GPU memory)`);
  console.log(`  wall time        ${figures.wallSeconds.toFixed(2)} s  (${figures.instancesPerSecond.toLocaleString('en-US')} instances/s)`);
  console.log(`  bare pass        ${figures.barePassSeconds.toFixed(2)} s  → engine is ${figures.ratioToBarePass}× the bare pass (checksum ${Math.round(checksum) % 1000})`);
  console.log(`  peak RSS         ${figures.peakRssMiB} MiB`);
  console.log(`  output           ${figures.recommendations.toLocaleString('en-US')} recommendations, ${figures.skips.toLocaleString('en-US')} skips, ${figures.plans} purchase plans`);
  return figures;
}
