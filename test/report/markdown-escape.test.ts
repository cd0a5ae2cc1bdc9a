import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mdCode, mdText } from '../../src/report/escape/markdown.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import type { WeeklyReport } from '../../src/report/weekly.js';
import { benign, HOSTILE_CORPUS, hostileize, hostileString } from './hostile.js';

const RUNS = process.env['CI'] ? 1000 : 150;
const report = JSON.parse(readFileSync(new URL('../golden/weekly-report.json', import.meta.url), 'utf8')) as WeeklyReport;
const MAP_KEYS = ['byKind', 'skipsByReason'];

/**
 * What is live syntax, scanned left to right as CommonMark's inline parser does: a backslash escape becomes a
 * placeholder, a code span (a backtick run up to the next run of the same length; backslashes inside are literal)
 * becomes `CODE`, everything else stays.
 */
function live(md: string): string {
  let out = '';
  for (let i = 0; i < md.length; ) {
    const ch = md[i] as string;
    if (ch === '\\' && /[!-/:-@[-`{-~]/.test(md[i + 1] ?? '')) {
      out += 'E';
      i += 2;
    } else if (ch === '`') {
      const run = /^`+/.exec(md.slice(i))![0];
      const close = new RegExp(`(?<!\`)${run}(?!\`)`, 'g');
      close.lastIndex = i + run.length;
      const m = close.exec(md);
      if (m) {
        out += 'CODE';
        i = m.index + run.length;
      } else {
        out += run;
        i += run.length;
      }
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

/**
 * Counts of the characters that make Markdown syntax in what is live: HTML and autolinks, links and images,
 * emphasis, table cells, headings, entities, math; and lines. Data must add none of them.
 */
function syntax(md: string) {
  const text = live(md);
  const count = (re: RegExp) => (text.match(re) ?? []).length;
  return {
    lines: md.split('\n').length,
    angle: count(/[<>]/g),
    brackets: count(/[[\]!]/g),
    emphasis: count(/[*~]/g) + [...text.matchAll(/_/g)].filter((m) => !(/[\p{L}\p{N}]/u.test(text[m.index - 1] ?? '') && /[\p{L}\p{N}]/u.test(text[m.index + 1] ?? ''))).length,
    pipes: count(/\|/g),
    hashes: count(/#/g),
    entities: count(/&/g),
    dollars: count(/\$/g),
    autolinks: count(/:\/\/|www\.|@/gi),
  };
}

describe('Markdown escaping', () => {
  it('escapes what the issue found: line breaks in cells, raw HTML, javascript: links and remote images', () => {
    expect(mdText('ok\n| x | injected |')).toBe('ok \\| x \\| injected \\|');
    expect(mdText('<script>alert(1)</script>')).toBe('\\<script\\>alert(1)\\</script\\>');
    expect(mdText('[click](javascript:alert(1))')).toBe('\\[click\\](javascript:alert(1))');
    expect(mdText('![x](https://evil.example/p.png)')).toBe('\\!\\[x\\](https\\://evil.example/p.png)');
    expect(mdText('Standard_D4s_v3 m5.large 36.5% -$171')).toBe('Standard_D4s_v3 m5.large 36.5% -\\$171');
    expect(mdCode('a`b')).toBe('`` a`b ``');
  });

  it('property: mdText adds no live syntax and no line, for any input', () => {
    fc.assert(
      fc.property(hostileString, (s) => {
        const out = mdText(s);
        expect(out).not.toMatch(/[\n\r\u2028\u2029]/);
        expect(syntax(`| ${out} |`)).toEqual(syntax('| x |'));
      }),
      { numRuns: RUNS * 5 },
    );
  });

  it('property: every string of the weekly report, in the rendered Markdown', () => {
    const base = syntax(renderMarkdown(benign(report, MAP_KEYS)));
    fc.assert(
      fc.property(fc.array(hostileString, { minLength: 1, maxLength: 40 }), (strings) => {
        const md = renderMarkdown(hostileize(report, strings, MAP_KEYS));
        expect(syntax(md)).toEqual(base);
      }),
      { numRuns: RUNS },
    );
  });

  it('the corpus, one entry in every field at a time', () => {
    const base = syntax(renderMarkdown(benign(report, MAP_KEYS)));
    for (const s of HOSTILE_CORPUS) expect(syntax(renderMarkdown(hostileize(report, [s], MAP_KEYS))), s).toEqual(base);
  });
});
