import { describe, expect, it } from 'vitest';
import { reconcile } from '../../src/billing/reconcile.js';
import type { SpendRow } from '../../src/domain/spend.js';
import { instance, num, readFocusCsv, row, SAMPLE, spendRowOf, str } from './bill-csv-rows.js';

const SEPT = { fromDay: '2024-09-01', toDay: '2024-09-30' };
const EC2 = 'Amazon Elastic Compute Cloud';
const S3 = 'Amazon Simple Storage Service';
const SP_SERVICE = 'Savings Plans for AWS Compute usage';

describe('reconcile on synthetic rows', () => {
  const cost = (resourceId: string, service: string, billedCostUsd: number, effectiveCostUsd = billedCostUsd, extra: Partial<SpendRow> = {}) =>
    row({ resourceId, service, billedCostUsd, effectiveCostUsd, ...extra });
  const rows: SpendRow[] = [
    cost('i-1', EC2, 100, 90),
    cost('i-1', EC2, 999, 999, { day: '2024-10-01' }), // outside the range
    cost('arn:aws:ec2:us-east-1:111111111111:instance/i-2', EC2, 50),
    cost('vol-0abc', EC2, 30), // EBS bills under EC2 but is no instance
    cost('arn:aws:s3:::logs', S3, 20),
    cost('', S3, 10, 10, { chargeCategory: 'Tax', pricingCategory: '' }),
    cost('arn:aws:rds:us-east-1:111111111111:db:orders', 'Amazon Relational Database Service', 60),
    cost('arn:aws:ec2:us-east-1:111111111111:natgateway/nat-0abc', 'Amazon Virtual Private Cloud', 5),
    cost('', 'AmazonCloudWatch', 3),
    cost('arn:aws:lambda:us-east-1:111111111111:function:f', 'AWS Lambda', 1),
    cost('sp-1', SP_SERVICE, 200, 0, { chargeCategory: 'Purchase' }), // paid now, amortized over the term
    cost('sp-1', SP_SERVICE, 0, 12, { commitmentDiscountId: 'sp-1', commitmentDiscountStatus: 'Unused', pricingCategory: 'Committed' }),
  ];
  const instances = [
    instance({ id: 'i-1' }),
    instance({ id: 'i-2' }),
    instance({ id: 'i-3' }), // running, no bill rows: unmatched
    instance({ id: 'i-4', state: 'stopped' }), // stopped: not expected on the bill
    instance({ id: 'i-5', account: '999999999999' }), // an account the bill does not cover
    instance({ id: '4521873309851234567', cloud: 'gcp', account: 'shop-prod', type: 'n2-standard-4' }), // a cloud the bill does not cover
  ];

  it('billed basis: the invoice total, the instances\' share, the top unexplained services', () => {
    const r = reconcile(rows, instances, { ...SEPT, basis: 'billed' });
    const total = 100 + 50 + 30 + 20 + 10 + 60 + 5 + 3 + 1 + 200 + 0;
    expect(r.billTotalUsd).toBeCloseTo(total, 10);
    expect(r.instancesExplainedUsd).toBeCloseTo(150, 10);
    expect(r.explainedPct).toBeCloseTo((150 / total) * 100, 10);
    expect(r.modeledUsd).toBeUndefined();
    expect(r.modeledVsBillPct).toBeUndefined();
    // EC2 30 and S3 30 (20 + its 10 tax) tie: ordered by name. CloudWatch (3) and Lambda (1) fall outside the five.
    expect(r.unexplainedTop).toEqual([
      { provider: 'AWS', service: SP_SERVICE, costUsd: 200 },
      { provider: 'AWS', service: 'Amazon Relational Database Service', costUsd: 60 },
      { provider: 'AWS', service: EC2, costUsd: 30 },
      { provider: 'AWS', service: S3, costUsd: 30 },
      { provider: 'AWS', service: 'Amazon Virtual Private Cloud', costUsd: 5 },
    ]);
    expect(r.unmatchedInstances).toBe(1);
    expect(r.unmatchedInstanceIds).toEqual(['i-3']);
  });

  it('amortized basis: EffectiveCost, and the model compared with what the bill charged the same instances', () => {
    const r = reconcile(rows, instances, { ...SEPT, basis: 'amortized', modeledUsd: 154 });
    expect(r.billTotalUsd).toBeCloseTo(90 + 50 + 30 + 20 + 10 + 60 + 5 + 3 + 1 + 0 + 12, 10);
    expect(r.instancesExplainedUsd).toBeCloseTo(140, 10);
    expect(r.modeledUsd).toBe(154);
    expect(r.modeledVsBillPct).toBeCloseTo(10, 10); // (154 − 140) / 140
    expect(r.unexplainedTop[0]).toEqual({ provider: 'AWS', service: 'Amazon Relational Database Service', costUsd: 60 });
  });

  it('an empty range reports zeros and no percentages', () => {
    const r = reconcile(rows, instances, { fromDay: '2024-08-01', toDay: '2024-08-31', basis: 'billed', modeledUsd: 10 });
    expect(r).toMatchObject({ billTotalUsd: 0, instancesExplainedUsd: 0, unexplainedTop: [], unmatchedInstances: 0 });
    expect(r.explainedPct).toBeUndefined();
    expect(r.modeledVsBillPct).toBeUndefined();
  });
});

