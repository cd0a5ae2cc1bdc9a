/**
 * What differs between the SQL engines the ledger query runs on: identifier quoting, UTC date formatting and the
 * canonical tags text. Everything else in `ledgerSql` is written once.
 */

export const SQL_DIALECTS = ['duckdb', 'athena', 'bigquery'] as const;
export type SqlDialect = (typeof SQL_DIALECTS)[number];

export interface DialectSql {
  /** A FOCUS column (PascalCase spec name) as this engine names it, quoted. */
  column(name: string): string;
  /** A text column as text: DuckDB's CSV sniffing may type an all-digit account id as BIGINT. */
  text(col: string): string;
  /** `YYYY-MM` of a timestamp column, UTC. */
  month(col: string): string;
  /** `YYYY-MM-DD` of a timestamp column, UTC. */
  day(col: string): string;
  /** The Tags column as a text that may still be grouped on (first stage: once per row). */
  tagsGroupable(col: string): string;
  /** Canonical tags JSON from the first-stage text (second stage: once per group). */
  tagsCanonical(expr: string): string;
}

/**
 * DuckDB reads CSV or Parquet where Tags is JSON text. Parsing it per row is the costliest step, so rows group on the
 * raw text first and the canonical form (keys sorted, values as text, null → '', last duplicate key wins, as
 * JSON.parse does) is computed once per group. Timestamps go through epoch µs and a zone-less TIMESTAMP so the day
 * is UTC whatever the column type (TIMESTAMP from CSV, TIMESTAMP WITH TIME ZONE from Parquet) and the session zone.
 */
const duckdb: DialectSql = {
  column: (name) => `"${name}"`,
  text: (col) => `CAST(${col} AS VARCHAR)`,
  month: (col) => `strftime(make_timestamp(epoch_us(${col})), '%Y-%m')`,
  day: (col) => `strftime(make_timestamp(epoch_us(${col})), '%Y-%m-%d')`,
  tagsGroupable: (col) => `coalesce(CAST(${col} AS VARCHAR), '')`,
  tagsCanonical: (expr) =>
    `CASE WHEN json_valid(${expr}) AND json_type(${expr}) = 'OBJECT' THEN CAST(to_json(map_from_entries(list_sort(list_filter(` +
    `list_transform(map_entries(CAST(json(${expr}) AS MAP(VARCHAR, VARCHAR))), e -> {'key': e.key, 'value': coalesce(e.value, '')}), ` +
    `(e, i) -> NOT list_contains(list_slice(map_keys(CAST(json(${expr}) AS MAP(VARCHAR, VARCHAR))), i + 1, 2147483647), e.key))))) AS VARCHAR) ` +
    `ELSE '{}' END`,
};

/**
 * Athena (Trino) over AWS's FOCUS export table: Glue names columns in lower case, Tags is `map<string,string>`.
 * Trino's MAP → JSON cast writes keys sorted (MapToJsonCast fills a TreeMap), compact, which is the canonical form.
 */
const athena: DialectSql = {
  column: (name) => `"${name.toLowerCase()}"`,
  text: (col) => col,
  month: (col) => `date_format(${col}, '%Y-%m')`,
  day: (col) => `date_format(${col}, '%Y-%m-%d')`,
  tagsGroupable: (col) => `coalesce(json_format(CAST(transform_values(${col}, (k, v) -> coalesce(v, '')) AS JSON)), '{}')`,
  tagsCanonical: (expr) => expr,
};

/**
 * BigQuery over Google's FOCUS view: Tags is ARRAY<STRUCT<key, value, x_type, …>> (resource, project and system
 * labels together), which cannot be grouped on, so it is made canonical per row: keys sorted, last entry of a
 * repeated key wins, null → ''.
 */
const bigquery: DialectSql = {
  column: (name) => `\`${name}\``,
  text: (col) => col,
  month: (col) => `FORMAT_TIMESTAMP('%Y-%m', ${col}, 'UTC')`,
  day: (col) => `FORMAT_TIMESTAMP('%Y-%m-%d', ${col}, 'UTC')`,
  tagsGroupable: (col) =>
    `(SELECT IF(COUNT(*) = 0, '{}', TO_JSON_STRING(JSON_OBJECT(ARRAY_AGG(k ORDER BY k), ARRAY_AGG(v ORDER BY k)))) ` +
    `FROM (SELECT t.key AS k, ARRAY_AGG(IFNULL(t.value, '') ORDER BY o DESC LIMIT 1)[OFFSET(0)] AS v ` +
    `FROM UNNEST(${col}) AS t WITH OFFSET AS o GROUP BY t.key))`,
  tagsCanonical: (expr) => expr,
};

/** The per-engine pieces, one entry per dialect. */
export const DIALECTS: Record<SqlDialect, DialectSql> = { duckdb, athena, bigquery };
