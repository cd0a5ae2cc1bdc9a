/**
 * Derives the compact utilization-trace fixtures the quality benchmark and the engine's quality tests read
 * (test/fixtures/traces/) from the shared data folder (default ../shared/data; override with the first argument or
 * RIGHTSIZE_SHARED_DATA). Only this script reads that folder. Deterministic: two runs give byte-identical files.
 *   npx tsx scripts/build-traces.ts [sharedDataDir]
 *
 * Bitbrains GWA-T-12 "Rnd" 2013-08 (200 VMs, ~300 s samples): put on a common 5-minute grid starting at local
 * midnight of 1 Aug 2013 (22:00 UTC), 28 days = 8,064 slots. A sample belongs to the slot its timestamp falls in;
 * two samples in one slot (clock jitter) are averaged; an empty slot is missing. CPU is % of the provisioned vCPUs,
 * memory % of the VM's modal provisioned memory, both in tenths of a percent as little-endian uint16 (65535 =
 * missing), VM-major: cpu[8064] then mem[8064] for each VM in meta order.
 *
 * Alibaba GenTD26 (cluster-trace-v2026-GenAI): GPU duty cycle % and GPU memory used per pod, ~1 sample/min over
 * 22.8 h, put on a 1-minute grid; the 100 pods with the most duty-cycle samples are kept.
 */
import { createReadStream, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createGunzip, gzipSync } from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = path.resolve(process.argv[2] ?? process.env['RIGHTSIZE_SHARED_DATA'] ?? path.join(root, '../shared/data'));
const outRoot = path.join(root, 'test/fixtures/traces');

const MISSING = 65535;

async function* csvRows(file: string): AsyncGenerator<Record<string, string>> {
  const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
  let header: string[] | undefined;
  for await (const line of lines) {
    if (line.length === 0) continue;
    const cells = line.split(',');
    if (!header) {
      header = cells;
      continue;
    }
    const row: Record<string, string> = {};
    header.forEach((h, i) => (row[h] = cells[i] ?? ''));
    yield row;
  }
}

function encode(values: Float64Array, counts: Uint16Array, scale: number): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const n = counts[i] as number;
    out[i] = n === 0 ? MISSING : Math.min(MISSING - 1, Math.max(0, Math.round(((values[i] as number) / n) * scale)));
  }
  return out;
}

async function bitbrains(): Promise<void> {
  const dir = path.join(shared, 'traces/bitbrains-rnd-2013-08');
  const out = path.join(outRoot, 'bitbrains-rnd-2013-08');
  const originS = Date.UTC(2013, 6, 31, 22, 0, 0) / 1000;
  const stepS = 300;
  const slots = 28 * 288;
  const vms: { id: number; vcpu: number; memoryGiB: number; cpuMhzPerCore: number }[] = [];
  for await (const r of csvRows(path.join(dir, 'vms.csv.gz'))) {
    const vcpu = Number(r['cpu_cores']);
    vms.push({ id: Number(r['vm_id']), vcpu, memoryGiB: Math.round((Number(r['mem_capacity_mib']) / 1024) * 1000) / 1000, cpuMhzPerCore: Math.round(Number(r['cpu_capacity_mhz']) / vcpu) });
  }
  vms.sort((a, b) => a.id - b.id);
  const index = new Map(vms.map((v, i) => [v.id, i]));
  const memCapMiB = vms.map((v) => v.memoryGiB * 1024);
  const cpuSum = vms.map(() => new Float64Array(slots));
  const memSum = vms.map(() => new Float64Array(slots));
  const count = vms.map(() => new Uint16Array(slots));
  for await (const r of csvRows(path.join(dir, 'rnd_2013-08_vm_usage.csv.gz'))) {
    const i = index.get(Number(r['vm_id']));
    if (i === undefined) continue;
    const slot = Math.floor((Number(r['timestamp_s']) - originS) / stepS);
    if (slot < 0 || slot >= slots) continue;
    const cpuAt = cpuSum[i] as Float64Array;
    const memAt = memSum[i] as Float64Array;
    const countAt = count[i] as Uint16Array;
    cpuAt[slot] = (cpuAt[slot] as number) + Number(r['cpu_pct']);
    memAt[slot] = (memAt[slot] as number) + (Number(r['mem_used_mib']) / (memCapMiB[i] as number)) * 100;
    countAt[slot] = (countAt[slot] as number) + 1;
  }
  const parts: Buffer[] = [];
  let missing = 0;
  vms.forEach((_, i) => {
    const c = count[i] as Uint16Array;
    for (const n of c) if (n === 0) missing++;
    parts.push(Buffer.from(encode(cpuSum[i] as Float64Array, c, 10).buffer), Buffer.from(encode(memSum[i] as Float64Array, c, 10).buffer));
  });
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'series.bin.gz'), gzipSync(Buffer.concat(parts), { level: 9 }));
  const meta = {
    origin:
      'Bitbrains GWA-T-12 "Rnd", month 2013-8 (TU Delft Grid Workloads Archive), via JessieRayeBauer/Time-Series-Forecasting- @ 0901a0da3024507c7732c782621e590077abca64 : rnd/2013-8/<vm_id>.csv; 200 VMs selected and cleaned as described in that data set\'s README (first 200 qualifying ids)',
    attribution: 'Acknowledgement to Bitbrains IT Services Inc.; cite the Grid Workloads Archive, trace GWA-T-12 (Bitbrains).',
    licence: 'repository BSD-2-Clause; no separate data licence found',
    gridStartMs: originS * 1000,
    stepMinutes: 5,
    slots,
    scale: 10,
    missing: MISSING,
    layout: 'per VM in this order: cpu uint16 LE × slots (tenths of % of provisioned vCPUs), then mem uint16 LE × slots (tenths of % of modal provisioned memory)',
    missingSlots: missing,
    vms,
  };
  writeFileSync(path.join(out, 'meta.json'), `${JSON.stringify(meta, null, 1)}\n`);
  console.log(`wrote ${path.relative(root, out)}: ${vms.length} VMs × ${slots} slots, ${missing} missing slot-VMs`);
}

