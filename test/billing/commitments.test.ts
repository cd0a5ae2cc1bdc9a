import { describe, expect, it } from 'vitest';
import { commitmentCoverage, commitmentUtilization, ownedCommitmentsFromBill, sameCommitment } from '../../src/billing/commitments.js';
import type { SpendRow } from '../../src/domain/spend.js';
import { type FocusRecord, instance, num, readFocusCsv, row, SAMPLE, SCENARIOS, spendRowOf, str, typeFromDescription } from './bill-csv-rows.js';

const scenario = (name: string): SpendRow[] => readFocusCsv(`${SCENARIOS}${name}.csv`).map(spendRowOf);
// Every scenario row starts on 2023-01-01 (the spec's ChargePeriodEnd `2023-02-01T30:00:00Z` is a typo; only the start is read).
const JAN1 = { fromDay: '2023-01-01', toDay: '2023-01-01' };
const SEPT = { fromDay: '2024-09-01', toDay: '2024-09-30' };
// Stand-in for the catalog: `m5.large` → m5, `n2-standard-4` → n2; a type without a separator has no known family.
const family = (_cloud: string, type: string) => /^([a-z0-9]+)[.-]/.exec(type)?.[1];

describe('commitmentUtilization on the spec\'s usage scenarios', () => {
  // Expected figures are the spec's own statements (commitment_discounts.md, "Usage Rows").
  it.each([
    ['commitment_discount_usage_scenario_1', 1.0, 0, 100], // "fully consumes the allocated amount (100% utilization)"
    ['commitment_discount_usage_scenario_2', 0, 1.0, 0], // "No eligible resource consumes the allocated amount (0% utilization)"
    ['commitment_discount_usage_scenario_3', 0.75, 0.25, 75], // "$0.75 to a resource … $0.25 was unused" (75% utilization)
    ['commitment_discount_usage_scenario_4', 1.0, 0, 100], // "$1.00 was amortized … $0.50 charged as standard" (100% + overage)
  ])('%s: used %d, unused %d → %d %%', (name, used, unused, utilization) => {
    const [u] = commitmentUtilization(scenario(name), JAN1);
    expect(u?.commitmentId).toBe('<my-commitment-discount-id>');
    expect(u?.usedCostUsd).toBeCloseTo(used, 10);
    expect(u?.unusedCostUsd).toBeCloseTo(unused, 10);
    expect(u?.utilizationPct).toBeCloseTo(utilization, 10);
    // CommitmentDiscountUnit is USD here, so quantity and cost utilization agree.
    expect(u?.quantityUtilizationPct).toBeCloseTo(utilization, 10);
  });

  it('scenario 4: the overage row is on-demand, so spend coverage is $1.00 of $1.50', () => {
    const [c] = commitmentCoverage(scenario('commitment_discount_usage_scenario_4'), JAN1);
    expect(c?.coveredEffectiveUsd).toBeCloseTo(1.0, 10);
    expect(c?.eligibleEffectiveUsd).toBeCloseTo(1.5, 10);
    expect(c?.spendCoveragePct).toBeCloseTo((1 / 1.5) * 100, 10);
  });

  it('scenario 3: the Unused row is idle commitment, not usage, so the resource is fully covered', () => {
    const [c] = commitmentCoverage(scenario('commitment_discount_usage_scenario_3'), JAN1);
    expect(c?.eligibleEffectiveUsd).toBeCloseTo(0.75, 10);
    expect(c?.spendCoveragePct).toBeCloseTo(100, 10);
  });
});

