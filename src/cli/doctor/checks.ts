import { connect } from 'node:net';
import type { SecretRef } from '../../budgets/channel-status.js';
import type { Config } from '../../config.js';
import type { SpendImport } from '../../domain/spend.js';
import { withDeadline } from '../../collectors/deadline.js';
import { CREDENTIAL_HINTS, describeFailure, failureOf } from '../../collectors/failure.js';
import { CHROMIUM_HINT, locateChromium, locatePrometheus, PROMETHEUS_HINT } from './tools.js';

/**
 * What `rightsize doctor` checks, each a named result with a fix hint: secret references resolve (never printing
 * them), each enabled cloud's credentials, every configured endpoint accepts a connection, and the tools the test
 * suite needs. Checks run with the configured timeouts, so doctor itself never hangs.
 */
export interface Check {
  name: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
  fix?: string;
}

export interface DoctorDeps {
  config: Config;
  env: Record<string, string | undefined>;
  /** Resolves a secret reference (budgets/webhooks.ts); injected so tests need no SSM. */
  resolveSecret: (ref: SecretRef) => Promise<string | undefined>;
  /** Per-cloud credential probes; each returns who the credentials are, or throws. */
  probes: Partial<Record<'aws' | 'gcp' | 'azure', () => Promise<string>>>;
}

function describeRef(ref: SecretRef): string {
  return 'env' in ref ? `environment variable ${ref.env}` : 'ssmParameter' in ref ? `SSM parameter ${ref.ssmParameter}` : `Secrets Manager secret ${ref.secretsManagerSecret}`;
}

/** Every secret reference in the config: Slack webhooks (budgets, report), Prometheus auth, the AWS external id. */
export async function checkSecrets(deps: DoctorDeps): Promise<Check[]> {
  const { config, env } = deps;
  const refs: { field: string; ref: SecretRef }[] = [
    ...config.budgets.flatMap((b, i) => b.channels.map((c, k) => ({ field: `budgets.${i}.channels.${k}.slackWebhook`, ref: c.slackWebhook }))),
    ...(config.report.slackWebhook ? [{ field: 'report.slackWebhook', ref: config.report.slackWebhook }] : []),
  ];
  const out: Check[] = [];
  for (const { field, ref } of refs) {
    try {
      const value = await withDeadline(field, config.timeouts.requestMs, () => deps.resolveSecret(ref));
      if (!value) out.push({ name: field, status: 'fail', detail: `${describeRef(ref)} is not set or empty`, fix: 'env' in ref ? `export ${ref.env}=<the Slack incoming-webhook URL>` : `create it with the Slack incoming-webhook URL as its value` });
      else if (!/^https:\/\/hooks\.slack\.com\//.test(value)) out.push({ name: field, status: 'warn', detail: `${describeRef(ref)} is set but is not a https://hooks.slack.com/ URL` });
      else out.push({ name: field, status: 'ok', detail: `${describeRef(ref)} is set` });
    } catch (err) {
      out.push({ name: field, status: 'fail', detail: describeFailure(`reading ${describeRef(ref)}`, err), fix: 'grant ssm:GetParameter / secretsmanager:GetSecretValue on it, or use { env: NAME }' });
    }
  }
  const envRefs: { field: string; name: string | undefined; when: boolean }[] = [
    { field: 'aws.externalIdEnv', name: config.aws.externalIdEnv, when: config.aws.enabled && config.aws.accounts.length > 0 },
    ...(config.prometheus.auth && 'bearerTokenEnv' in config.prometheus.auth ? [{ field: 'prometheus.auth.bearerTokenEnv', name: config.prometheus.auth.bearerTokenEnv, when: config.prometheus.enabled }] : []),
    ...(config.prometheus.auth && 'usernameEnv' in config.prometheus.auth
      ? [
          { field: 'prometheus.auth.usernameEnv', name: config.prometheus.auth.usernameEnv, when: config.prometheus.enabled },
          { field: 'prometheus.auth.passwordEnv', name: config.prometheus.auth.passwordEnv, when: config.prometheus.enabled },
        ]
      : []),
  ];
  for (const { field, name, when } of envRefs) {
    if (!when || !name) continue;
    out.push(env[name] ? { name: field, status: 'ok', detail: `environment variable ${name} is set` } : { name: field, status: 'fail', detail: `environment variable ${name} is not set`, fix: `export ${name}=…` });
  }
  return out;
}

const PROBE_OPERATION = { aws: 'sts:GetCallerIdentity', gcp: 'credentials', azure: 'DefaultAzureCredential.getToken' } as const;

/** Each enabled cloud's credentials, asked of the SDK's own chain (sts:GetCallerIdentity, ADC, DefaultAzureCredential). */
export async function checkCredentials(deps: DoctorDeps): Promise<Check[]> {
  const out: Check[] = [];
  for (const cloud of ['aws', 'gcp', 'azure'] as const) {
    const probe = deps.probes[cloud];
    if (!deps.config[cloud].enabled || !probe) continue;
    try {
      const who = await withDeadline(`${cloud} credentials`, deps.config.timeouts.scopeMs, () => probe());
      out.push({ name: `${cloud} credentials`, status: 'ok', detail: who });
    } catch (err) {
      const failure = failureOf(cloud, PROBE_OPERATION[cloud], err);
      out.push({ name: `${cloud} credentials`, status: 'fail', detail: failure.message, fix: failure.status === 'auth-failed' ? CREDENTIAL_HINTS[cloud].missing.replace(/^[^:]+: /, '') : 'check the endpoint and network (see the endpoint checks)' });
    }
  }
  return out;
}

/** Every endpoint override in the config (and the Prometheus URL) accepts a TCP connection within timeouts.connectMs. */
export async function checkEndpoints(config: Config): Promise<Check[]> {
  const endpoints: { field: string; url: string }[] = [];
  const add = (field: string, url: string | undefined) => url && endpoints.push({ field, url });
  for (const [k, v] of Object.entries(config.aws.endpoints)) add(`aws.endpoints.${k}`, v);
  if (config.gcp.enabled) for (const [k, v] of Object.entries(config.gcp.endpoints)) add(`gcp.endpoints.${k}`, v);
  if (config.azure.enabled) for (const [k, v] of Object.entries(config.azure.endpoints)) add(`azure.endpoints.${k}`, v);
  if (config.prometheus.enabled) add('prometheus.url', config.prometheus.url);
  if (config.store.kind === 'dynamodb') for (const [k, v] of Object.entries(config.store.endpoints)) add(`store.endpoints.${k}`, v);
  const b = config.billing;
  add('billing.endpoints.s3', b.endpoints.s3);
  add('billing.endpoints.gcs', b.endpoints.gcs);
  add('billing.athena.endpoint', b.athena?.endpoint);
  add('billing.bigquery.endpoint', b.bigquery?.endpoint);
  if (b.costApis.awsCostExplorer.enabled) add('billing.costApis.awsCostExplorer.endpoint', b.costApis.awsCostExplorer.endpoint);
  if (b.costApis.azureCostManagement.scopes.length > 0) add('billing.costApis.azureCostManagement.endpoint', b.costApis.azureCostManagement.endpoint);
  return Promise.all(
    endpoints.map(async ({ field, url }) => {
      const u = new URL(url);
      const port = Number(u.port || (u.protocol === 'http:' ? 80 : 443));
      try {
        await tcpConnect(u.hostname, port, config.timeouts.connectMs);
        return { name: field, status: 'ok' as const, detail: `${u.host} accepts connections` };
      } catch (err) {
        return { name: field, status: 'fail' as const, detail: describeFailure(`connect ${u.host}`, err), fix: `check ${field} in the config, or that the service is running` };
      }
    }),
  );
}

function tcpConnect(host: string, port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.setTimeout(timeoutMs, () => socket.destroy(Object.assign(new Error(`connect ETIMEDOUT ${host}:${port} (no answer within ${timeoutMs} ms)`), { code: 'ETIMEDOUT' })));
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', reject);
  });
}

