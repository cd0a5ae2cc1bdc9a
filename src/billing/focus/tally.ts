import type { FocusCharge } from './charge.js';
import { analyzeHeader, type FocusVersion } from './columns.js';
import { FocusSchemaError } from './errors.js';
import { ProblemCollector } from './problems.js';
import { FocusHeaderSchema } from './schema.js';
import { CHARGE_COLUMNS, RowValidator } from './validate.js';

/**
 * What one object's read has seen so far: rows, problems, the header's version and extra columns, the latest
 * ChargePeriodEnd and the billing periods. The CSV and Parquet readers feed it; read.ts turns it into the report.
 */
export class ReadTally {
  rowsRead = 0;
  rowsAccepted = 0;
  version: FocusVersion = '1.0';
  extraColumns: string[] = [];
  maxChargePeriodEndMs = Number.NEGATIVE_INFINITY;
  readonly billingPeriodStarts = new Set<number>();
  readonly problems = new ProblemCollector();
  readonly validator: RowValidator;

  constructor(readonly file: string) {
    this.validator = new RowValidator(file, this.problems);
  }

  /**
   * Checks a header (mandatory columns, with FocusHeaderSchema) and returns, per CHARGE_COLUMNS field, the column's
   * index in the file or -1. Throws FocusSchemaError naming the missing columns.
   */
  useHeader(header: readonly string[]): number[] {
    const checked = FocusHeaderSchema.safeParse(header);
    const analysis = analyzeHeader(header);
    if (!checked.success) {
      const message = checked.error.issues[0]?.message ?? 'not a FOCUS header';
      throw new FocusSchemaError(this.file, `${message} (columns found: ${header.slice(0, 12).join(', ')}${header.length > 12 ? ', …' : ''})`, analysis.missingMandatory);
    }
    this.version = analysis.version;
    this.extraColumns = analysis.extraColumns;
    return CHARGE_COLUMNS.map((c) => analysis.index.get(c) ?? -1);
  }

  /** Validates one row; returns the charge when accepted. */
  row(values: readonly unknown[]): FocusCharge | undefined {
    const rowNumber = ++this.rowsRead;
    const charge = this.validator.row(values, rowNumber);
    if (!charge) return undefined;
    this.rowsAccepted++;
    if (charge.chargePeriodEndMs > this.maxChargePeriodEndMs) this.maxChargePeriodEndMs = charge.chargePeriodEndMs;
    this.billingPeriodStarts.add(charge.billingPeriodStartMs);
    return charge;
  }

  /** A record that cannot be a row at all (wrong field count): counted read and rejected. */
  rejectRecord(column: string, value: unknown, message: string): void {
    this.validator.rejectRecord(++this.rowsRead, 'bad-value', column, value, message);
  }

  /** YYYY-MM of every BillingPeriodStart seen, sorted. */
  billingPeriods(): string[] {
    return [...new Set([...this.billingPeriodStarts].map((ms) => new Date(ms).toISOString().slice(0, 7)))].sort();
  }
}
