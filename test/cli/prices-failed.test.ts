import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBlackhole } from '../helpers/blackhole.js';

/** The "✓ Refreshed prices — 0/N regions": a refresh where nothing was refreshed says so and exits 1. */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let dir: string;
let hole: Awaited<ReturnType<typeof startBlackhole>>;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'rightsize-prices-failed-'));
  hole = await startBlackhole();
  writeFileSync(
    path.join(dir, 'rightsize.config.json'),
    JSON.stringify({ dataDir: path.join(dir, 'state'), aws: { enabled: true, regions: ['us-east-1'], endpoints: { ec2: hole.url, pricing: hole.url, spotAdvisor: `${hole.url}/feed.json` } }, timeouts: { requestMs: 1000, scopeMs: 3000, heartbeatMs: 1000 } }),
  );
});
afterAll(async () => {
  await hole.close();
  rmSync(dir, { recursive: true, force: true });
});

it('prices against endpoints that never answer: every region timeout, a ✗ line, heartbeats while waiting, exit 1', async () => {
  const out = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, ['--import', pathToFileURL(path.join(root, 'node_modules/tsx/dist/loader.mjs')).href, path.join(root, 'src/cli/main.ts'), 'prices'], { cwd: dir, encoding: 'utf8', timeout: 120_000, env: { PATH: '', HOME: dir, AWS_ACCESS_KEY_ID: 'AKIDLOCALTEST', AWS_SECRET_ACCESS_KEY: 'local-secret' } }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
  expect(out.code, out.stderr).toBe(1);
  expect(out.stdout).toContain('aws/us-east-1: timeout, 0 types — pricing:GetProducts: aws prices us-east-1: no answer within 3 s (timeouts.scopeMs)');
  expect(out.stdout).toMatch(/aws\/spot-advisor\/\*: timeout, 0 types — Spot Instance Advisor feed: GET 127\.0\.0\.1:\d+: no answer within 1000 ms/);
  expect(out.stderr).toMatch(/✗ Refreshed prices — failed: 0\/2 regions ok; 2 timeout/);
  expect(out.stderr).toMatch(/… still refreshing prices \(\d+ s; each region gives up after 3 s\)/);
  expect(out.stderr).not.toContain('✓');
});
