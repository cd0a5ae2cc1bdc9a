import fc from 'fast-check';

/**
 * Strings an attacker can put in anything the clouds report (instance names, tags, accounts, scope messages):
 * Slack mentions and links, Markdown links, images, HTML and entities, table breakers, line breaks, formatting.
 */
export const HOSTILE_CORPUS = [
  '*bold* <!channel> <https://evil.example|click>',
  '<!here> <!everyone> <@U0123ABCD> <#C0123ABCD|general> <!subteam^S123>',
  '_italic_ ~strike~ `code` ```block``` > quote',
  '&lt;script&gt; &amp; &#60;b&#62; &',
  'https://evil.example/x?a=1 www.evil.example mailto:a@evil.example user@evil.example',
  '<script>document.title="pwned";window.__pwned=1</script>',
  '<img src=x onerror="window.__pwned=1">',
  '"><svg onload="window.__pwned=1"><a href="javascript:window.__pwned=1">x</a>',
  "'><iframe src=http://127.0.0.2:9/frame></iframe><link rel=stylesheet href=http://127.0.0.2:9/css>",
  '<style>@import url(http://127.0.0.2:9/i.css); body{background:url(http://127.0.0.2:9/bg.png)}</style>',
  '<meta http-equiv="refresh" content="0;url=http://127.0.0.2:9/r">',
  '[click](javascript:alert(1)) ![img](http://127.0.0.2:9/p.png) [ref]: http://127.0.0.2:9/ref',
  '| cell | injected |\n|---|---|\n| a | b |',
  'line1\nline2\r\n# Heading\n- item\n1. item\n---\n\u2028\u2029\u0085',
  '$x^2$ \\* \\| \\\\ {braces} #tag @here @channel',
  '<http://127.0.0.2:9/autolink> <a@b.example>',
  '\u0000\u0007\u001b[31mred\u001b[0m',
  '🙂 ünïcödé ＜script＞',
];

const specials = fc.constantFrom(...'<>&*_~`|[]()!#@$:/\\\n\r\t"\'=-+.{}^'.split(''), '<!channel>', '<@U1>', '<#C1>', '://', 'www.', 'javascript:', '<script>', '&amp;', '\u2028');

/** Random hostile strings: corpus entries, specials and text mixed. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...HOSTILE_CORPUS),
  fc.array(fc.oneof(specials, fc.string({ maxLength: 6 }), fc.constantFrom(...HOSTILE_CORPUS)), { minLength: 1, maxLength: 8 }).map((parts) => parts.join('')),
);

/**
 * Every string value in `value` replaced by the next of `strings` (cycled), and the keys of the maps named in
 * `mapKeys` too (each made unique with a counter): every field that reaches a renderer carries hostile text.
 */
export function hostileize<T>(value: T, strings: readonly string[], mapKeys: readonly string[] = []): T {
  let i = 0;
  let keys = 0;
  const next = () => strings[i++ % strings.length] as string;
  const walk = (v: unknown, key?: string): unknown => {
    if (typeof v === 'string') return next();
    if (Array.isArray(v)) return v.map((x) => walk(x));
    if (v && typeof v === 'object') {
      const renameKeys = key !== undefined && mapKeys.includes(key);
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [renameKeys ? `${next()}${keys++}` : k, walk(x, k)]));
    }
    return v;
  };
  return walk(value) as T;
}

/** The same shape with every string (and map key) a harmless `x`: the baseline a hostile rendering is compared with. */
export function benign<T>(value: T, mapKeys: readonly string[] = []): T {
  return hostileize(value, ['x'], mapKeys);
}
