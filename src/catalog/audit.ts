import type { Cloud } from '../domain/cloud.js';
import { CLOUDS } from '../domain/cloud.js';
import type { InstanceType } from '../domain/instance-type.js';
import type { AuditExceptionsFile, SecondSourcesFile, ShapeFacts } from './audit-schema.js';
import type { Catalog } from './catalog.js';

/** Tolerances: counts and names must match exactly; memory within 2 % (sources round GiB); prices within 5 %. */
export const AUDIT_TOLERANCE = { memoryRel: 0.02, gpuMemoryRel: 0.05, priceRel: 0.05, azureSeriesRel: 0.02 } as const;

/** One fact on which the catalog and a second source disagree beyond the tolerance. */
export interface Disagreement {
  check: 'shape' | 'price' | 'azure-series';
  cloud: Cloud;
  type: string;
  region?: string;
  field: string;
  catalogValue: string | number;
  otherValue: string | number;
  /** The second source's id (data/catalog/second-sources.json), or the rule for an internal check. */
  source: string;
  /** The recorded exception's reason when the disagreement is understood; absent = unexplained. */
  explained?: string;
}

export interface AuditResult {
  typesChecked: number;
  pricesChecked: number;
  disagreements: Disagreement[];
  summary: { typesChecked: number; pricesChecked: number; disagreements: number; explained: number; unexplained: number };
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-12);

function shapeDisagreements(t: InstanceType, facts: ShapeFacts, source: string): Disagreement[] {
  const out: Disagreement[] = [];
  const push = (field: string, catalogValue: string | number, otherValue: string | number) => out.push({ check: 'shape', cloud: t.cloud, type: t.name, field, catalogValue, otherValue, source });
  if (facts.vcpu !== undefined && facts.vcpu !== t.vcpu) push('vcpu', t.vcpu, facts.vcpu);
  if (facts.memoryGiB !== undefined && rel(facts.memoryGiB, t.memoryGiB) > AUDIT_TOLERANCE.memoryRel) push('memoryGiB', t.memoryGiB, facts.memoryGiB);
  if (facts.arch !== undefined && facts.arch !== t.arch) push('arch', t.arch, facts.arch);
  const count = t.gpu?.count ?? 0;
  if (facts.gpuCount !== undefined && facts.gpuCount !== count) push('gpuCount', count, facts.gpuCount);
  if (facts.gpuModel !== undefined && facts.gpuModel !== (t.gpu?.model ?? 'none')) push('gpuModel', t.gpu?.model ?? 'none', facts.gpuModel);
  if (facts.gpuMemoryGiB !== undefined && t.gpu && rel(facts.gpuMemoryGiB, t.gpu.memoryGiBPerGpu) > AUDIT_TOLERANCE.gpuMemoryRel) push('gpuMemoryGiB', t.gpu.memoryGiBPerGpu, facts.gpuMemoryGiB);
  return out;
}

/**
 * An Azure series: name without its size number and constrained-core count, reservation family, memory and GPUs per
 * licensed vCPU. Azure prices a series' Linux sizes in proportion to their licensed vCPUs (a constrained-core size
 * at its parent's price), so a size dearer per vCPU than the series' cheapest is another meter (Windows, say).
 */
function azureSeriesKey(t: InstanceType): string {
  const v = t.licensedVcpu ?? t.vcpu;
  return `${t.name.replace(/^Standard_([A-Z]+)\d+(-\d+)?/, '$1#')}|${t.family}|${(t.memoryGiB / v).toFixed(1)}|${((t.gpu?.count ?? 0) / v).toFixed(4)}`;
}

