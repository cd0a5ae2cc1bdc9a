import type { Cloud } from '../domain/cloud.js';
import { INTERRUPTIBLE_TAG } from '../domain/instance.js';
import type { Profile } from './profiles.js';

/**
 * Fixed instances present in every demo fleet, so the demo always shows each recommendation kind.
 * Their identity does not depend on the seed; their series are pinned by percentile (the shape around
 * the pinned percentile comes from the traces and the seed). Documented in data/demo/README.md.
 */
export interface ShowcaseSpec {
  key: string;
  /** The recommendation kind (or skip) the engine should produce. */
  expect: string;
  cloud: Cloud;
  account: string;
  region: string;
  zone: string;
  id: string;
  name: string;
  type: string;
  tags: Record<string, string>;
  /** Days before the window end (fractions allowed: 10 h = 10/24). */
  launchedDaysAgo: number;
  profile: Profile;
  /** Hour indexes [start, end) with no data, for the gap showcase. */
  gapHours?: readonly (readonly [number, number])[];
}

const AWS_PROD = '314159265358';
const AWS_ML = '271828182845';
const GCP_WEB = 'acme-web-prod';
const AZ_PROD = '8f2c1a3e-5b7d-4e21-9c6a-0d3b4f5a6e71';
const AZ_ML = 'c4d9e2b1-7a35-4f08-b6e3-92a1d0c5f4b8';
const azureId = (sub: string, rg: string, name: string) => `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Compute/virtualMachines/${name}`;
const steady = (p95Pct: number) => ({ kind: 'steady' as const, amp: 0, p95Pct });
const cycle = (p95Pct: number, amp = 0.3) => ({ kind: 'cycle' as const, amp, p95Pct });

