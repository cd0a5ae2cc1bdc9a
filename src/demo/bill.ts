import type { Catalog } from '../catalog/catalog.js';
import type { Cloud } from '../domain/cloud.js';
import type { Instance } from '../domain/instance.js';
import type { Snapshot } from '../domain/snapshot.js';
import { instanceHourlyCostUsd } from '../engine/cost.js';

/**
 * The demo's bill: a FOCUS 1.0 CSV written from the demo fleet's daily snapshots, so `npm start` shows the bill
 * path end to end (import, budgets on amortized cost, reconciliation, negotiated prices, an owned savings plan).
 * Synthetic and labelled so: list prices are the bundled catalog's; the negotiated rates, the savings plan and the
 * services beside the VMs are made up, in plausible proportions.
 */

const HEADER = [
  'AvailabilityZone', 'BilledCost', 'BillingAccountId', 'BillingAccountName', 'BillingCurrency', 'BillingPeriodEnd', 'BillingPeriodStart', 'ChargeCategory', 'ChargeClass',
  'ChargeDescription', 'ChargeFrequency', 'ChargePeriodEnd', 'ChargePeriodStart', 'CommitmentDiscountCategory', 'CommitmentDiscountId', 'CommitmentDiscountName',
  'CommitmentDiscountStatus', 'CommitmentDiscountType', 'ConsumedQuantity', 'ConsumedUnit', 'ContractedCost', 'ContractedUnitPrice', 'EffectiveCost', 'InvoiceIssuerName',
  'ListCost', 'ListUnitPrice', 'PricingCategory', 'PricingQuantity', 'PricingUnit', 'ProviderName', 'PublisherName', 'RegionId', 'RegionName', 'ResourceId', 'ResourceName',
  'ResourceType', 'ServiceCategory', 'ServiceName', 'SkuId', 'SkuPriceId', 'SubAccountId', 'SubAccountName', 'Tags',
] as const;
type Column = (typeof HEADER)[number];

const PROVIDER: Record<Cloud, { name: string; issuer: string; vmService: string; billingAccount: string }> = {
  aws: { name: 'AWS', issuer: 'Amazon Web Services, Inc.', vmService: 'Amazon Elastic Compute Cloud', billingAccount: '900000000001' },
  azure: { name: 'Microsoft', issuer: 'Microsoft', vmService: 'Virtual Machines', billingAccount: 'demo-ea-0001' },
  gcp: { name: 'Google Cloud', issuer: 'Google', vmService: 'Compute Engine', billingAccount: '01DEMO-000000-000001' },
};
/** Contracted ÷ list: an EDP-style 12 % on AWS, 8 % on Azure, list prices on Google Cloud. */
export const DEMO_NEGOTIATED_RATE: Record<Cloud, number> = { aws: 0.88, azure: 0.92, gcp: 1 };
/** The other services each account runs, as a share of its VM list cost (storage, network, databases). */
const SIDE_SERVICES: Record<Cloud, { service: string; category: string; share: number }[]> = {
  aws: [{ service: 'Amazon Simple Storage Service', category: 'Storage', share: 0.09 }, { service: 'AWS Data Transfer', category: 'Networking', share: 0.04 }, { service: 'Amazon Relational Database Service', category: 'Databases', share: 0.12 }],
  azure: [{ service: 'Storage', category: 'Storage', share: 0.08 }, { service: 'Bandwidth', category: 'Networking', share: 0.03 }, { service: 'Azure SQL Database', category: 'Databases', share: 0.1 }],
  gcp: [{ service: 'Cloud Storage', category: 'Storage', share: 0.07 }, { service: 'BigQuery', category: 'Analytics', share: 0.06 }],
};
const SAVINGS_PLAN_RATE = 0.72; // effective ÷ contracted for usage a Compute Savings Plan covers
const SAVINGS_PLAN_SHARE = 0.35; // of the first AWS account's VM list cost
const SAVINGS_PLAN_IDLE = 0.04; // unused share of the commitment

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const monthStart = (ms: number) => Date.UTC(new Date(ms).getUTCFullYear(), new Date(ms).getUTCMonth(), 1);
const nextMonth = (ms: number) => Date.UTC(new Date(ms).getUTCFullYear(), new Date(ms).getUTCMonth() + 1, 1);
const money = (x: number) => x.toFixed(10);

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The ResourceId each cloud's bill gives a VM (FOCUS: the provider's own id). */
export function demoResourceId(i: Instance): string {
  if (i.cloud === 'aws') return `arn:aws:ec2:${i.region}:${i.account}:instance/${i.id}`;
  if (i.cloud === 'gcp') return `//compute.googleapis.com/projects/${i.account}/zones/${i.zone ?? `${i.region}-a`}/instances/${i.id}`;
  return i.id;
}