const DAY_MS = 86_400_000;

/**
 * The bill sources: each configured export is a path that exists or a location Rightsize can read, and each
 * dataset's newest import is recent (exports refresh daily; a week-old bill means the schedule or a grant broke).
 */
export function checkBilling(config: Config, imports: readonly SpendImport[], nowMs: number, exists: (path: string) => boolean): Check[] {
  const out: Check[] = [];
  config.billing.exports.forEach((e, i) => {
    const field = `billing.exports.${i}.uri`;
    if (/^(s3|gs):\/\/[^/]+/.test(e.uri) || /^https?:\/\/[^/]+\/[^/]+/.test(e.uri)) out.push({ name: field, status: 'ok', detail: `${e.uri}: read with the ${e.uri.startsWith('s3:') ? 'AWS' : e.uri.startsWith('gs:') ? 'Google Cloud' : 'Azure'} credentials of this environment` });
    else if (exists(e.uri)) out.push({ name: field, status: 'ok', detail: `${e.uri} exists` });
    else out.push({ name: field, status: 'fail', detail: `${e.uri}: no such file or folder`, fix: 'give a local path, s3://bucket/prefix/export, https://<account>.blob.core.windows.net/<container>/<path> or gs://bucket/prefix' });
  });
  const newest = new Map<string, SpendImport>();
  for (const i of imports) if ((newest.get(i.datasetId)?.importedAtMs ?? -1) < i.importedAtMs) newest.set(i.datasetId, i);
  for (const [dataset, i] of [...newest.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const ageDays = (nowMs - i.importedAtMs) / DAY_MS;
    const through = i.lastDay ?? 'no rows';
    const rejected = i.problems.filter((p) => p.effect === 'rejected').reduce((n, p) => n + p.count, 0);
    const detail = `imported ${ageDays < 1 ? 'today' : `${Math.floor(ageDays)} day${Math.floor(ageDays) === 1 ? '' : 's'} ago`}, bill through ${through}${rejected > 0 ? `, ${rejected} rows rejected (GET /v1/spend/imports)` : ''}`;
    out.push(ageDays > 3 ? { name: `bill ${dataset}`, status: 'warn', detail, fix: 'run rightsize billing import (deployed: the importBill function runs daily; check its logs and grants)' } : { name: `bill ${dataset}`, status: 'ok', detail });
  }
  return out;
}

/** Chromium and Prometheus, which `npm test` drives: a warning, not a failure (they are only for the tests). */
export function checkTestTools(env: Record<string, string | undefined>): Check[] {
  const chromium = locateChromium(env);
  const prometheus = locatePrometheus(env);
  return [
    'found' in chromium ? { name: 'chromium (tests)', status: 'ok', detail: chromium.found } : { name: 'chromium (tests)', status: 'warn', ...splitHint(chromium.missing, CHROMIUM_HINT) },
    'found' in prometheus ? { name: 'prometheus (tests)', status: 'ok', detail: `${prometheus.found.prometheus}, ${prometheus.found.promtool}` } : { name: 'prometheus (tests)', status: 'warn', ...splitHint(prometheus.missing, PROMETHEUS_HINT) },
  ];
}

/** `X not found: <hint>` → detail `X not found`, fix `<hint>`; other messages keep the whole text and get the hint. */
function splitHint(message: string, hint: string): { detail: string; fix: string } {
  return { detail: message.endsWith(`: ${hint}`) ? message.slice(0, -(hint.length + 2)) : message, fix: hint };
}
