import { z } from 'zod';
import { CloudSchema } from '../domain/cloud.js';
import { ArchitectureSchema } from '../domain/instance-type.js';

/** What a second source states about one type; absent fields are not stated. GPU memory is per GPU. */
export const ShapeFactsSchema = z
  .object({
    vcpu: z.number().positive().optional(),
    memoryGiB: z.number().nonnegative().optional(),
    arch: ArchitectureSchema.optional(),
    // Not always whole: a source may list a fractional-GPU size (GCP g4-standard-6 = 1/8), which the catalog leaves out.
    gpuCount: z.number().nonnegative().optional(),
    gpuModel: z.string().min(1).optional(),
    gpuMemoryGiB: z.number().positive().optional(),
  })
  .strict();
export type ShapeFacts = z.infer<typeof ShapeFactsSchema>;

/** data/catalog/second-sources.json: independent facts the audit checks the catalog against. */
export const SecondSourcesFileSchema = z.object({
  _provenance: z.string(),
  sources: z.record(z.string(), z.object({ what: z.string(), source: z.string().min(1), effectiveDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) })),
  shapes: z.array(z.object({ source: z.string(), cloud: CloudSchema, types: z.record(z.string(), ShapeFactsSchema) })),
  /** On-demand Linux USD/h per type. */
  prices: z.array(z.object({ source: z.string(), cloud: CloudSchema, region: z.string(), prices: z.record(z.string(), z.number().positive()) })),
});
export type SecondSourcesFile = z.infer<typeof SecondSourcesFileSchema>;

export const AUDIT_CHECKS = ['shape', 'price', 'azure-series'] as const;

/**
 * data/catalog/audit-exceptions.json: disagreements that are understood, each with its reason. An exception covers
 * a disagreement when its check, cloud and (if given) source, field and region match and `pattern` matches the type.
 */
export const AuditExceptionsFileSchema = z.object({
  exceptions: z.array(
    z
      .object({
        check: z.enum(AUDIT_CHECKS),
        cloud: CloudSchema,
        source: z.string().optional(),
        field: z.string().optional(),
        region: z.string().optional(),
        /** A regular expression over the whole type name. */
        pattern: z.string().min(1),
        reason: z.string().min(10),
      })
      .strict(),
  ),
});
export type AuditExceptionsFile = z.infer<typeof AuditExceptionsFileSchema>;
