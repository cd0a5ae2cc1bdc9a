/**
 * `npm run bench -- billing [--rows N] [--cases a,b] [--no-profile]`: a generated FOCUS bill (default 10,000,000 rows,
 * shapes of the real FOCUS 1.0 sample, see bench/billing/generate.ts) aggregated into the spend ledger by the JS
 * reader + SpendAggregator (from Parquet, from gzip CSV) and by DuckDB running the same ledgerSql (Parquet and CSV,
 * one thread and default threads). Each case runs in a fresh child process so its peak RSS is its own. Then the JS
 * Parquet path runs once more under the V8 profiler to show where its time goes. Goal (issue #17): ≥ 1 million
 * rows/s from Parquet on one core within 1 GiB.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CASES, type BenchCase, type CaseResult } from './billing/cases.js';
import { generatedBill } from './billing/generate.js';
import { summariseProfile } from './billing/profile.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const GOAL_ROWS_PER_S = 1_000_000;
const GOAL_RSS_MIB = 1024;

function runCase(which: BenchCase, dir: string, nodeFlags: string[] = []): CaseResult {
  const out = execFileSync(process.execPath, [...nodeFlags, '--import', 'tsx', path.join(here, 'billing', 'case.ts'), which, dir], {
    encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'inherit'],
  });
  const last = out.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as CaseResult;
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const arg = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
  const rows = Number(arg('--rows') ?? 10_000_000);
  if (!Number.isInteger(rows) || rows < 1000) throw new RangeError(`--rows must be an integer ≥ 1000, got ${arg('--rows')}`);
  const cases = (arg('--cases')?.split(',') ?? [...CASES]) as BenchCase[];
  const log = (line: string) => console.log(line);

  console.log(`billing: ${fmt(rows)} generated FOCUS 1.0 rows (shapes of the real sample), ${os.cpus().length} cores`);
  const bill = await generatedBill(rows, log);
  console.log(`  data: ${bill.dir} (${bill.parquetFiles.length} Parquet + ${bill.csvFiles.length} gzip CSV files${bill.generatedSeconds ? `, generated in ${fmt(bill.generatedSeconds, 0)} s` : ', cached'})`);

  const results: CaseResult[] = [];
  console.log(`  ${'case'.padEnd(22)} ${'seconds'.padStart(8)} ${'rows/s'.padStart(11)} ${'peak RSS'.padStart(9)} ${'ledger rows'.padStart(12)} ${'billed USD'.padStart(16)} ${'effective USD'.padStart(16)}`);
  for (const which of cases) {
    const r = runCase(which, bill.dir);
    results.push(r);
    const split = r.readerSeconds !== undefined && r.aggregateSeconds !== undefined && r.ledgerRows > 0
      ? `  (reader ${fmt(r.readerSeconds, 1)} s, aggregate ${fmt(r.aggregateSeconds, 1)} s)`
      : r.querySeconds !== undefined && r.transferSeconds !== undefined
        ? `  (query ${fmt(r.querySeconds, 1)} s = ${fmt(r.rowsIn / r.querySeconds)} rows/s; result to validated SpendRows in JS ${fmt(r.transferSeconds, 1)} s)`
        : '';
    console.log(`  ${which.padEnd(22)} ${fmt(r.seconds, 1).padStart(8)} ${fmt(r.rowsIn / r.seconds).padStart(11)} ${`${r.peakRssMiB} MiB`.padStart(9)} ${fmt(r.ledgerRows).padStart(12)} ${fmt(r.billedCostUsd, 4).padStart(16)} ${fmt(r.effectiveCostUsd, 4).padStart(16)}${split}`);
  }

  // Cross-check: every full case must see every row and agree on the totals.
  const full = results.filter((r) => r.case !== 'js-parquet-read-only');
  const ref = full[0];
  let agree = true;
  for (const r of full) {
    const ok = ref !== undefined && r.rowsIn === rows && r.ledgerRows === ref.ledgerRows
      && Math.abs(r.billedCostUsd - ref.billedCostUsd) <= 1e-9 * Math.max(1, Math.abs(ref.billedCostUsd))
      && Math.abs(r.effectiveCostUsd - ref.effectiveCostUsd) <= 1e-9 * Math.max(1, Math.abs(ref.effectiveCostUsd));
    agree &&= ok;
    console.log(`  check ${r.case.padEnd(20)} rows ${fmt(r.rowsIn)}, ledger rows ${fmt(r.ledgerRows)}, billed ${r.billedCostUsd.toFixed(6)}: ${ok ? 'agrees' : 'DIFFERS'} with ${ref?.case ?? '-'}`);
  }

  const jsParquet = results.find((r) => r.case === 'js-parquet');
  let profile: ReturnType<typeof summariseProfile> | undefined;
  if (jsParquet && !args.includes('--no-profile')) {
    const profDir = mkdtempSync(path.join(os.tmpdir(), 'billing-prof-'));
    runCase('js-parquet', bill.dir, ['--cpu-prof', '--cpu-prof-dir', profDir]);
    const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
    if (file) {
      profile = summariseProfile(path.join(profDir, file));
      console.log(`  where js-parquet spends its time (V8 profile, ${fmt(profile.totalSeconds, 1)} s, self time):`);
      for (const a of profile.byArea) if (a.pct >= 0.5) console.log(`    ${a.area.padEnd(40)} ${fmt(a.seconds, 1).padStart(7)} s ${fmt(a.pct, 1).padStart(5)} %`);
      console.log('    top functions:');
      for (const f of profile.topFunctions) console.log(`    ${fmt(f.pct, 1).padStart(5)} %  ${f.fn}`);
    }
    rmSync(profDir, { recursive: true, force: true });
  }

  const goalMet = jsParquet !== undefined && jsParquet.rowsIn / jsParquet.seconds >= GOAL_ROWS_PER_S && jsParquet.peakRssMiB <= GOAL_RSS_MIB;
  console.log(`  goal (≥ ${fmt(GOAL_ROWS_PER_S)} rows/s from Parquet on one core within ${GOAL_RSS_MIB} MiB, JS path): ${goalMet ? 'met' : 'NOT met'}; totals ${agree ? 'agree' : 'DIFFER'} across cases`);
  return {
    rows,
    cases: Object.fromEntries(results.map((r) => [r.case, { seconds: Math.round(r.seconds * 100) / 100, rowsPerSecond: Math.round(r.rowsIn / r.seconds), peakRssMiB: r.peakRssMiB, ledgerRows: r.ledgerRows, billedCostUsd: r.billedCostUsd, effectiveCostUsd: r.effectiveCostUsd, ...(r.readerSeconds !== undefined ? { readerSeconds: Math.round(r.readerSeconds * 100) / 100, aggregateSeconds: Math.round((r.aggregateSeconds ?? 0) * 100) / 100 } : {}) }])),
    totalsAgree: agree,
    jsParquetGoalMet: goalMet,
    ...(profile ? { jsParquetProfileByArea: profile.byArea.filter((a) => a.pct >= 0.5).map((a) => ({ area: a.area, pct: Math.round(a.pct * 10) / 10 })) } : {}),
  };
}
