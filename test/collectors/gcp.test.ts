import { InstancesClient } from '@google-cloud/compute/build/src/v1/instances_client.js';
import { MetricServiceClient } from '@google-cloud/monitoring/build/src/v3/metric_service_client.js';
import { MachineTypesClient } from '@google-cloud/compute/build/src/v1/machine_types_client.js';
import { afterEach, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import type { GcpClients } from '../../src/collectors/gcp/collect.js';
import { collectGcpProject } from '../../src/collectors/gcp/collect.js';
import { startGcpWireServer } from '../helpers/gcp-wire-server.js';

const H = 3_600_000;
const END = Date.UTC(2026, 10, 20);
let servers: Awaited<ReturnType<typeof startGcpWireServer>>[] = [];
afterEach(async () => {
  for (const s of servers) {
    expect(s.unexpected).toEqual([]);
    await s.close();
  }
  servers = [];
});

/** Real per-service gax clients in REST fallback mode, pointed at the local server with a stand-in auth client. */
function clients(port: number): GcpClients {
  const authClient = { getRequestHeaders: async () => new Headers(), fetch: (url: string, init: RequestInit) => fetch(url, init) };
  const opts = { fallback: 'rest', apiEndpoint: '127.0.0.1', port, protocol: 'http', authClient } as never;
  return {
    instances: new InstancesClient(opts) as unknown as GcpClients['instances'],
    monitoring: new MetricServiceClient(opts) as unknown as GcpClients['monitoring'],
    machineTypes: new MachineTypesClient(opts) as unknown as NonNullable<GcpClients['machineTypes']>,
  };
}

const vm = (id: number, zone: string, machine: string, extra: Record<string, unknown> = {}) => ({
  id: String(7000000000000000000n + BigInt(id)),
  name: `vm-${id}`,
  machineType: `https://www.googleapis.com/compute/v1/projects/p1/zones/${zone}/machineTypes/${machine}`,
  zone: `https://www.googleapis.com/compute/v1/projects/p1/zones/${zone}`,
  status: 'RUNNING',
  creationTimestamp: '2026-01-02T03:04:05.000-08:00',
  labels: { team: 'ml' },
  ...extra,
});

it('pages aggregatedList across zones, names N1+GPU types as the catalog does, and reads CPU and memory', async () => {
  const s = await startGcpWireServer({
    instances: {
      'us-central1-a': [vm(1, 'us-central1-a', 'n2-standard-8'), vm(2, 'us-central1-a', 'n1-standard-8', { guestAccelerators: [{ acceleratorType: 'projects/p1/zones/us-central1-a/acceleratorTypes/nvidia-tesla-t4', acceleratorCount: 1 }] })],
      'us-central1-b': [vm(3, 'us-central1-b', 'e2-standard-4', { scheduling: { provisioningModel: 'SPOT' } })],
      'europe-west4-a': [vm(4, 'europe-west4-a', 'n2-standard-4', { status: 'TERMINATED' })],
    },
    pageSize: 2,
    // CPU is a fraction (0.25 → 25 %), agent memory a percent.
    metric: (type, aligner) => (type.includes('cpu') ? (aligner === 'ALIGN_MAX' ? 0.25 : 0.1) : aligner === 'ALIGN_MAX' ? 40 : 30),
  });
  servers.push(s);
  const parts = await collectGcpProject('p1', { startMs: END - 24 * H, endMs: END }, clients(s.port));
  expect(s.requests.filter((r) => r.includes('aggregated'))).toHaveLength(2); // 4 instances, 2 per page
  expect(parts.map((p) => `${p.scope.region}:${p.scope.status}:${p.scope.instanceCount}`)).toEqual(['europe-west4:ok:1', 'us-central1:ok:3']);
  const all = parts.flatMap((p) => p.instances);
  const gpu = all.find((i) => i.name === 'vm-2');
  expect(gpu?.type).toBe('n1-standard-8+nvidia-tesla-t4x1');
  expect(loadCatalog().type('gcp', gpu?.type as string)?.gpu).toMatchObject({ count: 1, model: 't4' });
  expect(all.find((i) => i.name === 'vm-3')).toMatchObject({ lifecycle: 'spot', zone: 'us-central1-b', region: 'us-central1' });
  expect(all.find((i) => i.name === 'vm-4')?.state).toBe('stopped');
  expect(all.find((i) => i.name === 'vm-1')).toMatchObject({ id: '7000000000000000001', tags: { team: 'ml' }, launchedAt: '2026-01-02T11:04:05.000Z' });
  const cpu = parts.flatMap((p) => p.series).find((x) => x.instanceId === '7000000000000000001' && x.metric === 'cpu');
  expect(cpu?.max[5]).toBeCloseTo(25, 5);
  expect(cpu?.mean[5]).toBeCloseTo(10, 5);
  expect(parts.flatMap((p) => p.series).find((x) => x.instanceId === '7000000000000000001' && x.metric === 'mem')?.max[5]).toBe(40);
  expect(s.requests.filter((r) => r.includes('timeSeries'))).toHaveLength(8); // 4 metrics (CPU, memory, GPU, GPU memory) × 2 aligners for the whole project
  expect(parts.flatMap((p) => p.series).filter((x) => x.metric === 'gpu' || x.metric === 'gpuMem')).toEqual([]); // no agent GPU metrics here
});

it('names a project without permission auth-failed', async () => {
  const s = await startGcpWireServer({ instances: {}, failingProjects: ['p1'] });
  servers.push(s);
  const parts = await collectGcpProject('p1', { startMs: END - 24 * H, endMs: END }, clients(s.port));
  expect(parts[0]?.scope).toMatchObject({ status: 'auth-failed', instanceCount: 0 });
});

it('reads the Ops Agent GPU metrics per GPU and folds them: mean utilization, largest memory in MiB', async () => {
  const s = await startGcpWireServer({
    instances: { 'us-central1-a': [vm(7, 'us-central1-a', 'g2-standard-24')] },
    gpus: { '7000000000000000007': 2 },
    // GPU 0 busy (80 % max, 60 % mean), GPU 1 idle (10 %, 5 %); memory 20 GiB and 4 GiB in bytes.
    metric: (type, aligner, _id, _t, gpu) => {
      if (type.endsWith('gpu/utilization')) return gpu === 0 ? (aligner === 'ALIGN_MAX' ? 80 : 60) : aligner === 'ALIGN_MAX' ? 10 : 5;
      if (type.endsWith('gpu/memory/bytes_used')) return (gpu === 0 ? 20 : 4) * 1024 ** 3;
      return type.includes('cpu') ? 0.3 : 50;
    },
  });
  servers.push(s);
  const parts = await collectGcpProject('p1', { startMs: END - 24 * H, endMs: END }, clients(s.port));
  const series = parts.flatMap((p) => p.series).filter((x) => x.instanceId === '7000000000000000007');
  const gpu = series.find((x) => x.metric === 'gpu');
  const mem = series.find((x) => x.metric === 'gpuMem');
  expect(gpu?.max[3]).toBe((80 + 10) / 2);
  expect(gpu?.mean[3]).toBe((60 + 5) / 2);
  expect(mem?.max[3]).toBe(20 * 1024);
  expect(series.map((x) => x.metric).sort()).toEqual(['cpu', 'gpu', 'gpuMem', 'mem']);
});

it('describes machine types the catalog lacks with machineTypes.get (custom shapes, accelerator-optimized series)', async () => {
  const s = await startGcpWireServer({
    instances: { 'us-central1-a': [vm(8, 'us-central1-a', 'n2-custom-6-20480'), vm(9, 'us-central1-a', 'g9-standard-8'), vm(10, 'us-central1-a', 'n2-standard-4'), vm(11, 'us-central1-a', 'x9-gone-1')] },
    // Shapes as the Compute API's MachineType resource documents them.
    machineTypes: {
      'n2-custom-6-20480': { name: 'n2-custom-6-20480', description: 'Custom created machine type.', guestCpus: 6, memoryMb: 20480, isSharedCpu: false },
      'g9-standard-8': { name: 'g9-standard-8', description: '8 vCPUs, 32 GB RAM, 1 GPU', guestCpus: 8, memoryMb: 32768, isSharedCpu: false, accelerators: [{ guestAcceleratorType: 'nvidia-l4', guestAcceleratorCount: 1 }] },
    },
  });
  servers.push(s);
  const catalog = loadCatalog();
  const parts = await collectGcpProject('p1', { startMs: END - 24 * H, endMs: END }, clients(s.port), { isKnownType: (t) => catalog.type('gcp', t) !== undefined });
  const part = parts.find((p) => p.scope.region === 'us-central1');
  expect(s.requests.filter((r) => r.includes('/machineTypes/'))).toHaveLength(3); // the three unknown names, once each
  expect(part?.types).toEqual([
    { cloud: 'gcp', name: 'g9-standard-8', family: 'g9', generation: 9, vcpu: 8, memoryGiB: 32, arch: 'x86_64', burstable: false, currentGeneration: true, gpu: { count: 1, model: 'l4', memoryGiBPerGpu: 24 } },
    { cloud: 'gcp', name: 'n2-custom-6-20480', family: 'n2', generation: 2, vcpu: 6, memoryGiB: 20, arch: 'x86_64', burstable: false, currentGeneration: true },
  ]);
  expect(part?.scope.status).toBe('ok');
  expect(part?.scope.message).toContain('x9-gone-1: machineTypes.get: ');
});
