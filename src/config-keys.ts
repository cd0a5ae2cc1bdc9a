import type { z } from 'zod';

/**
 * Unknown keys in a config value, found by walking its zod schema: `aws.regoins` would otherwise be dropped by the
 * object schemas and silently mean "every region". Each issue carries a "did you mean" when a known key is close.
 * Objects that pass unknown keys through (a catchall) are not checked; records check their values.
 */
export interface KeyIssue {
  path: (string | number)[];
  message: string;
}

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  innerType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  valueType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  discriminator?: string;
  values?: unknown[];
  getter?: () => z.ZodType;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function unknownKeys(schema: z.ZodType, value: unknown, path: (string | number)[] = []): KeyIssue[] {
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'default':
    case 'prefault':
    case 'nullable':
    case 'catch':
    case 'readonly':
    case 'nonoptional':
      return value === undefined || value === null || !def.innerType ? [] : unknownKeys(def.innerType, value, path);
    case 'pipe': {
      // z.preprocess(fn, schema) is a pipe from a transform into the schema: the schema describes the keys.
      const side = def.in && defOf(def.in).type !== 'transform' ? def.in : def.out;
      return side ? unknownKeys(side, value, path) : [];
    }
    case 'lazy':
      return def.getter ? unknownKeys(def.getter(), value, path) : [];
    case 'array':
      return Array.isArray(value) && def.element ? value.flatMap((v, i) => unknownKeys(def.element as z.ZodType, v, [...path, i])) : [];
    case 'record':
      return isPlainObject(value) && def.valueType ? Object.entries(value).flatMap(([k, v]) => unknownKeys(def.valueType as z.ZodType, v, [...path, k])) : [];
    case 'union': {
      const options = (def.options ?? []).filter((o) => defOf(o).type === 'object' || defOf(o).type === 'default' || defOf(o).type === 'optional');
      if (!isPlainObject(value) || options.length === 0) return [];
      if (def.discriminator) {
        const tag = value[def.discriminator];
        const chosen = options.find((o) => literalValues(defOf(o).shape?.[def.discriminator as string]).includes(tag));
        return chosen ? unknownKeys(chosen, value, path) : [];
      }
      // The option the value fits best: the one with the fewest unknown keys.
      const results = options.map((o) => unknownKeys(o, value, path));
      return results.reduce((best, r) => (r.length < best.length ? r : best));
    }
    case 'object': {
      if (!isPlainObject(value) || !def.shape) return [];
      const open = def.catchall !== undefined && defOf(def.catchall).type !== 'never';
      const known = Object.keys(def.shape);
      const out: KeyIssue[] = [];
      for (const [key, v] of Object.entries(value)) {
        const child = def.shape[key];
        if (child) out.push(...unknownKeys(child, v, [...path, key]));
        else if (!open) out.push({ path: [...path, key], message: unknownKeyMessage(key, known) });
      }
      return out;
    }
    default:
      return [];
  }
}

function literalValues(schema: z.ZodType | undefined): unknown[] {
  if (!schema) return [];
  const def = defOf(schema);
  return def.type === 'literal' ? (def.values ?? []) : def.type === 'enum' ? Object.values((schema as unknown as { enum: Record<string, unknown> }).enum ?? {}) : [];
}

function unknownKeyMessage(key: string, known: readonly string[]): string {
  const close = closest(key, known);
  if (close) return `unknown key (did you mean "${close}"?)`;
  return `unknown key; expected one of: ${known.join(', ')}`;
}

/** The known key within a small edit distance (transpositions count once), case-insensitive. */
export function closest(key: string, known: readonly string[]): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const name of known) {
    const d = editDistance(key.toLowerCase(), name.toLowerCase());
    if (!best || d < best.d) best = { name, d };
  }
  return best && best.d <= Math.max(2, Math.floor(key.length / 3)) ? best.name : undefined;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number) => (d[i] as number[])[j] as number;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = v;
    }
  }
  return at(a.length, b.length);
}
