/** The config's `billing` section (src/config.ts composes it): where bills come from and how they are read. */
import { z } from 'zod';

/** An endpoint override (tests, emulators, VPC endpoints): a URL, or absent for the cloud's own. */
export const EndpointSchema = z.string().url().optional();

const SAS_MESSAGE = 'a URL with a signature (a SAS token, a presigned URL) is a secret and would be logged and stored with every import: give the plain URL and grant the identity read access (Storage Blob Data Reader, s3:GetObject)';

/** Whether a bill location carries a credential: a SAS `sig=`, a presigned `X-Amz-Signature`, or user:password. */
export function hasSecretInUri(uri: string): boolean {
  return /[?&](sig|x-amz-signature|x-goog-signature)=/i.test(uri) || /^[a-z][a-z0-9+.-]*:\/\/[^/@]+:[^/@]+@/i.test(uri);
}

/** Where bills come from (src/billing): FOCUS exports read or queried in place, and the cost APIs. */
export const BillingConfigSchema = z.object({
  /**
   * FOCUS exports to import on every scheduled run: a local path, `s3://bucket/prefix/export-name` (AWS Data
   * Exports), `https://<account>.blob.core.windows.net/<container>/<dir>/<export>` (Cost Management exports) or
   * `gs://bucket/prefix`. The current and previous billing periods are re-imported (exports are rewritten).
   */
  exports: z.array(z.object({ uri: z.string().min(1).refine((u) => !hasSecretInUri(u), SAS_MESSAGE) })).default([]),
  /** Billing periods to re-import per run, newest first (2: this month and last, which closes a few days late). */
  periodsPerRun: z.number().int().min(1).max(24).default(2),
  /** Currency → USD rate for bills not in USD; rows in a currency without a rate are counted and left out. */
  exchangeRatesToUsd: z
    .record(z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 code'), z.number().positive())
    .default({ USD: 1 })
    // USD is always 1: giving EUR's rate must not turn every USD row into a problem.
    .transform((rates) => ({ ...rates, USD: 1 })),
  /** AWS Data Exports in S3 are aggregated by Athena (the bill never passes through a Lambda) when set. */
  athena: z
    .object({
      /** Glue database and table of the FOCUS export (the CUR/FOCUS crawler or CID's table). */
      database: z.string().min(1),
      table: z.string().min(1),
      workGroup: z.string().min(1).default('primary'),
      outputLocation: z.string().regex(/^s3:\/\//, 'must be an s3:// URI').optional(),
      focusVersion: z.enum(['1.0', '1.2']).default('1.2'),
      endpoint: EndpointSchema,
    })
    .strict()
    .optional(),
  /** GCP: Google's FOCUS view over the billing export in BigQuery (`project.dataset.view`), aggregated there. */
  bigquery: z
    .object({
      projectId: z.string().min(1),
      view: z.string().regex(/^[\w-]+\.[\w-]+\.[\w$-]+$/, 'project.dataset.view'),
      location: z.string().min(1).optional(),
      focusVersion: z.enum(['1.0', '1.2']).default('1.0'),
      endpoint: EndpointSchema,
    })
    .strict()
    .optional(),
  /** Cost APIs, for accounts without an export: AWS Cost Explorer (USD 0.01 per request) and Azure Cost Management. */
  costApis: z
    .object({
      awsCostExplorer: z.object({ enabled: z.boolean().default(false), endpoint: EndpointSchema }).strict().default({ enabled: false }),
      /** Scopes such as `/subscriptions/<id>` or `/providers/Microsoft.Billing/billingAccounts/<id>`. */
      azureCostManagement: z.object({ scopes: z.array(z.string().regex(/^\//, 'must start with /')).default([]), endpoint: EndpointSchema }).strict().default({ scopes: [] }),
      /** Days of history to (re)import per run. */
      lookbackDays: z.number().int().min(1).max(400).default(45),
    })
    .strict()
    .default({ awsCostExplorer: { enabled: false }, azureCostManagement: { scopes: [] }, lookbackDays: 45 }),
  /** Object-store endpoints for exports (S3-compatible servers, a GCS emulator, tests); default: the clouds'. */
  endpoints: z
    .object({ s3: EndpointSchema, gcs: EndpointSchema, s3ForcePathStyle: z.boolean().default(false) })
    .strict()
    .default({ s3ForcePathStyle: false }),
  /** Scale each account's catalog prices by its negotiated (contracted ÷ list) rate from the bill. */
  negotiatedPrices: z.boolean().default(true),
  /** Add the bill's savings plans, reservations and committed-use discounts to the purchase plans as owned. */
  ownedCommitments: z.boolean().default(true),
});
export type BillingConfig = z.infer<typeof BillingConfigSchema>;