describe('commitmentUtilization on the spec\'s purchase scenarios', () => {
  it.each([
    ['commitment_discount_purchase_scenario_1', 24 * 365 * 1.0], // all upfront: the whole year once
    ['commitment_discount_purchase_scenario_2', 3 * 1.0], // no upfront: $1.00 per hourly charge period, 3 shown
    ['commitment_discount_purchase_scenario_3', 24 * 182.5 * 1.0 + 3 * 0.5], // partial: half upfront, $0.50 per period
  ])('%s: purchaseBilledUsd is the Purchase rows\' BilledCost; no usage, so no utilization', (name, billed) => {
    const [u] = commitmentUtilization(scenario(name), JAN1);
    expect(u?.purchaseBilledUsd).toBeCloseTo(billed, 8);
    expect(u?.utilizationPct).toBeUndefined();
    expect(u?.note).toMatch(/utilization unknown/);
  });

  // commitment_discounts.md: Usage-row EffectiveCost sums to the Purchase BilledCost for each commitment.
  it.each([
    ['one_hundred_percent_utilization_without_commitment_discount_flexibility', 1.5, 0, 100, 100],
    ['one_hundred_percent_utilization_with_commitment_discount_flexibility_with_1_resource', 0.5, 0, 100, 100],
    ['one_hundred_percent_utilization_with_commitment_discount_flexibility_with_2_resources', 2.0, 0, 100, 100],
    ['zero_percent_utilization_without_commitment_discount_flexibility', 0, 1.5, 0, 0],
  ])('%s: used + unused EffectiveCost = Purchase BilledCost', (name, used, unused, utilization, quantityUtilization) => {
    const [u] = commitmentUtilization(scenario(name), JAN1);
    expect(u?.usedCostUsd).toBeCloseTo(used, 10);
    expect(u?.unusedCostUsd).toBeCloseTo(unused, 10);
    expect((u?.usedCostUsd ?? NaN) + (u?.unusedCostUsd ?? NaN)).toBeCloseTo(u?.purchaseBilledUsd ?? NaN, 10);
    expect(u?.utilizationPct).toBeCloseTo(utilization, 10);
    expect(u?.quantityUtilizationPct).toBeCloseTo(quantityUtilization, 10);
    expect(u?.category).toBe('Usage');
  });

  it('flexibility with 2 resources: two rows of 2 normalized hours use all 4 bought', () => {
    const [u] = commitmentUtilization(scenario('one_hundred_percent_utilization_with_commitment_discount_flexibility_with_2_resources'), JAN1);
    expect(u?.usedQuantity).toBe(4);
    expect(u?.unusedQuantity).toBe(0);
  });

  it('coverage with flexibility and 1 resource: the large VM is partly covered, the rest on-demand', () => {
    const [c] = commitmentCoverage(scenario('one_hundred_percent_utilization_with_commitment_discount_flexibility_with_1_resource'), JAN1);
    // Committed row ListCost 3.00 vs Standard row 2.25; EffectiveCost 0.50 vs 2.25 (the scenario file has no ContractedCost).
    expect(c?.coveragePct).toBeCloseTo((3 / 5.25) * 100, 10);
    expect(c?.spendCoveragePct).toBeCloseTo((0.5 / 2.75) * 100, 10);
    expect(c?.uncoveredOnDemandUsd).toBeCloseTo(2.25, 10);
  });

  it('0 % utilization: no Used row, so no service is known to be eligible and nothing is reported', () => {
    expect(commitmentCoverage(scenario('zero_percent_utilization_without_commitment_discount_flexibility'), JAN1)).toEqual([]);
  });

  it('rows outside the range are not counted, and a reversed range is an error', () => {
    expect(commitmentUtilization(scenario('commitment_discount_usage_scenario_1'), { fromDay: '2023-01-02', toDay: '2023-01-31' })).toEqual([]);
    expect(() => commitmentUtilization([], { fromDay: '2023-02-01', toDay: '2023-01-01' })).toThrow(/after toDay/);
  });
});

