/**
 * Slack escaping for untrusted data (instance names, tags, accounts, regions, types, messages: anyone who may tag
 * an instance writes them). Slack's rules (api.slack.com/reference/surfaces/formatting#escaping): `&`, `<` and `>`
 * are control characters and must be sent as `&amp;`, `&lt;`, `&gt;`. Escaping them is what stops `<!channel>`,
 * `<!here>`, `<@U…>`, `<#C…>` and `<https://…|label>` in data. Slack has no escape for the formatting markers, so a
 * marker that could open or close formatting is replaced by a look-alike; bare URLs are broken so clients do not
 * link them; line breaks become spaces so data cannot add lines that look like ours.
 */

/** Line breaks and other control characters (C0, DEL, C1, U+2028/2029): one space each. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** Look-alikes of Slack's formatting markers, used when the real one could open or close formatting. */
const MARKER_LOOKALIKE: Record<string, string> = { '*': '\u2217', _: '\uff3f', '~': '\u223c', '`': '\u02cb' };
const WORD = /[\p{L}\p{N}]/u;

/**
 * What Slack clients turn into links: e-mail addresses, a scheme's `://`, `mailto:`/`tel:`, `www.` (wherever they
 * start: `0https://…` is still a URL to a linkifier) and bare domains under common top-level domains. Their `:`, `.`
 * and `@` are replaced by look-alikes (U+A789, U+2024, U+FF20), so `https://evil.example` reads the same and is not a
 * link; any `://` left after that loses its colon too.
 */
// The part before `@` may be empty: in a message the value follows template text, which can complete an address.
const EMAIL = /[^\s@<>]*@[a-z0-9-]+(?:\.[a-z0-9-]+)+/gi;
const URLISH = /(?:[a-z][a-z0-9+.-]{0,30}:\/\/|mailto:|tel:|www\.)\S*/gi;
const BARE_DOMAIN = /[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|io|ai|dev|app|co|me|xyz|info|biz|us|uk|de|eu|cloud|link|site|online|top|ly|gg|sh|tk|ru|cn|to|tv|zip|mov)\b/gi;
const unlink = (m: string) => m.replace(/:/g, '\ua789').replace(/\./g, '\u2024').replace(/@/g, '\uff20');

/**
 * Escapes one untrusted value for a Slack `mrkdwn` text object: the value shows as itself (modulo look-alikes) and
 * never formats, mentions, links or starts a line.
 * @example `• ${mrkdwn(instance.name)}: ${usd(cost)}`
 */
export function mrkdwn(value: unknown): string {
  const text = String(value ?? '').replace(CONTROL, ' ');
  const unlinked = text.replace(EMAIL, unlink).replace(URLISH, unlink).replace(/:\/\//g, '\ua789//').replace(BARE_DOMAIN, unlink);
  let out = '';
  for (let i = 0; i < unlinked.length; i++) {
    const ch = unlinked[i] as string;
    const lookalike = MARKER_LOOKALIKE[ch];
    // snake_case and a*b inside a word cannot open or close formatting (Slack needs a boundary on one side).
    if (lookalike !== undefined && !(WORD.test(unlinked[i - 1] ?? '') && WORD.test(unlinked[i + 1] ?? ''))) out += lookalike;
    else if (ch === '&') out += '&amp;';
    else if (ch === '<') out += '&lt;';
    else if (ch === '>') out += '&gt;';
    else out += ch;
  }
  return out;
}

/**
 * An untrusted value for a Slack `plain_text` object (headers, button labels): Slack shows it literally, so only
 * line breaks and control characters are replaced.
 */
export function slackPlain(value: unknown): string {
  return String(value ?? '').replace(CONTROL, ' ');
}

/**
 * Cuts mrkdwn text to Slack's limit (section text: 3,000 characters) at a line end, so no entity (`&amp;`) or
 * look-alike is cut in half; a single over-long line is cut before a trailing partial entity.
 */
export function clipMrkdwn(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const cut = text.slice(0, maxChars);
  const lineEnd = cut.lastIndexOf('\n');
  return lineEnd > 0 ? cut.slice(0, lineEnd) : cut.replace(/&[a-z]{0,3}$/, '');
}
