import type { Config } from '../../config.js';
import type { CollectScope, CollectWindow, PartialSnapshot } from '../collector.js';
import type { Timeouts } from '../deadline.js';
import type { CloudCollector } from '../run.js';

/**
 * The AWS collector over config: accounts × regions (every enabled region when none are configured). With no
 * accounts configured, the one account of the ambient credentials, by id (sts:GetCallerIdentity).
 */
export async function awsCollector(config: Config['aws'], env: Record<string, string | undefined> = {}, isKnownType?: (name: string) => boolean, timeouts?: Timeouts): Promise<CloudCollector> {
  const { awsClientFactory } = await import('./clients.js');
  const { collectAwsScope } = await import('./collect.js');
  const externalId = config.externalIdEnv ? env[config.externalIdEnv] : undefined;
  const factory = awsClientFactory(config, { ...(externalId ? { externalId } : {}), ...(timeouts ? { timeouts } : {}) });
  const configured = config.accounts.map((a) => a.id);
  return {
    cloud: 'aws',
    async scopes(signal) {
      const out: CollectScope[] = [];
      const accounts = configured.length > 0 ? configured : [await factory.ambientAccount(signal)];
      for (const account of accounts) {
        const regions = config.regions.length > 0 ? config.regions : await factory.regions(account, signal);
        for (const region of regions) out.push({ cloud: 'aws', account, region });
      }
      return out;
    },
    async collect(scope, window, signal) {
      return collectAwsScope(scope, window, await factory.clients(scope.account, scope.region, signal), { ...(isKnownType ? { isKnownType } : {}), metricPeriodSeconds: config.metricPeriodSeconds });
    },
  };
}