async function alibabaGpu(): Promise<void> {
  const dir = path.join(shared, 'traces/alibaba-genai-2026');
  const out = path.join(outRoot, 'alibaba-genai-2026');
  const duty = new Map<string, Map<number, number[]>>();
  const mem = new Map<string, Map<number, number[]>>();
  let t0 = Number.POSITIVE_INFINITY;
  let t1 = 0;
  const add = (m: Map<string, Map<number, number[]>>, pod: string, t: number, v: number) => {
    let byT = m.get(pod);
    if (!byT) m.set(pod, (byT = new Map()));
    const arr = byT.get(t) ?? [];
    arr.push(v);
    byT.set(t, arr);
  };
  for await (const r of csvRows(path.join(dir, 'pod_gpu_duty_cycle_anon.csv.gz'))) {
    const t = Number(r['timestamp_anon']);
    t0 = Math.min(t0, t);
    t1 = Math.max(t1, t);
    add(duty, r['container_ip'] as string, t, Number(r['value']));
  }
  for await (const r of csvRows(path.join(dir, 'pod_gpu_memory_used_bytes_anon.csv.gz'))) {
    add(mem, r['container_ip'] as string, Number(r['timestamp_anon']), Number(r['value']) / 2 ** 20);
  }
  const slots = Math.floor((t1 - t0) / 60) + 1;
  const pods = [...duty.entries()]
    .map(([pod, byT]) => ({ pod, samples: [...byT.values()].reduce((n, a) => n + a.length, 0) }))
    .sort((a, b) => b.samples - a.samples || a.pod.localeCompare(b.pod))
    .slice(0, 100)
    .sort((a, b) => a.pod.localeCompare(b.pod));
  const grid = (byT: Map<number, number[]> | undefined, scale: number, reduce: 'mean' | 'max') => {
    const sum = new Float64Array(slots);
    const n = new Uint16Array(slots);
    for (const [t, vs] of byT ?? []) {
      const slot = Math.round((t - t0) / 60);
      if (slot < 0 || slot >= slots) continue;
      // Several GPUs of one pod at one timestamp: the mean duty cycle (the collectors' convention) or the largest memory.
      const v = reduce === 'mean' ? vs.reduce((a, b) => a + b, 0) / vs.length : Math.max(...vs);
      sum[slot] = v;
      n[slot] = 1;
    }
    return encode(sum, n, scale);
  };
  const parts: Buffer[] = [];
  const meta = pods.map((p) => {
    const memMiB = mem.get(p.pod);
    parts.push(Buffer.from(grid(duty.get(p.pod), 10, 'mean').buffer), Buffer.from(grid(memMiB, 1 / 16, 'max').buffer));
    return { pod: p.pod, dutySamples: p.samples };
  });
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'series.bin.gz'), gzipSync(Buffer.concat(parts), { level: 9 }));
  writeFileSync(
    path.join(out, 'meta.json'),
    `${JSON.stringify(
      {
        origin:
          'alibaba/clusterdata @ 87621116a21e : cluster-trace-v2026-GenAI/pod_gpu_duty_cycle_anon.tar.gz and pod_gpu_memory_used_bytes_anon.tar.gz (GenTD26); the 100 pods with the most duty-cycle samples',
        attribution: 'Cite the SoCC\'25 GenTD26 trace paper (Alibaba cluster-trace-v2026-GenAI).',
        licence: 'no licence file in that subfolder; the repository\'s only LICENSE is CC BY 4.0',
        gridStartS: t0,
        stepMinutes: 1,
        slots,
        layout: 'per pod in this order: GPU duty cycle uint16 LE × slots (tenths of %), then GPU memory used uint16 LE × slots (units of 16 MiB); 65535 = missing',
        missing: MISSING,
        pods: meta,
      },
      null,
      1,
    )}\n`,
  );
  console.log(`wrote ${path.relative(root, out)}: ${pods.length} pods × ${slots} one-minute slots`);
}

await bitbrains();
await alibabaGpu();
