import { describe, expect, it } from 'vitest';
import { instanceKeyOfResource, matchResources } from '../../src/billing/resource-match.js';
import { instance, readFocusCsv, row, SAMPLE, spendRowOf, str } from './bill-csv-rows.js';

const AZURE_VM = '/subscriptions/64e355d7-997c-491d-b0c1-8414dccfcf42/resourceGroups/DevTestLab/providers/Microsoft.Compute/virtualMachines/vm-web-01';

describe('instanceKeyOfResource', () => {
  it('reads EC2 instance ids, bare or in an ARN of any partition, including the sample anonymiser\'s letters', () => {
    expect(instanceKeyOfResource('aws', 'i-0lbaaa6a98751b841')).toEqual({ kind: 'id', id: 'i-0lbaaa6a98751b841' });
    expect(instanceKeyOfResource('aws', 'arn:aws:ec2:us-east-1:123456789012:instance/i-0abcdef1234567890')).toEqual({ kind: 'id', id: 'i-0abcdef1234567890' });
    expect(instanceKeyOfResource('aws', 'arn:aws-cn:ec2:cn-north-1:123456789012:instance/i-0abc')).toEqual({ kind: 'id', id: 'i-0abc' });
  });

  it('rejects other AWS resources, including the sample\'s anonymised ARNs', () => {
    for (const id of [
      'arn:ats:el2:us-test-2:134880727502:natgatetal/nat-0lf5lel9l5', // anonymised NAT gateway ARN from the sample
      'arn:ats:els:us-test-2:365499461711:tasf/faferlSfimmTerraborc-prol1/2l4181419a7b4e53a5a7e458983la133',
      'vom-09l113e4e879a4636', // anonymised EBS volume id
      'arn:aws:ec2:us-east-1:123456789012:volume/vol-0abc',
      'arn:aws:savingsplans::961082193871:savingsplan/493f5705-db1c-4867-8e5c-ee9a66fa6d3f',
      '',
    ]) expect(instanceKeyOfResource('aws', id), id).toBeUndefined();
  });

  it('compares Azure VM ids without case and ignores non-VM resources', () => {
    expect(instanceKeyOfResource('azure', AZURE_VM.toLowerCase())).toEqual({ kind: 'id', id: AZURE_VM.toLowerCase() });
    expect(instanceKeyOfResource('azure', '/subscriptions/64e355d7-997c-491d-b0c1-8414dccfcf42/resourcegroups/gekko/providers/microsoft.storage/storageaccounts/gekkodiag236')).toBeUndefined();
  });

  it('reads GCP global names ending in a numeric id or in a name', () => {
    expect(instanceKeyOfResource('gcp', '//compute.googleapis.com/projects/shop-prod/zones/us-central1-a/instances/4521873309851234567')).toEqual({ kind: 'id', id: '4521873309851234567' });
    expect(instanceKeyOfResource('gcp', '//compute.googleapis.com/projects/shop-prod/zones/us-central1-a/instances/web-1')).toEqual({
      kind: 'name', account: 'shop-prod', zone: 'us-central1-a', name: 'web-1',
    });
    expect(instanceKeyOfResource('gcp', '//compute.googleapis.com/projects/shop-prod/zones/us-central1-a/disks/web-1')).toBeUndefined();
  });
});

describe('matchResources', () => {
  it('matches every EC2 instance id of the real sample and nothing else', () => {
    const records = readFocusCsv(SAMPLE);
    const ids = [...new Set(records.filter((r) => str(r, 'ProviderName') === 'AWS' && /^i-/.test(str(r, 'ResourceId'))).map((r) => str(r, 'ResourceId')))];
    expect(ids.length).toBe(277); // distinct `"i-…"` values in the CSV (grep -o '"i-[0-9a-z]*"' | sort -u | wc -l)
    const decoy = instance({ id: 'i-0000000000000000' });
    const matched = matchResources(records.map(spendRowOf), [...ids.map((id) => instance({ id })), decoy]);
    expect(matched.size).toBe(ids.length);
    expect([...matched.values()]).not.toContain(decoy);
    expect(matched.get('i-0lbaaa6a98751b841')?.id).toBe('i-0lbaaa6a98751b841');
  });

  it('matches an EC2 ARN to the bare inventory id', () => {
    const arn = 'arn:aws:ec2:eu-west-1:123456789012:instance/i-0abcdef1234567890';
    const m = matchResources([row({ resourceId: arn })], [instance({ id: 'i-0abcdef1234567890' })]);
    expect(m.get(arn)?.id).toBe('i-0abcdef1234567890');
  });

  it('matches an Azure export\'s lower-cased id to the inventory\'s mixed-case VM id', () => {
    const vm = instance({ id: AZURE_VM, cloud: 'azure', account: '64e355d7-997c-491d-b0c1-8414dccfcf42', type: 'Standard_D2s_v5' });
    const billed = row({ provider: 'Microsoft', cloud: 'azure', resourceId: AZURE_VM.toLowerCase() });
    expect(matchResources([billed], [vm]).get(AZURE_VM.toLowerCase())).toBe(vm);
  });

  it('matches GCP by numeric id, and by project and name with the zone deciding between namesakes', () => {
    const a = instance({ id: '4521873309851234567', cloud: 'gcp', account: 'shop-prod', name: 'web-1', zone: 'us-central1-a', type: 'n2-standard-4' });
    const b = instance({ id: '7000000000000000001', cloud: 'gcp', account: 'shop-prod', name: 'web-1', zone: 'us-central1-b', type: 'n2-standard-4' });
    const other = instance({ id: '7000000000000000002', cloud: 'gcp', account: 'shop-dev', name: 'api', type: 'e2-medium' });
    const byId = '//compute.googleapis.com/projects/shop-prod/zones/us-central1-a/instances/4521873309851234567';
    const byNameB = '//compute.googleapis.com/projects/shop-prod/zones/us-central1-b/instances/web-1';
    const wrongProject = '//compute.googleapis.com/projects/shop-prod/zones/us-central1-a/instances/api';
    const m = matchResources(
      [byId, byNameB, wrongProject].map((resourceId) => row({ provider: 'Google Cloud', cloud: 'gcp', resourceId })),
      [a, b, other],
    );
    expect(m.get(byId)).toBe(a);
    expect(m.get(byNameB)).toBe(b);
    expect(m.has(wrongProject)).toBe(false);
  });

  it('does not guess between same-named instances of one project when the inventory has no zone for them', () => {
    const x = instance({ id: '7000000000000000011', cloud: 'gcp', account: 'shop-prod', name: 'worker', type: 'e2-medium' });
    const y = instance({ id: '7000000000000000012', cloud: 'gcp', account: 'shop-prod', name: 'worker', type: 'e2-medium' });
    const id = '//compute.googleapis.com/projects/shop-prod/zones/europe-west1-b/instances/worker';
    expect(matchResources([row({ provider: 'Google Cloud', cloud: 'gcp', resourceId: id })], [x, y]).size).toBe(0);
    expect(matchResources([row({ provider: 'Google Cloud', cloud: 'gcp', resourceId: id })], [x]).get(id)).toBe(x);
  });

  it('does not cross clouds: an AWS-shaped id on an Oracle row matches nothing', () => {
    const oracle = row({ provider: 'Oracle', resourceId: 'i-0abc' });
    delete oracle.cloud;
    const m = matchResources([oracle], [instance({ id: 'i-0abc' })]);
    expect(m.size).toBe(0);
  });
});
