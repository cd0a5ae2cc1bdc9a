import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { CLOUDS } from '../domain/cloud.js';
import { DataFileError, formatZodError } from '../errors.js';
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
  const overlays: PricesFile[] = [];
  for (const cloud of CLOUDS) {
    let blob: { body: string } | undefined;
    try {
      blob = await store.getBlob(priceOverlayKey(cloud));
    } catch (err) {
      // The store being unreachable must not take the bundled prices down with it.
      onInvalid(`${priceOverlayKey(cloud)}: cannot read: ${(err as Error).message}`);
      continue;
    }
    if (!blob) continue;
    let raw: unknown;
    try {
      raw = JSON.parse(blob.body);
    } catch (err) {
      onInvalid(`${priceOverlayKey(cloud)}: not valid JSON: ${(err as Error).message}`);
      continue;
    }
    const parsed = PricesFileSchema.safeParse(raw);
    if (parsed.success && parsed.data.cloud === cloud) overlays.push(parsed.data);
    else onInvalid(parsed.success ? `${priceOverlayKey(cloud)}: cloud is ${parsed.data.cloud}` : formatZodError(priceOverlayKey(cloud), parsed.error));
  }
  let spotAdvisor: SpotAdvisorFile | undefined;
  try {
    const blob = await store.getBlob(SPOT_ADVISOR_KEY);
    if (blob) {
      const parsed = SpotAdvisorFileSchema.safeParse(JSON.parse(blob.body));
      if (parsed.success) spotAdvisor = parsed.data;
      else onInvalid(formatZodError(SPOT_ADVISOR_KEY, parsed.error));
    }
  } catch (err) {
    onInvalid(`${SPOT_ADVISOR_KEY}: cannot read: ${(err as Error).message}`);
  }
  return loadCatalog(dataDir ?? BUNDLED_DATA_DIR, { priceOverlays: overlays, ...(spotAdvisor ? { spotAdvisor } : {}) });
}
