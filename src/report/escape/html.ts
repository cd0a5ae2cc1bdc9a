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

/**
 * The link targets the report may carry, each a place the reader acts on a finding: the clouds' consoles and the
 * API's recommendation path. Everything else, whatever the data says, is never a link.
 */
const SAFE_HREF = /^(?:https:\/\/(?:[a-z0-9-]+\.)?console\.aws\.amazon\.com\/|https:\/\/console\.cloud\.google\.com\/|https:\/\/portal\.azure\.com\/|\/v1\/recommendations\/[^/?#])[A-Za-z0-9\-._~:/?#@!$&'()*+,;=%]*$/;

/**
 * A URL fit for an `href`: one of the report's known targets, made only of URI characters (so no space, quote,
 * angle bracket or scheme of the data's choosing), or undefined. Escape the result with html() as any attribute.
 * @example safeHref('https://portal.azure.com/#resource/x/overview') // kept; safeHref('javascript:x') === undefined
 */
export function safeHref(url: unknown): string | undefined {
  return typeof url === 'string' && SAFE_HREF.test(url) ? url : undefined;
}
