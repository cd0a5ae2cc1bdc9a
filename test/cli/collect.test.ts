import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startAwsWireServer } from '../helpers/aws-wire-server.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const main = path.join(root, 'src/cli/main.ts');

/** The CLI as a user runs it, asynchronously: the wire server answering it lives in this process. */
function rightsize(args: string[], cwd: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', pathToFileURL(path.join(root, 'node_modules/tsx/dist/loader.mjs')).href, main, ...args], { cwd, encoding: 'utf8', timeout: 120_000, env: { PATH: process.env['PATH'] ?? '', HOME: cwd, ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

let dir: string;
let server: Awaited<ReturnType<typeof startAwsWireServer>>;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'rightsize-cli-collect-'));
  const fleet = (prefix: string, n: number) => Array.from({ length: n }, (_, k) => ({ id: `i-${prefix}${String(k).padStart(12, '0')}`, type: 'm5.2xlarge' }));
  server = await startAwsWireServer({
    instances: { 'us-east-1': fleet('a', 3), 'eu-west-1': fleet('b', 2) },
    metric: (_id, name, stat) => (name === 'CPUUtilization' ? (stat === 'Maximum' ? 6 : 3) : 15),
    products: {
      'us-east-1': [{ product: { attributes: { instanceType: 'm5.2xlarge' } }, terms: { OnDemand: { 'X.Y': { priceDimensions: { 'X.Y.Z': { unit: 'Hrs', pricePerUnit: { USD: '0.5000000000' } } } } } } }],
    },
  });
  writeFileSync(path.join(dir, 'rightsize.config.json'), JSON.stringify({ dataDir: path.join(dir, 'state'), aws: { enabled: true, regions: ['us-east-1', 'eu-west-1'], endpoints: { ec2: server.url, cloudwatch: server.url, pricing: server.url, spotAdvisor: `${server.url}/spot-advisor-data.json` } } }));
});
afterAll(async () => {
  expect(server.unexpected).toEqual([]);
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

it('collects every scope with progress, refreshes prices, and analyzes at the refreshed price', async () => {
  const env = { AWS_ACCESS_KEY_ID: 'AKIDLOCALTEST', AWS_SECRET_ACCESS_KEY: 'local-secret', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  const collected = await rightsize(['collect'], dir, env);
  expect(collected.code, collected.stderr).toBe(0);
  expect(collected.stderr).toContain('collecting 2 scopes (aws 2)');
  expect(collected.stderr).toMatch(/\[2\/2\] aws\/self\/(us-east-1|eu-west-1): ok/);
  expect(JSON.parse(collected.stdout.trim().split('\n').pop()!)).toMatchObject({ instances: 5 });

  const prices = await rightsize(['prices'], dir, env);
  expect(prices.code, prices.stderr).toBe(0);
  expect(prices.stdout).toContain('aws/us-east-1: ok, 1 types');
  expect(prices.stdout).toContain('aws/eu-west-1: no-data');
  expect(server.calls['spotAdvisorFeed']).toBe(1); // the local feed, never the public one

  const analyzed = await rightsize(['analyze', '--json'], dir, env);
  expect(analyzed.code, analyzed.stderr).toBe(0);
  const out = JSON.parse(analyzed.stdout) as { recommendations: { region: string; monthlyCostNow: { onDemandUsd: number } }[] };
  const usEast = out.recommendations.filter((r) => r.region === 'us-east-1');
  expect(usEast).toHaveLength(3);
  // The refreshed $0.50/h, not the bundled m5.2xlarge price, over the engine's 730 hours a month.
  for (const r of usEast) expect(r.monthlyCostNow.onDemandUsd).toBeCloseTo(0.5 * 730, 6);
});
