/** The billing bench's cases and what each child process reports (no side effects: imported by the parent). */
export const CASES = ['js-parquet', 'js-csv', 'js-parquet-read-only', 'duckdb-parquet-1t', 'duckdb-parquet', 'duckdb-csv-1t', 'duckdb-csv'] as const;
export type BenchCase = (typeof CASES)[number];

export interface CaseResult {
  case: BenchCase;
  seconds: number;
  rowsIn: number;
  peakRssMiB: number;
  ledgerRows: number;
  billedCostUsd: number;
  effectiveCostUsd: number;
  /** JS reader only: seconds spent inside the reader (awaiting batches) vs in SpendAggregator.add. */
  readerSeconds?: number;
  aggregateSeconds?: number;
  /** DuckDB only: the query itself (to DuckDB's result chunks), and turning those into validated SpendRows in JS. */
  querySeconds?: number;
  transferSeconds?: number;
}

