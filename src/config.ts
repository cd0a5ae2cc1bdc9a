import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { CloudSchema } from './domain/cloud.js';
import { EngineSettingsSchema } from './engine/settings.js';
import { unknownKeys } from './config-keys.js';
import { BillingConfigSchema, EndpointSchema } from './config-billing.js';
export { type BillingConfig, hasSecretInUri } from './config-billing.js';
import { type ConfigIssue, ConfigError, formatIssues } from './errors.js';

/**
 * The one config. Sources, later wins: defaults < config file < environment variables.
 * Nothing else in Rightsize reads process.env: callers pass `env` in (tests pass a literal).
 */

const ThresholdSchema = z.object({
  /** Percent of the budget amount, e.g. 80. */
  pct: z.number().positive().max(1000),
  /** `actual`: period-to-date spend crosses it; `forecast`: the end-of-period forecast does. */
  kind: z.enum(['actual', 'forecast']).default('actual'),
});

/** Where a Slack webhook URL comes from. Never the config file itself: a webhook URL is a secret. */
const SecretRefSchema = z.union(
  [
    z.object({ env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name') }),
    z.object({ ssmParameter: z.string().min(1) }),
    z.object({ secretsManagerSecret: z.string().min(1) }),
  ],
  {
    error: (issue) =>
      typeof issue.input === 'string'
        ? 'a webhook URL is a secret and does not belong in the config: put it in an environment variable and write { env: SLACK_WEBHOOK_URL } (or { ssmParameter: NAME }, { secretsManagerSecret: NAME })'
        : 'expected { env: NAME }, { ssmParameter: NAME } or { secretsManagerSecret: NAME }',
  },
);

export const BudgetSchema = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9-_]{0,62}$/, 'lowercase letters, digits, - and _ (max 63)'),
  amountUsd: z.number().positive(),
  period: z.enum(['month', 'quarter', 'week']).default('month'),
  /** IANA time zone the period boundaries are in (a month starts at local midnight there). */
  timeZone: z
    .string()
    .default('UTC')
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone such as UTC or Europe/Berlin'),
  scope: z
    .object({
      cloud: CloudSchema.optional(),
      account: z.string().optional(),
      region: z.string().optional(),
      tags: z.record(z.string(), z.string()).optional(),
    })
    .default({}),
  thresholds: z
    .array(ThresholdSchema)
    .min(1)
    .default([
      { pct: 50, kind: 'actual' },
      { pct: 80, kind: 'actual' },
      { pct: 100, kind: 'actual' },
      { pct: 100, kind: 'forecast' },
    ]),
  channels: z.array(z.object({ slackWebhook: SecretRefSchema })).default([]),
  /**
   * What spend is compared with the amount: `amortized` (FOCUS EffectiveCost: commitments spread over what they
   * cover, as AWS Budgets' amortized view), `billed` (cash, as invoiced) or `modeled` (running instances × list
   * price). A bill basis falls back to `modeled` while no imported bill covers the budget's clouds, and says so.
   */
  basis: z.enum(['amortized', 'billed', 'modeled']).default('amortized'),
});
export type BudgetConfig = z.infer<typeof BudgetSchema>;


