import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateChromium, locatePrometheus } from '../../src/cli/doctor/tools.js';
import { findPrometheus } from '../helpers/binaries.js';
import { startAwsWireServer } from '../helpers/aws-wire-server.js';
import { closedPort } from '../helpers/blackhole.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const main = path.join(root, 'src/cli/main.ts');

function rightsize(args: string[], cwd: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', pathToFileURL(path.join(root, 'node_modules/tsx/dist/loader.mjs')).href, main, ...args], { cwd, encoding: 'utf8', timeout: 120_000, env: { HOME: cwd, METADATA_SERVER_DETECTION: 'none', ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

let dir: string;
let aws: Awaited<ReturnType<typeof startAwsWireServer>>;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'rightsize-doctor-'));
  aws = await startAwsWireServer({ instances: {} });
});
afterAll(async () => {
  expect(aws.unexpected).toEqual([]);
  await aws.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('rightsize doctor', () => {
  it('checks secrets, credentials, endpoints and test tools, each failure with a fix, and exits 1', async () => {
    const down = await closedPort();
    writeFileSync(
      path.join(dir, 'rightsize.config.json'),
      JSON.stringify({
        dataDir: path.join(dir, 'state'),
        aws: { enabled: true, regions: ['us-east-1'], endpoints: { sts: aws.url, ec2: aws.url } },
        gcp: { enabled: true, projects: ['p1'], endpoints: { compute: `http://127.0.0.1:${down}` } },
        prometheus: { enabled: true, url: `http://127.0.0.1:${down}`, auth: { bearerTokenEnv: 'PROM_TOKEN' } },
        budgets: [
          { name: 'set', amountUsd: 1, channels: [{ slackWebhook: { env: 'SLACK_SET' } }] },
          { name: 'unset', amountUsd: 1, channels: [{ slackWebhook: { env: 'SLACK_UNSET' } }] },
        ],
      }),
    );
    // Tools pointed at files that do not exist, so the result is the same on a machine that has them installed.
    const out = await rightsize(['doctor'], dir, { PATH: '/nonexistent', CHROMIUM_PATH: '/nonexistent/chromium', PROMETHEUS_BIN: '/nonexistent/prometheus', AWS_ACCESS_KEY_ID: 'AKIDLOCALTEST', AWS_SECRET_ACCESS_KEY: 'local-secret', SLACK_SET: 'https://hooks.slack.com/services/T/B/secret-part' });
    expect(out.code, out.stderr).toBe(1);
    const lines = out.stdout.split('\n');
    expect(lines).toContain('✓ budgets.0.channels.0.slackWebhook: environment variable SLACK_SET is set');
    expect(lines).toContain('✗ budgets.1.channels.0.slackWebhook: environment variable SLACK_UNSET is not set or empty');
    expect(lines).toContain('    fix: export SLACK_UNSET=<the Slack incoming-webhook URL>');
    expect(lines).toContain('✗ prometheus.auth.bearerTokenEnv: environment variable PROM_TOKEN is not set');
    expect(lines).toContain('✓ aws credentials: account 123456789012 (arn:aws:iam::123456789012:user/local)');
    expect(out.stdout).toMatch(/✗ gcp credentials: credentials: no GCP credentials: .*\n {4}fix: Application Default Credentials tried/);
    expect(lines).toContain(`✗ prometheus.url: connect 127.0.0.1:${down}: connect ECONNREFUSED 127.0.0.1:${down}`);
    expect(lines.some((l) => l.startsWith('✓ aws.endpoints.sts: 127.0.0.1:'))).toBe(true);
    expect(lines).toContain('! chromium (tests): CHROMIUM_PATH=/nonexistent/chromium is not an executable file');
    expect(lines).toContain('! prometheus (tests): PROMETHEUS_BIN=/nonexistent/prometheus is not an executable file');
    expect(out.stdout).not.toContain('secret-part');
    expect(lines.at(-2)).toMatch(/^\d+ checks: \d+ ok, 2 warnings, 5 failed$/);
  });
});

describe('finding the test tools', () => {
  it('uses PROMETHEUS_BIN (promtool beside it) or PATH, and says how to install them when absent', () => {
    const bin = path.join(dir, 'bin');
    mkdirSync(bin, { recursive: true });
    for (const name of ['prometheus', 'promtool', 'chromium']) {
      writeFileSync(path.join(bin, name), '#!/bin/sh\n');
      chmodSync(path.join(bin, name), 0o755);
    }
    expect(locatePrometheus({ PROMETHEUS_BIN: path.join(bin, 'prometheus'), PATH: '' })).toEqual({ found: { prometheus: path.join(bin, 'prometheus'), promtool: path.join(bin, 'promtool') } });
    expect(locatePrometheus({ PATH: `/nonexistent${path.delimiter}${bin}` })).toEqual({ found: { prometheus: path.join(bin, 'prometheus'), promtool: path.join(bin, 'promtool') } });
    expect(locateChromium({ PATH: bin })).toEqual({ found: path.join(bin, 'chromium') });
    expect(locateChromium({ CHROMIUM_PATH: path.join(bin, 'nope'), PATH: bin })).toEqual({ missing: `CHROMIUM_PATH=${path.join(bin, 'nope')} is not an executable file` });
    expect(() => findPrometheus({ PATH: '/nonexistent' })).toThrow(/^prometheus not found: install it \(Debian\/Ubuntu: apt-get install prometheus; macOS: brew install prometheus\) or set PROMETHEUS_BIN/);
  });
});
