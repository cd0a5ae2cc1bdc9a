import { ComputeManagementClient } from '@azure/arm-compute';
import { afterEach, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import { collectAzureSubscription } from '../../src/collectors/azure/collect.js';
import { recordedVm, startAzureWireServer } from '../helpers/azure-wire-server.js';

const H = 3_600_000;
const END = Date.UTC(2026, 10, 20);
const catalog = loadCatalog();
const SUB = '00000000-0000-0000-0000-000000000001';
let servers: Awaited<ReturnType<typeof startAzureWireServer>>[] = [];
afterEach(async () => {
  for (const s of servers) {
    expect(s.unexpected).toEqual([]);
    await s.close();
  }
  servers = [];
});

const credential = { getToken: async () => ({ token: 'local', expiresOnTimestamp: Date.now() + H }) };
function client(url: string, subscription: string) {
  const c = new ComputeManagementClient(credential, subscription, { endpoint: url, allowInsecureConnection: true });
  c.pipeline.removePolicy({ name: 'bearerTokenAuthenticationPolicy' }); // the SDK refuses bearer tokens over http
  return c;
}

const vm = (n: number, size: string, power = 'running') => ({
  id: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-${n}`,
  name: `vm-${n}`,
  type: 'Microsoft.Compute/virtualMachines',
  location: n % 2 ? 'eastus' : 'westeurope',
  tags: { team: 'web' },
  properties: { hardwareProfile: { vmSize: size }, priority: n === 3 ? 'Spot' : 'Regular', timeCreated: '2026-01-01T00:00:00Z', storageProfile: { osDisk: { osType: 'Linux' } }, instanceView: { statuses: [{ code: 'ProvisioningState/succeeded' }, { code: `PowerState/${power}` }] } },
});

it('lists VMs across pages (including the recorded one) and reads CPU and memory from Azure Monitor', async () => {
  const recorded = recordedVm();
  const s = await startAzureWireServer({
    vms: { [SUB]: [{ ...recorded, id: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/virtualmachinex1` }, ...Array.from({ length: 5 }, (_, n) => vm(n + 1, 'Standard_D4s_v5', n === 4 ? 'deallocated' : 'running'))] },
    pageSize: 2,
    // CPU max 40 / avg 20; 16 GiB VM with 12 GiB available at the minimum → 25 % used at peak.
    metric: (_id, name) => (name === 'Percentage CPU' ? { maximum: 40, average: 20 } : { minimum: 12 * 2 ** 30, average: 14 * 2 ** 30 }),
  });
  servers.push(s);
  const parts = await collectAzureSubscription(SUB, { startMs: END - 48 * H, endMs: END }, { compute: client(s.url, SUB), armEndpoint: s.url, memoryGiBOf: (size) => catalog.type('azure', size)?.memoryGiB });
  expect(s.calls['list']).toBe(3); // 6 VMs, 2 per page
  const all = parts.flatMap((p) => p.instances);
  expect(all).toHaveLength(6);
  expect(parts.map((p) => `${p.scope.region}:${p.scope.status}:${p.scope.instanceCount}`)).toEqual(['eastus:ok:3', 'eastus2:ok:1', 'westeurope:ok:2']);
  const recordedOut = all.find((i) => i.name === 'virtualmachinex1');
  expect(recordedOut).toMatchObject({ type: 'Standard_B1ls', region: 'eastus2', os: 'windows', tags: { azsecpack: 'nonprod' }, state: 'other' });
  expect(all.find((i) => i.name === 'vm-3')?.lifecycle).toBe('spot');
  expect(all.find((i) => i.name === 'vm-5')?.state).toBe('stopped');
  const running = all.filter((i) => i.state === 'running');
  expect(s.calls['metrics']).toBe(running.length);
  const series = parts.flatMap((p) => p.series);
  const mem = series.find((x) => x.instanceId.endsWith('vm-1') && x.metric === 'mem');
  expect(mem?.max[0]).toBeCloseTo(25, 5);
  expect(mem?.mean[0]).toBeCloseTo(12.5, 5);
  expect(series.find((x) => x.instanceId.endsWith('vm-1') && x.metric === 'cpu')?.max[10]).toBe(40);
});

it('names a subscription without access auth-failed', async () => {
  const s = await startAzureWireServer({ vms: {}, failingSubscriptions: [SUB] });
  servers.push(s);
  const parts = await collectAzureSubscription(SUB, { startMs: END - 48 * H, endMs: END }, { compute: client(s.url, SUB), armEndpoint: s.url, memoryGiBOf: () => 16 });
  expect(parts).toHaveLength(1);
  expect(parts[0]?.scope).toMatchObject({ status: 'auth-failed', instanceCount: 0 });
});

it('describes sizes the catalog lacks from the recorded Resource SKUs and uses their memory for memory %', async () => {
  const vmIn = (n: number, size: string) => ({ ...vm(n, size), location: 'southcentralus' });
  const s = await startAzureWireServer({
    vms: { [SUB]: [vmIn(1, 'Standard_NC24ads_A100_v4'), vmIn(2, 'Standard_D16plds_v5'), vmIn(3, 'Standard_D2s_v3'), vmIn(4, 'Standard_Z9_v9')] },
    // 220 GB A100 VM with 165 GB available at the minimum → 25 % used at peak.
    metric: (_id, name) => (name === 'Percentage CPU' ? { maximum: 40, average: 20 } : { minimum: 165 * 2 ** 30, average: 200 * 2 ** 30 }),
  });
  servers.push(s);
  // Pretend the catalog predates the A100 and Arm sizes; Standard_Z9_v9 exists nowhere.
  const known = (size: string) => size === 'Standard_D2s_v3';
  const parts = await collectAzureSubscription(SUB, { startMs: END - 48 * H, endMs: END }, { compute: client(s.url, SUB), armEndpoint: s.url, memoryGiBOf: (size) => (known(size) ? catalog.type('azure', size)?.memoryGiB : undefined), isKnownSize: known });
  expect(s.calls['skus']).toBe(1); // one location
  const part = parts.find((p) => p.scope.region === 'southcentralus');
  expect(part?.types?.map((t) => [t.name, t.family, t.vcpu, t.memoryGiB, t.arch, t.gpu?.model ?? null])).toEqual([
    ['Standard_D16plds_v5', 'DPLDSv5', 16, 32, 'arm64', null],
    ['Standard_NC24ads_A100_v4', 'NCADSA100v4', 24, 220, 'x86_64', 'a100-80gb'],
  ]);
  expect(part?.scope.message).toContain('no Resource SKU for Standard_Z9_v9');
  const mem = part?.series.find((x) => x.instanceId.endsWith('vm-1') && x.metric === 'mem');
  expect(mem?.max[0]).toBeCloseTo(25, 5);
  // The catalog build gets the same shape from the same normalizer.
  expect(catalog.type('azure', 'Standard_NC24ads_A100_v4')).toMatchObject({ family: 'NCADSA100v4', vcpu: 24, memoryGiB: 220, gpu: { model: 'a100-80gb', count: 1 } });
});
