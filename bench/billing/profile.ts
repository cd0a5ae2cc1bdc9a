/** Summarises a V8 .cpuprofile: self time per function and per code area (hyparquet, csv-parse, reader, aggregator, …). */
import { readFileSync } from 'node:fs';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }
interface CpuProfile { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[] }

export interface ProfileSummary {
  totalSeconds: number;
  byArea: { area: string; seconds: number; pct: number }[];
  topFunctions: { fn: string; seconds: number; pct: number }[];
}

const AREAS: [string, RegExp][] = [
  ['hyparquet (decode)', /node_modules\/hyparquet\//],
  ['csv-parse', /node_modules\/csv-parse\//],
  ['zlib/streams (node)', /^node:(zlib|internal\/streams|stream|internal\/fs)/],
  ['FOCUS reader (src/billing/focus)', /src\/billing\/focus\//],
  ['SpendAggregator (src/billing/ledger)', /src\/billing\/ledger\//],
  ['garbage collector', /^\(garbage collector\)$/],
  ['other node internals', /^node:/],
];

function areaOf(node: ProfileNode): string {
  const { url, functionName } = node.callFrame;
  for (const [area, re] of AREAS) if (re.test(url) || re.test(functionName)) return area;
  if (functionName === '(program)' || functionName === '(idle)') return '(program/idle)';
  return url === '' ? `native: ${functionName || '(anonymous)'}` : 'other JS';
}

export function summariseProfile(file: string): ProfileSummary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const totalUs = p.endTime - p.startTime;
  const perSample = totalUs / Math.max(1, p.samples.length) / 1e6;
  const byNode = new Map<number, number>();
  for (const id of p.samples) byNode.set(id, (byNode.get(id) ?? 0) + 1);
  const areas = new Map<string, number>();
  const fns = new Map<string, number>();
  for (const node of p.nodes) {
    const hits = byNode.get(node.id) ?? 0;
    if (hits === 0) continue;
    const area = areaOf(node);
    areas.set(area, (areas.get(area) ?? 0) + hits);
    const where = node.callFrame.url.replace(/^.*\/(node_modules\/[^/]+|src|bench)\//, '$1/');
    const fn = `${node.callFrame.functionName || '(anonymous)'} ${where}:${node.callFrame.lineNumber + 1}`;
    fns.set(fn, (fns.get(fn) ?? 0) + hits);
  }
  const total = p.samples.length;
  const rows = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).map(([k, hits]) => ({ k, seconds: hits * perSample, pct: (100 * hits) / total }));
  return {
    totalSeconds: totalUs / 1e6,
    byArea: rows(areas).map(({ k, seconds, pct }) => ({ area: k, seconds, pct })),
    topFunctions: rows(fns).slice(0, 15).map(({ k, seconds, pct }) => ({ fn: k, seconds, pct })),
  };
}
