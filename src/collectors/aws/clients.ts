import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { Config } from '../../config.js';
import type { AwsScopeClients } from './collect.js';

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

/**
 * Real SDK clients for one account × region: the default credential chain, or AssumeRole into the configured role
 * of a member account. Adaptive retry (throttling-aware backoff with jitter); endpoints overridable from config.
 */
export function awsClientFactory(config: Config['aws'], base: { credentials?: Credentials; externalId?: string } = {}) {
  const assumed = new Map<string, Promise<Credentials | undefined>>();
  const common = { retryMode: 'adaptive' as const, maxAttempts: 6, ...(base.credentials ? { credentials: base.credentials } : {}) };

  const credentialsFor = (account: string): Promise<Credentials | undefined> => {
    const entry = config.accounts.find((a) => a.id === account);
    if (!entry) return Promise.resolve(base.credentials);
    let p = assumed.get(account);
    if (!p) {
      const sts = new STSClient({ region: 'us-east-1', ...common, ...(config.endpoints.sts ? { endpoint: config.endpoints.sts } : {}) });
      p = sts
        .send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/${entry.roleName ?? config.roleName}`, RoleSessionName: 'rightsize-collect', DurationSeconds: 3600, ...(base.externalId ? { ExternalId: base.externalId } : {}) }))
        .then((out) => {
          const c = out.Credentials;
          if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`sts:AssumeRole ${account}: no credentials returned`);
          return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}) };
        });
      assumed.set(account, p);
    }
    return p;
  };

  return {
    async clients(account: string, region: string): Promise<AwsScopeClients> {
      const credentials = await credentialsFor(account);
      const opts = { region, ...common, ...(credentials ? { credentials } : {}) };
      return {
        ec2: new EC2Client({ ...opts, ...(config.endpoints.ec2 ? { endpoint: config.endpoints.ec2 } : {}) }),
        cloudwatch: new CloudWatchClient({ ...opts, ...(config.endpoints.cloudwatch ? { endpoint: config.endpoints.cloudwatch } : {}) }),
      };
    },
    /** Every region enabled in the account (used when config.aws.regions is empty). */
    async regions(account: string): Promise<string[]> {
      const { ec2 } = await this.clients(account, 'us-east-1');
      const out = await ec2.send(new DescribeRegionsCommand({}));
      return (out.Regions ?? []).map((r) => r.RegionName).filter((r): r is string => Boolean(r)).sort();
    },
  };
}
