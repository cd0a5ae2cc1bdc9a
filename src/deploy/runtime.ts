import type { Catalog } from '../catalog/catalog.js';
import { loadCatalogWithRefreshedPrices } from '../catalog/load.js';
import { type Config, loadConfig } from '../config.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import { openSpendLedger } from '../store/spend/open.js';
import type { OpenSpendLedger } from '../store/spend/open.js';

export interface Runtime {
  config: Config;
  catalog: Catalog;
  store: Store;
  env: Record<string, string | undefined>;
  /** The spend ledger (imported bills), opened on first use and kept for the container. */
  ledger(): Promise<OpenSpendLedger>;
}

/**
 * Secrets named by parameter are fetched at cold start, so they never sit in the function's configuration:
 * `<NAME>_SSM_PARAMETER=/path` (a SecureString) becomes `<NAME>` in the returned environment. SDK credentials are
 * placed where their SDKs look: `AZURE_*` into process.env (DefaultAzureCredential), and
 * `GOOGLE_APPLICATION_CREDENTIALS` (the JSON itself in SSM) into a file under /tmp whose path the variable then holds.
 */
export async function resolveSecretEnv(env: Record<string, string | undefined>, target: Record<string, string | undefined> = process.env): Promise<Record<string, string | undefined>> {
  const wanted = Object.entries(env).filter(([k, v]) => k.endsWith('_SSM_PARAMETER') && v);
  if (wanted.length === 0) return env;
  const { SSMClient, GetParameterCommand } = await import('@aws-sdk/client-ssm');
  const ssm = new SSMClient({ retryMode: 'adaptive', maxAttempts: 6 });
  const out = { ...env };
  for (const [key, parameter] of wanted) {
    const name = key.slice(0, -'_SSM_PARAMETER'.length);
    const value = (await ssm.send(new GetParameterCommand({ Name: parameter, WithDecryption: true }))).Parameter?.Value ?? '';
    if (name === 'GOOGLE_APPLICATION_CREDENTIALS') {
      const { writeFileSync } = await import('node:fs');
      const file = '/tmp/rightsize-gcp-credentials.json';
      writeFileSync(file, value, { mode: 0o600 });
      out[name] = file;
      target[name] = file;
    } else {
      out[name] = value;
      if (name.startsWith('AZURE_')) target[name] = value;
    }
  }
  ssm.destroy();
  return out;
}

let cached: Promise<Runtime> | undefined;

/** Config, catalog and store, built once per Lambda container and reused by every invocation it serves. */
export function runtime(env: Record<string, string | undefined> = process.env): Promise<Runtime> {
  cached ??= (async () => {
    const resolved = await resolveSecretEnv(env);
    const config = loadConfig({ env: resolved });
    const store = await openStore(config, resolved);
    const catalog = await loadCatalogWithRefreshedPrices(config.catalogDir, store, (m) => console.log(JSON.stringify({ msg: 'ignoring refreshed prices', detail: m })));
    let ledger: Promise<OpenSpendLedger> | undefined;
    return { config, catalog, store, env: resolved, ledger: () => (ledger ??= openSpendLedger(config, resolved)) };
  })().catch((err: unknown) => {
    cached = undefined; // a failed cold start (SSM throttled) is retried by the next invocation
    throw err;
  });
  return cached;
}
