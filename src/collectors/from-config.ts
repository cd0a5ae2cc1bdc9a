import type { Catalog } from '../catalog/catalog.js';
import type { Config } from '../config.js';
import { CLOUDS, type Cloud } from '../domain/cloud.js';
import type { CloudCollector } from './run.js';

/** Credentials injected instead of each SDK's default chain (tests, the benchmark); typed loosely so no SDK type leaks here. */
export interface CollectorDeps {
  /** An Azure TokenCredential. */
  azureCredential?: unknown;
  /** A google-auth-library client (anything with `getRequestHeaders` and `fetch`). */
  gcpAuthClient?: unknown;
}

/**
 * The collector of each enabled cloud, by cloud. Each cloud's module and SDK is imported only when that cloud is
 * enabled, so a function collecting AWS never loads the GCP client.
 */
export async function buildCollectors(config: Config, catalog: Catalog, env: Record<string, string | undefined>, only?: Cloud, deps: CollectorDeps = {}): Promise<Partial<Record<Cloud, CloudCollector>>> {
  const out: Partial<Record<Cloud, CloudCollector>> = {};
  const wanted = (cloud: Cloud) => config[cloud].enabled && (only === undefined || only === cloud);
  const timeouts = config.timeouts;
  const builders: Record<Cloud, () => Promise<CloudCollector>> = {
    aws: async () => (await import('./aws/collector.js')).awsCollector(config.aws, env, (name) => catalog.type('aws', name) !== undefined, timeouts),
    azure: async () => (await import('./azure/collector.js')).azureCollector(config.azure, (size) => catalog.type('azure', size)?.memoryGiB, { isKnownSize: (size) => catalog.type('azure', size) !== undefined, timeouts, ...(deps.azureCredential ? { credential: deps.azureCredential as never } : {}) }),
    gcp: async () => (await import('./gcp/collector.js')).gcpCollector(config.gcp, { isKnownType: (name) => catalog.type('gcp', name) !== undefined, timeouts, ...(deps.gcpAuthClient ? { authClient: deps.gcpAuthClient } : {}) }),
  };
  for (const cloud of CLOUDS) {
    if (!wanted(cloud)) continue;
    try {
      out[cloud] = await builders[cloud]();
    } catch (err) {
      // A cloud whose SDK cannot even be set up fails alone: its listing reports why, the other clouds still run.
      out[cloud] = { cloud, scopes: () => Promise.reject(err), collect: () => Promise.reject(err) };
    }
  }
  return out;
}
