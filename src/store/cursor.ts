import { RightsizeError } from '../errors.js';

/** A cursor that does not decode to what the list that issued it expects. The API answers 400. */
export class InvalidCursorError extends RightsizeError {
  override name = 'InvalidCursorError';
}

/** Opaque to clients: base64url of the last row's sort key, so pages stay stable while rows are added. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** Decodes a cursor and checks it has the shape (`kinds`) of the list it is used with. */
export function decodeCursor(cursor: string, kinds: readonly ('string' | 'number')[]): (string | number)[] {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('cursor: not a cursor issued by this API');
  }
  if (!Array.isArray(value) || value.length !== kinds.length || value.some((v, i) => typeof v !== kinds[i] || (typeof v === 'number' && !Number.isFinite(v)))) {
    throw new InvalidCursorError('cursor: not a cursor issued by this list');
  }
  return value as (string | number)[];
}
