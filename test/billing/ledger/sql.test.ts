import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { LEDGER_SQL_COLUMNS, ledgerSql, spendRowFromSqlRecord } from '../../../src/billing/ledger/sql.js';

describe('ledgerSql text per dialect', () => {
  it('Athena: lower-case quoted Glue columns, date_format days, MAP→JSON tags, the period filter and FOCUS 1.2 quantity', () => {
    const sql = ledgerSql({ dialect: 'athena', from: 'cid_data_export.focus', focusVersion: '1.2', billingPeriod: '2024-09', exchangeRatesToUsd: { USD: 1, eur: 1.08 } });
    expect(sql).toContain(`date_format("billingperiodstart", '%Y-%m') AS billing_period`);
    expect(sql).toContain(`date_format("chargeperiodstart", '%Y-%m-%d') AS day`);
    expect(sql).toContain(`coalesce(json_format(CAST(transform_values("tags", (k, v) -> coalesce(v, '')) AS JSON)), '{}') AS tags_raw`);
    expect(sql).toContain(`AND date_format("billingperiodstart", '%Y-%m') = '2024-09'`);
    expect(sql).toContain(`CASE upper("billingcurrency") WHEN 'USD' THEN 1 WHEN 'EUR' THEN 1.08 END AS rate`);
    expect(sql).toContain(`coalesce("commitmentdiscountquantity", 0) AS commitment_discount_quantity`);
    expect(sql).toContain(`CASE lower(trim("chargecategory")) WHEN 'usage' THEN 'Usage' WHEN 'purchase' THEN 'Purchase' WHEN 'tax' THEN 'Tax' WHEN 'credit' THEN 'Credit' WHEN 'adjustment' THEN 'Adjustment' END AS charge_category`);
    expect(sql).toContain('FROM cid_data_export.focus\n');
    expect(sql).not.toMatch(/"[A-Z]/); // no mixed-case quoted identifier
    expect(sql).toMatch(/\nSELECT billing_period, day, .*, tags_raw AS tags_json,/);
  });

  it('BigQuery: backtick columns, FORMAT_TIMESTAMP in UTC, tags from the ARRAY<STRUCT<key, value>> of Google\'s view', () => {
    const sql = ledgerSql({ dialect: 'bigquery', from: '`proj.billing.focus_v1`', focusVersion: '1.0' });
    expect(sql).toContain("FORMAT_TIMESTAMP('%Y-%m', `BillingPeriodStart`, 'UTC') AS billing_period");
    expect(sql).toContain("FORMAT_TIMESTAMP('%Y-%m-%d', `ChargePeriodStart`, 'UTC') AS day");
    expect(sql).toContain('FROM UNNEST(`Tags`) AS t WITH OFFSET AS o GROUP BY t.key');
    expect(sql).toContain('JSON_OBJECT(ARRAY_AGG(k ORDER BY k), ARRAY_AGG(v ORDER BY k))');
    expect(sql).toContain('0 AS commitment_discount_quantity');
    expect(sql).not.toContain('CommitmentDiscountQuantity');
    expect(sql).not.toContain("= '20"); // no period filter asked
    expect(sql).toContain("CASE upper(`BillingCurrency`) WHEN 'USD' THEN 1 END AS rate");
    expect(sql).toContain('`ChargePeriodStart` < `ChargePeriodEnd`');
  });

  it('DuckDB: double-quoted columns, UTC day through epoch µs whatever the column type', () => {
    const sql = ledgerSql({ dialect: 'duckdb', from: "read_parquet('x.parquet')", focusVersion: '1.2' });
    expect(sql).toContain(`strftime(make_timestamp(epoch_us("ChargePeriodStart")), '%Y-%m-%d') AS day`);
    expect(sql).toContain(`coalesce(CAST("Tags" AS VARCHAR), '') AS tags_raw`);
    // CSV sniffing may type an all-digit account id as BIGINT: text dimensions are cast back.
    expect(sql).toContain(`coalesce(CAST("BillingAccountId" AS VARCHAR), '') AS billing_account_id`);
    expect(sql).toContain('GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16');
  });

  it('refuses text that would be spliced into the query unchecked', () => {
    expect(() => ledgerSql({ dialect: 'duckdb', from: 't', focusVersion: '1.0', billingPeriod: "2024-09' OR 1=1 --" })).toThrow(/YYYY-MM/);
    expect(() => ledgerSql({ dialect: 'duckdb', from: 't', focusVersion: '1.0', exchangeRatesToUsd: { "US'D": 1 } })).toThrow(/three letters/);
    expect(() => ledgerSql({ dialect: 'duckdb', from: 't', focusVersion: '1.0', exchangeRatesToUsd: { EUR: Number.NaN } })).toThrow(/positive/);
  });
});

describe('spendRowFromSqlRecord', () => {
  const rec = {
    billing_period: '2024-09', day: '2024-09-03', provider: 'Google Cloud', billing_account_id: '01AB', account: 'proj-1', service: 'Compute Engine',
    service_category: 'Compute', region: null, resource_id: '', charge_category: 'Usage', pricing_category: 'Standard', commitment_discount_id: null,
    commitment_discount_type: null, commitment_discount_category: null, commitment_discount_status: null, tags_json: '{"a":"b"}',
    billed_cost_usd: '12.5', effective_cost_usd: '1e-3', list_cost_usd: 14, contracted_cost_usd: '13.000000000', commitment_discount_quantity: 0n, row_count: '24',
  };

  it('reads the text numbers of Athena and BigQuery, DuckDB bigints, and nulls as empty strings', () => {
    const { billingPeriod, row } = spendRowFromSqlRecord(rec);
    expect(billingPeriod).toBe('2024-09');
    expect(row).toMatchObject({ cloud: 'gcp', region: '', commitmentDiscountId: '', billedCostUsd: 12.5, effectiveCostUsd: 0.001, contractedCostUsd: 13, rowCount: 24, commitmentDiscountQuantity: 0 });
    expect(Object.keys(rec)).toEqual([...LEDGER_SQL_COLUMNS]);
  });

  it('names the field that is wrong', () => {
    expect(() => spendRowFromSqlRecord({ ...rec, billed_cost_usd: 'abc' })).toThrow(/billed_cost_usd: not a finite number/);
    expect(() => spendRowFromSqlRecord({ ...rec, charge_category: 'Refund' })).toThrow(/charge_category/);
    expect(() => spendRowFromSqlRecord({ ...rec, row_count: '0' })).toThrow(/row_count/);
  });
});

describe('DuckDB tags canonical form', () => {
  it('sorts keys, writes values as text (null → empty), keeps the last duplicate key, and turns non-objects into {}', async () => {
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    try {
      const from = `(SELECT * FROM (VALUES
        (1, '{"b": "x/y", "a": null, " org": "trey"}'), (2, '{"k": 1, "k": "last", "n": {"z": 1}}'), (3, '[1, 2]'), (4, 'not json'), (5, NULL), (6, '{}')
      ) AS v(n, "Tags")) AS t CROSS JOIN (SELECT TIMESTAMP '2024-09-01 00:00:00' AS "BillingPeriodStart", TIMESTAMP '2024-09-01 05:00:00' AS "ChargePeriodStart",
        TIMESTAMP '2024-09-01 06:00:00' AS "ChargePeriodEnd", 'AWS' AS "ProviderName", '1' AS "BillingAccountId", NULL AS "SubAccountId", 'S' AS "ServiceName",
        'Compute' AS "ServiceCategory", 'USD' AS "BillingCurrency", 'usage' AS "ChargeCategory", 1.0 AS "BilledCost", 1.0 AS "EffectiveCost", NULL AS "ListCost",
        NULL AS "ContractedCost", NULL AS "RegionId", NULL AS "ResourceId", NULL AS "PricingCategory", NULL AS "CommitmentDiscountId", NULL AS "CommitmentDiscountType",
        NULL AS "CommitmentDiscountCategory", NULL AS "CommitmentDiscountStatus")`;
      const reader = await conn.runAndReadAll(ledgerSql({ dialect: 'duckdb', from, focusVersion: '1.0' }));
      const rows = reader.getRowObjectsJS().map((r) => spendRowFromSqlRecord(r).row);
      expect(rows.map((r) => [r.tagsJson, r.rowCount, r.chargeCategory, r.account])).toEqual([
        ['{" org":"trey","a":"","b":"x/y"}', 1, 'Usage', '1'],
        ['{"k":"last","n":"{\\"z\\":1}"}', 1, 'Usage', '1'],
        ['{}', 4, 'Usage', '1'],
      ]);
    } finally {
      conn.closeSync();
      db.closeSync();
    }
  });
});
