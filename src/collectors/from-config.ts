import type { Catalog } from '../catalog/catalog.js';
import type { Config } from '../config.js';
import type { Cloud } from '../domain/cloud.js';
import type { CloudCollector } from './run.js';

/**
 * The collector of each enabled cloud, by cloud. Each cloud's module and SDK is imported only when that cloud is
 * enabled, so a function collecting AWS never loads the GCP client.
 */
export async function buildCollectors(config: Config, catalog: Catalog, env: Record<string, string | undefined>, only?: Cloud): Promise<Partial<Record<Cloud, CloudCollector>>> {
  const out: Partial<Record<Cloud, CloudCollector>> = {};
  const wanted = (cloud: Cloud) => config[cloud].enabled && (only === undefined || only === cloud);
  if (wanted('aws')) out.aws = await (await import('./aws/collector.js')).awsCollector(config.aws, env, (name) => catalog.type('aws', name) !== undefined);
  if (wanted('azure')) out.azure = await (await import('./azure/collector.js')).azureCollector(config.azure, (size) => catalog.type('azure', size)?.memoryGiB, (size) => catalog.type('azure', size) !== undefined);
  if (wanted('gcp')) out.gcp = await (await import('./gcp/collector.js')).gcpCollector(config.gcp, (name) => catalog.type('gcp', name) !== undefined);
  return out;
}
