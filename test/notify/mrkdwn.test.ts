import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alertBlocks, recommendationsToGetUnder } from '../../src/budgets/alert-message.js';
import type { BudgetStatusDetail } from '../../src/budgets/evaluate.js';
import type { Instance } from '../../src/domain/instance.js';
import { clipMrkdwn, mrkdwn, slackPlain } from '../../src/notify/mrkdwn.js';
import { slackSummary } from '../../src/report/slack-summary.js';
import type { WeeklyReport } from '../../src/report/weekly.js';
import { makeRecommendation } from '../helpers/fixtures-snapshot.js';
import { benign, HOSTILE_CORPUS, hostileize, hostileString } from '../report/hostile.js';

const RUNS = process.env['CI'] ? 1000 : 200;

/** Every text object in a Block Kit payload, with its type (`mrkdwn`, `plain_text`, or `fallback` for `text`). */
function textObjects(payload: { text: string; blocks: unknown[] }): { type: string; text: string }[] {
  const out: { type: string; text: string }[] = [{ type: 'fallback', text: payload.text }];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if ((o['type'] === 'mrkdwn' || o['type'] === 'plain_text') && typeof o['text'] === 'string') out.push({ type: o['type'], text: o['text'] });
      else Object.values(o).forEach(walk);
    }
  };
  walk(payload.blocks);
  return out;
}

