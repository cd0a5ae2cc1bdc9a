/**
 * A FOCUS 1.0 bill of any size with the real sample's shapes: every generated row copies one row of
 * test/fixtures/billing/focus-1.0-sample-1000rows.csv (drawn uniformly, so providers, services, regions, charge and
 * pricing categories, commitment columns and cost magnitudes keep the sample's mix: AWS 94 %, Microsoft 5 %,
 * Oracle 0.7 %, 33 services) and varies what a bigger bill varies:
 * - resources: the sample is 1,000 rows drawn from a whole month (842 distinct resources), so nearly every row is
 *   another resource. A real month bills a resource hourly, hundreds of rows each; here each template row stands for
 *   `max(1, rows / 1000 / ROWS_PER_RESOURCE)` resources (its ResourceId suffixed `-k`), 300 rows per resource on
 *   average: 10 M rows → ~33 k resources, ~1 M ledger lines (resource × day × tags);
 * - sub-account and tag set: fixed per resource, drawn from the provider's pool in the sample (66 AWS accounts,
 *   330 AWS tag sets, …);
 * - when: a random day of the template's month (and hour, for hourly rows), same duration; month-long rows (credits,
 *   fees) keep their dates;
 * - amounts: the template's costs and quantities times one factor in [0.5, 1.5), so List ≥ Effective relations hold.
 * Deterministic (mulberry32). Written as gzip CSV (the sample's text conventions: quoted strings, `NULL`) and as
 * Parquet (timestamp millis and double columns, dictionary strings), 1 M rows per file, 100 k-row row groups.
 */
import { createWriteStream, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { createGzip } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { fileWriter, ParquetWriter, schemaFromColumnData } from 'hyparquet-writer';
import { mulberry32 } from '../../src/demo/prng.js';

/** Bump when the output changes, so cached files are not reused. */
export const GENERATOR_VERSION = 1;
const ROWS_PER_FILE = 1_000_000;
const ROW_GROUP_ROWS = 100_000;
const ROWS_PER_RESOURCE = 300;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const SAMPLE = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../test/fixtures/billing/focus-1.0-sample-1000rows.csv');

const TIMESTAMP_COLUMNS = new Set(['BillingPeriodEnd', 'BillingPeriodStart', 'ChargePeriodEnd', 'ChargePeriodStart']);
const DOUBLE_COLUMNS = new Set(['BilledCost', 'ConsumedQuantity', 'ContractedCost', 'ContractedUnitPrice', 'EffectiveCost', 'ListCost', 'ListUnitPrice', 'PricingQuantity']);
/** Amounts and quantities scaled by the row's factor (unit prices stay). */
const SCALED = ['BilledCost', 'ConsumedQuantity', 'ContractedCost', 'EffectiveCost', 'ListCost', 'PricingQuantity'];

type Cell = string | number | null;
interface Template { cells: Cell[]; provider: string; durationMs: number; monthStartMs: number; startMs: number }

export interface GeneratedBill { dir: string; rows: number; csvFiles: string[]; parquetFiles: string[]; generatedSeconds?: number }

const parseTs = (s: string) => Date.parse(`${s.replace(' ', 'T')}Z`);
const tsText = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

function loadTemplates(): { header: string[]; templates: Template[]; accounts: Map<string, string[]>; tags: Map<string, string[]> } {
  const records = parse(readFileSync(SAMPLE), { relax_quotes: false }) as string[][];
  const header = records[0] as string[];
  const col = (name: string) => header.indexOf(name);
  const accounts = new Map<string, Set<string>>();
  const tags = new Map<string, Set<string>>();
  const templates = records.slice(1).map((r) => {
    const cells: Cell[] = r.map((v, i) => {
      if (v === 'NULL') return null;
      const name = header[i] as string;
      if (TIMESTAMP_COLUMNS.has(name)) return parseTs(v);
      if (DOUBLE_COLUMNS.has(name)) return Number(v);
      return v;
    });
    const provider = r[col('ProviderName')] as string;
    const add = (m: Map<string, Set<string>>, v: Cell) => { if (typeof v === 'string') m.set(provider, (m.get(provider) ?? new Set()).add(v)); };
    add(accounts, cells[col('SubAccountId')] ?? null);
    add(tags, cells[col('Tags')] ?? null);
    const startMs = cells[col('ChargePeriodStart')] as number;
    const monthStartMs = cells[col('BillingPeriodStart')] as number;
    return { cells, provider, durationMs: (cells[col('ChargePeriodEnd')] as number) - startMs, monthStartMs, startMs };
  });
  const lists = (m: Map<string, Set<string>>) => new Map([...m].map(([k, v]) => [k, [...v].sort()]));
  return { header, templates, accounts: lists(accounts), tags: lists(tags) };
}

/** Small integer hash, so a resource's account and tags stay the same across its rows. */
const mix = (a: number, b: number) => {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x27d4eb2f, 0xc2b2ae35);
  h ^= h >>> 15;
  return (Math.imul(h, 0x2c1b3c6d) ^ (h >>> 12)) >>> 0;
};

