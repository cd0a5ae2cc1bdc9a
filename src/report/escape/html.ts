/**
 * HTML escaping for untrusted data in the HTML report and the /docs page: text and attribute values (always
 * double-quoted by our templates) escape `& < > " '`, so data never opens a tag, an attribute or an entity.
 */
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** One untrusted value as HTML text or a double-quoted attribute value. */
export function html(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (ch) => ENTITIES[ch] as string);
}

/**
 * The Content-Security-Policy the API serves the HTML report with: it needs inline styles and nothing else (no
 * script, no fetch, no remote image, font or frame); `data:` images for the favicon. Framing is refused by
 * `X-Frame-Options: DENY`, which the API sends on every response.
 */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";
