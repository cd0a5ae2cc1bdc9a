import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ComputeManagementClient } from '@azure/arm-compute';
import { expect, it } from 'vitest';
import { describeAzureSizes } from '../../src/collectors/azure/skus.js';

const here = path.dirname(fileURLToPath(import.meta.url));
// Real Resource SKUs (Azure/karpenter-provider-azure pkg/fake, captured 2025-06-03), in the REST shape.
const recorded = JSON.parse(readFileSync(path.join(here, '../fixtures/azure/resource-skus-southcentralus.json'), 'utf8')) as { value: { locations: string[] }[] };

/** The SDK's resourceSkus.list over the recording, filtered by location as the service does. */
const compute = {
  resourceSkus: {
    list: ({ filter }: { filter?: string } = {}) => {
      const location = /location eq '([^']+)'/.exec(filter ?? '')?.[1];
      return (async function* () {
        for (const sku of recorded.value) if (!location || sku.locations.includes(location)) yield sku;
      })();
    },
  },
} as unknown as Pick<ComputeManagementClient, 'resourceSkus'>;

it('sizes a constrained-core SKU on vCPUsAvailable and notes the licensed vCPUs', async () => {
  const calls: Record<string, number> = {};
  const { types, notes } = await describeAzureSizes(compute, new Map([['southcentralus', new Set(['Standard_M8-2ms', 'Standard_E4d_v5', 'Standard_DC8s_v3'])]]), calls);
  expect(notes).toEqual([]);
  // Standard_M8-2ms: vCPUs 8, vCPUsAvailable 2, MemoryGB 218.75.
  expect(types.find((t) => t.name === 'Standard_M8-2ms')).toMatchObject({ vcpu: 2, licensedVcpu: 8, memoryGiB: 218.75, special: ['constrained-core'] });
  const e4d = types.find((t) => t.name === 'Standard_E4d_v5');
  expect(e4d).toMatchObject({ vcpu: 4, memoryGiB: 32 });
  expect(e4d?.licensedVcpu).toBeUndefined();
  expect(types.find((t) => t.name === 'Standard_DC8s_v3')?.special).toEqual(['confidential']);
  expect(calls['resourceSkus.list']).toBe(1);
});
