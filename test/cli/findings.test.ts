import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { renderExplanation } from '../../src/cli/explain-render.js';
import { findingsCsv, renderFindings, shortInstanceId } from '../../src/cli/findings.js';
import { planSavingsSplit, renderSummary } from '../../src/cli/summary.js';
import type { Instance } from '../../src/domain/instance.js';
import type { PurchasePlan } from '../../src/domain/purchase-plan.js';
import type { Recommendation } from '../../src/domain/recommendation.js';
import { makeRecommendation, makeSnapshot } from '../helpers/fixtures-snapshot.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const AZURE_ID = '/subscriptions/8f2c1a3e-5b7d-4e21-9c6a-0d3b4f5a6e71/resourceGroups/rg-ml-prod/providers/Microsoft.Compute/virtualMachines/vm-recs-train-prod-04';
const inst = (id: string, cloud: Instance['cloud'], account: string, name: string, type: string): Instance => ({ id, name, cloud, account, region: cloud === 'azure' ? 'westeurope' : 'us-east-1', type, state: 'running', lifecycle: 'on-demand', os: 'linux', tags: {}, launchedAt: '2026-01-01T00:00:00Z' });
const instances = [
  inst('i-0c0ffee0000000002', 'aws', '271828182845', 'showcase-train-a100', 'p4d.24xlarge'),
  inst('7598256947997024697', 'gcp', 'acme-web-prod', 'llm-serve-dev-03', 'a3-highgpu-8g'),
  inst(AZURE_ID, 'azure', '8f2c1a3e-5b7d-4e21-9c6a-0d3b4f5a6e71', 'vm-recs-train-prod-04', 'Standard_NC24ads_A100_v4'),
];
const evidence = {
  cpuPercentile: 'p95', cpuPct: 26.6, memMaxPct: 35.5, gpuPct: 22.5,
  outOfSample: { folds: [{ testStartMs: Date.UTC(2026, 10, 23), testEndMs: Date.UTC(2026, 10, 30), testHours: 168, cpuCapacityPct: 17.8, memCapacityPct: 28.8, shareOverPct: 0, hoursSustainedOver: 0, upsized: false }], shareOverCapacityPct: 0.02 },
  risk: { score: 2, factors: ['sustained shortfall: 2 h whose GPU use would not fit', 'platform change: GPU model'] },
  sizing: { method: 'risk', rule: 'risk budget 0.1 %' },
  cpu: { p50: 12.2, p95: 26.6 },
  notes: ['no CPU benchmark for p4d.24xlarge: vCPUs counted as equal on every candidate'],
};
const recs: Recommendation[] = instances.map((i, n) => ({
  ...makeRecommendation('demo-s42', i, 50_000 - n * 10_000, 2, 'gpu-model'),
  recommendedType: 'Standard_E16as_v5_long_type_name',
  evidence,
  backtest: { hoursObserved: 336, hoursSaturated: 2, hoursAboveTarget: 5, worstHour: { atMs: Date.UTC(2026, 10, 20, 18), metric: 'gpu', projectedPct: 74.7 }, modeledShareOverPct: 0.01 },
  crossCloud: [{ cloud: 'gcp', region: 'us-east1', instanceType: 'g4-standard-96', distanceKm: 675, monthlyOnDemandUsd: 6570, monthlySavingsUsd: 9459, migration: true }],
}));
const longest = (text: string) => Math.max(...text.split('\n').map((l) => l.length));

describe('findings fit the terminal', () => {
  it.each([80, 120])('at %i columns: no line longer, evidence wrapped not cut, ids and accounts shown', (width) => {
    const text = renderFindings(recs, instances, width);
    expect(longest(text)).toBeLessThanOrEqual(width);
    expect(text).not.toContain('…');
    // Ids and accounts up to the columns' minimum widths sit on one line each.
    for (const s of ['i-0c0ffee0000000002', '7598256947997024697', '271828182845', 'rg-ml-prod/', 'showcase-train-a100']) expect(text).toContain(s);
    // The evidence lines (indented four, under each row) read as the whole evidence, risk factors included.
    const evidenceText = text.split('\n').filter((l) => /^ {4}\S/.test(l)).map((l) => l.trim()).join(' ');
    expect(evidenceText).toContain('risk: sustained shortfall: 2 h whose GPU use would not fit; platform change: GPU model');
    expect(evidenceText.split('CPU p95 26.6% · mem max 35.5% · GPU 22.5% · over capacity: backtest 0.01%, out of sample 0.02% (peaks 2/336 h)')).toHaveLength(4);
  });

  it('puts the evidence in a column at 160 columns and more, and on one line each with --wide', () => {
    const wide = renderFindings(recs, instances, Number.POSITIVE_INFINITY);
    expect(wide.split('\n')[0]).toMatch(/evidence$/);
    expect(wide.split('\n').filter((l) => l.includes('CPU p95 26.6%'))).toHaveLength(3);
    expect(longest(renderFindings(recs, instances, 160))).toBeLessThanOrEqual(160);
  });

  it('shortens Azure resource ids to resource group and name', () => {
    expect(shortInstanceId(AZURE_ID)).toBe('rg-ml-prod/vm-recs-train-prod-04');
    expect(shortInstanceId('i-0abc')).toBe('i-0abc');
  });

  it.each([80, 120])('the whole summary fits %i columns and points to explain, --json, --output csv and the API', (width) => {
    const { instances: _ignored, ...meta } = makeSnapshot('demo-s42', Date.UTC(2026, 10, 27), 1);
    const text = renderSummary({ meta, instances, monthlyCostUsdByInstance: new Map(), recommendations: recs, skips: [], plans: [], width });
    expect(longest(text)).toBeLessThanOrEqual(width);
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain('rightsize explain i-0c0ffee0000000002 (an instance id');
    expect(flat).toContain('rightsize analyze --json, or --output csv');
    expect(flat).toContain('GET /v1/recommendations/{id}');
    expect(flat).toContain('risk 0–4: one point each for time over capacity');
  });
});

