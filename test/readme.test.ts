/**
 * The README's Quick start and CLI sections, run: every command they show that needs no cloud account is run in a
 * temp directory and must exit as the README says; every command the CLI section lists must exist with the same
 * usage line as its `--help`, and every command the CLI has must be listed. Not run: `npm install` and `npm test`
 * (this suite is part of them), `npm start` and `rightsize serve` (they serve until stopped: test/cli/start-signal),
 * and `collect` / `prices` against a cloud (test/collectors runs them against recorded and local servers).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HELP } from '../src/cli/help.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');

/** The text of one `## ` section. */
function section(title: string): string {
  const start = readme.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`README has no "## ${title}" section`);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** `rightsize <name> <usage>` lines of the CLI section's code block. */
const documented = [...(section('CLI').split('```')[1] ?? '').matchAll(/^rightsize (\S+)[ \t]*(.*)$/gm)].map((m) => ({ name: m[1] ?? '', usage: (m[2] ?? '').trim() }));

let dir: string;
const env = () => ({ PATH: process.env['PATH'] ?? '', HOME: dir, RIGHTSIZE_DATA_DIR: path.join(dir, 'state'), COLUMNS: '100' });
const loader = pathToFileURL(path.join(root, 'node_modules/tsx/dist/loader.mjs')).href;

function rightsize(args: string[], extraEnv: Record<string, string> = {}, cwd = dir) {
  const r = spawnSync(process.execPath, ['--import', loader, path.join(root, 'src/cli/main.ts'), ...args], { cwd, encoding: 'utf8', env: { ...env(), ...extraEnv }, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'rightsize-readme-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('README: CLI section', () => {
  it('lists every command, with the usage its --help prints', () => {
    expect(documented.map((d) => d.name).sort()).toEqual(Object.keys(HELP).sort());
    for (const d of documented) expect(d.usage, d.name).toBe(HELP[d.name]?.usage);
  });

  it('`rightsize <command> --help` exits 0 with the usage line and an example, for every command', () => {
    for (const { name, usage } of documented) {
      const { code, stdout } = rightsize([name, '--help']);
      expect(code, name).toBe(0);
      expect(stdout.split('\n')[0]).toBe(`Usage: rightsize ${name}${usage ? ` ${usage}` : ''}`);
      expect(stdout).toMatch(new RegExp(`Examples?:\\n {2}(RIGHTSIZE_DATA_DIR=\\S+ )?rightsize ${name}`));
    }
    const global = rightsize(['--help']);
    expect(global.code).toBe(0);
    for (const { name } of documented) expect(global.stdout).toMatch(new RegExp(`^ {2}${name} `, 'm'));
    expect(rightsize(['frobnicate']).code).toBe(2); // "an unknown command 2"
  }, 120_000);

  it('`config` says which file it loaded, or that there was none', () => {
    const none = rightsize(['config']);
    expect(none.code).toBe(0);
    expect(none.stdout).toMatch(/^No config file: none of rightsize\.config\.json, rightsize\.config\.yaml, rightsize\.config\.yml in /);
    const cwd = mkdtempSync(path.join(dir, 'cfg-'));
    writeFileSync(path.join(cwd, 'rightsize.config.yaml'), 'demo:\n  seed: 7\n');
    const loaded = rightsize(['config'], {}, cwd);
    expect(loaded.code).toBe(0);
    expect(loaded.stdout.split('\n')[0]).toBe(`Loaded ${path.join(cwd, 'rightsize.config.yaml')} (environment variables override it)`);
    const json = JSON.parse(rightsize(['config', '--json'], {}, cwd).stdout) as { configFile: string; config: { demo: { seed: number } } };
    expect(json).toMatchObject({ configFile: path.join(cwd, 'rightsize.config.yaml'), config: { demo: { seed: 7 } } });
  });

  it('`collect` and `prices` exit 2 with no cloud enabled; `analyze`, `evaluate` and `report` exit 1 on a store with no snapshot', () => {
    for (const command of ['collect', 'prices']) expect(rightsize([command]).code, command).toBe(2);
    for (const command of ['analyze', 'evaluate', 'report']) {
      const { code, stderr } = rightsize([command]);
      expect(code, command).toBe(1);
      expect(stderr).toContain('run "rightsize collect" first');
    }
  }, 120_000);

  it('`doctor` exits 1 exactly when a check fails; `alerts` with no budget exits 0', () => {
    const doctor = rightsize(['doctor', '--json']);
    const checks = (JSON.parse(doctor.stdout) as { checks: { status: string }[] }).checks;
    expect(doctor.code).toBe(checks.some((c) => c.status === 'fail') ? 1 : 0);
    const alerts = rightsize(['alerts']);
    expect(alerts.code).toBe(0);
    expect(alerts.stdout).toContain('No budgets configured');
    expect(JSON.parse(rightsize(['alerts', '--json']).stdout)).toMatchObject({ statuses: [], result: { sent: [] } });
  }, 120_000);
});

describe('README: Quick start, then the CLI on the demo store', () => {
  it('`npm start -- --no-serve` prints the findings and exits 0', () => {
    const r = spawnSync('npm', ['start', '--', '--no-serve'], { cwd: root, encoding: 'utf8', env: { ...env(), npm_config_update_notifier: 'false' }, timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('Top 10 by monthly savings:');
    expect(r.stdout).toMatch(/Weekly report: .*weekly-\d{4}-W\d{2}\.html/);
  }, 120_000);

  it('analyze, evaluate, report and explain run on the demo store and exit 0; explain of nothing exits 1', () => {
    const demoStore = { RIGHTSIZE_DATA_DIR: path.join(dir, 'state', 'demo') };
    const analyze = rightsize(['analyze'], demoStore);
    expect(analyze.code, analyze.stderr).toBe(0);
    const name = /rightsize explain (\S+) \(an instance id/.exec(analyze.stdout.replace(/\s+/g, ' '))?.[1];
    expect(name).toBeDefined();
    const json = JSON.parse(rightsize(['analyze', '--json'], demoStore).stdout) as { recommendations: { id: string }[] };
    expect(json.recommendations.length).toBeGreaterThan(100);
    const csv = rightsize(['analyze', '--output', 'csv'], demoStore);
    expect(csv.code).toBe(0);
    expect(csv.stdout.split('\r\n').length - 2).toBe(json.recommendations.length);
    expect(rightsize(['evaluate'], demoStore).code).toBe(0);
    const report = rightsize(['report', '--json'], demoStore);
    expect(report.code).toBe(0);
    expect(JSON.parse(report.stdout)).toMatchObject({ html: expect.stringMatching(/weekly-\d{4}-W\d{2}\.html$/) });
    // By the id the summary points to, from the configured store: found in the demo's, as the README says.
    const explained = rightsize(['explain', name ?? '']);
    expect(explained.code, explained.stderr).toBe(0);
    expect(explained.stderr).toContain('found in the demo store');
    for (const heading of ['Sizing', 'Risk', 'Backtest', 'Out of sample', 'Cross-cloud alternatives']) expect(explained.stdout).toMatch(new RegExp(`^${heading}`, 'm'));
    const byId = JSON.parse(rightsize(['explain', json.recommendations[0]?.id ?? '', '--json'], demoStore).stdout) as { recommendation: { id: string } };
    expect(byId.recommendation.id).toBe(json.recommendations[0]?.id);
    expect(rightsize(['explain', 'no-such-instance'], demoStore).code).toBe(1);
  }, 120_000);
});
