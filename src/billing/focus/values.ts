/**
 * Fast per-value parsers for the happy path (no zod, no regex, no allocation beyond the result). `schema.ts` holds the
 * zod definitions of the same rules; a property test pins that both accept and reject the same values.
 */

const DIGIT_0 = 48;
const isDigit = (c: number) => c >= DIGIT_0 && c <= 57;

/**
 * FOCUS Numeric Format as text: optional sign, digits with an optional fraction (or a bare fraction `.5`), optional
 * exponent `e±N`. No thousands separators, currency symbols, spaces, hex or `Infinity` (which `Number()` would take).
 * Returns undefined when the text is not a number.
 */
export function parseNumberText(s: string): number | undefined {
  const n = s.length;
  let i = 0;
  let c = s.charCodeAt(0);
  if (c === 43 || c === 45) c = s.charCodeAt(++i); // + -
  let digits = 0;
  while (i < n && isDigit(c)) { digits++; c = s.charCodeAt(++i); }
  if (c === 46) { // .
    c = s.charCodeAt(++i);
    while (i < n && isDigit(c)) { digits++; c = s.charCodeAt(++i); }
  }
  if (digits === 0) return undefined;
  if (c === 101 || c === 69) { // e E
    c = s.charCodeAt(++i);
    if (c === 43 || c === 45) c = s.charCodeAt(++i);
    let expDigits = 0;
    while (i < n && isDigit(c)) { expDigits++; c = s.charCodeAt(++i); }
    if (expDigits === 0) return undefined;
  }
  if (i !== n) return undefined;
  const value = Number(s);
  return Number.isFinite(value) ? value : undefined;
}

function digits(s: string, from: number, count: number): number {
  let v = 0;
  for (let i = from; i < from + count; i++) {
    const c = s.charCodeAt(i);
    if (!isDigit(c)) return -1;
    v = v * 10 + (c - DIGIT_0);
  }
  return v;
}

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * ISO 8601 date-time → epoch ms. Accepts `YYYY-MM-DD`, `YYYY-MM-DD[T ]HH:MM[:SS[.fff…]]` followed by `Z`, `±HH:MM`,
 * `±HHMM` or nothing; no zone means UTC because FOCUS Date/Time Format is UTC. Calendar-checked (no Feb 30,
 * no hour 24, no year before 1000). Returns undefined otherwise.
 */
export function parseTimestampText(s: string): number | undefined {
  const n = s.length;
  if (n < 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return undefined;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  if (year < 1000 || month < 1 || month > 12 || day < 1) return undefined;
  const monthDays = month === 2 && isLeap(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  if (day > monthDays) return undefined;
  if (n === 10) return Date.UTC(year, month - 1, day);
  const sep = s.charCodeAt(10);
  if ((sep !== 84 && sep !== 32) || n < 16 || s.charCodeAt(13) !== 58) return undefined; // T or space, HH:MM
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return undefined;
  let i = 16;
  let second = 0;
  let ms = 0;
  if (s.charCodeAt(i) === 58) { // :SS
    second = digits(s, i + 1, 2);
    if (second < 0 || second > 59) return undefined;
    i += 3;
    if (s.charCodeAt(i) === 46) { // .fraction: any number of digits, ms kept
      let scale = 100;
      let count = 0;
      i++;
      while (i < n && isDigit(s.charCodeAt(i))) {
        ms += (s.charCodeAt(i) - DIGIT_0) * scale;
        scale /= 10;
        count++;
        i++;
      }
      if (count === 0) return undefined;
      ms = Math.floor(ms);
    }
  }
  let offsetMinutes = 0;
  if (i < n) {
    const z = s.charCodeAt(i);
    if (z === 90 && i === n - 1) { // Z
      i++;
    } else if (z === 43 || z === 45) {
      const oh = digits(s, i + 1, 2);
      const withColon = s.charCodeAt(i + 3) === 58;
      const om = digits(s, i + (withColon ? 4 : 3), 2);
      if (oh < 0 || oh > 23 || om < 0 || om > 59 || i + (withColon ? 6 : 5) !== n) return undefined;
      offsetMinutes = (z === 45 ? -1 : 1) * (oh * 60 + om);
      i = n;
    } else {
      return undefined;
    }
  }
  if (i !== n) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60_000;
}

/** `NULL` in any case: the FOCUS sample's (and many CSV exports') spelling of a null cell. */
export function isNullText(s: string): boolean {
  return s.length === 4 && (s === 'NULL' || s.toUpperCase() === 'NULL');
}

/** Canonical tags: keys sorted, values as strings (null → ''), nested values as their JSON. */
export function canonicalTags(tags: Record<string, unknown>): string {
  const keys = Object.keys(tags);
  if (keys.length === 0) return '{}';
  keys.sort();
  const out: Record<string, string> = {};
  for (const k of keys) {
    const v = tags[k];
    out[k] = typeof v === 'string' ? v : v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  return JSON.stringify(out);
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A Tags cell → canonical JSON object text, or undefined when it is not a JSON object. Accepts JSON text, plain
 * objects, `Map`s and arrays of `{key, value}` entries (how Parquet `map<string,string>` columns can decode).
 */
export function parseTags(raw: unknown): string | undefined {
  if (typeof raw === 'string') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return undefined;
    }
    return isPlainObject(parsed) ? canonicalTags(parsed) : undefined;
  }
  if (raw instanceof Map) return canonicalTags(Object.fromEntries(raw));
  if (Array.isArray(raw)) {
    const out: Record<string, unknown> = {};
    for (const e of raw) {
      if (!isPlainObject(e) || typeof e['key'] !== 'string') return undefined;
      out[e['key']] = e['value'];
    }
    return canonicalTags(out);
  }
  return isPlainObject(raw) && !(raw instanceof Uint8Array) && !(raw instanceof Date) ? canonicalTags(raw) : undefined;
}

/** Case-insensitive lookup table for a closed vocabulary (Google's FOCUS view emits `usage`, `standard`). */
export function vocabulary<const T extends string>(values: readonly T[]): (s: string) => T | undefined {
  const byExact = new Map<string, T>(values.map((v) => [v, v]));
  const byLower = new Map<string, T>(values.map((v) => [v.toLowerCase(), v]));
  return (s) => byExact.get(s) ?? byLower.get(s.trim().toLowerCase());
}
