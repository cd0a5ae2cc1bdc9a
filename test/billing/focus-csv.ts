/**
 * Test helpers that write FOCUS CSV bills from a few hand-made charges (the budgets' and the weekly report's bill
 * tests): the real FOCUS 1.0 sample's header (or a FOCUS 1.2 header built from it), one record per charge, and the
 * CSV text as the sample quotes it; plus the demo bill's accounts and resources, the CSV read back by csv-parse, and
 * the temp world (store + spend ledger) such a bill is imported into.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach } from 'vitest';
import type { Snapshot } from '../../src/domain/snapshot.js';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { openSqliteSpendLedger, type SqliteSpendLedger } from '../../src/store/spend/sqlite-spend-ledger.js';
import { SAMPLE_CSV } from './focus/sample-helpers.js';

const HOUR_MS = 3_600_000;

/** The real FOCUS 1.0 sample's header, in its order (`Id` included: the sample's own extra column). */
export const HEADER_1_0 = (parse(readFileSync(SAMPLE_CSV), { to: 1 }) as string[][])[0] as string[];

/** FOCUS 1.2: the sample's columns without its foreign `Id`, plus the 1.1/1.2 ones a commitment bill fills. */
export const HEADER_1_2 = [
  ...HEADER_1_0.filter((h) => h !== 'Id'),
  'BillingAccountType', 'SubAccountType', 'InvoiceId', 'ServiceSubcategory', 'CommitmentDiscountQuantity', 'CommitmentDiscountUnit', 'PricingCurrency', 'SkuMeter',
];

/** One charge of a hand-made bill: becomes one FOCUS row. */
export interface Charge {
  /** YYYY-MM-DD of ChargePeriodStart. */
  day: string;
  /** Hour of the day the charge period starts at (default 0). */
  hour?: number;
  /** Length of the charge period in hours (default 1); also the usage quantity. */
  hours?: number;
  provider: 'AWS' | 'Microsoft';
  billingAccountId: string;
  subAccountId: string;
  service: string;
  serviceCategory: string;
  region: string;
  resourceId?: string;
  chargeCategory: 'Usage' | 'Purchase' | 'Credit' | 'Tax' | 'Adjustment';
  chargeFrequency?: string;
  pricingCategory?: string;
  billed: number;
  effective: number;
  list: number;
  contracted: number;
  /** The commitment discount; `quantity` fills the FOCUS 1.2 CommitmentDiscountQuantity (in USD). */
  cd?: { id: string; type: string; category: string; status?: 'Used' | 'Unused'; quantity?: number };
  tags?: Record<string, string>;
}

/** Epoch ms → the sample's date-time spelling: `YYYY-MM-DD hh:mm:ss` (UTC, no zone). */
export const ts = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

let rowId = 1;

/** How a charge's record is filled where the bill tests differ. */
export interface FocusRecordOptions {
  /** SubAccountName of a charge, from its SubAccountId (default `name of <SubAccountId>`). */
  subAccountName?: (subAccountId: string) => string;
}

/**
 * One charge as a FOCUS record, column name → cell text ('' where absent): every FOCUS 1.0 column and the 1.1/1.2
 * ones of HEADER_1_2 (the header written decides which appear). `Id` is a running number across all calls.
 */
export function focusRecord(c: Charge, options: FocusRecordOptions = {}): Record<string, string> {
  const startMs = Date.parse(`${c.day}T00:00:00Z`) + (c.hour ?? 0) * HOUR_MS;
  const [y, m] = c.day.split('-').map(Number) as [number, number];
  const usage = c.chargeCategory === 'Usage';
  const hours = c.hours ?? 1;
  return {
    AvailabilityZone: '',
    BilledCost: String(c.billed),
    BillingAccountId: c.billingAccountId,
    BillingAccountName: 'Acme Corp',
    BillingAccountType: c.provider === 'AWS' ? 'Management Account' : 'Billing Account',
    BillingCurrency: 'USD',
    BillingPeriodEnd: ts(Date.UTC(y, m, 1)),
    BillingPeriodStart: ts(Date.UTC(y, m - 1, 1)),
    ChargeCategory: c.chargeCategory,
    ChargeClass: '',
    ChargeDescription: `${c.service} ${c.chargeCategory.toLowerCase()}`,
    ChargeFrequency: c.chargeFrequency ?? 'Usage-Based',
    ChargePeriodEnd: ts(startMs + hours * HOUR_MS),
    ChargePeriodStart: ts(startMs),
    CommitmentDiscountCategory: c.cd?.category ?? '',
    CommitmentDiscountId: c.cd?.id ?? '',
    CommitmentDiscountName: c.cd ? 'compute-sp-2026' : '',
    CommitmentDiscountStatus: c.cd?.status ?? '',
    CommitmentDiscountType: c.cd?.type ?? '',
    CommitmentDiscountQuantity: c.cd?.quantity !== undefined ? String(c.cd.quantity) : '',
    CommitmentDiscountUnit: c.cd?.quantity !== undefined ? 'USD' : '',
    ConsumedQuantity: usage ? String(hours) : '',
    ConsumedUnit: usage ? 'Hours' : '',
    ContractedCost: String(c.contracted),
    ContractedUnitPrice: usage ? String(c.contracted / hours) : '',
    EffectiveCost: String(c.effective),
    Id: String(rowId++),
    InvoiceId: `INV-${c.day.slice(0, 7)}`,
    InvoiceIssuerName: c.provider === 'AWS' ? 'Amazon Web Services, Inc.' : 'Microsoft',
    ListCost: String(c.list),
    ListUnitPrice: usage ? String(c.list / hours) : '',
    PricingCategory: c.pricingCategory ?? (c.chargeCategory === 'Usage' || c.chargeCategory === 'Purchase' ? 'Standard' : ''),
    PricingCurrency: 'USD',
    PricingQuantity: usage ? String(hours) : '',
    PricingUnit: usage ? 'Hours' : '',
    ProviderName: c.provider,
    PublisherName: c.provider === 'AWS' ? 'Amazon Web Services, Inc.' : 'Microsoft',
    RegionId: c.region,
    RegionName: c.region,
    ResourceId: c.resourceId ?? '',
    ResourceName: '',
    ResourceType: '',
    ServiceCategory: c.serviceCategory,
    ServiceName: c.service,
    ServiceSubcategory: c.serviceCategory === 'Compute' ? 'Virtual Machines' : 'Other (Storage)',
    SkuId: 'SKU1',
    SkuMeter: 'Compute Usage',
    SkuPriceId: 'SKU1.PRICE1',
    SubAccountId: c.subAccountId,
    SubAccountName: options.subAccountName ? options.subAccountName(c.subAccountId) : `name of ${c.subAccountId}`,
    SubAccountType: c.provider === 'AWS' ? 'Linked Account' : 'Subscription',
    Tags: c.tags ? JSON.stringify(c.tags) : '',
  };
}