export const SHOWCASE: readonly ShowcaseSpec[] = [
  {
    key: 'downsize', expect: 'downsize', cloud: 'aws', account: AWS_PROD, region: 'us-east-1', zone: 'us-east-1a',
    id: 'i-0c0ffee0000000001', name: 'showcase-api-oversized', type: 'm5.2xlarge',
    tags: { team: 'web', env: 'prod', app: 'search-api', showcase: 'downsize' }, launchedDaysAgo: 400,
    profile: { archetype: 'steady-low', cpu: steady(12), memPeakPct: 20 },
  },
  {
    key: 'gpu-underused', expect: 'gpu-fewer or gpu-model', cloud: 'aws', account: AWS_ML, region: 'us-east-1', zone: 'us-east-1b',
    id: 'i-0c0ffee0000000002', name: 'showcase-train-a100', type: 'p4d.24xlarge',
    tags: { team: 'ml', env: 'prod', app: 'recs-train', showcase: 'gpu-underused' }, launchedDaysAgo: 120,
    profile: { archetype: 'gpu-trace', cpu: steady(15), memPeakPct: 25, gpu: { kind: 'trace', pod: 0, utilScale: 1, memPeakGiB: 30, utilP95Pct: 9 } },
  },
  {
    key: 'idle', expect: 'idle', cloud: 'gcp', account: GCP_WEB, region: 'europe-west4', zone: 'europe-west4-a',
    id: '7000000000000000001', name: 'showcase-forgotten-vm', type: 'n2-standard-8',
    tags: { team: 'platform', env: 'dev', app: 'ci-runner', showcase: 'idle' }, launchedDaysAgo: 200,
    profile: { archetype: 'idle', cpu: steady(1), memPeakPct: 8 },
  },
  {
    key: 'saturated', expect: 'upsize', cloud: 'azure', account: AZ_PROD, region: 'eastus', zone: 'eastus-1',
    id: azureId(AZ_PROD, 'rg-payments-prod', 'vm-showcase-saturated'), name: 'vm-showcase-saturated', type: 'Standard_D4s_v5',
    tags: { team: 'payments', env: 'prod', app: 'fraud-score', showcase: 'saturated' }, launchedDaysAgo: 300,
    profile: { archetype: 'saturated', cpu: cycle(98), memPeakPct: 70 },
  },
  {
    key: 'old-generation', expect: 'modernize', cloud: 'aws', account: AWS_PROD, region: 'us-west-2', zone: 'us-west-2a',
    id: 'i-0c0ffee0000000003', name: 'showcase-legacy-m4', type: 'm4.xlarge',
    tags: { team: 'payments', env: 'prod', app: 'ledger', showcase: 'modernize' }, launchedDaysAgo: 1500,
    profile: { archetype: 'well-sized', cpu: cycle(55, 0.25), memPeakPct: 60 },
  },
  {
    key: 'gpu-unused', expect: 'gpu-to-cpu', cloud: 'azure', account: AZ_ML, region: 'westeurope', zone: 'westeurope-2',
    id: azureId(AZ_ML, 'rg-ml-prod', 'vm-showcase-t4-unused'), name: 'vm-showcase-t4-unused', type: 'Standard_NC4as_T4_v3',
    tags: { team: 'ml', env: 'prod', app: 'feature-store', showcase: 'gpu-to-cpu' }, launchedDaysAgo: 90,
    profile: { archetype: 'gpu-unused', cpu: cycle(35), memPeakPct: 45, gpu: { kind: 'unused', pod: 0, utilScale: 0, memPeakGiB: 0 } },
  },
  {
    key: 'gpu-busy', expect: 'no recommendation (well used)', cloud: 'gcp', account: 'acme-ml-training', region: 'us-central1', zone: 'us-central1-a',
    id: '7000000000000000003', name: 'showcase-train-h100', type: 'a3-highgpu-8g',
    tags: { team: 'ml', env: 'prod', app: 'recs-train', showcase: 'gpu-busy' }, launchedDaysAgo: 45,
    profile: { archetype: 'gpu-busy', cpu: cycle(60, 0.2), memPeakPct: 55, gpu: { kind: 'busy', pod: 2, utilScale: 1, memPeakGiB: 72 } },
  },
  {
    key: 'gpu-fewer', expect: 'gpu-fewer', cloud: 'aws', account: AWS_ML, region: 'us-east-1', zone: 'us-east-1c',
    id: 'i-0c0ffee0000000005', name: 'showcase-serve-h100', type: 'p5.48xlarge',
    tags: { team: 'ml', env: 'prod', app: 'llm-serve', showcase: 'gpu-fewer' }, launchedDaysAgo: 60,
    // 8 × H100 at p95 9 % is 8 × 0.09 × 3.17 = 2.3 A100-equivalents, and a 60 GiB peak per GPU rules out every
    // smaller-memory model: one H100 (p5.4xlarge) carries it at 90 % of its 80 % target.
    profile: { archetype: 'gpu-trace', cpu: steady(3), memPeakPct: 8, gpu: { kind: 'trace', pod: 1, utilScale: 1, memPeakGiB: 60, utilP95Pct: 9 } },
  },
  {
    key: 'new', expect: 'skip: insufficient-data', cloud: 'gcp', account: GCP_WEB, region: 'us-central1', zone: 'us-central1-b',
    id: '7000000000000000002', name: 'showcase-just-launched', type: 'e2-standard-4',
    tags: { team: 'web', env: 'prod', app: 'storefront', showcase: 'insufficient-data' }, launchedDaysAgo: 10 / 24,
    profile: { archetype: 'web-cycle', cpu: cycle(40), memPeakPct: 50 },
  },
  {
    key: 'gappy-batch', expect: 'downsize (memory not measured, 18 h of gaps)', cloud: 'aws', account: AWS_PROD, region: 'eu-west-1', zone: 'eu-west-1c',
    id: 'i-0c0ffee0000000004', name: 'showcase-batch-gaps', type: 'c5.2xlarge',
    tags: { team: 'data', env: 'prod', app: 'etl', showcase: 'gaps', [INTERRUPTIBLE_TAG]: 'true' }, launchedDaysAgo: 60,
    profile: { archetype: 'steady-low', cpu: steady(18), memPeakPct: null },
    gapHours: [[100, 106], [200, 212]],
  },
];
