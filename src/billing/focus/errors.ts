import { RightsizeError } from '../../errors.js';

/**
 * A file-level FOCUS problem: the object is not CSV or Parquet, is empty, or lacks columns every FOCUS version
 * requires. The message names the file and the columns; no row of the file is imported.
 */
export class FocusSchemaError extends RightsizeError {
  override name = 'FocusSchemaError';
  constructor(
    readonly file: string,
    message: string,
    readonly missingColumns: readonly string[] = [],
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${message}`, options);
  }
}
