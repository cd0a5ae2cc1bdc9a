import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { CLOUDS } from '../domain/cloud.js';
import { DataFileError, formatZodError } from '../errors.js';
import type { Catalog } from './catalog.js';
import { createCatalog } from './memory-catalog.js';
import { GpuModelsFileSchema, PricesFileSchema, RegionsFileSchema, SpotAdvisorFileSchema, TypesFileSchema } from './schema.js';

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
export function loadCatalog(dataDir: string = BUNDLED_DATA_DIR): Catalog {
  const dir = path.resolve(dataDir);
  return createCatalog({
    types: CLOUDS.map((cloud) => readValidated(dir, `catalog/${cloud}-types.json`, TypesFileSchema)),
    prices: CLOUDS.map((cloud) => readValidated(dir, `catalog/${cloud}-prices.json`, PricesFileSchema)),
    gpuModels: readValidated(dir, 'catalog/gpu-models.json', GpuModelsFileSchema),
    regions: readValidated(dir, 'catalog/regions.json', RegionsFileSchema),
    spotAdvisor: readValidated(dir, 'catalog/aws-spot-advisor.json', SpotAdvisorFileSchema),
  });
}
