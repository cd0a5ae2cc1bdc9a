import { RightsizeError } from '../errors.js';

/** A cursor that does not decode to what the list that issued it expects. The API answers 400. */
export class InvalidCursorError extends RightsizeError {
  override name = 'InvalidCursorError';
}

/** Opaque to clients: base64url of the last row's sort key, so pages stay stable while rows are added. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/**
 * Strict base64url: only the alphabet, no padding, and the canonical encoding of what it decodes to. Node's decoder
 * skips characters it does not know and ignores stray trailing bits, so without this check `MWFiYw` ("1abc"),
 * `MQ` and `M!Q` would all be accepted as something.
 */
export function decodeBase64urlStrict(text: string): string | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(text) || text.length % 4 === 1) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  if (bytes.toString('base64url') !== text) return undefined;
  const decoded = bytes.toString('utf8');
  return Buffer.from(decoded, 'utf8').equals(bytes) ? decoded : undefined;
}

/** Decodes a cursor and checks it has the shape (`kinds`) of the list it is used with. */
export function decodeCursor(cursor: string, kinds: readonly ('string' | 'number')[]): (string | number)[] {
  let value: unknown;
  try {
    const text = decodeBase64urlStrict(cursor);
    if (text === undefined) throw new InvalidCursorError('cursor: not base64url');
    value = JSON.parse(text);
  } catch {
    throw new InvalidCursorError('cursor: not a cursor issued by this API');
  }
  if (!Array.isArray(value) || value.length !== kinds.length || value.some((v, i) => typeof v !== kinds[i] || (typeof v === 'number' && !Number.isFinite(v)))) {
    throw new InvalidCursorError('cursor: not a cursor issued by this list');
  }
  return value as (string | number)[];
}
