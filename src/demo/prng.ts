/**
 * Seeded randomness for the demo fleet. mulberry32: 32-bit state, fast, good enough for synthetic data,
 * and identical on every platform (pure integer math), which is what "same seed → same bytes" needs.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number;
  /** Integer uniform in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number;
  chance(p: number): boolean;
  pick<T>(xs: readonly T[]): T;
  /** Picks by weight; `weights` need not sum to 1. */
  weighted<T>(items: readonly (readonly [T, number])[]): T;
  /** Approximately normal (sum of 4 uniforms), mean 0, sd 1. */
  normal(): number;
  hex(length: number): string;
  digits(length: number): string;
}

/** mulberry32 (Tommy Ettinger, public domain). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a over the parts: derives independent sub-seeds (per instance, per purpose) from one seed. */
export function hashSeed(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const ch of parts.join('\u0000')) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A generator seeded from `parts` (e.g. `createRng(seed, 'instance', 17)`). */
export function createRng(...parts: (string | number)[]): Rng {
  const u = mulberry32(hashSeed(...parts));
  const rng: Rng = {
    next: u,
    range: (lo, hi) => lo + (hi - lo) * u(),
    int: (lo, hi) => lo + Math.floor(u() * (hi - lo + 1)),
    chance: (p) => u() < p,
    pick: <T,>(xs: readonly T[]): T => {
      const x = xs[Math.floor(u() * xs.length)];
      if (x === undefined) throw new Error('pick from an empty list');
      return x;
    },
    weighted: <T,>(items: readonly (readonly [T, number])[]): T => {
      const total = items.reduce((s, [, w]) => s + w, 0);
      let r = u() * total;
      for (const [item, w] of items) {
        r -= w;
        if (r < 0) return item;
      }
      const last = items[items.length - 1];
      if (!last) throw new Error('weighted pick from an empty list');
      return last[0];
    },
    normal: () => (u() + u() + u() + u() - 2) * Math.sqrt(3),
    hex: (n) => Array.from({ length: n }, () => Math.floor(u() * 16).toString(16)).join(''),
    digits: (n) => Array.from({ length: n }, () => Math.floor(u() * 10).toString()).join(''),
  };
  return rng;
}