const AwsConfigSchema = z.object({
  enabled: z.boolean().default(false),
  /** Accounts to assume into; empty = only the account of the ambient credentials. */
  accounts: z.array(z.object({ id: z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id'), roleName: z.string().min(1).optional() })).default([]),
  roleName: z.string().min(1).default('RightsizeReadOnly'),
  /** Environment variable holding the sts:ExternalId the member-account roles require (infra/aws/member-account-role.yaml). */
  externalIdEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name').optional(),
  /** Empty = every region enabled in the account. */
  regions: z.array(z.string().min(1)).default([]),
  /**
   * CPU and memory resolution. 3600 (default): hourly Maximum and Average. 300 (CloudWatch basic monitoring) or 60
   * (detailed monitoring): the Average per period, rolled up to hourly mean and maximum of those averages, so the
   * engine sees 5-minute peaks instead of 1-minute spikes. Same bill (GetMetricData is billed per metric requested,
   * and one statistic replaces two), 6× (300) or 30× (60) the GetMetricData calls.
   */
  metricPeriodSeconds: z.union([z.literal(3600), z.literal(300), z.literal(60)]).default(3600),
  endpoints: z
    .object({ ec2: EndpointSchema, cloudwatch: EndpointSchema, pricing: EndpointSchema, sts: EndpointSchema, spotAdvisor: EndpointSchema })
    .default({}),
});

const GcpConfigSchema = z.object({
  enabled: z.boolean().default(false),
  projects: z.array(z.string().min(1)).default([]),
  regions: z.array(z.string().min(1)).default([]),
  endpoints: z.object({ compute: EndpointSchema, monitoring: EndpointSchema, billing: EndpointSchema }).default({}),
});

const AzureConfigSchema = z.object({
  enabled: z.boolean().default(false),
  subscriptions: z.array(z.string().uuid('must be a subscription id (UUID)')).default([]),
  regions: z.array(z.string().min(1)).default([]),
  endpoints: z.object({ arm: EndpointSchema, retailPrices: EndpointSchema }).default({}),
});

const PrometheusConfigSchema = z.object({
  enabled: z.boolean().default(false),
  url: z.string().url().optional(),
  /** Label that names the host; DCGM exporter used `Hostname` until 2026 releases renamed it `hostname`. */
  hostLabels: z.array(z.string().min(1)).default(['Hostname', 'hostname']),
  auth: z.union([z.object({ bearerTokenEnv: z.string().min(1) }), z.object({ usernameEnv: z.string().min(1), passwordEnv: z.string().min(1) })]).optional(),
});

const StoreConfigSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sqlite') }),
  z.object({
    kind: z.literal('dynamodb'),
    /** DynamoDB table (tableDefinition in src/store/dynamodb/table.ts; serverless.yml creates it). */
    table: z.string().min(3).max(255),
    /** S3 bucket for series chunks and reports. */
    bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name'),
    /** Default: the AWS_REGION of the environment. */
    region: z.string().min(1).optional(),
    endpoints: z.object({ dynamodb: EndpointSchema, s3: EndpointSchema }).default({}),
    /** Path-style S3 URLs, for S3-compatible servers. */
    forcePathStyle: z.boolean().default(false),
  }),
]);

/**
 * Timeout defaults: generous for a large account, short enough that nothing looks hung. One definition: the schema
 * below and src/collectors/deadline.ts (for callers without a config) both read it.
 */
export const TIMEOUT_DEFAULTS = { connectMs: 5_000, requestMs: 30_000, scopeMs: 600_000, heartbeatMs: 15_000 } as const;

/** Outbound-call timeouts (src/collectors/deadline.ts): every SDK client, fetch and Prometheus call. */
const TimeoutsSchema = z.object({
  /** TCP/TLS connect of one attempt, ms. */
  connectMs: z.number().int().min(100).max(120_000).default(TIMEOUT_DEFAULTS.connectMs),
  /** One attempt of one HTTP request, ms: no complete answer within it aborts the attempt (the SDKs retry). */
  requestMs: z.number().int().min(100).max(600_000).default(TIMEOUT_DEFAULTS.requestMs),
  /** One scope whole (an account × region, a project, a subscription, one price region), retries included, ms. */
  scopeMs: z.number().int().min(500).max(6 * 3_600_000).default(TIMEOUT_DEFAULTS.scopeMs),
  /** While scopes are still running, a progress line this often, ms (0: none). */
  heartbeatMs: z.number().int().min(0).max(3_600_000).default(TIMEOUT_DEFAULTS.heartbeatMs),
});

export const ConfigSchema = z.object({
  /** Which store: the embedded SQLite file under dataDir (default) or DynamoDB + S3 (deployed). */
  store: StoreConfigSchema.default({ kind: 'sqlite' }),
  /** Where the embedded store keeps its database and reports. */
  dataDir: z.string().min(1).default('./.rightsize'),
  /** Catalog data directory (instance types, prices, GPU models); default: the bundled `data/`. */
  catalogDir: z.string().min(1).optional(),
  /** How long history (snapshots, results) is kept; week-over-week reports need at least 14 days. */
  retentionDays: z.number().int().min(14).max(3650).default(90),
  server: z
    .object({
      host: z.string().min(1).default('127.0.0.1'),
      port: z.number().int().min(0).max(65535).default(8787),
      corsOrigins: z.array(z.string().min(1)).default([]),
      bodyLimitBytes: z.number().int().min(1024).max(10 * 1024 * 1024).default(64 * 1024),
      /** Bound of the API's response cache in bytes (bodies, their gzip forms and keys): 32 MiB. */
      responseCacheBytes: z.number().int().min(1024 * 1024).max(1024 * 1024 * 1024).default(32 * 1024 * 1024),
      publicBaseUrl: z.string().url().optional(),
    })
    .default({ host: '127.0.0.1', port: 8787, corsOrigins: [], bodyLimitBytes: 64 * 1024, responseCacheBytes: 32 * 1024 * 1024 }),
  auth: z
    .object({
      /** SHA-256 hex digests of accepted bearer tokens; plain tokens only ever come from RIGHTSIZE_API_TOKENS. */
      tokenSha256: z.array(z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 hex digest')).default([]),
      /** Local demo only: serve the API without tokens. Refused when tokens are configured. */
      disabled: z.boolean().default(false),
    })
    .default({ tokenSha256: [], disabled: false }),
  engine: EngineSettingsSchema.default(EngineSettingsSchema.parse({})),
  demo: z
    .object({
      seed: z.number().int().nonnegative().default(42),
      instanceCount: z.number().int().min(50).max(5000).default(600),
    })
    .default({ seed: 42, instanceCount: 600 }),
  aws: AwsConfigSchema.default(AwsConfigSchema.parse({})),
  gcp: GcpConfigSchema.default(GcpConfigSchema.parse({})),
  azure: AzureConfigSchema.default(AzureConfigSchema.parse({})),
  prometheus: PrometheusConfigSchema.default(PrometheusConfigSchema.parse({})),
  timeouts: TimeoutsSchema.default(TimeoutsSchema.parse({})),
  billing: BillingConfigSchema.default(BillingConfigSchema.parse({})),
  budgets: z
    .array(BudgetSchema)
    .default([])
    .refine((bs) => new Set(bs.map((b) => b.name)).size === bs.length, { message: 'budget names must be unique' }),
  report: z
    .object({
      /** GPU utilization below this is counted as idle GPU capacity in the weekly report. */
      gpuTargetUtilizationPct: z.number().min(1).max(100).default(80),
      slackWebhook: SecretRefSchema.optional(),
    })
    .default({ gpuTargetUtilizationPct: 80 }),
});
export type Config = z.infer<typeof ConfigSchema>;

export const CONFIG_FILE_NAMES = ['rightsize.config.json', 'rightsize.config.yaml', 'rightsize.config.yml'] as const;

export interface LoadConfigOptions {
  /** Explicit config path (`--config`); otherwise RIGHTSIZE_CONFIG, then the default names in `cwd`. */
  configPath?: string;
  cwd?: string;
  env?: Record<string, string | undefined>;
}

/** Environment variables that override config fields: name → [field path, parser]. */
const ENV_OVERRIDES: Record<string, { path: string[]; parse: (v: string) => unknown }> = {
  RIGHTSIZE_DATA_DIR: { path: ['dataDir'], parse: (v) => v },
  RIGHTSIZE_CATALOG_DIR: { path: ['catalogDir'], parse: (v) => v },
  RIGHTSIZE_RETENTION_DAYS: { path: ['retentionDays'], parse: Number },
  RIGHTSIZE_HOST: { path: ['server', 'host'], parse: (v) => v },
  RIGHTSIZE_PORT: { path: ['server', 'port'], parse: Number },
  RIGHTSIZE_PUBLIC_BASE_URL: { path: ['server', 'publicBaseUrl'], parse: (v) => v },
  RIGHTSIZE_CORS_ORIGINS: { path: ['server', 'corsOrigins'], parse: splitList },
  RIGHTSIZE_AUTH_DISABLED: { path: ['auth', 'disabled'], parse: (v) => v === 'true' || v === '1' },
  RIGHTSIZE_DEMO_SEED: { path: ['demo', 'seed'], parse: Number },
  RIGHTSIZE_STORE: { path: ['store', 'kind'], parse: (v) => v },
  RIGHTSIZE_TABLE: { path: ['store', 'table'], parse: (v) => v },
  RIGHTSIZE_BUCKET: { path: ['store', 'bucket'], parse: (v) => v },
};

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** SHA-256 hex of a bearer token: the only form in which tokens are held after startup. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

function readConfigFile(file: string, label: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`${label}: cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
  }
  try {
    return file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    const detail = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new ConfigError(`${label}: not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${detail}`, { cause: err });
  }
}

function setPath(target: Record<string, unknown>, keys: string[], value: unknown): void {
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1] as string] = value;
}

/** Finds the config file: explicit path, RIGHTSIZE_CONFIG, or a default name in cwd; undefined = defaults only. */
export function findConfigFile(options: LoadConfigOptions = {}): string | undefined {
  const cwd = options.cwd ?? process.cwd();
  const explicit = options.configPath ?? options.env?.['RIGHTSIZE_CONFIG'];
  if (explicit) {
    const file = path.resolve(cwd, explicit);
    if (!existsSync(file)) throw new ConfigError(`${explicit}: config file not found`);
    return file;
  }
  return CONFIG_FILE_NAMES.map((name) => path.join(cwd, name)).find((file) => existsSync(file));
}

/**
 * Loads and validates the config. Errors are one line naming the file (or env variable) and field.
 * @example const config = loadConfig({ env: process.env });
 */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? {};
  const file = findConfigFile(options);
  const fileLabel = file ? path.relative(options.cwd ?? process.cwd(), file) || file : 'defaults';
  const raw = file ? readConfigFile(file, fileLabel) : {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(`${fileLabel}: (root): expected an object`);
  }
  // Validate the file alone first so an error points at the file, not at an env override. Every issue is listed,
  // unknown keys (which zod's object schemas would drop silently) included.
  const fromFile = ConfigSchema.safeParse(raw);
  // zod's own unrecognized-key issues (strict sections) are covered, with suggestions, by unknownKeys.
  const unknown = unknownKeys(ConfigSchema, raw);
  const covered = (i: z.core.$ZodIssue) => i.code === 'unrecognized_keys' && unknown.some((u) => i.path.every((p, k) => u.path[k] === p));
  const issues: ConfigIssue[] = [...unknown, ...(fromFile.success ? [] : fromFile.error.issues.filter((i) => !covered(i)))];
  if (issues.length > 0) throw new ConfigError(formatIssues(fileLabel, issues));

  const merged = structuredClone(raw) as Record<string, unknown>;
  const applied: { name: string; path: string[] }[] = [];
  for (const [name, override] of Object.entries(ENV_OVERRIDES)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    setPath(merged, override.path, override.parse(value));
    applied.push({ name, path: override.path });
  }
  // Validated once all are applied (RIGHTSIZE_STORE=dynamodb needs RIGHTSIZE_TABLE too); an error names the
  // variables that set the section it is in.
  const check = ConfigSchema.safeParse(merged);
  if (!check.success) {
    const section = check.error.issues[0]?.path[0];
    const names = applied.filter((a) => a.path[0] === section).map((a) => a.name);
    throw new ConfigError(formatIssues(`environment variable${names.length > 1 ? 's' : ''} ${(names.length > 0 ? names : applied.map((a) => a.name)).join(', ')}`, check.error.issues));
  }
  const tokens = splitList(env['RIGHTSIZE_API_TOKENS'] ?? '');
  const config = ConfigSchema.parse(merged);
  config.auth.tokenSha256 = [...new Set([...config.auth.tokenSha256, ...tokens.map(hashToken)])];
  if (config.auth.disabled && config.auth.tokenSha256.length > 0) {
    throw new ConfigError(`${fileLabel}: auth.disabled: cannot disable auth while API tokens are configured`);
  }
  return config;
}

/** A copy safe to print or log: token digests and secret references are masked. */
export function redactConfig(config: Config): unknown {
  const copy = structuredClone(config) as Config;
  copy.auth.tokenSha256 = copy.auth.tokenSha256.map(() => '[redacted]');
  return copy;
}
