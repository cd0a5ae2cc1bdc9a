import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { CLOUDS } from '../domain/cloud.js';
import { DataFileError, formatZodError } from '../errors.js';
import { type AuditExceptionsFile, AuditExceptionsFileSchema, type SecondSourcesFile, SecondSourcesFileSchema } from './audit-schema.js';
import type { Catalog } from './catalog.js';
import { createCatalog } from './memory-catalog.js';
import { overlayPrices } from './overlay.js';
import { GpuModelsFileSchema, type PricesFile, PricesFileSchema, RegionsFileSchema, type SpotAdvisorFile, SpotAdvisorFileSchema, TypesFileSchema } from './schema.js';

/** The bundled data directory, resolved from this module so the cwd does not matter. */
export const BUNDLED_DATA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../data');

/** A catalog data file is missing or corrupt; the message is one line naming the file and field. */
export class CatalogDataError extends DataFileError {
  override name = 'CatalogDataError';
}

function readValidated<S extends z.ZodType>(dataDir: string, relative: string, schema: S): z.infer<S> {
  const file = path.join(dataDir, relative);
  const label = path.join(path.basename(dataDir), relative);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const detail = code === 'ENOENT' ? 'file not found' : err instanceof SyntaxError ? `not valid JSON: ${err.message}` : String(err);
    throw new CatalogDataError(`${label}: ${detail}`, { cause: err });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new CatalogDataError(formatZodError(label, parsed.error));
  return parsed.data;
}

/**
 * Loads and validates the catalog files under `dataDir/catalog/` into O(1) lookups.
 * @example const catalog = loadCatalog(); catalog.onDemandHourlyUsd('aws', 'us-east-1', 'm5.large');
 */
export function loadCatalog(dataDir: string = BUNDLED_DATA_DIR, options: { priceOverlays?: readonly PricesFile[]; spotAdvisor?: SpotAdvisorFile } = {}): Catalog {
  const dir = path.resolve(dataDir);
  return createCatalog({
    types: CLOUDS.map((cloud) => readValidated(dir, `catalog/${cloud}-types.json`, TypesFileSchema)),
    prices: CLOUDS.map((cloud) => {
      const bundled = readValidated(dir, `catalog/${cloud}-prices.json`, PricesFileSchema);
      return (options.priceOverlays ?? []).filter((o) => o.cloud === cloud).reduce(overlayPrices, bundled);
    }),
    gpuModels: readValidated(dir, 'catalog/gpu-models.json', GpuModelsFileSchema),
    regions: readValidated(dir, 'catalog/regions.json', RegionsFileSchema),
    spotAdvisor: options.spotAdvisor ?? readValidated(dir, 'catalog/aws-spot-advisor.json', SpotAdvisorFileSchema),
  });
}

/** Store blob holding a cloud's last price refresh (`rightsize prices`), in the bundled file's schema. */
export const priceOverlayKey = (cloud: string) => `catalog/prices/${cloud}.json`;
/** Store blob holding the last Spot Instance Advisor feed, in the bundled file's schema. */
export const SPOT_ADVISOR_KEY = 'catalog/aws-spot-advisor.json';

/**
 * The catalog with the store's refreshed prices laid over the bundled ones. A refresh blob that cannot be read or no
 * longer parses is reported through `onInvalid` and ignored: the bundled prices stay the fallback.
 */
export async function loadCatalogWithRefreshedPrices(
  dataDir: string | undefined,
  store: { getBlob(key: string): Promise<{ body: string } | undefined> },
  onInvalid: (message: string) => void = () => {},
): Promise<Catalog> {
  // The four reads are independent: at cold start they go out together.
  const [prices, spotAdvisor] = await Promise.all([
    Promise.all(CLOUDS.map((cloud) => readOverlay(store, priceOverlayKey(cloud), PricesFileSchema, onInvalid))),
    readOverlay(store, SPOT_ADVISOR_KEY, SpotAdvisorFileSchema, onInvalid),
  ]);
  const overlays: PricesFile[] = [];
  CLOUDS.forEach((cloud, i) => {
    const file = prices[i];
    if (!file) return;
    if (file.cloud === cloud) overlays.push(file);
    else onInvalid(`${priceOverlayKey(cloud)}: cloud is ${file.cloud}`);
  });
  return loadCatalog(dataDir ?? BUNDLED_DATA_DIR, { priceOverlays: overlays, ...(spotAdvisor ? { spotAdvisor } : {}) });
}

/** One overlay blob, validated; anything wrong with it is reported and it counts as absent. */
async function readOverlay<S extends z.ZodType>(
  store: { getBlob(key: string): Promise<{ body: string } | undefined> },
  key: string,
  schema: S,
  onInvalid: (message: string) => void,
): Promise<z.infer<S> | undefined> {
  let blob: { body: string } | undefined;
  try {
    blob = await store.getBlob(key);
  } catch (err) {
    // The store being unreachable must not take the bundled prices down with it.
    onInvalid(`${key}: cannot read: ${(err as Error).message}`);
    return undefined;
  }
  if (!blob) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(blob.body);
  } catch (err) {
    onInvalid(`${key}: not valid JSON: ${(err as Error).message}`);
    return undefined;
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  onInvalid(formatZodError(key, parsed.error));
  return undefined;
}

/**
 * The catalog audit's inputs: the second sources and the accepted exceptions (data/catalog/second-sources.json,
 * data/catalog/audit-exceptions.json), validated.
 */
export function loadAuditData(dataDir: string = BUNDLED_DATA_DIR): { second: SecondSourcesFile; exceptions: AuditExceptionsFile } {
  const dir = path.resolve(dataDir);
  return {
    second: readValidated(dir, 'catalog/second-sources.json', SecondSourcesFileSchema),
    exceptions: readValidated(dir, 'catalog/audit-exceptions.json', AuditExceptionsFileSchema),
  };
}