describe('reconcile on the real FOCUS 1.0 sample', () => {
  const records = readFocusCsv(SAMPLE);
  const rows = records.map(spendRowOf);
  const isInstanceRow = (r: Record<string, string>) => str(r, 'ProviderName') === 'AWS' && /^i-/.test(str(r, 'ResourceId'));
  const ids = [...new Set(records.filter(isInstanceRow).map((r) => str(r, 'ResourceId')))];
  const instances = [
    ...ids.map((id) => instance({ id, account: '11353890204' })),
    instance({ id: 'i-0notinthebill01', account: '11353890204' }),
    instance({ id: 'i-0notinthebill02', account: '69918885631' }),
    instance({ id: 'i-0notinthebill03', account: '69918885631', state: 'stopped' }),
  ];

  it.each(['billed', 'amortized'] as const)('%s basis: totals, instance share and top services computed from the CSV', (basis) => {
    const column = basis === 'billed' ? 'BilledCost' : 'EffectiveCost';
    const total = records.reduce((s, r) => s + num(r, column), 0);
    const explained = records.filter(isInstanceRow).reduce((s, r) => s + num(r, column), 0);
    const byService = new Map<string, number>();
    for (const r of records.filter((x) => !isInstanceRow(x))) {
      const key = `${str(r, 'ProviderName')}|${str(r, 'ServiceName')}`;
      byService.set(key, (byService.get(key) ?? 0) + num(r, column));
    }
    const top = [...byService].sort((a, b) => b[1] - a[1] || a[0].split('|')[1]!.localeCompare(b[0].split('|')[1]!)).slice(0, 5);

    const r = reconcile(rows, instances, { ...SEPT, basis });
    expect(r.billTotalUsd).toBeCloseTo(total, 9);
    expect(r.instancesExplainedUsd).toBeCloseTo(explained, 9);
    expect(r.explainedPct).toBeCloseTo((explained / total) * 100, 9);
    expect(r.unexplainedTop.map((t) => `${t.provider}|${t.service}`)).toEqual(top.map(([k]) => k));
    r.unexplainedTop.forEach((t, i) => expect(t.costUsd).toBeCloseTo(top[i]![1], 9));
    expect(r.unmatchedInstances).toBe(2);
    expect(r.unmatchedInstanceIds).toEqual(['i-0notinthebill01', 'i-0notinthebill02']);
  });

  it('pins the sample\'s figures: the EC2 instances explain 85 % of the cash; amortized, over 100 %', () => {
    const billed = reconcile(rows, instances, { ...SEPT, basis: 'billed' });
    expect(billed.billTotalUsd).toBeCloseTo(20.520226729, 8);
    expect(billed.instancesExplainedUsd).toBeCloseTo(17.4493280627, 9);
    expect(billed.unexplainedTop[0]).toEqual({ provider: 'Microsoft', service: 'Azure Kubernetes Service', costUsd: 1.58088 });
    // The sample's AWS EffectiveCost is 0 on most rows except 10 EC2 hours (16 in all) and a −3 credit with no
    // resource, so the instances "explain" more than the amortized total: a property of this anonymised data.
    const amortized = reconcile(rows, instances, { ...SEPT, basis: 'amortized' });
    expect(amortized.instancesExplainedUsd).toBeCloseTo(16, 9);
    expect(amortized.explainedPct).toBeGreaterThan(100);
  });
});