/**
 * The bill of each complete UTC day the snapshots cover (one daily snapshot per day: its running instances ran all
 * day), as FOCUS 1.0 CSV text. Deterministic for the same snapshots and catalog.
 */
export function demoBillCsv(snapshots: readonly Snapshot[], catalog: Catalog): { csv: string; rows: number; days: number } {
  const lines: string[] = [HEADER.join(',')];
  const byDay = new Map<number, Snapshot>();
  for (const s of snapshots) byDay.set(Math.floor(Date.parse(s.finishedAt) / DAY_MS) * DAY_MS, s);
  const days = [...byDay.keys()].sort((a, b) => a - b);
  const awsAccounts = [...new Set(snapshots.flatMap((s) => s.instances.filter((i) => i.cloud === 'aws').map((i) => i.account)))].sort();
  const spAccount = awsAccounts[0];
  const spId = spAccount ? `arn:aws:savingsplans::${spAccount}:savingsplan/demo-compute-sp-0001` : '';
  const emit = (cells: Partial<Record<Column, string>>) => lines.push(HEADER.map((h) => csvCell(cells[h] ?? '')).join(','));
  for (const dayMs of days) {
    const snap = byDay.get(dayMs) as Snapshot;
    const period = { BillingPeriodStart: iso(monthStart(dayMs)), BillingPeriodEnd: iso(nextMonth(dayMs)), ChargePeriodStart: iso(dayMs), ChargePeriodEnd: iso(dayMs + DAY_MS), BillingCurrency: 'USD' };
    const vmListByAccount = new Map<string, { cloud: Cloud; region: string; usd: number }>();
    const running = snap.instances.filter((i) => i.state === 'running').sort((a, b) => a.id.localeCompare(b.id));
    // The savings plan covers the first AWS account's on-demand VMs, in id order, up to its share of their list cost.
    const spBudget = SAVINGS_PLAN_SHARE * running.filter((i) => i.account === spAccount && i.lifecycle === 'on-demand').reduce((a, i) => a + (instanceHourlyCostUsd(i, catalog) ?? 0) * 24, 0);
    let spUsedContracted = 0;
    for (const i of running) {
      const hourly = instanceHourlyCostUsd(i, catalog);
      if (hourly === undefined) continue;
      const p = PROVIDER[i.cloud];
      const odList = (catalog.onDemandHourlyUsd(i.cloud, i.region, i.type) ?? hourly) * 24;
      const spot = i.lifecycle === 'spot';
      const contracted = spot ? hourly * 24 : odList * DEMO_NEGOTIATED_RATE[i.cloud];
      const covered = !spot && i.account === spAccount && spUsedContracted + contracted <= spBudget * DEMO_NEGOTIATED_RATE.aws;
      if (covered) spUsedContracted += contracted;
      const acct = vmListByAccount.get(`${i.cloud}|${i.account}`) ?? { cloud: i.cloud, region: i.region, usd: 0 };
      acct.usd += odList;
      vmListByAccount.set(`${i.cloud}|${i.account}`, acct);
      emit({
        ...period, ProviderName: p.name, PublisherName: p.issuer, InvoiceIssuerName: p.issuer, BillingAccountId: p.billingAccount, BillingAccountName: 'Rightsize demo', SubAccountId: i.account, SubAccountName: `demo ${i.account}`,
        ChargeCategory: 'Usage', ChargeFrequency: 'Usage-Based', ChargeDescription: `${i.type} ${spot ? 'spot' : 'on-demand'} Linux, ${i.region}`, ServiceName: p.vmService, ServiceCategory: 'Compute',
        RegionId: i.region, RegionName: i.region, AvailabilityZone: i.zone ?? '', ResourceId: demoResourceId(i), ResourceName: i.name ?? '', ResourceType: 'Virtual Machine', SkuId: i.type,
        PricingCategory: spot ? 'Dynamic' : covered ? 'Committed' : 'Standard', PricingQuantity: '24', PricingUnit: 'Hours', ConsumedQuantity: '24', ConsumedUnit: 'Hours',
        ListUnitPrice: money(odList / 24), ListCost: money(odList), ContractedUnitPrice: money(contracted / 24), ContractedCost: money(contracted),
        BilledCost: money(covered ? 0 : contracted), EffectiveCost: money(covered ? contracted * SAVINGS_PLAN_RATE : contracted),
        ...(covered ? { CommitmentDiscountId: spId, CommitmentDiscountName: 'demo compute savings plan', CommitmentDiscountType: 'Savings Plan', CommitmentDiscountCategory: 'Spend', CommitmentDiscountStatus: 'Used' } : {}),
        Tags: JSON.stringify(i.tags),
      });
    }
    if (spId && spUsedContracted > 0) {
      // The plan's daily commitment: what it applied plus what idled; paid as a recurring fee on the same day.
      const usedEffective = spUsedContracted * SAVINGS_PLAN_RATE;
      const commitment = usedEffective / (1 - SAVINGS_PLAN_IDLE);
      const sp = { ...period, ProviderName: 'AWS', PublisherName: PROVIDER.aws.issuer, InvoiceIssuerName: PROVIDER.aws.issuer, BillingAccountId: PROVIDER.aws.billingAccount, BillingAccountName: 'Rightsize demo', SubAccountId: spAccount as string, SubAccountName: `demo ${spAccount}`, ServiceName: 'Savings Plans for AWS Compute usage', ServiceCategory: 'Compute', CommitmentDiscountId: spId, CommitmentDiscountName: 'demo compute savings plan', CommitmentDiscountType: 'Savings Plan', CommitmentDiscountCategory: 'Spend', ResourceId: spId, PricingCategory: 'Committed' };
      emit({ ...sp, ChargeCategory: 'Usage', ChargeFrequency: 'Usage-Based', ChargeDescription: 'Savings Plan unused commitment', CommitmentDiscountStatus: 'Unused', BilledCost: money(0), EffectiveCost: money(commitment - usedEffective), ListCost: money(0), ContractedCost: money(0) });
      emit({ ...sp, PricingCategory: 'Standard', ChargeCategory: 'Purchase', ChargeFrequency: 'Recurring', ChargeDescription: 'Savings Plan recurring fee', BilledCost: money(commitment), EffectiveCost: money(0), ListCost: money(commitment), ContractedCost: money(commitment) });
    }
    for (const [key, acct] of [...vmListByAccount.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const account = key.slice(key.indexOf('|') + 1);
      const p = PROVIDER[acct.cloud];
      for (const side of SIDE_SERVICES[acct.cloud]) {
        const list = acct.usd * side.share;
        const contracted = list * DEMO_NEGOTIATED_RATE[acct.cloud];
        emit({
          ...period, ProviderName: p.name, PublisherName: p.issuer, InvoiceIssuerName: p.issuer, BillingAccountId: p.billingAccount, BillingAccountName: 'Rightsize demo', SubAccountId: account, SubAccountName: `demo ${account}`,
          ChargeCategory: 'Usage', ChargeFrequency: 'Usage-Based', ChargeDescription: side.service, ServiceName: side.service, ServiceCategory: side.category, RegionId: acct.region, RegionName: acct.region,
          PricingCategory: 'Standard', ListCost: money(list), ContractedCost: money(contracted), BilledCost: money(contracted), EffectiveCost: money(contracted), Tags: '{}',
        });
      }
    }
  }
  return { csv: `${lines.join('\n')}\n`, rows: lines.length - 1, days: days.length };
}
