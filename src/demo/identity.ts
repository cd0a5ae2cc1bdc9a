import type { Cloud } from '../domain/cloud.js';
import type { Rng } from './prng.js';

/** Realistic-looking ids per cloud. */
export const INSTANCE_ID: Record<Cloud, (rng: Rng, account: string, resourceGroup: string, name: string) => string> = {
  // EC2: `i-` + 17 hex digits, the long-id format starts with 0.
  aws: (rng) => `i-0${rng.hex(16)}`,
  // GCE: an unsigned 64-bit integer, 19 digits in practice.
  gcp: (rng) => `${rng.int(1, 9)}${rng.digits(18)}`,
  // Azure: the VM's ARM resource id.
  azure: (_rng, account, rg, name) => `/subscriptions/${account}/resourceGroups/${rg}/providers/Microsoft.Compute/virtualMachines/${name}`,
};

/** Instance name per cloud convention (Azure prefixes `vm-`). */
export const INSTANCE_NAME: Record<Cloud, (app: string, env: string, n: number) => string> = {
  aws: (app, env, n) => `${app}-${env}-${String(n).padStart(2, '0')}`,
  gcp: (app, env, n) => `${app}-${env}-${String(n).padStart(2, '0')}`,
  azure: (app, env, n) => `vm-${app}-${env}-${String(n).padStart(2, '0')}`,
};

/** Zone per cloud convention: `us-east-1b`, `us-central1-b`, Azure availability zone `eastus-2`-style label. */
export const ZONE: Record<Cloud, (rng: Rng, region: string) => string> = {
  aws: (rng, region) => `${region}${rng.pick(['a', 'b', 'c'])}`,
  gcp: (rng, region) => `${region}-${rng.pick(['a', 'b', 'c'])}`,
  azure: (rng, region) => `${region}-${rng.pick(['1', '2', '3'])}`,
};

/** Azure resource group for a team/env. */
export const resourceGroup = (team: string, env: string): string => `rg-${team}-${env}`;
