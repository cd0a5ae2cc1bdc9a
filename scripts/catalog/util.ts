import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/** Reads a file, gunzipping `.gz` files; a missing input is one line naming it and the expected layout. */
export function readGz(file: string): string {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    console.error(`missing input ${file}: the shared data directory (first argument or RIGHTSIZE_SHARED_DATA) must hold pricing/{aws,gcp,azure}/… and traces/… as described in data/README.md`);
    process.exit(2);
  }
  return (file.endsWith('.gz') ? gunzipSync(buf) : buf).toString('utf8');
}

export function readJson<T>(text: string): T {
  return JSON.parse(text) as T;
}

/** Rounds to `digits` decimals; keeps the JSON compact and the output stable across runs. */
export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Splits a `;`-separated CSV with a header row into records. */
export function readSemicolonCsv(text: string): Record<string, string>[] {
  const [header, ...rows] = text.trim().split(/\r?\n/);
  const keys = (header ?? '').split(';');
  return rows.filter((r) => r.length > 0).map((r) => Object.fromEntries(r.split(';').map((v, i) => [keys[i] ?? String(i), v])));
}
