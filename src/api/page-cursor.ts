import { createHash } from 'node:crypto';
import { z } from 'zod';
import { RightsizeError } from '../errors.js';
import { decodeBase64urlStrict, InvalidCursorError } from '../store/cursor.js';

/**
 * API cursors of the snapshot lists (`/v1/instances`, `/v1/recommendations`): the store's cursor wrapped with the
 * snapshot the traversal started on and a digest of the query it belongs to. A traversal therefore stays on its
 * snapshot while newer ones land; a cursor used with another `?snapshot=` is a 409, with another filter or sort a
 * 400, and one whose snapshot was pruned a 410.
 */

/** A cursor whose snapshot differs from the one the request names: HTTP 409. */
export class CursorSnapshotConflictError extends RightsizeError {
  override name = 'CursorSnapshotConflictError';
}

/** A cursor whose snapshot no longer exists (retention pruned it): HTTP 410. */
export class CursorSnapshotGoneError extends RightsizeError {
  override name = 'CursorSnapshotGoneError';
}

const PageCursorSchema = z.object({ v: z.literal(1), s: z.string().min(1).max(200), q: z.string().length(11), c: z.string().min(1).max(400) }).strict();
export type PageCursor = z.infer<typeof PageCursorSchema>;

/** The digest of what a page depends on besides its position: the filter and sort, not the limit. */
export function queryDigest(query: Record<string, unknown>): string {
  const entries = Object.entries(query).filter(([k, v]) => v !== undefined && k !== 'limit' && k !== 'cursor' && k !== 'snapshot').sort(([a], [b]) => (a < b ? -1 : 1));
  return createHash('sha256').update(JSON.stringify(entries)).digest('base64url').slice(0, 11);
}

export function encodePageCursor(snapshotId: string, digest: string, storeCursor: string): string {
  return Buffer.from(JSON.stringify({ v: 1, s: snapshotId, q: digest, c: storeCursor }), 'utf8').toString('base64url');
}

/** Parses an API cursor strictly; anything else (a bare store cursor, `base64url("1abc")`) is an InvalidCursorError. */
export function decodePageCursor(cursor: string): PageCursor {
  const text = decodeBase64urlStrict(cursor);
  let value: unknown;
  try {
    value = text === undefined ? undefined : JSON.parse(text);
  } catch {
    value = undefined;
  }
  const parsed = PageCursorSchema.safeParse(value);
  if (!parsed.success) throw new InvalidCursorError('cursor: not a cursor issued by this list');
  return parsed.data;
}

/**
 * The snapshot a page request reads and the store cursor to continue from: the cursor's snapshot when it has one
 * (checked against `?snapshot=` and the query digest), else the requested or latest snapshot.
 */
export function resolvePageCursor(cursor: string | undefined, requestedSnapshot: string | undefined, digest: string): { snapshotId?: string; storeCursor?: string } {
  if (cursor === undefined) return requestedSnapshot ? { snapshotId: requestedSnapshot } : {};
  const c = decodePageCursor(cursor);
  if (requestedSnapshot !== undefined && requestedSnapshot !== c.s) {
    throw new CursorSnapshotConflictError(`cursor: it pages snapshot ${c.s}, not ${requestedSnapshot}; drop ?snapshot= or start again without a cursor`);
  }
  if (c.q !== digest) throw new InvalidCursorError('cursor: it was issued for another filter or sort; start again without a cursor');
  return { snapshotId: c.s, storeCursor: c.c };
}

/** A `/v1/prices` cursor: the offset, base64url of its decimal digits, parsed strictly. */
export function decodeOffsetCursor(cursor: string, max: number): number {
  const text = decodeBase64urlStrict(cursor);
  // Only what this list issues: a positive offset in canonical decimal (no sign, zero padding, exponent or suffix).
  if (text === undefined || !/^[1-9]\d{0,8}$/.test(text) || Number(text) > max) throw new InvalidCursorError('cursor: not a cursor issued by this list');
  return Number(text);
}

export function encodeOffsetCursor(offset: number): string {
  return Buffer.from(String(offset), 'utf8').toString('base64url');
}