/** Formatting markers that could open or close formatting (not between two letters or digits). */
const liveMarkers = (text: string) => [...text.matchAll(/[*_~`]/g)].filter((m) => !(/[\p{L}\p{N}]/u.test(text[m.index - 1] ?? '') && /[\p{L}\p{N}]/u.test(text[m.index + 1] ?? ''))).length;

/**
 * What Slack would act on in a mrkdwn text (api.slack.com/reference/surfaces/formatting): `<…>` (mentions, channel
 * links, labelled links), a bare URL it links, `&` that is not one of the three escapes, formatting markers and
 * lines. Hostile data must add none of these to what the same message with harmless data has.
 */
function slackSyntax(text: string) {
  return {
    angle: (text.match(/[<>]/g) ?? []).length,
    rawAmp: (text.match(/&(?!amp;|lt;|gt;)/g) ?? []).length,
    links: (text.match(/[a-z][a-z0-9+.-]*:\/\/|www\.|mailto:|[^\s@]@[a-z0-9-]+\.[a-z]/gi) ?? []).length,
    markers: liveMarkers(text),
    lines: text.split('\n').length,
  };
}

function expectNoEscape(hostile: { text: string; blocks: unknown[] }, harmless: { text: string; blocks: unknown[] }) {
  const h = textObjects(hostile);
  const b = textObjects(harmless);
  expect(h.map((t) => t.type)).toEqual(b.map((t) => t.type));
  h.forEach((t, i) => {
    const base = b[i] as { type: string; text: string };
    expect(t.text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/);
    if (t.type === 'plain_text') {
      expect(t.text.split('\n').length).toBe(base.text.split('\n').length);
      return;
    }
    // Long data is clipped at a line end (Slack's 3,000 characters), which can only drop lines and their markers.
    const { lines, markers, ...rest } = slackSyntax(t.text);
    const { lines: baseLines, markers: baseMarkers, ...baseRest } = slackSyntax(base.text);
    expect(rest, t.text).toEqual(baseRest);
    expect(lines).toBeLessThanOrEqual(baseLines);
    expect(markers).toBeLessThanOrEqual(baseMarkers);
  });
}

describe('mrkdwn()', () => {
  it('escapes &, < and > and neutralises mentions, channel links and labelled links', () => {
    expect(mrkdwn('*bold* <!channel> <https://evil.example|click>')).toBe('\u2217bold\u2217 &lt;!channel&gt; &lt;https\ua789//evil\u2024example|click&gt;');
    expect(mrkdwn('<!here> <@U1> <#C1> a & b')).toBe('&lt;!here&gt; &lt;@U1&gt; &lt;#C1&gt; a &amp; b');
    expect(mrkdwn('a\nb\r\nc')).toBe('a b  c');
  });
  it('breaks bare URLs, e-mail addresses and domains Slack would link', () => {
    expect(mrkdwn('see https://evil.example/x')).toBe('see https\ua789//evil\u2024example/x');
    expect(mrkdwn('api.evil.com ops@evil.io www.x.y')).toBe('api\u2024evil\u2024com ops\uff20evil\u2024io www\u2024x\u2024y');
    // A value starting at `@` can complete an address with the template text before it (seed 822305473 found it).
    expect(mrkdwn('@0.A')).toBe('\uff200\u2024A');
  });
  it('keeps snake_case and dotted types readable', () => {
    expect(mrkdwn('gpu_trainer_01')).toBe('gpu_trainer_01');
    expect(mrkdwn('p4d.24xlarge')).toBe('p4d.24xlarge');
    expect(mrkdwn('_x_')).toBe('\uff3fx\uff3f');
  });
  it('adds no Slack syntax for any input', () => {
    fc.assert(
      fc.property(hostileString, (s) => {
        const out = mrkdwn(s);
        expect(out).not.toMatch(/[<>\n\r]/);
        expect(out).not.toMatch(/&(?!amp;|lt;|gt;)/);
        expect(out).not.toMatch(/[a-z][a-z0-9+.-]*:\/\/|www\.|mailto:|[^\s@]@[a-z0-9-]+\.[a-z]/i);
        expect(liveMarkers(out)).toBe(0);
        expect(slackPlain(s)).not.toMatch(/[\n\r\u2028\u2029]/);
      }),
      { numRuns: RUNS * 5 },
    );
  });
  it('clips at a line end so no entity is cut in half', () => {
    expect(clipMrkdwn('ab\n&amp;&amp;', 6)).toBe('ab');
    expect(clipMrkdwn('&amp;&amp;', 7)).toBe('&amp;');
  });
});

const status: BudgetStatusDetail = {
  name: 'web',
  period: '2026-11',
  periodStart: '2026-11-01T00:00:00.000Z',
  periodEnd: '2026-12-01T00:00:00.000Z',
  asOf: '2026-11-13T00:00:00.000Z',
  amountUsd: 1000,
  actualUsd: 700,
  forecastUsd: 1300,
  runRateForecastUsd: 1300,
  trendForecastUsd: 1250,
  thresholdsCrossed: [{ pct: 100, kind: 'forecast' }],
  topDrivers: [1, 2, 3, 4, 5].map((i) => ({ instanceId: `i-${i}`, name: `api-${i}`, cloud: 'aws', account: '1', region: 'us-east-1', type: 'm5.xlarge', usd: 400 - i })),
  sources: ['modeled'],
  scope: {},
  channels: [],
};
const inst = (id: string): Instance => ({ id, cloud: 'aws', account: '1', region: 'us-east-1', type: 'm5.xlarge', state: 'running', lifecycle: 'on-demand', os: 'linux', tags: {}, launchedAt: '2026-01-01T00:00:00Z' });
const recs = [makeRecommendation('s', inst('i-a'), 300, 0), makeRecommendation('s', inst('i-b'), 200, 1), makeRecommendation('s', inst('i-c'), 100, 2, 'idle')];

describe('Slack budget alerts: hostile data in every field reaches Slack inert', () => {
  it('an instance named like the issue\'s attack posts no mention and no link', () => {
    const evil = { ...status, topDrivers: [{ ...status.topDrivers[0]!, name: '*bold* <!channel> <https://evil.example|click>' }] };
    const payload = JSON.stringify(alertBlocks(evil, { pct: 100, kind: 'forecast' }, recommendationsToGetUnder(evil, recs)));
    expect(payload).not.toContain('<!channel>');
    expect(payload).not.toContain('<https://');
    expect(payload).not.toContain('*bold*');
  });
  it('property: names, types, regions, clouds, budget names, sources and recommendation fields', () => {
    fc.assert(
      fc.property(fc.array(hostileString, { minLength: 1, maxLength: 30 }), (strings) => {
        // Dates stay dates: the message slices them; every other string is hostile.
        const evil = { ...hostileize(status, strings), periodStart: status.periodStart, periodEnd: status.periodEnd, asOf: status.asOf };
        const evilRecs = recs.map((r) => ({ ...r, instanceId: strings[0]!, currentType: strings[1 % strings.length]!, recommendedType: r.recommendedType === null ? null : strings[2 % strings.length]!, kind: r.kind }));
        const harmless = { ...benign(status), periodStart: status.periodStart, periodEnd: status.periodEnd, asOf: status.asOf };
        const harmlessRecs = recs.map((r) => ({ ...r, instanceId: 'x', currentType: 'x', recommendedType: r.recommendedType === null ? null : 'x' }));
        const threshold = { pct: 100, kind: 'forecast' as const };
        expectNoEscape(alertBlocks(evil, threshold, recommendationsToGetUnder(evil, evilRecs), 'https://rs.example/r'), alertBlocks(harmless, threshold, recommendationsToGetUnder(harmless, harmlessRecs), 'https://rs.example/r'));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('the weekly Slack summary: hostile data in every field reaches Slack inert', () => {
  const report = JSON.parse(readFileSync(new URL('../golden/weekly-report.json', import.meta.url), 'utf8')) as WeeklyReport;
  it('an account named like the issue\'s attack posts no mention and no link', () => {
    const mover = { ...report.spend.topMovers[0]!, account: '<!channel> <https://evil.example|click>' };
    const out = JSON.stringify(slackSummary({ ...report, spend: { ...report.spend, topMovers: [mover] } }));
    expect(out).not.toContain('<!channel>');
    expect(out).not.toContain('<https://');
  });
  it('property: every string of the report', () => {
    const keys = ['byKind', 'skipsByReason'];
    fc.assert(
      fc.property(fc.array(hostileString, { minLength: 1, maxLength: 40 }), (strings) => {
        expectNoEscape(slackSummary(hostileize(report, strings, keys), 'https://rs.example/r'), slackSummary(benign(report, keys), 'https://rs.example/r'));
      }),
      { numRuns: RUNS },
    );
  });
  it('the corpus, one entry in every field at a time', () => {
    for (const s of HOSTILE_CORPUS) expectNoEscape(slackSummary(hostileize(report, [s])), slackSummary(benign(report)));
  });
});
