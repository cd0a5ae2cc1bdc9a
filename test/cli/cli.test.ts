import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const main = path.join(root, 'src/cli/main.ts');

function rightsize(args: string[], options: { cwd: string; env?: Record<string, string> }) {
  // tsx by absolute URL: the tests run from temp directories with no node_modules.
  const result = spawnSync(process.execPath, ['--import', pathToFileURL(path.join(root, 'node_modules/tsx/dist/loader.mjs')).href, main, ...args], {
    cwd: options.cwd,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', HOME: options.cwd, NODE_PATH: path.join(root, 'node_modules'), ...options.env },
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'rightsize-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('rightsize CLI', () => {
  it('runs the demo end to end and prints instances, cost, top savings and every recommendation kind', () => {
    const { code, stdout, stderr } = rightsize(['demo', '--no-serve'], { cwd: dir, env: { RIGHTSIZE_DATA_DIR: path.join(dir, 'state') } });
    expect(stderr).not.toMatch(/\n\s+at /); // no stack traces
    expect(code).toBe(0);
    expect(stdout).toMatch(/\d[\d,]* instances, [\d,]+ running/);
    expect(stdout).toMatch(/Modeled monthly cost: \$[\d,]+/);
    expect(stdout).toMatch(/Top 10 by monthly savings:/);
    const flat = stdout.replace(/\s+/g, ' '); // paragraphs wrap at the width (100 here: no COLUMNS, not a terminal)
    for (const kind of ['downsize', 'upsize', 'modernize', 'idle', 'gpu-fewer', 'gpu-model', 'gpu-to-cpu']) expect(flat).toMatch(new RegExp(`[(, ]${kind} [0-9]+`));
    expect(stdout).toMatch(/Purchase plans: \d+ pools/);
    // Re-running the same demo in the same hour is idempotent: same recommendations count.
    const again = rightsize(['demo', '--no-serve'], { cwd: dir, env: { RIGHTSIZE_DATA_DIR: path.join(dir, 'state') } });
    expect(again.code).toBe(0);
    const count = (s: string) => s.match(/Recommendations: (\d+)/)?.[1];
    expect(count(again.stdout)).toBe(count(stdout));
  });

  it('rejects a bad config with one line naming file and field, non-zero exit and no stack trace', () => {
    const cwd = mkdtempSync(path.join(dir, 'badcfg-'));
    writeFileSync(path.join(cwd, 'rightsize.config.yaml'), 'server:\n  port: 99999\n');
    const { code, stderr } = rightsize(['demo', '--no-serve'], { cwd });
    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^rightsize: error: rightsize\.config\.yaml: server\.port: /);
    expect(lines).toHaveLength(1);
    expect(stderr).not.toMatch(/\n\s+at /);
    const verbose = rightsize(['demo', '--no-serve', '--verbose'], { cwd });
    expect(verbose.code).toBe(1);
    expect(verbose.stderr).toMatch(/\n\s+at /);
  });

  it('lists every config problem on its own line: unknown keys with a suggestion, an inline webhook with the fix', () => {
    const cwd = mkdtempSync(path.join(dir, 'badcfg2-'));
    writeFileSync(path.join(cwd, 'rightsize.config.yaml'), 'aws:\n  regoins: [us-east-1]\nreport:\n  slackWebhook: https://hooks.slack.com/services/T/B/x\n');
    const { code, stderr } = rightsize(['collect'], { cwd });
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([
      'rightsize: error: rightsize.config.yaml: aws.regoins: unknown key (did you mean "regions"?)',
      'rightsize: error: rightsize.config.yaml: report.slackWebhook: a webhook URL is a secret and does not belong in the config: put it in an environment variable and write { env: SLACK_WEBHOOK_URL } (or { ssmParameter: NAME }, { secretsManagerSecret: NAME })',
    ]);
  });

  it('report and analyze on an empty store say to collect first and exit 1', () => {
    const cwd = mkdtempSync(path.join(dir, 'empty-'));
    for (const command of ['report', 'analyze']) {
      const { code, stderr } = rightsize([command], { cwd, env: { RIGHTSIZE_DATA_DIR: path.join(cwd, 'state') } });
      expect(code).toBe(1);
      expect(stderr).toContain(`rightsize: error: no snapshot in ${path.join(cwd, 'state')}: run "rightsize collect" first`);
    }
  });

  it('rejects a corrupt catalog file with one line naming the file and field', () => {
    const catalogDir = path.join(dir, 'catalog-copy');
    cpSync(path.join(root, 'data'), catalogDir, { recursive: true });
    const typesFile = path.join(catalogDir, 'catalog', 'aws-types.json');
    const json = JSON.parse(readFileSync(typesFile, 'utf8')) as Record<string, unknown>;
    // Break one vCPU value, wherever the file keeps its types.
    const text = JSON.stringify(json).replace(/"vcpu":\s*\d+/, '"vcpu":"many"');
    writeFileSync(typesFile, text);
    const { code, stderr } = rightsize(['demo', '--no-serve'], { cwd: dir, env: { RIGHTSIZE_CATALOG_DIR: catalogDir, RIGHTSIZE_DATA_DIR: path.join(dir, 'state2') } });
    expect(code).toBe(1);
    expect(stderr.split('\n')[0]).toMatch(/^rightsize: error: .*aws-types\.json: .*vcpu/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('prints usage and exits 2 on an unknown command', () => {
    const { code, stderr } = rightsize(['frobnicate'], { cwd: dir });
    expect(code).toBe(2);
    expect(stderr).toContain('unknown command "frobnicate"');
  });
});
