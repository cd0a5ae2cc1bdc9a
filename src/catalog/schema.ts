import { z } from 'zod';
import { CloudSchema, RegionSchema } from '../domain/cloud.js';
import { GpuModelSchema, InstanceTypeSchema } from '../domain/instance-type.js';
import { CommitmentTermSchema, PurchaseOptionSchema } from '../domain/price.js';

/** data/catalog/<cloud>-types.json */
export const TypesFileSchema = z.object({ cloud: CloudSchema, types: z.array(InstanceTypeSchema) });

const PriceColumnSchema = z.object({ option: PurchaseOptionSchema, term: CommitmentTermSchema.optional() });

/** data/catalog/<cloud>-prices.json: per region, one USD/h price per column (null = the source has none). */
export const PricesFileSchema = z
  .object({
    cloud: CloudSchema,
    columns: z.array(PriceColumnSchema).min(1),
    sources: z.record(z.string(), z.object({ source: z.string().min(1), effectiveDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) })),
    regions: z.record(
      z.string(),
      z.object({
        sources: z.array(z.string()),
        prices: z.record(z.string(), z.array(z.number().nonnegative().nullable())),
      }),
    ),
  })
  .superRefine((file, ctx) => {
    for (const [region, r] of Object.entries(file.regions)) {
      if (r.sources.length !== file.columns.length) {
        ctx.addIssue({ code: 'custom', path: ['regions', region, 'sources'], message: `expected ${file.columns.length} sources, one per column` });
      }
      for (const id of r.sources) {
        if (!(id in file.sources)) ctx.addIssue({ code: 'custom', path: ['regions', region, 'sources'], message: `unknown source "${id}"` });
      }
      for (const [type, row] of Object.entries(r.prices)) {
        if (row.length !== file.columns.length) {
          ctx.addIssue({ code: 'custom', path: ['regions', region, 'prices', type], message: `expected ${file.columns.length} prices, one per column` });
        }
      }
    }
  });
export type PricesFile = z.infer<typeof PricesFileSchema>;

export const GpuModelsFileSchema = z.object({ models: z.array(GpuModelSchema).min(1) });
export const RegionsFileSchema = z.object({ regions: z.array(RegionSchema).min(1) });

export const SpotAdvisorFileSchema = z.object({
  source: z.string(),
  effectiveDate: z.string(),
  ranges: z.array(z.object({ bucket: z.number().int().min(0).max(4), label: z.string(), maxMonthlyRate: z.number().min(0).max(1) })).length(5),
  regions: z.record(z.string(), z.record(z.string(), z.tuple([z.number().int().min(0).max(4), z.number().min(0).max(100)]))),
});
export type SpotAdvisorFile = z.infer<typeof SpotAdvisorFileSchema>;

/** Everything a catalog is built from, already validated. */
export interface CatalogData {
  types: z.infer<typeof TypesFileSchema>[];
  prices: PricesFile[];
  gpuModels: z.infer<typeof GpuModelsFileSchema>;
  regions: z.infer<typeof RegionsFileSchema>;
  spotAdvisor?: SpotAdvisorFile;
}
