/**
 * Markdown escaping for untrusted data in the weekly report. CommonMark lets a backslash escape any ASCII
 * punctuation character (spec §2.4); we escape each character that can start syntax where a value lands (inside a
 * line: a table cell or a sentence, never at a line start, since line breaks become spaces):
 * - always: emphasis and code `* ~ \``, links and images `[ ] !`, raw HTML, autolinks and entities `< > &`, table
 *   cells `|`, headings' closing `#`, the backslash, `@` (GFM e-mail autolinks) and `$` (GitHub renders `$…$` as math);
 * - `_` unless it sits between two letters or digits (intraword `_` cannot open or close emphasis, §6.2), so
 *   `no_service` stays readable;
 * - `:` of `://` and `.` of `www.` (GFM's bare-URL autolinks);
 * - a list marker or a setext underline at the very start of the value (`- `, `+ `, `1. `, `1) `, `---`, `===`),
 *   for callers that start a line with one.
 * Parentheses need no escape once `[` and `]` are escaped (a link needs `](`); `.`, `,`, `%`, `-` inside a value are
 * plain text, which keeps numbers, types and policy names readable in the raw file.
 */

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const ALWAYS = /[\\`*~[\]!<>&|#@$]/g;
const WORD = /[\p{L}\p{N}]/u;

/**
 * One untrusted value as inline Markdown text (a paragraph or a table cell).
 * @example `| ${mdText(scope.account)} | ${mdText(scope.message)} |`
 */
export function mdText(value: unknown): string {
  const text = String(value ?? '')
    .replace(CONTROL, ' ')
    .replace(ALWAYS, '\\$&')
    .replace(/:(?=\/\/)/g, '\\:')
    .replace(/(www)\./gi, '$1\\.')
    // A list item marker needs a space or the end after it (§5.2); `---` and `===` are breaks and underlines.
    .replace(/^(\s*)([-+]|\d{1,9}[.)])(?=\s|$)/, (_m, space: string, marker: string) => `${space}${marker.slice(0, -1)}\\${marker.slice(-1)}`)
    .replace(/^(\s*)([-=])(?=\2*\s*$)/, '$1\\$2');
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    out += ch === '_' && !(WORD.test(text[i - 1] ?? '') && WORD.test(text[i + 1] ?? '')) ? '\\_' : ch;
  }
  return out;
}

/**
 * A value inside a code span (`` `snapshot-id` ``): CommonMark has no escapes inside code spans, so the span is
 * fenced with one more backtick than the longest run in the value and padded with spaces. A blank value is left out.
 */
export function mdCode(value: unknown): string {
  const text = String(value ?? '').replace(CONTROL, ' ');
  // An empty span would be a bare `` that pairs with the next one in the paragraph and swallows the text between.
  if (text.trim() === '') return '';
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return longest === 0 ? `${fence}${text}${fence}` : `${fence} ${text} ${fence}`;
}