/** Generates the next `count` rows as columns (one array per sample column). */
function generateColumns(t: ReturnType<typeof loadTemplates>, count: number, totalRows: number, rnd: () => number): Cell[][] {
  const { header, templates, accounts, tags } = t;
  const col = (name: string) => header.indexOf(name);
  const [cStart, cEnd, cRes, cSub, cTags] = [col('ChargePeriodStart'), col('ChargePeriodEnd'), col('ResourceId'), col('SubAccountId'), col('Tags')];
  const scaled = SCALED.map(col);
  const perTemplate = Math.max(1, Math.round(totalRows / templates.length / ROWS_PER_RESOURCE));
  const columns: Cell[][] = header.map(() => new Array<Cell>(count));
  for (let i = 0; i < count; i++) {
    const ti = Math.floor(rnd() * templates.length);
    const tpl = templates[ti] as Template;
    const k = Math.floor(rnd() * perTemplate);
    const factor = 0.5 + rnd();
    let start = tpl.startMs;
    if (tpl.durationMs <= DAY_MS) {
      const day = Math.floor(rnd() * 30);
      start = tpl.monthStartMs + day * DAY_MS + (tpl.durationMs < DAY_MS ? Math.floor(rnd() * 24) * HOUR_MS : 0);
    }
    for (let c = 0; c < header.length; c++) (columns[c] as Cell[])[i] = tpl.cells[c] ?? null;
    (columns[cStart] as Cell[])[i] = start;
    (columns[cEnd] as Cell[])[i] = start + tpl.durationMs;
    for (const c of scaled) {
      const v = tpl.cells[c];
      if (typeof v === 'number') (columns[c] as Cell[])[i] = v * factor;
    }
    if (k > 0) {
      const h = mix(ti, k);
      if (typeof tpl.cells[cRes] === 'string') (columns[cRes] as Cell[])[i] = `${tpl.cells[cRes] as string}-${k}`;
      const pool = accounts.get(tpl.provider);
      if (pool && tpl.cells[cSub] !== null) (columns[cSub] as Cell[])[i] = pool[h % pool.length] ?? null;
      const tagPool = tags.get(tpl.provider);
      if (tagPool && tpl.cells[cTags] !== null) (columns[cTags] as Cell[])[i] = tagPool[(h >>> 8) % tagPool.length] ?? null;
    }
  }
  return columns;
}

function csvCell(name: string, v: Cell): string {
  if (v === null) return 'NULL';
  if (typeof v === 'number') return TIMESTAMP_COLUMNS.has(name) ? `"${tsText(v)}"` : String(v);
  return `"${v.replaceAll('"', '""')}"`;
}

async function writeCsv(file: string, header: string[], columns: Cell[][], count: number): Promise<void> {
  const gzip = createGzip({ level: 1 });
  const out = createWriteStream(file);
  gzip.pipe(out);
  gzip.write(`${header.map((h) => `"${h}"`).join(',')}\n`);
  let chunk: string[] = [];
  for (let i = 0; i < count; i++) {
    chunk.push(header.map((h, c) => csvCell(h, (columns[c] as Cell[])[i] ?? null)).join(','));
    if (chunk.length === 10_000 || i === count - 1) {
      if (!gzip.write(`${chunk.join('\n')}\n`)) await once(gzip, 'drain');
      chunk = [];
    }
  }
  gzip.end();
  await once(out, 'finish');
}

function writeParquet(file: string, header: string[], columns: Cell[][]): void {
  const columnData = header.map((name, c) => ({
    name,
    data: columns[c] as Cell[],
    type: TIMESTAMP_COLUMNS.has(name) ? ('TIMESTAMP' as const) : DOUBLE_COLUMNS.has(name) ? ('DOUBLE' as const) : ('STRING' as const),
  }));
  const writer = new ParquetWriter({ writer: fileWriter(file), schema: schemaFromColumnData({ columnData }) });
  writer.write({ columnData, rowGroupSize: ROW_GROUP_ROWS });
  writer.finish();
}

/** The bill of `rows` rows in a cache dir under os.tmpdir() (reused when complete), generating it if needed. */
export async function generatedBill(rows: number, log: (line: string) => void): Promise<GeneratedBill> {
  const dir = path.join(os.tmpdir(), `rightsize-bench-billing-v${GENERATOR_VERSION}-${rows}`);
  const files = (ext: string) => readdirSync(dir).filter((f) => f.endsWith(ext)).sort().map((f) => path.join(dir, f));
  if (existsSync(path.join(dir, 'COMPLETE'))) return { dir, rows, csvFiles: files('.csv.gz'), parquetFiles: files('.parquet') };
  rmSync(dir, { recursive: true, force: true });
  const tmp = `${dir}.partial-${process.pid}`;
  mkdirSync(tmp, { recursive: true });
  const started = performance.now();
  const t = loadTemplates();
  const rnd = mulberry32(17);
  for (let done = 0, part = 0; done < rows; part++) {
    const count = Math.min(ROWS_PER_FILE, rows - done);
    const columns = generateColumns(t, count, rows, rnd);
    const name = `part-${String(part).padStart(4, '0')}`;
    await writeCsv(path.join(tmp, `${name}.csv.gz`), t.header, columns, count);
    writeParquet(path.join(tmp, `${name}.parquet`), t.header, columns);
    done += count;
    log(`  generated ${done.toLocaleString('en-US')} / ${rows.toLocaleString('en-US')} rows (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
  createWriteStream(path.join(tmp, 'COMPLETE')).end(String(rows));
  await new Promise((r) => setTimeout(r, 50));
  renameSync(tmp, dir);
  return { dir, rows, csvFiles: files('.csv.gz'), parquetFiles: files('.parquet'), generatedSeconds: (performance.now() - started) / 1000 };
}
