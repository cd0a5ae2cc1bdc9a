import type { ProblemSummary, RowProblemKind } from '../../domain/spend.js';

/** Longest offending value kept in an example. */
const MAX_VALUE_CHARS = 80;
const MAX_EXAMPLES = 5;

type Effect = ProblemSummary['effect'];

/** Counts row problems per (kind, effect) and keeps the first few examples of each. */
export class ProblemCollector {
  private readonly byKey = new Map<string, ProblemSummary>();

  add(kind: RowProblemKind, effect: Effect, example: { file: string; row: number; column: string; value: unknown; message: string }): void {
    const key = `${kind}/${effect}`;
    let summary = this.byKey.get(key);
    if (!summary) {
      summary = { kind, effect, count: 0, examples: [] };
      this.byKey.set(key, summary);
    }
    summary.count++;
    if (summary.examples.length < MAX_EXAMPLES) summary.examples.push({ ...example, value: showValue(example.value) });
  }

  /** Summaries sorted by kind then effect, so reports compare stably. */
  summaries(): ProblemSummary[] {
    return [...this.byKey.values()].sort((a, b) => a.kind.localeCompare(b.kind) || a.effect.localeCompare(b.effect));
  }
}

/** A cell as text for an example: strings as they are, others as JSON-ish, cut at 80 characters. */
export function showValue(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (value === null || value === undefined) text = 'null';
  else if (value instanceof Date) text = Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  else if (typeof value === 'bigint') text = value.toString();
  else if (value instanceof Uint8Array) text = `<${value.length} bytes>`;
  else if (typeof value === 'object') text = safeJson(value);
  else text = String(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

function safeJson(value: object): string {
  try {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v instanceof Map ? Object.fromEntries(v) : v)) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Sums summaries of several files per (kind, effect), keeping at most five examples each (first files first). */
export function mergeProblems(lists: readonly (readonly ProblemSummary[])[]): ProblemSummary[] {
  const byKey = new Map<string, ProblemSummary>();
  for (const list of lists) {
    for (const p of list) {
      const key = `${p.kind}/${p.effect}`;
      const into = byKey.get(key) ?? { kind: p.kind, effect: p.effect, count: 0, examples: [] };
      into.count += p.count;
      for (const e of p.examples) if (into.examples.length < MAX_EXAMPLES) into.examples.push(e);
      byKey.set(key, into);
    }
  }
  return [...byKey.values()].sort((a, b) => a.kind.localeCompare(b.kind) || a.effect.localeCompare(b.effect));
}
