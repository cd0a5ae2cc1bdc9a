/**
 * Scores a sizing of every VM against the test days: fleet savings by list price and by vCPU, and the share of
 * 5-minute intervals whose average demand exceeds the new type (CPU or memory).
 */
import type { InstanceType } from '../../src/domain/instance-type.js';
import { digestOf, quantile } from '../../src/engine/summary.js';
import type { BenchVm, Scenario } from './scenario.js';

/**
 * A VM's new type and, for an upsize, why. A stop is judged on the type the engine names for keeping it running
 * (or today's): a stop's savings are larger, but nothing in the test days can say whether stopping was right.
 */
export interface Choice {
  type: InstanceType;
  stopped?: boolean;
  cause?: string;
}

export interface Row {
  policy: string;
  savingsPricePct: number;
  savingsVcpuPct: number;
  overPct: number;
  upsizes: number;
  causes: Record<string, number>;
  stops: number;
  changed: number;
}

function capacityRatio(vm: BenchVm, t: InstanceType): { cpu: number; mem: number } {
  const perfEqual = vm.current.cpuPerfRel === undefined || t.cpuPerfRel === undefined;
  const cpu = (t.vcpu * (perfEqual ? 1 : (t.cpuPerfRel as number))) / (vm.current.vcpu * (perfEqual ? 1 : (vm.current.cpuPerfRel as number)));
  return { cpu: cpu * 100, mem: (t.memoryGiB / vm.current.memoryGiB) * 100 };
}

/** Test intervals observed and over capacity for one VM on one type. */
export function overOf(vm: BenchVm, t: InstanceType): { over: number; n: number } {
  let over = 0;
  let n = 0;
  const cap = capacityRatio(vm, t);
  for (let i = 0; i < vm.testCpuPct.length; i++) {
    const c = vm.testCpuPct[i] as number;
    if (c !== c) continue;
    n++;
    const m = vm.testMemPct[i] as number;
    if (c > cap.cpu + 1e-9 || (m === m && m > cap.mem + 1e-9)) over++;
  }
  return { over, n };
}

export function score(policy: string, scenario: Scenario, choices: readonly Choice[]): Row {
  let nowUsd = 0;
  let afterUsd = 0;
  let nowVcpu = 0;
  let afterVcpu = 0;
  let over = 0;
  let n = 0;
  let upsizes = 0;
  let stops = 0;
  let changed = 0;
  const causes: Record<string, number> = {};
  scenario.vms.forEach((vm, i) => {
    const choice = choices[i] as Choice;
    const t = choice.type;
    nowUsd += vm.hourlyUsdNow;
    nowVcpu += vm.current.vcpu;
    afterUsd += vm.candidates.find((c) => c.type.name === t.name)?.hourlyUsd ?? scenario.catalog.onDemandHourlyUsd(scenario.cloud, vm.instance.region, t.name) ?? Number.NaN;
    afterVcpu += t.vcpu;
    if (t.vcpu > vm.current.vcpu || t.memoryGiB > vm.current.memoryGiB) {
      upsizes++;
      const cause = choice.cause ?? 'rule';
      causes[cause] = (causes[cause] ?? 0) + 1;
    }
    if (t.name !== vm.current.name) changed++;
    if (choice.stopped) stops++;
    const o = overOf(vm, t);
    over += o.over;
    n += o.n;
  });
  const r2 = (x: number) => Math.round(x * 100) / 100;
  return { policy, savingsPricePct: r2((1 - afterUsd / nowUsd) * 100), savingsVcpuPct: r2((1 - afterVcpu / nowVcpu) * 100), overPct: Math.round((over / n) * 100_000) / 1000, upsizes, causes, stops, changed };
}

/** The cheapest candidate whose capacity covers the CPU and memory requirement (percent of today's); else the largest. */
export function cheapestCovering(vm: BenchVm, cpuPct: number, memPct: number): InstanceType {
  let largest = vm.current;
  for (const c of vm.candidates) {
    const cap = capacityRatio(vm, c.type);
    if (cap.cpu >= cpuPct - 1e-9 && cap.mem >= memPct - 1e-9) return c.type;
    if (cap.cpu > capacityRatio(vm, largest).cpu) largest = c.type;
  }
  return largest;
}

/** A percentile of an hourly series (NaN skipped). */
export function pctOf(values: Float32Array, q: number): number {
  const v = quantile(digestOf(values), q);
  return Number.isNaN(v) ? 0 : v;
}

/** Per VM, the cheapest candidate whose test time over capacity is at most `share`: what hindsight would pick. */
export function hindsight(scenario: Scenario, share: number): Choice[] {
  return scenario.vms.map((vm) => {
    for (const c of vm.candidates) {
      const o = overOf(vm, c.type);
      if (o.over <= share * o.n) return { type: c.type, cause: 'test days' };
    }
    return { type: vm.candidates[vm.candidates.length - 1]?.type ?? vm.current, cause: 'test days' };
  });
}