describe('the real FOCUS 1.0 sample\'s savings-plan rows', () => {
  const records = readFocusCsv(SAMPLE);
  const rows = records.map(spendRowOf);
  const spRecords = records.filter((r) => str(r, 'CommitmentDiscountId') !== '');
  const ids = [...new Set(spRecords.map((r) => str(r, 'CommitmentDiscountId')))].sort();

  it('utilization per plan: EffectiveCost is 0 on its Used rows, so by-cost utilization is unknown; covered list cost is their ListCost', () => {
    expect(spRecords).toHaveLength(4);
    const util = commitmentUtilization(rows, SEPT);
    expect(util.map((u) => u.commitmentId)).toEqual(ids);
    for (const u of util) {
      const mine = spRecords.filter((r) => str(r, 'CommitmentDiscountId') === u.commitmentId);
      // ContractedCost is 0 on these rows against a non-zero ListCost: read as unreported, so ListCost stands in.
      const listUsd = mine.reduce((s, r) => s + num(r, 'ListCost'), 0);
      expect(u.coveredOnDemandUsd).toBeCloseTo(listUsd, 12);
      expect(u.netSavingsUsd).toBeCloseTo(listUsd, 12);
      expect(u.usedCostUsd).toBe(0);
      expect(u.utilizationPct).toBeUndefined();
      expect(u.accounts).toEqual([...new Set(mine.map((r) => str(r, 'SubAccountId')))].sort());
      expect(u).toMatchObject({ provider: 'AWS', cloud: 'aws', type: 'Savings Plan', category: 'Spend', purchaseBilledUsd: 0 });
    }
    expect(util.find((u) => u.commitmentId.includes('493f5705'))?.coveredOnDemandUsd).toBeCloseTo(0.0464, 12);
    expect(util.find((u) => u.commitmentId.includes('37985e61'))?.coveredOnDemandUsd).toBeCloseTo(0.0112 + 0.085 + 0.0000790222, 12);
  });

  it('coverage of EC2 and ECS per account, computed from the CSV', () => {
    const cov = commitmentCoverage(rows, SEPT);
    const services = new Set(spRecords.map((r) => str(r, 'ServiceName')));
    expect([...new Set(cov.map((c) => c.service))].sort()).toEqual([...services].sort());
    const odOf = (r: FocusRecord) => (num(r, 'ContractedCost') !== 0 || num(r, 'ListCost') === 0 ? num(r, 'ContractedCost') : num(r, 'ListCost'));
    for (const c of cov) {
      const group = records.filter((r) => str(r, 'ProviderName') === 'AWS' && str(r, 'ChargeCategory') === 'Usage' && str(r, 'SubAccountId') === c.account && str(r, 'ServiceName') === c.service);
      const eligible = group.reduce((s, r) => s + odOf(r), 0);
      const covered = group.filter((r) => str(r, 'PricingCategory') === 'Committed').reduce((s, r) => s + odOf(r), 0);
      expect(c.eligibleOnDemandUsd).toBeCloseTo(eligible, 12);
      expect(c.coveredOnDemandUsd).toBeCloseTo(covered, 12);
      if (eligible !== 0) expect(c.coveragePct).toBeCloseTo((covered / eligible) * 100, 10);
    }
    // 61 (account, service) pairs carry EC2 or ECS usage in the sample (no Dynamic or Unused rows among them).
    expect(cov).toHaveLength(61);
    // Account 69918885631, EC2: 9 Usage rows, on-demand equivalent $0.0551854142, of which the $0.0464 t2.medium hour was covered.
    const odyssey = cov.find((c) => c.account === '69918885631' && c.service === 'Amazon Elastic Compute Cloud');
    expect(odyssey?.eligibleOnDemandUsd).toBeCloseTo(0.0551854142, 10);
    expect(odyssey?.coveragePct).toBeCloseTo((0.0464 / 0.0551854142) * 100, 6);
    const orion = cov.find((c) => c.account === '18938484842' && c.service === 'Amazon Elastic Container Service');
    expect(orion?.coveredOnDemandUsd).toBeCloseTo(0.0000790222, 12);
  });

  it('places the EC2 savings-plan usage in the pools of the instances it covered; Fargate usage is unattributed', () => {
    const ec2 = spRecords.filter((r) => /^i-/.test(str(r, 'ResourceId')));
    expect(ec2).toHaveLength(3);
    const instances = ec2.map((r) =>
      instance({ id: str(r, 'ResourceId'), account: str(r, 'SubAccountId'), region: str(r, 'RegionId'), type: typeFromDescription(str(r, 'ChargeDescription')) ?? '?' }),
    );
    const owned = ownedCommitmentsFromBill(rows, instances, family, SEPT);
    expect(owned.hours).toBe(720);
    expect(owned.entries.map((e) => e.pool)).toEqual(['aws:ri:ap-south-1:t3', 'aws:ri:us-east-1:c5', 'aws:ri:us-west-2:t2']);
    expect(owned.entries.map((e) => e.onDemandUsdPerHour * 720)).toEqual([expect.closeTo(0.0112, 12), expect.closeTo(0.085, 12), expect.closeTo(0.0464, 12)]);
    expect(owned.entries.every((e) => e.kind === 'savings-plan' && e.commitUsdPerHour === 0)).toBe(true);
    expect(owned.unattributed).toEqual([
      { commitmentId: expect.stringContaining('37985e61'), kind: 'savings-plan', reason: 'no-instance', onDemandUsdPerHour: expect.closeTo(0.0000790222 / 720, 15), commitUsdPerHour: 0, resources: 1 },
    ]);
  });
});

