import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { makeSnapshot } from '../helpers/fixtures-snapshot.js';
import { startSlackServer } from '../helpers/slack-server.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** `rightsize alerts` in its own process, as overlapping scheduled runs would be. */
function rightsizeAlerts(cwd: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', pathToFileURL(path.join(root, 'node_modules/tsx/dist/loader.mjs')).href, path.join(root, 'src/cli/main.ts'), 'alerts'], {
      cwd,
      env: { PATH: process.env['PATH'] ?? '', HOME: cwd, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

it('twenty concurrent `rightsize alerts` processes send exactly one message per kind of threshold crossed', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rightsize-alert-procs-'));
  const slack = await startSlackServer();
  try {
    const store = openSqliteStore({ dataDir: dir });
    await store.writeSnapshot(makeSnapshot('p1', Date.now() - 2 * 3_600_000, 6));
    await store.close();
    writeFileSync(
      path.join(dir, 'rightsize.config.json'),
      JSON.stringify({ dataDir: dir, budgets: [{ name: 'tiny', amountUsd: 0.01, thresholds: [{ pct: 50, kind: 'actual' }, { pct: 100, kind: 'actual' }], channels: [{ slackWebhook: { env: 'SLACK_HOOK' } }] }] }),
    );
    const runs = await Promise.all(Array.from({ length: 20 }, () => rightsizeAlerts(dir, { SLACK_HOOK: slack.url('/hook') })));
    expect(runs.map((r) => r.code), runs.filter((r) => r.code !== 0).map((r) => r.stderr).join('\n')).toEqual(Array(20).fill(0));
    // Both thresholds are crossed on the first run: one message, the higher one, titled with the true percentage.
    const texts = slack.requests.map((r) => (r.body as { text: string }).text);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toMatch(new RegExp(`^Budget tiny has spent \\d{3,}% of \\$0 \\(${periodLabel()}, past the 100% actual threshold\\)$`));
    const count = (re: RegExp) => runs.map((r) => Number(re.exec(r.stdout)?.[1])).reduce((a, b) => a + b, 0);
    expect(count(/alerts: (\d+) sent/)).toBe(1);
    expect(count(/(\d+) superseded by a higher threshold/)).toBe(1);
  } finally {
    await slack.close();
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);

function periodLabel(): string {
  const d = new Date();
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}