/** A CSV field quoted as the sample quotes every value (inner quotes doubled). */
export const quote = (v: string) => `"${v.replace(/"/g, '""')}"`;

/** How focusCsv writes the bill. */
export interface FocusCsvOptions extends FocusRecordOptions {
  /** The columns, in order: HEADER_1_0, HEADER_1_2 or any other. */
  header: readonly string[];
  /** An absent value's cell: empty (`''`, CSV null) or `'NULL'`, the literal unquoted NULL the sample writes. */
  nullCell: '' | 'NULL';
}

/** A FOCUS CSV of the charges, one row each (LF line ends, a final newline): present values quoted as the sample does. */
export function focusCsv(charges: readonly Charge[], options: FocusCsvOptions): string {
  const { header, nullCell } = options;
  const lines = [header.map(quote).join(',')];
  for (const c of charges) {
    const rec = focusRecord(c, options);
    lines.push(header.map((h) => (rec[h] ? quote(rec[h]) : nullCell)).join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** A CSV row read back: column name → cell text. */
export type Rec = Record<string, string>;
/** The CSV text read back by csv-parse (the tests' independent reading of what was written). */
export const readCsv = (text: string) => parse(text, { columns: true, skip_empty_lines: true }) as Rec[];
/** The UTC day (YYYY-MM-DD) of a read-back row's ChargePeriodStart. */
export const dayOf = (r: Rec) => (r['ChargePeriodStart'] as string).slice(0, 10);

// The demo bill's accounts and resources.

/** The AWS payer (management) account: BillingAccountId of the AWS charges. */
export const PAYER = '999900001111';
/** The AWS production account: VM A, VM B and the savings plan. */
export const PROD = '111111111111';
/** The AWS data account: S3. */
export const DATA = '222222222222';
/** The Azure subscription (written `/subscriptions/<id>`, as real exports do). */
export const AZ_SUB = '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';
/** The savings plan's ARN: its purchase's ResourceId and the CommitmentDiscountId of what it covers. */
export const SP_ARN = `arn:aws:savingsplans::${PROD}:savingsplan/5f0c1e2a-7b3d-4e8f-9a0b-1c2d3e4f5a6b`;
/** VM A: covered by the savings plan. */
export const VM_A = 'i-0aaa000000000001';
/** VM B: on demand. */
export const VM_B = 'i-0bbb000000000002';

// The world a bill is imported into.

/** A temp data directory holding a SQLite store, a SQLite spend ledger, and `billDir` (empty) for the export's files. */
export interface BillWorld {
  dir: string;
  billDir: string;
  store: SqliteStore;
  ledger: SqliteSpendLedger;
}

/**
 * Registers an afterEach in the calling test file and returns `world(snapshot)`: a new BillWorld in a fresh temp
 * directory `<prefix>…`, its store holding `snapshot`. Every world made during a test is closed and removed after it.
 */
export function billWorlds(prefix: string): (snapshot: Snapshot) => Promise<BillWorld> {
  const worlds: BillWorld[] = [];
  afterEach(async () => {
    for (const w of worlds.splice(0)) {
      await w.ledger.close();
      await w.store.close();
      rmSync(w.dir, { recursive: true, force: true });
    }
  });
  return async (snapshot) => {
    const dir = mkdtempSync(path.join(tmpdir(), prefix));
    const store = openSqliteStore({ dataDir: dir });
    await store.writeSnapshot(snapshot);
    const ledger = openSqliteSpendLedger({ dataDir: dir });
    const billDir = path.join(dir, 'bill');
    mkdirSync(billDir);
    const w = { dir, billDir, store, ledger };
    worlds.push(w);
    return w;
  };
}
