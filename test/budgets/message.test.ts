import { describe, expect, it } from 'vitest';
import { alertBlocks, recommendationsToGetUnder } from '../../src/budgets/alert-message.js';
import { thresholdsByKind } from '../../src/budgets/alerts.js';
import type { BudgetStatusDetail } from '../../src/budgets/evaluate.js';
import type { Instance } from '../../src/domain/instance.js';
import { makeRecommendation } from '../helpers/fixtures-snapshot.js';

const status: BudgetStatusDetail = {
  name: 'web',
  period: '2026-11',
  periodStart: '2026-11-01T00:00:00.000Z',
  periodEnd: '2026-12-01T00:00:00.000Z',
  asOf: '2026-11-13T00:00:00.000Z', // 18 days left
  amountUsd: 1000,
  actualUsd: 700,
  forecastUsd: 1300,
  runRateForecastUsd: 1300,
  trendForecastUsd: 1250,
  thresholdsCrossed: [{ pct: 50, kind: 'actual' }, { pct: 100, kind: 'forecast' }],
  topDrivers: [{ instanceId: 'i-1', name: 'api-1', cloud: 'aws', account: '1', region: 'us-east-1', type: 'm5.xlarge', usd: 400 }],
  sources: ['modeled'],
  scope: {},
  channels: [],
};
const inst = (id: string): Instance => ({ id, cloud: 'aws', account: '1', region: 'us-east-1', type: 'm5.xlarge', state: 'running', lifecycle: 'on-demand', os: 'linux', tags: {}, launchedAt: '2026-01-01T00:00:00Z' });

describe('recommendations that bring a budget back under', () => {
  const recs = [
    makeRecommendation('s', inst('i-a'), 50, 0),
    makeRecommendation('s', inst('i-b'), 200, 2),
    makeRecommendation('s', inst('i-c'), 300, 3),
    makeRecommendation('s', inst('i-d'), -10, 0, 'upsize'),
    makeRecommendation('s', inst('i-e'), 200, 1),
  ];

  it('picks the three largest savings (lower risk first on ties) and prices them over the days left', () => {
    const plan = recommendationsToGetUnder(status, recs);
    expect(plan.picks.map((r) => r.instanceId)).toEqual(['i-c', 'i-e', 'i-b']);
    // (300 + 200 + 200) $/month × 18 days / 30.4375 days per month = 413.963…
    expect(plan.savingsToPeriodEndUsd).toBe(413.96);
    expect(plan.overByUsd).toBe(300);
    expect(plan.bringsUnder).toBe(true); // 1,300 − 413.96 ≤ 1,000
  });

  it('says when the savings are not enough, and never cites an upsize', () => {
    const plan = recommendationsToGetUnder(status, [recs[0], recs[3]].filter((r) => r !== undefined));
    expect(plan.picks.map((r) => r.instanceId)).toEqual(['i-a']);
    expect(plan.savingsToPeriodEndUsd).toBe(29.57); // 50 × 18 / 30.4375
    expect(plan.bringsUnder).toBe(false);
    const text = JSON.stringify(alertBlocks(status, { pct: 100, kind: 'forecast' }, plan));
    expect(text).toContain('Forecast is $300 over; applied now these save $30 before 2026-12-01, not enough on their own.');
  });

  it('builds a Block Kit message with the figures, drivers, picks and a link button', () => {
    const msg = alertBlocks(status, { pct: 100, kind: 'forecast' }, recommendationsToGetUnder(status, recs), 'https://rs.example/r');
    // The true percentage (1,300 / 1,000), and which threshold tripped.
    expect(msg.text).toBe('Budget web is forecast to spend 130% of $1,000 (2026-11, past the 100% forecast threshold)');
    expect(alertBlocks(status, { pct: 50, kind: 'actual' }, recommendationsToGetUnder(status, recs)).text).toBe('Budget web has spent 70% of $1,000 (2026-11, past the 50% actual threshold)');
    const blocks = msg.blocks as { type: string; fields?: { text: string }[]; text?: { text: string }; elements?: { url?: string }[] }[];
    expect(blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'section', 'context', 'actions']);
    expect(blocks[1]?.fields?.map((f) => f.text)).toEqual(['*Actual*\n$700 (70%)', '*Forecast*\n$1,300 (130%)', '*Budget*\n$1,000 per 2026-11', '*Period*\n2026-11-01 → 2026-12-01']);
    expect(blocks[2]?.text?.text).toBe('*Top cost drivers this period*\n• api-1 (aws m5.xlarge, us-east-1): $400');
    expect(blocks[3]?.text?.text.split('\n')).toHaveLength(5); // title, three picks, outcome
    expect(blocks[5]?.elements?.[0]?.url).toBe('https://rs.example/r');
  });
});

describe('which crossed thresholds speak', () => {
  it('groups by kind, highest first: the first of each group is sent, the rest are folded into it', () => {
    const crossed = [
      { pct: 50, kind: 'actual' as const },
      { pct: 100, kind: 'forecast' as const },
      { pct: 200, kind: 'actual' as const },
      { pct: 80, kind: 'actual' as const },
      { pct: 150, kind: 'forecast' as const },
    ];
    expect(thresholdsByKind(crossed)).toEqual([
      [{ pct: 200, kind: 'actual' }, { pct: 80, kind: 'actual' }, { pct: 50, kind: 'actual' }],
      [{ pct: 150, kind: 'forecast' }, { pct: 100, kind: 'forecast' }],
    ]);
    expect(thresholdsByKind([])).toEqual([]);
  });
});
