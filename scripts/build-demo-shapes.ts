/**
 * Builds `data/demo/shapes.json` from the real traces in the shared data folder (see data/demo/README.md).
 *
 *   npx tsx scripts/build-demo-shapes.ts            # reads $RIGHTSIZE_SHARED_DATA (default ../shared/data)
 *   RIGHTSIZE_SHARED_DATA=/path/to/data npx tsx scripts/build-demo-shapes.ts [--out file]
 *
 * Only this script reads the shared folder; the product and tests read the generated JSON.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DemoShapesSchema, type DemoShapes } from '../src/demo/shapes.js';
import { hourlyCycleZ, hourlyMeanMax, longestPods, podSamples } from './demo/derive-shapes.js';
import { numbers, readCsv } from './demo/trace-csv.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sharedData = path.resolve(process.env['RIGHTSIZE_SHARED_DATA'] ?? path.join(repoRoot, '..', 'shared', 'data'));
const outArg = process.argv.indexOf('--out');
const outFile = path.resolve(outArg > 0 ? (process.argv[outArg + 1] ?? '') : path.join(repoRoot, 'data', 'demo', 'shapes.json'));
const traces = path.join(sharedData, 'traces');

/** How many pods to keep: the brief's "100 longest"; the memory-fraction corpus is larger, 80 is plenty of variety. */
const GPU_PODS = 100;
const MEM_PODS = 80;
const GIB = 2 ** 30;

const ALIBABA_GENAI = 'alibaba/clusterdata @ 87621116a21e : cluster-trace-v2026-GenAI/';
const ALIBABA_LICENCE =
  'no licence file in that subfolder; the repository\'s only LICENSE (cluster-trace-gpu-v2020/) is CC BY 4.0. Cite SoCC\'25 (GenTD26)';
const DCT = 'alejandrofdez-us/DataCenter-Traces-Datasets @ 003bb8e7ce9a : ';

