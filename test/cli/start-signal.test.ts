import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';

/**
 * `npm start` stopped by its PID (what a process manager or `kill` does) used to leave the API server running: npm's
 * `sh -c` did not pass the signal on. The script now execs node, and a server started by npm also exits when its
 * parent goes away.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'rightsize-start-'));
  writeFileSync(path.join(dir, 'rightsize.config.json'), JSON.stringify({ dataDir: path.join(dir, 'state'), demo: { instanceCount: 50 } }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function answers(url: string): Promise<boolean> {
  try {
    await fetch(`${url}/docs`, { signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}

for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
  it(`npm start ends its API server when npm gets ${signal}`, async () => {
    const npm = spawn('npm', ['start', '--silent'], { cwd: root, env: { ...process.env, RIGHTSIZE_CONFIG: path.join(dir, 'rightsize.config.json'), RIGHTSIZE_PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    npm.stdout.on('data', (d: Buffer) => (out += d.toString()));
    npm.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const poll = setInterval(() => {
        const m = /API listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) {
          clearInterval(poll);
          resolve(m[1] as string);
        }
      }, 100);
      npm.once('exit', () => {
        clearInterval(poll);
        reject(new Error(`npm start exited early:\n${out}`));
      });
    });
    expect(await answers(url)).toBe(true);
    process.kill(npm.pid as number, signal);
    // Polled, not slept: the server is gone as soon as it stops answering (the orphan check runs every 500 ms).
    const deadline = Date.now() + 15_000;
    while ((await answers(url)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(await answers(url)).toBe(false);
  }, 120_000);
}
