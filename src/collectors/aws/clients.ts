import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { Config } from '../../config.js';
import { CollectError } from '../collector.js';
import { DEFAULT_TIMEOUTS, type Timeouts } from '../deadline.js';
import { failureOf } from '../failure.js';
import type { AwsScopeClients } from './collect.js';

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

/**
 * Real SDK clients for one account × region: the default credential chain, or AssumeRole into the configured role
 * of a member account. Adaptive retry (throttling-aware backoff with jitter); endpoints overridable from config.
 */
export function awsClientFactory(config: Config['aws'], base: { credentials?: Credentials; externalId?: string; timeouts?: Timeouts } = {}) {
  const assumed = new Map<string, Promise<Credentials | undefined>>();
  const common = { ...awsClientOptions(base.timeouts ?? DEFAULT_TIMEOUTS), ...(base.credentials ? { credentials: base.credentials } : {}) };

  const credentialsFor = (account: string): Promise<Credentials | undefined> => {
    const entry = config.accounts.find((a) => a.id === account);
    if (!entry) return Promise.resolve(base.credentials);
    let p = assumed.get(account);
    if (!p) {
      const sts = new STSClient({ region: 'us-east-1', ...common, ...(config.endpoints.sts ? { endpoint: config.endpoints.sts } : {}) });
      const roleArn = `arn:aws:iam::${account}:role/${entry.roleName ?? config.roleName}`;
      p = sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'rightsize-collect', DurationSeconds: 3600, ...(base.externalId ? { ExternalId: base.externalId } : {}) })).then(
        (out) => {
          const c = out.Credentials;
          if (!c?.AccessKeyId || !c.SecretAccessKey) throw new CollectError('auth-failed', `sts:AssumeRole ${roleArn}: no credentials returned`);
          return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}) };
        },
        (err: unknown) => {
          const failure = failureOf('aws', `sts:AssumeRole ${roleArn}`, err);
          throw new CollectError(failure.status, failure.message, { cause: err });
        },
      );
      assumed.set(account, p);
    }
    return p;
  };

  return {
    /** Clients for one scope; every call they make is aborted when `signal` fires (the scope's deadline). */
    async clients(account: string, region: string, signal?: AbortSignal): Promise<AwsScopeClients> {
      const credentials = await credentialsFor(account);
      const opts = { region, ...common, ...(credentials ? { credentials } : {}) };
      return {
        ec2: withAbortSignal(new EC2Client({ ...opts, ...(config.endpoints.ec2 ? { endpoint: config.endpoints.ec2 } : {}) }), signal, 'ec2'),
        cloudwatch: withAbortSignal(new CloudWatchClient({ ...opts, ...(config.endpoints.cloudwatch ? { endpoint: config.endpoints.cloudwatch } : {}) }), signal, 'cloudwatch'),
      };
    },
    /**
     * The account of the ambient credentials (sts:GetCallerIdentity), used when no accounts are configured so that
     * instances carry their real account id (budgets scoped by account match). Without an STS to ask (EC2 pointed
     * at a custom endpoint and aws.endpoints.sts unset: an emulator) it stays `self`.
     */
    async ambientAccount(signal?: AbortSignal): Promise<string> {
      if (!config.endpoints.sts && config.endpoints.ec2) return 'self';
      const sts = withAbortSignal(new STSClient({ region: 'us-east-1', ...common, ...(config.endpoints.sts ? { endpoint: config.endpoints.sts } : {}) }), signal, 'sts');
      try {
        const out = await sts.send(new GetCallerIdentityCommand({}));
        return out.Account ?? 'self';
      } catch (err) {
        const failure = failureOf('aws', 'sts:GetCallerIdentity', err);
        throw new CollectError(failure.status, failure.message, { cause: err });
      }
    },
    /** Every region enabled in the account (used when config.aws.regions is empty). */
    async regions(account: string, signal?: AbortSignal): Promise<string[]> {
      const { ec2 } = await this.clients(account, 'us-east-1', signal);
      try {
        const out = await ec2.send(new DescribeRegionsCommand({}));
        return (out.Regions ?? []).map((r) => r.RegionName).filter((r): r is string => Boolean(r)).sort();
      } catch (err) {
        const failure = failureOf('aws', `ec2:DescribeRegions ${account}`, err);
        throw new CollectError(failure.status, failure.message, { cause: err });
      }
    },
  };
}

/**
 * Options every AWS SDK client gets: adaptive retry (throttling-aware backoff with jitter) and the configured connect
 * and per-attempt request timeouts. `throwOnRequestTimeout`: without it the handler only logs a warning and waits on.
 */
export function awsClientOptions(timeouts: Pick<Timeouts, 'connectMs' | 'requestMs'>) {
  return {
    retryMode: 'adaptive' as const,
    maxAttempts: 6,
    requestHandler: { connectionTimeout: timeouts.connectMs, requestTimeout: timeouts.requestMs, throwOnRequestTimeout: true },
  };
}

/**
 * Every `send` of this client (paginators call `send` too) carries `signal` unless the caller passed its own: the
 * scope's deadline aborts the request in flight, and aborted requests are not retried.
 */
export function withAbortSignal<C extends { send(command: never, options?: { abortSignal?: AbortSignal }): Promise<unknown> }>(client: C, signal: AbortSignal | undefined, service?: string): C {
  if (!signal) return client;
  const send = client.send.bind(client) as (command: unknown, options?: { abortSignal?: AbortSignal }) => Promise<unknown>;
  const inFlight = new Set<string>();
  // The deadline's error is the signal's reason; naming the call that was still waiting makes it actionable.
  signal.addEventListener(
    'abort',
    () => {
      const reason: unknown = signal.reason;
      if (inFlight.size > 0 && reason instanceof Error && !reason.message.includes('while waiting on')) reason.message += ` while waiting on ${[...inFlight].join(', ')}`;
    },
    { once: true },
  );
  (client as { send: unknown }).send = async (command: unknown, options?: { abortSignal?: AbortSignal }) => {
    const name = `${service ? `${service}:` : ''}${(command as { constructor: { name: string } }).constructor.name.replace(/Command$/, '')}`;
    inFlight.add(name);
    try {
      return await send(command, { ...options, abortSignal: options?.abortSignal ?? signal });
    } finally {
      inFlight.delete(name);
    }
  };
  return client;
}
