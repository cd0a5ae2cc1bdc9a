import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import { ConfigSchema } from '../../src/config.js';
import { generateDemoFleet } from '../../src/demo/fleet.js';
import { evaluatePolicies, type PolicyEvaluation, type ScopeEvaluation } from '../../src/engine/evaluate.js';
import { CANDIDATE_POLICIES } from '../../src/engine/validation.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const main = path.join(root, 'src/cli/main.ts');

function rightsize(args: string[], cwd: string, extraEnv: Record<string, string> = {}) {
  // tsx by absolute URL: the tests run from temp directories with no node_modules.
  const result = spawnSync(process.execPath, ['--import', pathToFileURL(path.join(root, 'node_modules/tsx/dist/loader.mjs')).href, main, ...args], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', HOME: cwd, NODE_PATH: path.join(root, 'node_modules'), ...extraEnv },
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

// The fleet runs a candidate's own settings (fixed), so that candidate is the configured one; GCP runs auto with a
// wider budget, so the two scopes pick differently.
const fixedPolicy = CANDIDATE_POLICIES.find((p) => p.id !== 'risk-0.1' && Object.keys(p.settings).sort().join() === 'cpuSizing,riskBudgetPct');
if (!fixedPolicy) throw new Error('no candidate that only sets a risk budget');
const NOW = Date.UTC(2026, 10, 20, 12);
let dir: string;
let expected: PolicyEvaluation;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'rightsize-cli-evaluate-'));
  const raw = { dataDir: path.join(dir, 'state'), engine: { ...fixedPolicy.settings, overrides: [{ match: { cloud: 'gcp' }, settings: { policy: 'auto', fleetRiskBudgetPct: 1 } }] } };
  writeFileSync(path.join(dir, 'rightsize.config.json'), JSON.stringify(raw));
  // 15 days of hourly series: one 7-day train + 7-day test fold per instance.
  const fleet = generateDemoFleet({ seed: 11, nowMs: NOW, instanceCount: 60, days: 15 });
  const store = openSqliteStore({ dataDir: raw.dataDir });
  try {
    await store.writeSnapshot(fleet);
    expected = await evaluatePolicies({ meta: fleet, instances: fleet.instances, seriesByInstance: store.seriesByInstance(fleet.id), catalog: loadCatalog(), settings: ConfigSchema.parse(raw).engine });
  } finally {
    await store.close();
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The rows of a scope's table in the text output, cells split on the 2+ spaces between columns. */
function tableOf(stdout: string, scope: string): string[][] {
  const lines = stdout.split('\n');
  const at = lines.findIndex((l) => l.startsWith(`${scope}: `));
  expect(at, `scope ${scope} in the output`).toBeGreaterThanOrEqual(0);
  expect(lines[at + 1]).toMatch(/^policy\s+label\s+savings/);
  const rows: string[][] = [];
  for (let i = at + 3; i < lines.length && !(lines[i] as string).startsWith('auto '); i++) rows.push((lines[i] as string).split(/ {2,}/));
  return rows;
}

/** Independently of the engine's chooser: the within-budget policy saving most. */
const bestWithin = (s: ScopeEvaluation) => {
  const within = s.scores.filter((p) => p.folds > 0 && p.outOfSampleOverPct <= s.budgetPct);
  return within.reduce<(typeof within)[number] | undefined>((b, p) => (!b || p.savingsPct > b.savingsPct ? p : b), undefined);
};

describe('rightsize evaluate', () => {
  it('prints the evaluation as JSON, equal to the engine\'s on the stored snapshot', () => {
    const { code, stdout, stderr } = rightsize(['evaluate', '--json'], dir);
    expect(code, stderr).toBe(0);
    const body = JSON.parse(stdout) as PolicyEvaluation;
    expect(body).toEqual(expected);
    expect(body.scopes.map((s) => s.scope)).toEqual(['fleet', 'overrides:0']);
    expect(body.scopes.map((s) => s.budgetPct)).toEqual([ConfigSchema.parse({}).engine.fleetRiskBudgetPct, 1]);
    for (const s of body.scopes) expect(s.folds).toBeGreaterThan(0);
  });

  it('prints per scope a frontier table, one row per policy, with auto\'s pick and the configured policy marked', () => {
    // --wide: one line per row and per paragraph, so the table parses by columns.
    const { code, stdout, stderr } = rightsize(['evaluate', '--wide'], dir);
    expect(code, stderr).toBe(0);
    const first = stdout.split('\n')[0] as string;
    expect(first).toContain(`snapshot ${expected.snapshotId}`);
    expect(first).toContain(`train ${expected.trainDays} d, test ${expected.testDays} d`);
    expect(first).toMatch(/budget \d+(\.\d+)?% of test time over capacity/);
    for (const scope of expected.scopes) {
      const rows = tableOf(stdout, scope.scope);
      expect(rows.map((r) => r[0])).toEqual(CANDIDATE_POLICIES.map((p) => p.id));
      for (const [i, row] of rows.entries()) {
        const score = scope.scores[i]!;
        expect(row[2]).toBe(`${score.savingsPct.toFixed(2)}%`);
        expect(row[3]).toBe(`${score.outOfSampleOverPct.toFixed(3)}%`);
        expect(row[5]).toBe(score.outOfSampleOverPct <= scope.budgetPct ? 'yes' : 'no');
      }
      const best = bestWithin(scope);
      if (!best) throw new Error(`fixture: no policy within the budget in ${scope.scope}`);
      const picked = rows.filter((r) => r[6]?.includes('auto pick'));
      expect(picked.map((r) => r[0])).toEqual([best.id]);
      expect(stdout).toContain(`auto picks ${best.id} (`);
    }
    // The fleet is fixed on a candidate's settings; GCP runs auto, so its configured policy is its pick.
    expect(tableOf(stdout, 'fleet').filter((r) => r[6]?.includes('configured')).map((r) => r[0])).toEqual([fixedPolicy.id]);
    expect(stdout).toContain(`configured policy: fixed (runs as ${fixedPolicy.id})`);
    const gcpPick = bestWithin(expected.scopes[1]!)!.id;
    expect(tableOf(stdout, 'overrides:0').find((r) => r[0] === gcpPick)?.[6]).toBe('auto pick, configured');
    expect(stdout).toContain(`configured policy: auto (runs ${gcpPick})`);
    // On the fleet, auto's pick and the fixed policy are different rows, so each mark is checked on its own.
    expect(bestWithin(expected.scopes[0]!)!.id).not.toBe(fixedPolicy.id);
  });

  it('fails with one line and exit 1 without a snapshot, or with an unknown one', () => {
    const empty = path.join(dir, 'empty');
    mkdirSync(empty);
    writeFileSync(path.join(empty, 'rightsize.config.json'), JSON.stringify({ dataDir: path.join(empty, 'state') }));
    const none = rightsize(['evaluate'], empty);
    expect(none.code).toBe(1);
    expect(none.stdout).toBe('');
    expect(none.stderr).toMatch(/^rightsize: error: no snapshot in .*: run "rightsize collect" first/m);
    expect(none.stderr).not.toMatch(/\n\s+at /);
    const unknown = rightsize(['evaluate', '--snapshot', 'nope'], dir);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^rightsize: error: snapshot nope not found in the store$/m);
  });

  it('fits the evaluation to the width, wrapping instead of cutting', () => {
    const { code, stdout } = rightsize(['evaluate'], dir, { COLUMNS: '80' });
    expect(code).toBe(0);
    expect(stdout.split('\n').filter((l) => l.length > 80)).toEqual([]);
    expect(stdout).not.toContain('…');
  });

  it('is listed in the usage', () => {
    const { code, stdout } = rightsize(['--help'], dir);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ {2}evaluate {3}walk-forward validation: each candidate policy's savings/m);
  });
});
