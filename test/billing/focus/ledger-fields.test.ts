import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FocusCharge } from '../../../src/billing/focus/charge.js';
import { readFocusObject } from '../../../src/billing/focus/read.js';
import { LEDGER_SKIPPED_COLUMNS } from '../../../src/billing/focus/parquet.js';
import { localBillingObject } from '../../../src/billing/local-source.js';
import { sampleParquet } from './sample-helpers.js';

async function charges(file: string, fields: 'all' | 'ledger'): Promise<FocusCharge[]> {
  const out: FocusCharge[] = [];
  for await (const batch of readFocusObject(await localBillingObject(file), { fields }).batches) out.push(...batch);
  return out;
}

describe("reading a Parquet bill with fields: 'ledger'", () => {
  it('leaves exactly the columns the ledger never reads empty and every other field as a full read has it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rs-ledger-fields-'));
    try {
      const file = path.join(dir, 'sample.parquet');
      writeFileSync(file, sampleParquet({ rowGroupSize: 300, tagsAsMap: false }));
      const full = await charges(file, 'all');
      const lean = await charges(file, 'ledger');
      expect(lean).toHaveLength(1000);
      expect(full).toHaveLength(1000);
      const skipped = ['resourceName', 'resourceType', 'chargeClass', 'skuId', 'listUnitPrice', 'contractedUnitPrice', 'pricingQuantity', 'pricingUnit'] as const;
      expect(LEDGER_SKIPPED_COLUMNS.size).toBe(skipped.length);
      // The sample has these filled in somewhere, so the full read really differs from the lean one.
      expect(full.some((c) => c.skuId !== '' && !Number.isNaN(c.listUnitPrice))).toBe(true);
      lean.forEach((c, i) => {
        const f = full[i] as FocusCharge;
        for (const k of skipped) expect(typeof c[k] === 'number' ? Number.isNaN(c[k]) : c[k] === '', `${k} of row ${i}`).toBe(true);
        const rest = (x: FocusCharge) => Object.fromEntries(Object.entries(x).filter(([k]) => !(skipped as readonly string[]).includes(k)));
        expect(rest(c)).toEqual(rest(f));
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
