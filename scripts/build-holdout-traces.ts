/**
 * Builds a held-out trace corpus in the layout scripts/build-traces.ts writes (meta.json + series.bin.gz), for
 * `npm run bench -- quality --corpus DIR`, from a local git snapshot of the Bitbrains GWA-T-12 "Rnd" repository
 * (JessieRayeBauer/Time-Series-Forecasting- @ 0901a0da3024507c7732c782621e590077abca64, BSD-2-Clause;
 * acknowledge Bitbrains IT Services Inc. and cite GWA-T-12). Nothing it writes is committed: the defaults were
 * checked on these corpora, which the README names; the bundled fixture stays the 200 VMs of August.
 *   npx tsx scripts/build-holdout-traces.ts <git dir of the snapshot> <month: 2013-7|2013-8|2013-9> <out dir> [--exclude-fixture]
 * With --exclude-fixture the VMs of test/fixtures/traces/bitbrains-rnd-2013-08 are left out (same month, other VMs).
 * Same cleaning rules as the fixture: full month, median interval 300 s, no zero-capacity rows; 5-minute grid from
 * local midnight (22:00 UTC the day before), 28 days, duplicates of a timestamp kept once.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [repo, month, out] = process.argv.slice(2);
if (!repo || !month || !out) {
  console.error('usage: build-holdout-traces.ts <git dir> <2013-7|2013-8|2013-9> <out dir> [--exclude-fixture]');
  process.exit(2);
}
const ORIGINS: Record<string, number> = { '2013-7': Date.UTC(2013, 5, 30, 22) / 1000, '2013-8': Date.UTC(2013, 6, 31, 22) / 1000, '2013-9': Date.UTC(2013, 7, 31, 22) / 1000 };
const originS = ORIGINS[month];
if (originS === undefined) throw new Error(`unknown month ${month}`);
const exclude = new Set<number>();
if (process.argv.includes('--exclude-fixture')) {
  const meta = JSON.parse(readFileSync(path.join(root, 'test/fixtures/traces/bitbrains-rnd-2013-08/meta.json'), 'utf8')) as { vms: { id: number }[] };
  for (const v of meta.vms) exclude.add(v.id);
}
const slots = 28 * 288;
const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
const files = git('ls-tree', '--name-only', 'HEAD', `rnd/${month}/`).trim().split('\n');
const idOf = (f: string) => Number.parseInt(path.basename(f), 10);
const vms: { id: number; vcpu: number; memoryGiB: number; cpuMhzPerCore: number }[] = [];
const parts: Buffer[] = [];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;
for (const f of files.sort((a, b) => idOf(a) - idOf(b))) {
  const id = idOf(f);
  if (exclude.has(id)) continue;
  const rows = git('cat-file', '-p', `HEAD:${f}`).trim().split('\n').slice(1).map((l) => l.split(';').map((x) => Number(x.trim())));
  if (rows.length < 1000) continue;
  const ts = rows.map((r) => r[0] as number);
  if ((ts[0] as number) > originS + 7200 || (ts[ts.length - 1] as number) < originS + 28 * 86400) continue;
  if (rows.some((r) => r[1] === 0 || r[2] === 0)) continue;
  if (median(ts.slice(1).map((t, i) => t - (ts[i] as number))) !== 300) continue;
  const cores = median(rows.map((r) => r[1] as number));
  const memKiB = median(rows.map((r) => r[5] as number));
  const cpu = new Float64Array(slots);
  const mem = new Float64Array(slots);
  const n = new Uint16Array(slots);
  const seen = new Set<number>();
  for (const r of rows) {
    const t = r[0] as number;
    if (seen.has(t)) continue;
    seen.add(t);
    const s = Math.floor((t - originS) / 300);
    if (s < 0 || s >= slots) continue;
    cpu[s] = (cpu[s] as number) + (r[4] as number);
    mem[s] = (mem[s] as number) + ((r[6] as number) / memKiB) * 100;
    n[s] = (n[s] as number) + 1;
  }
  const enc = (v: Float64Array) => Buffer.from(Uint16Array.from({ length: slots }, (_, i) => ((n[i] as number) === 0 ? 65535 : Math.min(65534, Math.max(0, Math.round(((v[i] as number) / (n[i] as number)) * 10))))).buffer);
  parts.push(enc(cpu), enc(mem));
  vms.push({ id, vcpu: cores, memoryGiB: Math.round((memKiB / 1048576) * 1000) / 1000, cpuMhzPerCore: Math.round((median(rows.map((r) => r[2] as number)) / cores) * 10) / 10 });
}
mkdirSync(out, { recursive: true });
writeFileSync(path.join(out, 'series.bin.gz'), gzipSync(Buffer.concat(parts), { level: 9 }));
writeFileSync(
  path.join(out, 'meta.json'),
  `${JSON.stringify({ origin: `Bitbrains GWA-T-12 "Rnd" ${month} via JessieRayeBauer/Time-Series-Forecasting- @ 0901a0da3024507c7732c782621e590077abca64 : rnd/${month} (held out, not committed)`, attribution: 'Acknowledgement to Bitbrains IT Services Inc.; cite the Grid Workloads Archive, trace GWA-T-12 (Bitbrains).', licence: 'repository BSD-2-Clause', gridStartMs: originS * 1000, stepMinutes: 5, slots, scale: 10, missing: 65535, layout: 'as scripts/build-traces.ts', vms }, null, 1)}\n`,
);
console.log(`wrote ${out}: ${vms.length} VMs of rnd/${month}`);
