/** A cached list body: its bytes (encoded once) and, made on first demand, its gzip form. */
export interface CachedBody {
  bytes: Uint8Array;
  tag: string;
  gzip?: Uint8Array;
}

/** Bookkeeping per entry beyond its bytes (Map slot, object headers, the ETag string): a round estimate. */
const ENTRY_OVERHEAD_BYTES = 256;

/**
 * An LRU of response bodies bounded in bytes, not entries: a page of 500 full recommendations is ~900 KB and a
 * summary page of 10 is 5 KB, so an entry count bounds nothing. The size of an entry counts its key (UTF-16), its
 * body, its gzip form once made (see `grow`) and a fixed overhead. Map keeps insertion order; re-inserting on a hit
 * makes it the most recently used.
 * @example const cache = new BodyCache(32 * 1024 * 1024); cache.set(key, { bytes, tag });
 */
export class BodyCache {
  private readonly map = new Map<string, { body: CachedBody; bytes: number }>();
  private totalBytes = 0;

  /** @param maxBytes the bound; a body over an eighth of it is not kept (one huge page must not flush the rest). */
  constructor(readonly maxBytes: number) {}

  get bytes(): number {
    return this.totalBytes;
  }

  get size(): number {
    return this.map.size;
  }

  get(key: string): CachedBody | undefined {
    const entry = this.map.get(key);
    if (!entry) return undefined;
    this.map.delete(key);
    this.map.set(key, entry);
    return entry.body;
  }

  set(key: string, body: CachedBody): void {
    const bytes = key.length * 2 + body.bytes.byteLength + (body.gzip?.byteLength ?? 0) + ENTRY_OVERHEAD_BYTES;
    this.delete(key);
    if (bytes > this.maxBytes / 8) return;
    this.map.set(key, { body, bytes });
    this.totalBytes += bytes;
    this.evict();
  }

  /** Counts bytes added to a cached body after it was stored (its gzip form). */
  grow(key: string, addedBytes: number): void {
    const entry = this.map.get(key);
    if (!entry) return;
    entry.bytes += addedBytes;
    this.totalBytes += addedBytes;
    this.evict();
  }

  private delete(key: string): void {
    const entry = this.map.get(key);
    if (!entry) return;
    this.map.delete(key);
    this.totalBytes -= entry.bytes;
  }

  private evict(): void {
    while (this.totalBytes > this.maxBytes) {
      const oldest = this.map.keys().next();
      if (oldest.done) break;
      this.delete(oldest.value);
    }
  }
}

/**
 * The cache key of a list request: the route and its query parameters sorted by name then value, so parameter order
 * does not make a second entry. Only requests whose query passed validation are stored, and validation rejects
 * unknown and repeated parameters, so junk parameters cannot make entries.
 */
export function normalizedQueryKey(path: string, url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return path;
  const params = [...new URLSearchParams(url.slice(q + 1))].sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  return `${path}?${new URLSearchParams(params).toString()}`;
}
