import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/** A parsed CSV: header names and rows of raw string cells. The trace files have no quoting, so a split suffices. */
export interface Csv {
  file: string;
  header: string[];
  rows: string[][];
}

/** Reads a `.csv` or `.csv.gz` file; throws naming the file when it is missing or empty. */
export function readCsv(file: string): Csv {
  let raw: Buffer;
  try {
    raw = readFileSync(file);
  } catch (cause) {
    throw new Error(`${file}: cannot read (set RIGHTSIZE_SHARED_DATA to the shared data folder)`, { cause });
  }
  const text = (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const [head, ...body] = lines;
  if (!head) throw new Error(`${file}: empty file`);
  return { file, header: head.split(','), rows: body.map((l) => l.split(',')) };
}

/** Column index by name (files differ in column order, so always parse by header). */
export function column(csv: Csv, name: string): number {
  const i = csv.header.indexOf(name);
  if (i < 0) throw new Error(`${csv.file}: column "${name}" not in header [${csv.header.join(', ')}]`);
  return i;
}

/** Numeric column; throws naming file, row and column on a non-number. */
export function numbers(csv: Csv, name: string): Float64Array {
  const i = column(csv, name);
  const out = new Float64Array(csv.rows.length);
  csv.rows.forEach((row, r) => {
    const v = Number(row[i]);
    if (!Number.isFinite(v)) throw new Error(`${csv.file}: row ${r + 2}, column "${name}": not a number (${String(row[i])})`);
    out[r] = v;
  });
  return out;
}