function main(): void {
  const started = performance.now();
  const cycles: DemoShapes['cycles'] = [];

  const google = readCsv(path.join(traces, 'fleet-aggregates/google2019_instance_usage_month_300s.csv.gz'));
  cycles.push({ source: 'google2019', metric: 'cpu', ...hourlyCycleZ(numbers(google, 'avg_cpu')) });
  cycles.push({ source: 'google2019', metric: 'mem', ...hourlyCycleZ(numbers(google, 'avg_mem')) });

  const alibaba = readCsv(path.join(traces, 'fleet-aggregates/alibaba2018_machine_usage_days_1_to_8_300s.csv.gz'));
  cycles.push({ source: 'alibaba2018', metric: 'cpu', ...hourlyCycleZ(numbers(alibaba, 'cpu_util_percent')) });
  cycles.push({ source: 'alibaba2018', metric: 'mem', ...hourlyCycleZ(numbers(alibaba, 'mem_util_percent')) });

  const azure = readCsv(path.join(traces, 'fleet-aggregates/azure2019_vm_cpu_readings_month_aggregated_cpu_mem.csv.gz'));
  // Sums of core-weighted usage, not percentages: z-scoring makes the unit irrelevant.
  cycles.push({ source: 'azure2019', metric: 'cpu', ...hourlyCycleZ(numbers(azure, 'cpu_usage')) });

  const duty = podSamples(readCsv(path.join(traces, 'alibaba-genai-2026/pod_gpu_duty_cycle_anon.csv.gz')));
  const gmem = podSamples(readCsv(path.join(traces, 'alibaba-genai-2026/pod_gpu_memory_used_bytes_anon.csv.gz')));
  const pmem = podSamples(readCsv(path.join(traces, 'alibaba-genai-2026/pod_memory_util_anon.csv.gz')));
  // All three files share one anonymised clock; its start is hour 0 of every pod shape.
  let t0 = Infinity;
  let t1 = -Infinity;
  for (const m of [duty, gmem, pmem]) for (const list of m.values()) for (const s of list) ((t0 = Math.min(t0, s.t)), (t1 = Math.max(t1, s.t)));
  const hours = Math.ceil((t1 - t0 + 1) / 3600);

  const gpuPods: DemoShapes['gpuPods'] = longestPods(duty, GPU_PODS)
    .filter((pod) => gmem.has(pod))
    .map((pod) => {
      const u = hourlyMeanMax(duty.get(pod) ?? [], t0, hours, 1, 1);
      const m = hourlyMeanMax(gmem.get(pod) ?? [], t0, hours, 1 / GIB, 2);
      return { pod: pod.slice(0, 8), utilMeanPct: u.mean, utilMaxPct: u.max, memMeanGiB: m.mean, memMaxGiB: m.max };
    });
  const memPods: DemoShapes['memPods'] = longestPods(pmem, MEM_PODS).map((pod) => {
    const m = hourlyMeanMax(pmem.get(pod) ?? [], t0, hours, 1, 3);
    return { pod: pod.slice(0, 8), meanFrac: m.mean, maxFrac: m.max };
  });

  const shapes: DemoShapes = {
    _provenance: {
      generatedBy: 'scripts/build-demo-shapes.ts',
      sources: [
        { file: 'traces/fleet-aggregates/google2019_instance_usage_month_300s.csv.gz', origin: `${DCT}google2019/instance_usage_grouped_300_seconds_month.csv`, licence: 'CC BY 4.0', use: 'cycles google2019 cpu (avg_cpu), mem (avg_mem)' },
        { file: 'traces/fleet-aggregates/alibaba2018_machine_usage_days_1_to_8_300s.csv.gz', origin: `${DCT}alibaba2018/machine_usage_days_1_to_8_grouped_300_seconds.csv`, licence: 'CC BY 4.0', use: 'cycles alibaba2018 cpu (cpu_util_percent), mem (mem_util_percent)' },
        { file: 'traces/fleet-aggregates/azure2019_vm_cpu_readings_month_aggregated_cpu_mem.csv.gz', origin: `${DCT}azure_v2/vm_cpu_readings_month_aggregated_cpu_mem.csv`, licence: 'CC BY 4.0', use: 'cycles azure2019 cpu (cpu_usage, fleet sum)' },
        { file: 'traces/alibaba-genai-2026/pod_gpu_duty_cycle_anon.csv.gz', origin: `${ALIBABA_GENAI}pod_gpu_duty_cycle_anon.tar.gz`, licence: ALIBABA_LICENCE, use: 'gpuPods utilMeanPct/utilMaxPct' },
        { file: 'traces/alibaba-genai-2026/pod_gpu_memory_used_bytes_anon.csv.gz', origin: `${ALIBABA_GENAI}pod_gpu_memory_used_bytes_anon.tar.gz`, licence: ALIBABA_LICENCE, use: 'gpuPods memMeanGiB/memMaxGiB' },
        { file: 'traces/alibaba-genai-2026/pod_memory_util_anon.csv.gz', origin: `${ALIBABA_GENAI}pod_memory_util_anon.tar.gz`, licence: ALIBABA_LICENCE, use: 'memPods meanFrac/maxFrac (fraction 0-1)' },
      ],
      notes: [
        'cycles: 300 s samples grouped 12 to an hour; meanZ/maxZ = (hourly mean|max − mean of hourly means) / sd of hourly means, 2 decimals.',
        `gpuPods: the ${GPU_PODS} pods with the most duty-cycle samples, hour 0 = first timestamp of the GenTD26 files (${t0}); ${hours} hours; pod = first 8 hex of the anonymised container hash.`,
        `memPods: the ${MEM_PODS} longest containers of pod_memory_util (values are fractions 0-1 although the upstream README says percentage).`,
      ],
    },
    cycles,
    gpuPods,
    memPods,
  };
  const checked = DemoShapesSchema.parse(shapes);
  mkdirSync(path.dirname(outFile), { recursive: true });
  const json = `${JSON.stringify(checked)}\n`;
  writeFileSync(outFile, json);
  const ms = Math.round(performance.now() - started);
  console.log(`wrote ${outFile}: ${(json.length / 1024).toFixed(1)} KiB, ${cycles.length} cycles, ${gpuPods.length} GPU pods × ${hours} h, ${memPods.length} memory pods (${ms} ms)`);
}

main();
