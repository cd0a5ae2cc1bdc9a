import { SpendImportSchema, type SpendImport } from '../../domain/spend.js';
import { formatZodError, RightsizeError } from '../../errors.js';

/**
 * Both ledgers read import records back through SpendImportSchema, so they refuse at write what they could not
 * read: a bad record fails the import that made it, naming the dataset and field, not every later listImports.
 */
export function checkImport(meta: SpendImport): void {
  const parsed = SpendImportSchema.safeParse(meta);
  if (!parsed.success) throw new RightsizeError(formatZodError(`spend ledger: import record ${meta.datasetId} ${meta.billingPeriod}`, parsed.error));
}
