import type { Cloud } from '../domain/cloud.js';

/**
 * The demo fleet's fixed layout: accounts, regions and the instance-type mix per cloud.
 * This is generator configuration (weights), not catalog data: prices and specs come from the catalog.
 * Every type name here must exist in the bundled catalog with an on-demand price in the regions listed
 * (test/demo/catalog-coverage.test.ts checks that once the catalog loads).
 */

export interface DemoAccount {
  id: string;
  /** Human label used in names and resource groups. */
  label: string;
  regions: readonly string[];
}

/** AWS accounts, GCP projects, Azure subscriptions. Fixed (not seeded) so docs and the README can name them. */
export const DEMO_ACCOUNTS: Record<Cloud, readonly DemoAccount[]> = {
  aws: [
    { id: '314159265358', label: 'prod', regions: ['us-east-1', 'us-west-2', 'eu-west-1'] },
    { id: '271828182845', label: 'ml', regions: ['us-east-1', 'us-west-2'] },
    { id: '161803398874', label: 'staging', regions: ['us-east-1', 'eu-west-1'] },
  ],
  gcp: [
    { id: 'acme-web-prod', label: 'web', regions: ['us-central1', 'europe-west4', 'asia-southeast1'] },
    { id: 'acme-ml-training', label: 'ml', regions: ['us-central1', 'europe-west4'] },
    { id: 'acme-data-staging', label: 'data', regions: ['us-central1', 'asia-southeast1'] },
  ],
  azure: [
    { id: '8f2c1a3e-5b7d-4e21-9c6a-0d3b4f5a6e71', label: 'prod', regions: ['eastus', 'westeurope', 'southeastasia'] },
    { id: 'c4d9e2b1-7a35-4f08-b6e3-92a1d0c5f4b8', label: 'ml', regions: ['eastus', 'westeurope'] },
  ],
};

/** Share of the fleet per cloud. */
export const CLOUD_WEIGHTS: readonly (readonly [Cloud, number])[] = [
  ['aws', 0.5],
  ['gcp', 0.25],
  ['azure', 0.25],
];

/** General-purpose, compute and memory families across generations (old ones make modernize candidates). */
export const CPU_TYPES: Record<Cloud, readonly (readonly [string, number])[]> = {
  aws: [
    ...sizes(['m4.large', 'm4.xlarge', 'm4.2xlarge', 'm4.4xlarge'], 1),
    ...sizes(['m5.large', 'm5.xlarge', 'm5.2xlarge', 'm5.4xlarge', 'm5.8xlarge'], 4),
    ...sizes(['m6i.large', 'm6i.xlarge', 'm6i.2xlarge', 'm6i.4xlarge', 'm6i.8xlarge'], 3),
    ...sizes(['m7i.large', 'm7i.xlarge', 'm7i.2xlarge', 'm7i.4xlarge'], 1.5),
    ...sizes(['m6a.large', 'm6a.xlarge', 'm6a.2xlarge', 'm6a.4xlarge'], 1),
    ...sizes(['m6g.large', 'm6g.xlarge', 'm6g.2xlarge'], 0.7),
    ...sizes(['c5.large', 'c5.xlarge', 'c5.2xlarge', 'c5.4xlarge'], 2),
    ...sizes(['c6i.large', 'c6i.xlarge', 'c6i.2xlarge', 'c6i.4xlarge', 'c6i.8xlarge'], 1.5),
    ...sizes(['c7i.large', 'c7i.xlarge', 'c7i.2xlarge'], 0.8),
    ...sizes(['r5.large', 'r5.xlarge', 'r5.2xlarge', 'r5.4xlarge', 'r5.8xlarge'], 2),
    ...sizes(['r6i.large', 'r6i.xlarge', 'r6i.2xlarge', 'r6i.4xlarge'], 1.2),
    ...sizes(['r7i.xlarge', 'r7i.2xlarge'], 0.5),
  ],
  gcp: [
    ...sizes(['n1-standard-2', 'n1-standard-4', 'n1-standard-8', 'n1-standard-16'], 2),
    ...sizes(['n1-highmem-4', 'n1-highmem-8'], 0.8),
    ...sizes(['n2-standard-2', 'n2-standard-4', 'n2-standard-8', 'n2-standard-16', 'n2-standard-32'], 3),
    ...sizes(['n2-highmem-4', 'n2-highmem-8', 'n2-highmem-16'], 1.2),
    ...sizes(['n2-highcpu-8', 'n2-highcpu-16'], 0.8),
    ...sizes(['n2d-standard-4', 'n2d-standard-8', 'n2d-standard-16'], 1.2),
    ...sizes(['e2-standard-2', 'e2-standard-4', 'e2-standard-8', 'e2-standard-16'], 2),
    ...sizes(['e2-highmem-4', 'e2-highmem-8'], 0.6),
  ],
  azure: [
    ...sizes(['Standard_D2s_v3', 'Standard_D4s_v3', 'Standard_D8s_v3', 'Standard_D16s_v3'], 2),
    ...sizes(['Standard_D2s_v4', 'Standard_D4s_v4', 'Standard_D8s_v4', 'Standard_D16s_v4'], 1.2),
    ...sizes(['Standard_D2s_v5', 'Standard_D4s_v5', 'Standard_D8s_v5', 'Standard_D16s_v5', 'Standard_D32s_v5'], 3),
    ...sizes(['Standard_D4as_v5', 'Standard_D8as_v5', 'Standard_D16as_v5'], 1),
    ...sizes(['Standard_E4s_v3', 'Standard_E8s_v3', 'Standard_E16s_v3'], 1),
    ...sizes(['Standard_E4s_v5', 'Standard_E8s_v5', 'Standard_E16s_v5'], 1),
    ...sizes(['Standard_F4s_v2', 'Standard_F8s_v2', 'Standard_F16s_v2'], 1),
  ],
};

