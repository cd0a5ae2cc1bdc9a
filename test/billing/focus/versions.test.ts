import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { FocusCharge } from '../../../src/billing/focus/charge.js';
import { analyzeHeader, mandatoryColumns } from '../../../src/billing/focus/columns.js';
import { type FocusReadReport, readFocusObject } from '../../../src/billing/focus/read.js';
import type { BillingObject } from '../../../src/billing/source.js';
import { AZURE_12_SCHEMA, toCsv } from './sample-helpers.js';

const memoryObject = (name: string, text: string): BillingObject => {
  const bytes = Buffer.from(text);
  return { name, sizeBytes: bytes.length, readRange: async (s, e) => bytes.subarray(s, e), stream: async () => Readable.from([bytes]) };
};

async function readAll(obj: BillingObject, batchRows?: number): Promise<{ charges: FocusCharge[]; report: FocusReadReport; batchSizes: number[] }> {
  const read = readFocusObject(obj, batchRows === undefined ? {} : { batchRows });
  const charges: FocusCharge[] = [];
  const batchSizes: number[] = [];
  for await (const batch of read.batches) {
    batchSizes.push(batch.length);
    for (const c of batch) charges.push(c);
  }
  return { charges, report: read.report(), batchSizes };
}

/** Azure's FOCUS 1.2 export columns, from the finops-toolkit export schema. */
const azureColumns = (JSON.parse(readFileSync(AZURE_12_SCHEMA, 'utf8')) as { translator: { mappings: { source: { name: string } }[] } }).translator.mappings.map((m) => m.source.name);

/** A row for any header: FOCUS values for the columns the reader checks, NULL text elsewhere (`x_` columns get text). */
function row(header: readonly string[], values: Record<string, string>): string[] {
  const defaults: Record<string, string> = {
    BilledCost: '10.5', EffectiveCost: '8.25', ListCost: '12', ContractedCost: '11', BillingCurrency: 'USD',
    BillingPeriodStart: '2025-01-01T00:00:00Z', BillingPeriodEnd: '2025-02-01T00:00:00Z',
    ChargePeriodStart: '2025-01-05T00:00:00Z', ChargePeriodEnd: '2025-01-06T00:00:00Z', ChargeCategory: 'Usage',
    ProviderName: 'Microsoft', PublisherName: 'Microsoft', InvoiceIssuerName: 'Microsoft', BillingAccountId: '/providers/Microsoft.Billing/billingAccounts/1',
    ServiceName: 'Virtual Machines', ServiceCategory: 'Compute', SubAccountId: 'sub-1', Tags: '{"team":"data"}',
  };
  return header.map((h) => values[h] ?? defaults[h] ?? (h.startsWith('x_') ? 'custom' : 'NULL'));
}

describe('FOCUS versions', () => {
  it('reads a FOCUS 1.2 CSV with a UTF-8 BOM (Azure export columns) as 1.2, with CommitmentDiscountQuantity', async () => {
    expect(azureColumns.length).toBeGreaterThan(57);
    const rows = [
      row(azureColumns, { CommitmentDiscountQuantity: '24', CommitmentDiscountUnit: 'Hours', CommitmentDiscountType: 'Reservation', CommitmentDiscountStatus: 'used' }),
      row(azureColumns, { CommitmentDiscountQuantity: '1.5e1', ChargeCategory: 'purchase', PricingCategory: 'committed' }),
      row(azureColumns, {}),
    ];
    const text = `\uFEFF${toCsv(azureColumns, rows)}`;
    const { charges, report } = await readAll(memoryObject('focuscost_1.2.csv', text));
    expect(report).toMatchObject({ focusVersion: '1.2', rowsRead: 3, rowsAccepted: 3, extraColumns: [] });
    expect(charges.map((c) => c.commitmentDiscountQuantity)).toEqual([24, 15, 0]);
    expect(charges[0]).toMatchObject({ commitmentDiscountStatus: 'Used', billedCost: 10.5, effectiveCost: 8.25, provider: 'Microsoft', tagsJson: '{"team":"data"}' });
    expect(charges[1]).toMatchObject({ chargeCategory: 'Purchase', pricingCategory: 'Committed' });
    expect(charges[0]?.chargePeriodStartMs).toBe(Date.UTC(2025, 0, 5));
  });

  it('reads a 1.3-style file with an unknown column as 1.3 and lists the column', async () => {
    const header = [...mandatoryColumns(), 'InvoiceId', 'ServiceSubcategory', 'ContractApplied', 'x_Vendor'];
    const { report, charges } = await readAll(memoryObject('focus-1.3.csv', toCsv(header, [row(header, { ContractApplied: '{"c":1}' })])));
    expect(report).toMatchObject({ focusVersion: '1.3', rowsAccepted: 1, extraColumns: ['ContractApplied'] });
    expect(charges[0]?.billedCost).toBe(10.5);
  });

  it('requires the mandatory columns of the spec tables, which are the same 21 in 1.0 and 1.2', () => {
    const mandatory = (v: string) => (parse(readFileSync(new URL(`../../../data/focus/focus-columns-${v}.csv`, import.meta.url)), { columns: true }) as { column: string; feature_level: string }[])
      .filter((r) => r.feature_level === 'Mandatory').map((r) => r.column).sort();
    expect(mandatory('1.0')).toEqual(mandatory('1.2'));
    expect([...mandatoryColumns()].sort()).toEqual(mandatory('1.2'));
  });

  it('tells 1.0, 1.1 and 1.2 apart by the columns each version added', () => {
    const m = mandatoryColumns();
    expect(m).toHaveLength(21);
    expect(analyzeHeader(m).version).toBe('1.0');
    expect(analyzeHeader([...m, 'SkuMeter']).version).toBe('1.1');
    expect(analyzeHeader([...m, 'SkuMeter', 'InvoiceId']).version).toBe('1.2');
    expect(analyzeHeader([...m, 'Id']).version).toBe('1.0'); // an extra column beside 1.0 columns is only an extra
    expect(analyzeHeader([...m.map((c) => c.toLowerCase()), 'x_ServiceCode']).missingMandatory).toEqual([]);
  });

  it('yields batches of at most batchRows from a 200k-row CSV', async () => {
    const header = mandatoryColumns();
    const template = row(header, {});
    const costCol = header.indexOf('BilledCost');
    const lines = [header.join(',')];
    for (let i = 0; i < 200_000; i++) {
      template[costCol] = String(i % 100);
      lines.push(template.map((c) => (c.includes(',') || c.includes('"') ? `"${c.replaceAll('"', '""')}"` : c)).join(','));
    }
    const text = `${lines.join('\n')}\n`;
    let rows = 0;
    let billed = 0;
    const sizes: number[] = [];
    const read = readFocusObject(memoryObject('big.csv', text), { batchRows: 5000 });
    for await (const batch of read.batches) {
      sizes.push(batch.length);
      rows += batch.length;
      for (const c of batch) billed += c.billedCost;
    }
    expect(rows).toBe(200_000);
    expect(sizes).toHaveLength(40);
    expect(sizes.every((n) => n === 5000)).toBe(true);
    expect(billed).toBe(2000 * (99 * 100) / 2); // 2000 cycles of 0..99
    expect(read.report().rowsAccepted).toBe(200_000);
  }, 60_000);
});
