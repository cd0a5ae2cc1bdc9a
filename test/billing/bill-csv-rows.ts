import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import type { Instance } from '../../src/domain/instance.js';
import { cloudOfProvider, type ChargeCategory, type SpendRow } from '../../src/domain/spend.js';

/** Test-side reading of FOCUS CSV fixtures into SpendRows, one row per record (a valid ledger: sums of one). */

export const FIXTURES = fileURLToPath(new URL('../fixtures/billing/', import.meta.url));
export const SAMPLE = `${FIXTURES}focus-1.0-sample-1000rows.csv`;
export const SCENARIOS = `${FIXTURES}focus-scenarios/`;

export type FocusRecord = Record<string, string>;

/** Records of a FOCUS CSV; the spec's scenario files have blank lines between rows. */
export function readFocusCsv(path: string): FocusRecord[] {
  return parse(readFileSync(path), { columns: true, skip_empty_lines: true }) as FocusRecord[];
}

/** FOCUS null as the fixtures spell it: the sample writes `NULL`, the spec's scenarios `null`, Oracle leaves it empty. */
export function str(r: FocusRecord, column: string): string {
  const v = r[column];
  return v === undefined || v === '' || v === 'NULL' || v === 'null' ? '' : v;
}

export function num(r: FocusRecord, column: string): number {
  const v = str(r, column);
  return v === '' ? 0 : Number(v);
}

/** One SpendRow per record. ContractedCost missing from a file (the scenarios) defaults to ListCost, as the column spec says. */
export function spendRowOf(r: FocusRecord): SpendRow {
  const provider = str(r, 'ProviderName') || 'Example';
  const cloud = cloudOfProvider(provider);
  const list = num(r, 'ListCost');
  return {
    day: str(r, 'ChargePeriodStart').slice(0, 10),
    provider,
    ...(cloud ? { cloud } : {}),
    billingAccountId: str(r, 'BillingAccountId'),
    account: str(r, 'SubAccountId') || str(r, 'BillingAccountId'),
    service: str(r, 'ServiceName'),
    serviceCategory: str(r, 'ServiceCategory'),
    region: str(r, 'RegionId'),
    resourceId: str(r, 'ResourceId'),
    chargeCategory: str(r, 'ChargeCategory') as ChargeCategory,
    pricingCategory: str(r, 'PricingCategory'),
    commitmentDiscountId: str(r, 'CommitmentDiscountId'),
    commitmentDiscountType: str(r, 'CommitmentDiscountType'),
    commitmentDiscountCategory: str(r, 'CommitmentDiscountCategory'),
    commitmentDiscountStatus: str(r, 'CommitmentDiscountStatus'),
    tagsJson: '{}',
    billedCostUsd: num(r, 'BilledCost'),
    effectiveCostUsd: num(r, 'EffectiveCost'),
    listCostUsd: list,
    contractedCostUsd: r.ContractedCost === undefined ? list : num(r, 'ContractedCost'),
    commitmentDiscountQuantity: num(r, 'CommitmentDiscountQuantity'),
    rowCount: 1,
  };
}

/** A SpendRow with neutral defaults, for synthetic cases. */
export function row(partial: Partial<SpendRow>): SpendRow {
  return {
    day: '2024-09-01', provider: 'AWS', cloud: 'aws', billingAccountId: 'payer', account: '111111111111', service: 'Amazon Elastic Compute Cloud',
    serviceCategory: 'Compute', region: 'us-east-1', resourceId: '', chargeCategory: 'Usage', pricingCategory: 'Standard', commitmentDiscountId: '',
    commitmentDiscountType: '', commitmentDiscountCategory: '', commitmentDiscountStatus: '', tagsJson: '{}', billedCostUsd: 0, effectiveCostUsd: 0,
    listCostUsd: 0, contractedCostUsd: 0, commitmentDiscountQuantity: 0, rowCount: 1, ...partial,
  };
}

/** An inventory instance with neutral defaults. */
export function instance(partial: Partial<Instance> & Pick<Instance, 'id'>): Instance {
  return {
    cloud: 'aws', account: '111111111111', region: 'us-east-1', type: 'm5.large', state: 'running', lifecycle: 'on-demand', os: 'linux',
    tags: {}, launchedAt: '2024-01-01T00:00:00Z', ...partial,
  };
}

/** `$0.0464 per On Demand Linux t2.medium Instance Hour` → `t2.medium` (the sample has no instance-type column). */
export function typeFromDescription(description: string): string | undefined {
  return /\s([a-z0-9-]+\.[a-z0-9]+) Instance Hour$/.exec(description)?.[1];
}