function azureSeriesDisagreements(catalog: Catalog): { disagreements: Disagreement[]; checked: number } {
  const out: Disagreement[] = [];
  let checked = 0;
  for (const region of catalog.regions('azure')) {
    const groups = new Map<string, { t: InstanceType; perVcpu: number; hourly: number }[]>();
    for (const t of catalog.pricedTypes('azure', region.id)) {
      const hourly = catalog.onDemandHourlyUsd('azure', region.id, t.name) as number;
      const key = azureSeriesKey(t);
      const g = groups.get(key) ?? [];
      g.push({ t, perVcpu: hourly / (t.licensedVcpu ?? t.vcpu), hourly });
      groups.set(key, g);
    }
    for (const g of groups.values()) {
      if (g.length < 2) continue;
      const rate = Math.min(...g.map((x) => x.perVcpu));
      for (const x of g) {
        checked++;
        if (x.perVcpu > rate * (1 + AUDIT_TOLERANCE.azureSeriesRel)) {
          const expected = Math.round(rate * (x.t.licensedVcpu ?? x.t.vcpu) * 1e6) / 1e6;
          out.push({ check: 'azure-series', cloud: 'azure', type: x.t.name, region: region.id, field: 'onDemandHourlyUsd', catalogValue: x.hourly, otherValue: expected, source: 'series Linux rate × licensed vCPUs' });
        }
      }
    }
  }
  return { disagreements: out, checked };
}

function explain(d: Disagreement, exceptions: AuditExceptionsFile): string | undefined {
  for (const e of exceptions.exceptions) {
    if (e.check !== d.check || e.cloud !== d.cloud) continue;
    if (e.source !== undefined && e.source !== d.source) continue;
    if (e.field !== undefined && e.field !== d.field) continue;
    if (e.region !== undefined && e.region !== d.region) continue;
    if (new RegExp(`^(?:${e.pattern})$`).test(d.type)) return e.reason;
  }
  return undefined;
}

/**
 * Cross-checks every catalog type's shape (vCPUs, memory, architecture, GPU count, model and memory) and every
 * on-demand Linux price against the second sources, plus Azure's series rule (its prices have no second source here).
 * Pure: the caller loads the files.
 * @example const { summary } = auditCatalog(loadCatalog(), loadSecondSources(), loadAuditExceptions());
 */
export function auditCatalog(catalog: Catalog, second: SecondSourcesFile, exceptions: AuditExceptionsFile): AuditResult {
  const disagreements: Disagreement[] = [];
  const typesChecked = new Set<string>();
  for (const set of second.shapes) {
    for (const [name, facts] of Object.entries(set.types)) {
      const t = catalog.type(set.cloud, name);
      if (!t) continue;
      typesChecked.add(`${set.cloud}|${name}`);
      disagreements.push(...shapeDisagreements(t, facts, set.source));
    }
  }
  const pricesChecked = new Set<string>();
  for (const table of second.prices) {
    for (const [name, other] of Object.entries(table.prices)) {
      const mine = catalog.onDemandHourlyUsd(table.cloud, table.region, name);
      if (mine === undefined) continue;
      pricesChecked.add(`${table.cloud}|${table.region}|${name}`);
      if (rel(mine, other) > AUDIT_TOLERANCE.priceRel) {
        disagreements.push({ check: 'price', cloud: table.cloud, type: name, region: table.region, field: 'onDemandHourlyUsd', catalogValue: mine, otherValue: other, source: table.source });
      }
    }
  }
  const series = azureSeriesDisagreements(catalog);
  disagreements.push(...series.disagreements);
  for (const region of catalog.regions('azure')) for (const t of catalog.pricedTypes('azure', region.id)) pricesChecked.add(`azure|${region.id}|${t.name}`);
  for (const d of disagreements) {
    const reason = explain(d, exceptions);
    if (reason) d.explained = reason;
  }
  const order = (d: Disagreement) => `${CLOUDS.indexOf(d.cloud)}|${d.check}|${d.type}|${d.region ?? ''}|${d.field}|${d.source}`;
  disagreements.sort((a, b) => order(a).localeCompare(order(b)));
  const explained = disagreements.filter((d) => d.explained).length;
  return {
    typesChecked: typesChecked.size,
    pricesChecked: pricesChecked.size,
    disagreements,
    summary: { typesChecked: typesChecked.size, pricesChecked: pricesChecked.size, disagreements: disagreements.length, explained, unexplained: disagreements.length - explained },
  };
}