/** A GPU type as the demo needs it: how many GPUs, memory per GPU (to scale the trace's GPU memory), where it is offered. */
export interface DemoGpuType {
  name: string;
  gpuCount: number;
  gpuMemGiB: number;
  /** Relative frequency among this cloud's GPU boxes. */
  weight: number;
  /** Regions (of this cloud's demo regions) where the type is offered. */
  regions: readonly string[];
  /** Training nodes (8-GPU boxes) are where the few busy GPUs are. */
  training: boolean;
}

export const GPU_TYPES: Record<Cloud, readonly DemoGpuType[]> = {
  aws: [
    { name: 'g4dn.xlarge', gpuCount: 1, gpuMemGiB: 16, weight: 4, regions: ['us-east-1', 'us-west-2', 'eu-west-1'], training: false },
    { name: 'g5.xlarge', gpuCount: 1, gpuMemGiB: 24, weight: 3, regions: ['us-east-1', 'us-west-2', 'eu-west-1'], training: false },
    { name: 'g5.2xlarge', gpuCount: 1, gpuMemGiB: 24, weight: 2, regions: ['us-east-1', 'us-west-2', 'eu-west-1'], training: false },
    { name: 'g6.xlarge', gpuCount: 1, gpuMemGiB: 24, weight: 2, regions: ['us-east-1'], training: false },
    { name: 'p3.2xlarge', gpuCount: 1, gpuMemGiB: 16, weight: 1, regions: ['us-east-1', 'us-west-2', 'eu-west-1'], training: false },
    { name: 'p4d.24xlarge', gpuCount: 8, gpuMemGiB: 40, weight: 1, regions: ['us-east-1', 'eu-west-1'], training: true },
    { name: 'p5.48xlarge', gpuCount: 8, gpuMemGiB: 80, weight: 0.6, regions: ['us-east-1'], training: true },
  ],
  gcp: [
    { name: 'g2-standard-4', gpuCount: 1, gpuMemGiB: 24, weight: 3, regions: ['us-central1', 'europe-west4', 'asia-southeast1'], training: false },
    { name: 'n1-standard-8+nvidia-tesla-t4x1', gpuCount: 1, gpuMemGiB: 16, weight: 3, regions: ['us-central1', 'europe-west4', 'asia-southeast1'], training: false },
    { name: 'a2-highgpu-1g', gpuCount: 1, gpuMemGiB: 40, weight: 1.5, regions: ['us-central1', 'europe-west4'], training: false },
    { name: 'a2-highgpu-8g', gpuCount: 8, gpuMemGiB: 40, weight: 0.8, regions: ['us-central1', 'europe-west4'], training: true },
    { name: 'a3-highgpu-8g', gpuCount: 8, gpuMemGiB: 80, weight: 0.5, regions: ['us-central1', 'europe-west4'], training: true },
  ],
  azure: [
    { name: 'Standard_NC4as_T4_v3', gpuCount: 1, gpuMemGiB: 16, weight: 4, regions: ['eastus', 'westeurope', 'southeastasia'], training: false },
    { name: 'Standard_NV36ads_A10_v5', gpuCount: 1, gpuMemGiB: 24, weight: 2, regions: ['eastus', 'westeurope'], training: false },
    { name: 'Standard_NC24ads_A100_v4', gpuCount: 1, gpuMemGiB: 80, weight: 1.2, regions: ['eastus', 'westeurope'], training: false },
    { name: 'Standard_ND96isr_H100_v5', gpuCount: 8, gpuMemGiB: 80, weight: 0.5, regions: ['eastus'], training: true },
  ],
};

/** Teams and the apps they run: the source of names and tags. */
export const TEAMS: readonly { team: string; apps: readonly string[]; batch: boolean }[] = [
  { team: 'web', apps: ['storefront', 'checkout', 'cart', 'search-api', 'images'], batch: false },
  { team: 'payments', apps: ['ledger', 'payouts', 'fraud-score'], batch: false },
  { team: 'platform', apps: ['gateway', 'auth', 'kafka', 'redis', 'ci-runner'], batch: false },
  { team: 'data', apps: ['etl', 'spark-worker', 'airflow', 'warehouse-loader'], batch: true },
  { team: 'ml', apps: ['feature-store', 'recs-train', 'embedder', 'llm-serve'], batch: true },
];

export const ENVS: readonly (readonly ['prod' | 'staging' | 'dev', number])[] = [
  ['prod', 0.6],
  ['staging', 0.25],
  ['dev', 0.15],
];

function sizes(names: readonly string[], familyWeight: number): [string, number][] {
  // Smaller sizes are more common in real fleets: weight falls off with size index.
  const fall = [3, 4, 3, 2, 1];
  const total = names.reduce((s, _, i) => s + (fall[i] ?? 1), 0);
  return names.map((n, i) => [n, (familyWeight * (fall[i] ?? 1)) / total]);
}

/**
 * Every (type, region) the generator can emit for a cloud: CPU types in every region of the cloud's accounts,
 * GPU types in their listed regions. Showcase instances (showcase.ts) add their own fixed pairs.
 */
export function demoTypeRegions(cloud: Cloud): { type: string; region: string }[] {
  const regions = [...new Set(DEMO_ACCOUNTS[cloud].flatMap((a) => a.regions))];
  return [
    ...CPU_TYPES[cloud].flatMap(([type]) => regions.map((region) => ({ type, region }))),
    ...GPU_TYPES[cloud].flatMap((g) => g.regions.map((region) => ({ type: g.name, region }))),
  ];
}
