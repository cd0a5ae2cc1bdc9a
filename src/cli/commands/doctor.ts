import type { Config } from '../../config.js';
import { existsSync } from 'node:fs';
import type { SpendImport } from '../../domain/spend.js';
import { type Check, checkBilling, checkCredentials, checkEndpoints, checkSecrets, checkTestTools, type DoctorDeps } from '../doctor/checks.js';
import type { Command } from '../context.js';

const MARK: Record<Check['status'], string> = { ok: '✓', warn: '!', fail: '✗' };

/**
 * `rightsize doctor`: checks what a run would need before it needs it, each line a check with a fix hint: secret
 * references (Slack webhooks, Prometheus auth, the AWS external id) resolve, each enabled cloud's credentials work,
 * every configured endpoint accepts connections, and Chromium and Prometheus are there for the tests. Exit 1 when a
 * check fails (warnings alone exit 0). Secret values are never printed.
 */
export const doctorCommand: Command = async (ctx) => {
  const { webhookResolver } = await import('../../budgets/webhooks.js');
  const deps: DoctorDeps = { config: ctx.config, env: ctx.env, resolveSecret: webhookResolver(ctx.env), probes: credentialProbes(ctx.config) };
  const bill = await billImports(ctx);
  const checks = [
    ...(await checkSecrets(deps)), ...(await checkCredentials(deps)), ...(await checkEndpoints(ctx.config)),
    ...checkBilling(ctx.config, bill.imports, ctx.nowMs(), existsSync), ...(bill.check ? [bill.check] : []), ...checkTestTools(ctx.env),
  ];
  if (ctx.flags.json) ctx.stdout.write(`${JSON.stringify({ checks })}\n`);
  else {
    for (const c of checks) ctx.stdout.write(`${MARK[c.status]} ${c.name}: ${c.detail}${c.fix && c.status !== 'ok' ? `\n    fix: ${c.fix}` : ''}\n`);
    const failed = checks.filter((c) => c.status === 'fail').length;
    const warned = checks.filter((c) => c.status === 'warn').length;
    ctx.stdout.write(`${checks.length} checks: ${checks.length - failed - warned} ok, ${warned} warnings, ${failed} failed\n`);
  }
  return checks.some((c) => c.status === 'fail') ? 1 : 0;
};

/** Asks each enabled cloud's own credential chain, through the configured endpoints and timeouts. */
function credentialProbes(config: Config): DoctorDeps['probes'] {
  return {
    aws: async () => {
      const { GetCallerIdentityCommand, STSClient } = await import('@aws-sdk/client-sts');
      const { awsClientOptions } = await import('../../collectors/aws/clients.js');
      const sts = new STSClient({ region: 'us-east-1', ...awsClientOptions(config.timeouts), ...(config.aws.endpoints.sts ? { endpoint: config.aws.endpoints.sts } : {}) });
      const me = await sts.send(new GetCallerIdentityCommand({}));
      return `account ${me.Account ?? '?'} (${me.Arn ?? '?'})`;
    },
    gcp: async () => {
      const { cjsExports, gaxEndpoint } = await import('../../collectors/gcp/gax.js');
      const { checkCredentials: resolve } = await import('../../collectors/gcp/collector.js');
      const { InstancesClient } = cjsExports(await import('@google-cloud/compute/build/src/v1/instances_client.js'), 'InstancesClient');
      const client = new InstancesClient({ fallback: 'rest', ...gaxEndpoint(config.gcp.endpoints.compute) } as never);
      await resolve(client);
      return 'Application Default Credentials found';
    },
    azure: async () => {
      const { DefaultAzureCredential } = await import('@azure/identity');
      const token = await new DefaultAzureCredential().getToken('https://management.azure.com/.default');
      if (!token) throw new Error('DefaultAzureCredential returned no token');
      return 'DefaultAzureCredential acquired an ARM token';
    },
  };
}

/** The spend ledger's imports (the bill's freshness), or a check saying why the ledger could not be read. */
async function billImports(ctx: Parameters<Command>[0]): Promise<{ imports: SpendImport[]; check?: Check }> {
  try {
    const { openSpendLedger } = await import('../../store/spend/open.js');
    const ledger = await openSpendLedger(ctx.config, ctx.env);
    try {
      return { imports: await ledger.listImports() };
    } finally {
      await ledger.close();
    }
  } catch (err) {
    return { imports: [], check: { name: 'spend ledger', status: 'warn', detail: `not readable: ${err instanceof Error ? err.message : String(err)}`, fix: 'check store.* and its credentials (the ledger lives beside the store)' } };
  }
}
