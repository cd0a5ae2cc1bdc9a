/**
 * One measured case of the billing bench, run in its own process so its peak RSS is its own:
 * `tsx bench/billing/case.ts <case> <dir>` prints one JSON line (seconds, peak RSS, ledger rows and totals).
 */
import '../../src/node-support.js';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance, JSDuckDBValueConverter } from '@duckdb/node-api';
import { readFocusObject } from '../../src/billing/focus/read.js';
import { localBillingObject } from '../../src/billing/local-source.js';
import { SpendAggregator } from '../../src/billing/ledger/aggregate.js';
import { ledgerSql, spendRowFromSqlRecord } from '../../src/billing/ledger/sql.js';

import { CASES, type BenchCase, type CaseResult } from './cases.js';

const peakRssMiB = () => Math.round(process.resourceUsage().maxRSS / 1024);

async function runJs(files: string[], aggregate: boolean): Promise<Omit<CaseResult, 'case' | 'peakRssMiB'>> {
  const agg = new SpendAggregator({});
  const started = performance.now();
  let aggregateMs = 0;
  let rowsIn = 0;
  for (const file of files) {
    // As imports read: without the columns the ledger does not use.
    const read = readFocusObject(await localBillingObject(file), { fields: 'ledger' });
    for await (const batch of read.batches) {
      rowsIn += batch.length;
      if (!aggregate) continue;
      const t = performance.now();
      agg.add(batch);
      aggregateMs += performance.now() - t;
    }
    const report = read.report();
    if (report.rowsAccepted !== report.rowsRead) process.stderr.write(`${file}: ${report.rowsRead - report.rowsAccepted} rows rejected ${JSON.stringify(report.problems)}\n`);
  }
  const rows = [...agg.byBillingPeriod().values()].flat();
  const seconds = (performance.now() - started) / 1000;
  return {
    seconds, rowsIn, ledgerRows: rows.length,
    billedCostUsd: rows.reduce((s, r) => s + r.billedCostUsd, 0), effectiveCostUsd: rows.reduce((s, r) => s + r.effectiveCostUsd, 0),
    readerSeconds: seconds - aggregateMs / 1000, aggregateSeconds: aggregateMs / 1000,
  };
}

async function runDuck(files: string[], format: 'parquet' | 'csv', threads: number | undefined): Promise<Omit<CaseResult, 'case' | 'peakRssMiB'>> {
  const started = performance.now();
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  if (threads !== undefined) await conn.run(`SET threads = ${threads}`);
  const list = `[${files.map((f) => `'${f}'`).join(', ')}]`;
  const from = format === 'parquet' ? `read_parquet(${list})` : `read_csv(${list}, header = true, nullstr = 'NULL')`;
  // Streamed chunk by chunk (about 2,048 rows each), so the result never sits in JS whole.
  const result = await conn.stream(ledgerSql({ dialect: 'duckdb', from, focusVersion: '1.0' }));
  const names = result.columnNames();
  let queryDoneMs = 0;
  let billed = 0;
  let effective = 0;
  let rowsIn = 0;
  let ledgerRows = 0;
  const rec: Record<string, unknown> = {};
  for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    if (queryDoneMs === 0) queryDoneMs = performance.now(); // the first chunk comes once the aggregation is done
    const columns = chunk.convertColumns(JSDuckDBValueConverter);
    for (let i = 0; i < chunk.rowCount; i++) {
      for (let c = 0; c < names.length; c++) rec[names[c] as string] = (columns[c] as unknown[])[i];
      const { row } = spendRowFromSqlRecord(rec);
      billed += row.billedCostUsd;
      effective += row.effectiveCostUsd;
      rowsIn += row.rowCount;
      ledgerRows++;
    }
  }
  if (queryDoneMs === 0) queryDoneMs = performance.now();
  conn.closeSync();
  db.closeSync();
  const doneMs = performance.now();
  return { seconds: (doneMs - started) / 1000, querySeconds: (queryDoneMs - started) / 1000, transferSeconds: (doneMs - queryDoneMs) / 1000, rowsIn, ledgerRows, billedCostUsd: billed, effectiveCostUsd: effective };
}

const [which, dir] = process.argv.slice(2) as [BenchCase, string];
const files = (ext: string) => readdirSync(dir).filter((f) => f.endsWith(ext)).sort().map((f) => path.join(dir, f));
let result: Omit<CaseResult, 'case' | 'peakRssMiB'>;
switch (which) {
  case 'js-parquet': result = await runJs(files('.parquet'), true); break;
  case 'js-csv': result = await runJs(files('.csv.gz'), true); break;
  case 'js-parquet-read-only': result = await runJs(files('.parquet'), false); break;
  case 'duckdb-parquet-1t': result = await runDuck(files('.parquet'), 'parquet', 1); break;
  case 'duckdb-parquet': result = await runDuck(files('.parquet'), 'parquet', undefined); break;
  case 'duckdb-csv-1t': result = await runDuck(files('.csv.gz'), 'csv', 1); break;
  case 'duckdb-csv': result = await runDuck(files('.csv.gz'), 'csv', undefined); break;
  default: throw new Error(`unknown case ${String(which)}; cases: ${CASES.join(', ')}`);
}
process.stdout.write(`${JSON.stringify({ case: which, ...result, peakRssMiB: peakRssMiB() })}\n`);
