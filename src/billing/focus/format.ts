import type { BillingObject } from '../source.js';
import { FocusSchemaError } from './errors.js';

export interface DetectedFormat { format: 'csv' | 'parquet'; compression: 'none' | 'gzip' }

/**
 * Decides how to read an object from its first bytes (gzip `1f 8b`, Parquet `PAR1`); the name's suffix is only a
 * hint, checked against them: a `.parquet` that is not Parquet, or binary data that is neither, is a FocusSchemaError.
 */
export async function detectFormat(obj: BillingObject, signal?: AbortSignal): Promise<DetectedFormat> {
  if (obj.sizeBytes === 0) throw new FocusSchemaError(obj.name, 'empty file');
  const head = await obj.readRange(0, Math.min(4, obj.sizeBytes), signal);
  const name = obj.name.toLowerCase().replace(/[?#].*$/, '');
  if (head[0] === 0x1f && head[1] === 0x8b) return { format: 'csv', compression: 'gzip' };
  if (head.length === 4 && String.fromCharCode(...head) === 'PAR1') return { format: 'parquet', compression: 'none' };
  if (name.endsWith('.parquet') || name.endsWith('.snappy.parquet')) throw new FocusSchemaError(obj.name, 'named .parquet but does not start with PAR1');
  if (name.endsWith('.gz')) throw new FocusSchemaError(obj.name, 'named .gz but is not gzip');
  // Text starts with printable bytes (or a UTF-8 BOM); NUL or other control bytes mean some binary format.
  if (head.some((b) => b < 0x09 || (b > 0x0d && b < 0x20))) throw new FocusSchemaError(obj.name, 'neither CSV, gzip CSV nor Parquet (binary content)');
  return { format: 'csv', compression: 'none' };
}