describe('ownedCommitmentsFromBill on synthetic rows', () => {
  const SP = 'arn:aws:savingsplans::111111111111:savingsplan/sp-1';
  const used = (resourceId: string, effectiveCostUsd: number, contractedCostUsd: number, extra: Partial<SpendRow> = {}) =>
    row({ resourceId, effectiveCostUsd, contractedCostUsd, listCostUsd: contractedCostUsd, pricingCategory: 'Committed', commitmentDiscountId: SP, commitmentDiscountType: 'Savings Plan', commitmentDiscountCategory: 'Spend', commitmentDiscountStatus: 'Used', ...extra });
  const rows: SpendRow[] = [
    used('i-aaaa', 6, 9.6),
    used('arn:aws:ec2:us-east-1:111111111111:instance/i-bbbb', 12, 19.2, { day: '2024-09-02' }),
    used('i-cccc', 6, 8.5, { region: 'us-west-2' }),
    used('arn:aws:ecs:us-east-1:111111111111:task/cluster/abc', 6, 8), // Fargate: no inventory VM
    row({ resourceId: SP, effectiveCostUsd: 10, pricingCategory: 'Committed', commitmentDiscountId: SP, commitmentDiscountType: 'Savings Plan', commitmentDiscountStatus: 'Unused' }),
    used('i-aaaa', 1000, 1000, { day: '2024-09-03' }), // outside the range
    row({ resourceId: 'i-dddd', effectiveCostUsd: 4, contractedCostUsd: 6, pricingCategory: 'Committed', commitmentDiscountId: 'ri-1', commitmentDiscountType: 'Reserved Instance', commitmentDiscountStatus: 'Used' }),
    row({ provider: 'Google Cloud', cloud: 'gcp', account: 'shop-prod', resourceId: '//compute.googleapis.com/projects/shop-prod/zones/us-central1-a/instances/4521873309851234567', effectiveCostUsd: 2.4, contractedCostUsd: 4.8, pricingCategory: 'Committed', commitmentDiscountId: 'cud-7', commitmentDiscountStatus: 'Used' }),
  ];
  const instances = [
    instance({ id: 'i-aaaa', type: 'm5.large' }),
    instance({ id: 'i-bbbb', type: 'm5.xlarge' }),
    instance({ id: 'i-cccc', type: 'c5.large', region: 'us-west-2' }),
    instance({ id: 'i-dddd', type: 'x9weird' }), // the catalog knows no family for it
    instance({ id: '4521873309851234567', cloud: 'gcp', account: 'shop-prod', region: 'us-central1', type: 'n2-standard-4' }),
  ];
  const owned = ownedCommitmentsFromBill(rows, instances, family, { fromDay: '2024-09-01', toDay: '2024-09-02' });
  const H = 48;

  it('spreads Unused cost over pools in proportion to Used cost (10 × 18/30 to m5, 10 × 6/30 to c5 and to Fargate)', () => {
    expect(owned.hours).toBe(H);
    const m5 = owned.entries.find((e) => e.pool === 'aws:ri:us-east-1:m5');
    expect(m5).toMatchObject({ commitmentId: SP, kind: 'savings-plan', instanceIds: ['i-aaaa', 'i-bbbb'] });
    expect(m5?.onDemandUsdPerHour).toBeCloseTo((9.6 + 19.2) / H, 12);
    expect(m5?.commitUsdPerHour).toBeCloseTo((18 + 6) / H, 12);
    expect(m5?.utilizationPct).toBeCloseTo(75, 10); // 30 used of 40
    const c5 = owned.entries.find((e) => e.pool === 'aws:ri:us-west-2:c5');
    expect(c5?.commitUsdPerHour).toBeCloseTo((6 + 2) / H, 12);
    expect(owned.unattributed.find((u) => u.commitmentId === SP)).toMatchObject({ reason: 'no-instance', onDemandUsdPerHour: 8 / H, commitUsdPerHour: 8 / H, resources: 1 });
  });

  it('keeps commitments on VMs of unknown family apart, and reads Google commitments as committed-use', () => {
    expect(owned.unattributed.find((u) => u.commitmentId === 'ri-1')).toMatchObject({ kind: 'reservation', reason: 'no-family', commitUsdPerHour: 4 / H });
    expect(owned.entries.find((e) => e.commitmentId === 'cud-7')).toMatchObject({ pool: 'gcp:cud:us-central1:n2', kind: 'committed-use', onDemandUsdPerHour: 4.8 / H, commitUsdPerHour: 2.4 / H });
  });

  it('accounts for every dollar: pools + unattributed = Used + Unused EffectiveCost in range', () => {
    const inRange = 6 + 12 + 6 + 6 + 10 + 4 + 2.4;
    expect((owned.attributedCommitUsdPerHour + owned.unattributedCommitUsdPerHour) * H).toBeCloseTo(inRange, 10);
  });

  it('an idle commitment (0 % utilization scenario) is reported as idle cost, in no pool', () => {
    const zero = readFocusCsv(`${SCENARIOS}zero_percent_utilization_without_commitment_discount_flexibility.csv`).map((r) => ({ ...spendRowOf(r), provider: 'AWS', cloud: 'aws' as const }));
    const idle = ownedCommitmentsFromBill(zero, [], family, JAN1);
    expect(idle.entries).toEqual([]);
    expect(idle.unattributed).toEqual([{ commitmentId: '<my-commitment-discount-id>', kind: 'other', reason: 'idle', onDemandUsdPerHour: 0, commitUsdPerHour: 1.5 / 24, resources: 1 }]);
  });
});

describe('sameCommitment', () => {
  it('matches an inventory RI id to the bill\'s RI ARN, not to another id or a prefix of one', () => {
    const ri = '4a5b6c7d-1111-2222-3333-444455556666';
    expect(sameCommitment(ri, `arn:aws:ec2:us-east-1:123456789012:reserved-instances/${ri}`)).toBe(true);
    expect(sameCommitment(ri, ri.toUpperCase())).toBe(true);
    expect(sameCommitment(ri, 'arn:aws:ec2:us-east-1:123456789012:reserved-instances/9a5b6c7d-1111-2222-3333-444455556666')).toBe(false);
    expect(sameCommitment('6666', `arn:aws:ec2:us-east-1:123456789012:reserved-instances/${ri}`)).toBe(false);
    expect(sameCommitment('', '')).toBe(false);
  });
});
