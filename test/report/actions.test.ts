import { describe, expect, it } from 'vitest';
import { findingActions, shortId } from '../../src/report/actions.js';
import { safeHref } from '../../src/report/escape/html.js';

const AZURE_ID = '/subscriptions/8f2c1a3e-5b7d-4e21-9c6a-0d3b4f5a6e71/resourceGroups/rg-ml-prod/providers/Microsoft.Compute/virtualMachines/vm-feature-store-prod-01';

describe('what to do per finding', () => {
  it('links each cloud\'s console page for the instance', () => {
    expect(findingActions({ recommendationId: 's1:i-0abc', instanceId: 'i-0abc', cloud: 'aws', account: '123456789012', region: 'eu-west-1' })).toEqual({
      consoleUrl: 'https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#InstanceDetails:instanceId=i-0abc',
      cli: 'rightsize explain s1:i-0abc',
      api: '/v1/recommendations/s1%3Ai-0abc',
    });
    expect(findingActions({ recommendationId: 'r', instanceId: '4902648396754577343', cloud: 'gcp', account: 'acme-ml', region: 'europe-west4', zone: 'europe-west4-b', name: 'recs-train-01' }).consoleUrl).toBe('https://console.cloud.google.com/compute/instancesDetail/zones/europe-west4-b/instances/recs-train-01?project=acme-ml');
    expect(findingActions({ recommendationId: 'r', instanceId: '1', cloud: 'gcp', account: 'acme-ml', region: 'europe-west4' }).consoleUrl).toBe('https://console.cloud.google.com/compute/instances?project=acme-ml');
    expect(findingActions({ recommendationId: 'r', instanceId: AZURE_ID, cloud: 'azure', account: 'x', region: 'westeurope' }).consoleUrl).toBe(`https://portal.azure.com/#resource${AZURE_ID}/overview`);
  });

  it('keeps data from changing a link\'s host or path, and quotes the CLI argument', () => {
    const a = findingActions({ recommendationId: "x'; rm -rf /", instanceId: 'i-1/../../evil?x=1', cloud: 'aws', account: 'a', region: 'evil.example/' });
    expect(a.consoleUrl).toBe('https://console.aws.amazon.com/ec2/home#InstanceDetails:instanceId=i-1%2F..%2F..%2Fevil%3Fx%3D1');
    expect(a.cli).toBe(`rightsize explain 'x'\\''; rm -rf /'`);
    expect(a.api).toBe("/v1/recommendations/x'%3B%20rm%20-rf%20%2F");
    expect(safeHref(a.consoleUrl)).toBe(a.consoleUrl);
    expect(safeHref(a.api)).toBe(a.api);
  });

  it('safeHref keeps only the report\'s known targets', () => {
    for (const bad of ['javascript:alert(1)', 'https://evil.example/', 'https://console.aws.amazon.com.evil.example/', '//evil.example/v1/recommendations/x', '/v1/recommendations/', 'https://portal.azure.com/ x', 'data:text/html,x']) expect(safeHref(bad), bad).toBeUndefined();
  });

  it('shortens ids: Azure resource ids to the VM name, long ones around an ellipsis', () => {
    expect(shortId(AZURE_ID)).toBe('vm-feature-store-prod-01');
    expect(shortId('i-0c0ffee0000000005')).toBe('i-0c0ffee0000000005');
    expect(shortId('a'.repeat(10) + 'b'.repeat(30))).toBe(`${'a'.repeat(10)}b…${'b'.repeat(10)}`); // 11 characters before, 10 after
    expect(shortId('a'.repeat(10) + 'b'.repeat(30))).toHaveLength(22);
  });
});

describe("the cloud CLI change per finding", () => {
  it('resizes or stops with the cloud\'s own CLI, every value one shell word', () => {
    expect(findingActions({ recommendationId: 'r', instanceId: 'i-0abc', cloud: 'aws', account: '1', region: 'us-east-1', action: 'resize', recommendedType: 'm7a.large' }).change).toBe(
      'aws ec2 stop-instances --instance-ids i-0abc --region us-east-1 && aws ec2 wait instance-stopped --instance-ids i-0abc --region us-east-1 && aws ec2 modify-instance-attribute --instance-id i-0abc --instance-type Value=m7a.large --region us-east-1 && aws ec2 start-instances --instance-ids i-0abc --region us-east-1',
    );
    expect(findingActions({ recommendationId: 'r', instanceId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm 1', cloud: 'azure', account: 's', region: 'eastus', action: 'resize', recommendedType: 'Standard_D2as_v5' }).change).toBe(
      "az vm resize --ids '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm 1' --size Standard_D2as_v5",
    );
    expect(findingActions({ recommendationId: 'r', instanceId: '123', cloud: 'gcp', account: 'proj', region: 'us-central1', zone: 'us-central1-a', name: 'web-1', action: 'stop', recommendedType: null }).change).toBe('gcloud compute instances stop web-1 --zone us-central1-a --project proj');
    // GCP without a zone or name cannot be addressed: no command rather than a wrong one.
    expect(findingActions({ recommendationId: 'r', instanceId: '123', cloud: 'gcp', account: 'proj', region: 'us-central1', action: 'resize', recommendedType: 'e2-standard-2' }).change).toBeUndefined();
  });

  it('a hostile id or type stays one quoted word', () => {
    const change = findingActions({ recommendationId: 'r', instanceId: "i-1'; rm -rf / #", cloud: 'aws', account: '1', region: 'us-east-1', action: 'resize', recommendedType: '$(curl evil)' }).change ?? '';
    expect(change).toContain(`--instance-ids 'i-1'\\''; rm -rf / #'`);
    expect(change).toContain(`Value='$(curl evil)'`);
  });
});