describe('purchase plans separate commitment savings from right-sizing savings', () => {
  const plan = (over: Partial<PurchasePlan>): PurchasePlan => ({
    pool: 'aws:ri:us-east-1:r7i', snapshotId: 's', cloud: 'aws', region: 'us-east-1', family: 'r7i', commitments: [], spot: null,
    monthlyCostAllOnDemandUsd: 4636, monthlyCostCurrentUsd: 40179, monthlyCostRecommendedUsd: 4636, monthlySavingsUsd: 35543, breakEvenMonth: null, evidence: {}, ...over,
  });

  it('a pool with no commitment and no spot saves nothing in the purchase-mix column', () => {
    expect(planSavingsSplit(plan({}))).toEqual({ rightsizingUsd: 35543, mixUsd: undefined });
  });

  it('a committed pool splits its savings: today → right-sized on-demand, then → planned; the two add up', () => {
    const line = { term: { kind: 'cud', termYears: 3, payment: 'no-upfront' }, quantity: 1, unit: 'instances', hourlyCommitmentUsd: 39.6, utilization: 1, coverage: 1 } as unknown as PurchasePlan['commitments'][number];
    // today 82,155 → right-sized on-demand 28,908 (right-sizing 53,247) → planned 12,716 (commitment 16,192)
    const split = planSavingsSplit(plan({ commitments: [line], monthlyCostCurrentUsd: 82155, monthlyCostAllOnDemandUsd: 28908, monthlyCostRecommendedUsd: 12716, monthlySavingsUsd: 69439 }));
    expect(split).toEqual({ rightsizingUsd: 53247, mixUsd: 16192 });
    const { instances: _i, ...meta } = makeSnapshot('s', Date.UTC(2026, 10, 27), 1);
    const text = renderSummary({ meta, instances: [], monthlyCostUsdByInstance: new Map(), recommendations: [], skips: [], plans: [plan({})], width: 120 });
    expect(text).toMatch(/aws:ri:us-east-1:r7i\s+none\s+\$40,179\s+\$4,636\s+\$35,543\s+—/);
  });
});

describe('findings as CSV', () => {
  it('writes a header and one RFC 4180 row per finding, quoting and defusing formulas', () => {
    const evil = { ...instances[0]!, name: '=HYPERLINK("http://x","a, b")' };
    const csv = findingsCsv([recs[1]!, recs[0]!], [evil, ...instances.slice(1)]);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('id,instance_id,name,account,cloud,region,kind,action,current_type,recommended_type,monthly_cost_now_usd,monthly_cost_after_usd,monthly_savings_usd,risk,risk_factors,hours_saturated,hours_observed,evidence');
    expect(lines[1]).toMatch(/^demo-s42:i-0c0ffee0000000002,i-0c0ffee0000000002,"'=HYPERLINK\(""http:\/\/x"",""a, b""\)",271828182845,aws,us-east-1,gpu-model,resize,p4d\.24xlarge,Standard_E16as_v5_long_type_name,50100,100,50000,2,/);
    expect(lines).toHaveLength(4); // header, two rows, the empty string after the last CRLF
  });
});

describe('explain', () => {
  it('prints every part of the evidence within 80 columns', () => {
    const text = renderExplanation(recs[2]!, instances[2], 80);
    expect(longest(text)).toBeLessThanOrEqual(80);
    for (const heading of ['Sizing', 'Risk 2/4', 'Backtest', 'Out of sample', 'Cross-cloud alternatives', 'Notes']) expect(text).toMatch(new RegExp(`^${heading}`, 'm'));
    expect(text).toContain('  - platform change: GPU model');
    expect(text).toContain('sizing.rule: risk budget 0.1 %');
    expect(text).toContain('cpu: p50 12.2, p95 26.6');
    expect(text).toContain('worst hour: 2026-11-20 18:00 UTC, gpu at 74.7% of the new type');
    expect(text).toMatch(/2026-11-23 →\s+168\s+17\.8\s+28\.8\s+0\.00\s+0\s+no/);
    expect(text).toContain('account 8f2c1a3e-5b7d-4e21-9c6a-0d3b4f5a6e71');
  });
});

describe('the demo at 80 and 120 columns (COLUMNS, stdout not a terminal)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rightsize-width-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it.each([80, 120])('prints no line longer than %i', (width) => {
    const result = spawnSync(process.execPath, ['--import', pathToFileURL(path.join(root, 'node_modules/tsx/dist/loader.mjs')).href, path.join(root, 'src/cli/main.ts'), 'demo', '--no-serve'], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '', HOME: dir, RIGHTSIZE_DATA_DIR: path.join(dir, 'state'), COLUMNS: String(width) },
      timeout: 120_000,
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('Top 10 by monthly savings:');
    const over = result.stdout.split('\n').filter((l) => l.length > width);
    expect(over).toEqual([]);
  }, 120_000);
});
