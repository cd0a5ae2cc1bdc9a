import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashToken, loadConfig, redactConfig } from '../src/config.js';
import { ConfigError } from '../src/errors.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'rightsize-config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('loadConfig', () => {
  it('gives defaults when no file and no env is present', () => {
    const config = loadConfig({ cwd: dir, env: {} });
    expect(config.dataDir).toBe('./.rightsize');
    expect(config.server).toMatchObject({ host: '127.0.0.1', port: 8787 });
    expect(config.retentionDays).toBe(90);
    expect(config.auth.tokenSha256).toEqual([]);
    expect(config.budgets).toEqual([]);
  });

  it('reads YAML from the default file name and applies env overrides on top', () => {
    writeFileSync(path.join(dir, 'rightsize.config.yaml'), 'server:\n  port: 9000\nretentionDays: 30\n');
    const config = loadConfig({ cwd: dir, env: { RIGHTSIZE_PORT: '9100', RIGHTSIZE_DATA_DIR: '/var/lib/rs' } });
    expect(config.server.port).toBe(9100);
    expect(config.retentionDays).toBe(30);
    expect(config.dataDir).toBe('/var/lib/rs');
  });

  it('reads JSON via --config and fills budget defaults', () => {
    const file = path.join(dir, 'custom.json');
    writeFileSync(file, JSON.stringify({ budgets: [{ name: 'prod', amountUsd: 5000, channels: [{ slackWebhook: { env: 'SLACK_PROD' } }] }] }));
    const config = loadConfig({ cwd: dir, configPath: 'custom.json', env: {} });
    expect(config.budgets[0]?.period).toBe('month');
    expect(config.budgets[0]?.thresholds.map((t) => `${t.kind}:${t.pct}`)).toEqual(['actual:50', 'actual:80', 'actual:100', 'forecast:100']);
  });

  it('names the file and the failing field in one line', () => {
    writeFileSync(path.join(dir, 'rightsize.config.json'), JSON.stringify({ server: { port: 70000 } }));
    let error: unknown;
    try {
      loadConfig({ cwd: dir, env: {} });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/^rightsize\.config\.json: server\.port: /);
    expect(message).not.toContain('\n');
  });

  it('lists every issue, one line each as file: field: problem, unknown keys with a did-you-mean', () => {
    writeFileSync(
      path.join(dir, 'rightsize.config.json'),
      JSON.stringify({ server: { port: 70000 }, aws: { enabled: true, regoins: ['us-east-1'] }, timeuots: {}, engine: { lookbackDayz: 14 }, budgets: [{ name: 'b', amountUsd: 1, scope: { clodu: 'aws' } }] }),
    );
    let message = '';
    try {
      loadConfig({ cwd: dir, env: {} });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      message = (err as Error).message;
    }
    const lines = message.split('\n');
    expect(lines).toContain('rightsize.config.json: aws.regoins: unknown key (did you mean "regions"?)');
    expect(lines).toContain('rightsize.config.json: timeuots: unknown key (did you mean "timeouts"?)');
    expect(lines).toContain('rightsize.config.json: engine.lookbackDayz: unknown key (did you mean "lookbackDays"?)');
    expect(lines).toContain('rightsize.config.json: budgets.0.scope.clodu: unknown key (did you mean "cloud"?)');
    expect(lines.some((l) => /^rightsize\.config\.json: server\.port: /.test(l))).toBe(true);
    expect(lines).toHaveLength(5);
  });

  it('names every known key when nothing is close, and accepts free-form maps (tags) as they are', () => {
    writeFileSync(path.join(dir, 'rightsize.config.json'), JSON.stringify({ prometheus: { zzz: 1 }, budgets: [{ name: 'b', amountUsd: 1, scope: { tags: { 'any-key': 'v' } } }] }));
    expect(() => loadConfig({ cwd: dir, env: {} })).toThrow(/^rightsize\.config\.json: prometheus\.zzz: unknown key; expected one of: enabled, url, hostLabels, auth$/);
    writeFileSync(path.join(dir, 'rightsize.config.json'), JSON.stringify({ store: { kind: 'dynamodb', table: 'tbl', bucket: 'bkt', endpoints: { s3: 'http://127.0.0.1:1' } }, budgets: [{ name: 'b', amountUsd: 1, scope: { tags: { 'any-key': 'v' } } }] }));
    expect(loadConfig({ cwd: dir, env: {} }).budgets[0]?.scope.tags).toEqual({ 'any-key': 'v' });
  });

  it('has timeouts with defaults and bounds', () => {
    expect(loadConfig({ cwd: dir, env: {} }).timeouts).toEqual({ connectMs: 5000, requestMs: 30000, scopeMs: 600000, heartbeatMs: 15000 });
    writeFileSync(path.join(dir, 'rightsize.config.json'), JSON.stringify({ timeouts: { requestMs: 0 } }));
    expect(() => loadConfig({ cwd: dir, env: {} })).toThrow(/^rightsize\.config\.json: timeouts\.requestMs: Too small/);
  });

  it('names the environment variable when an override is invalid', () => {
    expect(() => loadConfig({ cwd: dir, env: { RIGHTSIZE_PORT: 'eighty' } })).toThrow(/environment variable RIGHTSIZE_PORT: server\.port/);
  });

  it('reports malformed YAML with the file name', () => {
    writeFileSync(path.join(dir, 'rightsize.config.yaml'), 'server: [unclosed\n');
    expect(() => loadConfig({ cwd: dir, env: {} })).toThrow(/^rightsize\.config\.yaml: not valid YAML/);
  });

  it('rejects a webhook given inline instead of by reference', () => {
    writeFileSync(
      path.join(dir, 'rightsize.config.json'),
      JSON.stringify({ budgets: [{ name: 'b', amountUsd: 1, channels: [{ slackWebhook: 'https://hooks.slack.com/services/X' }] }] }),
    );
    expect(() => loadConfig({ cwd: dir, env: {} })).toThrow(/^rightsize\.config\.json: budgets\.0\.channels\.0\.slackWebhook: a webhook URL is a secret .*\{ env: SLACK_WEBHOOK_URL \}/);
    writeFileSync(path.join(dir, 'rightsize.config.json'), JSON.stringify({ report: { slackWebhook: { url: 'x' } } }));
    expect(() => loadConfig({ cwd: dir, env: {} })).toThrow(/report\.slackWebhook: expected \{ env: NAME \}, \{ ssmParameter: NAME \} or \{ secretsManagerSecret: NAME \}/);
  });

  it('holds API tokens only as SHA-256 digests and redacts them when printed', () => {
    const config = loadConfig({ cwd: dir, env: { RIGHTSIZE_API_TOKENS: 'alpha-token, beta-token' } });
    expect(config.auth.tokenSha256).toEqual([hashToken('alpha-token'), hashToken('beta-token')]);
    // Independent check of the digest of a known string.
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const printed = JSON.stringify(redactConfig(config));
    expect(printed).not.toContain(hashToken('alpha-token'));
    expect(printed).not.toContain('alpha-token');
  });

  it('refuses to disable auth while tokens are configured', () => {
    expect(() => loadConfig({ cwd: dir, env: { RIGHTSIZE_API_TOKENS: 't', RIGHTSIZE_AUTH_DISABLED: 'true' } })).toThrow(/auth\.disabled/);
  });
});
