import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { startAwsWireServer } from '../helpers/aws-wire-server.js';
import { startBlackhole } from '../helpers/blackhole.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let dir: string;
let aws: Awaited<ReturnType<typeof startAwsWireServer>>;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'rightsize-collect-'));
  const now = Date.now();
  aws = await startAwsWireServer({
    instances: {
      'us-east-1': Array.from({ length: 30 }, (_, k) => ({ id: `i-0${String(k).padStart(16, '0')}`, type: 'm5.2xlarge', tags: { Name: `api-${k}` } })),
      'eu-west-1': [{ id: 'i-0eu', type: 'm5.large' }],
    },
    failingRegions: ['eu-west-1'],
    // 10 % CPU, 20 % memory every hour of the window: every m5.2xlarge is oversized.
    metric: (_id, name, stat, t) => (t > now ? undefined : name === 'CPUUtilization' ? (stat === 'Maximum' ? 10 : 6) : 20),
  });
  writeFileSync(path.join(dir, 'rightsize.config.json'), JSON.stringify({ dataDir: path.join(dir, 'state'), aws: { enabled: true, regions: ['us-east-1', 'eu-west-1'], endpoints: { ec2: aws.url, cloudwatch: aws.url } } }));
});
afterAll(async () => {
  expect(aws.unexpected).toEqual([]);
  await aws.close();
  rmSync(dir, { recursive: true, force: true });
});

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', pathToFileURL(path.join(root, 'node_modules/tsx/dist/loader.mjs')).href, path.join(root, 'src/cli/main.ts'), ...args], {
      cwd: dir,
      env: { PATH: process.env['PATH'] ?? '', HOME: dir, AWS_ACCESS_KEY_ID: 'AKIDLOCALTEST', AWS_SECRET_ACCESS_KEY: 'local-secret', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', AWS_EC2_METADATA_DISABLED: 'true' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

it('rightsize collect writes one snapshot with a status per region, and analyze finds the oversized fleet', async () => {
  const collected = await run(['collect']);
  expect(collected.code, collected.stderr).toBe(0);
  expect(collected.stderr).toContain('aws/self/us-east-1: ok (30 instances)');
  expect(collected.stderr).toMatch(/aws\/self\/eu-west-1: error/);
  expect(collected.stderr).not.toContain('local-secret');
  const store = openSqliteStore({ dataDir: path.join(dir, 'state') });
  const meta = await store.latestSnapshot();
  expect(meta?.source).toBe('collect');
  expect(meta?.scopes.map((s) => `${s.region}:${s.status}`)).toEqual(['eu-west-1:error', 'us-east-1:ok']);
  expect(await store.instances(meta?.id as string)).toHaveLength(30);
  await store.close();

  const analyzed = await run(['analyze', '--json']);
  expect(analyzed.code, analyzed.stderr).toBe(0);
  const result = JSON.parse(analyzed.stdout) as { recommendations: { kind: string; currentType: string; recommendedType: string }[] };
  expect(result.recommendations).toHaveLength(30);
  expect(result.recommendations.every((r) => r.kind === 'downsize' && r.currentType === 'm5.2xlarge')).toBe(true);
});

it('a collect where every scope times out exits 1, is stored as a failed run, and analyze keeps the last good snapshot', async () => {
  const store0 = openSqliteStore({ dataDir: path.join(dir, 'state') });
  const good = (await store0.latestSnapshot())?.id;
  await store0.close();
  expect(good).toBeDefined();
  const hole = await startBlackhole();
  const configFile = path.join(dir, 'rightsize.config.json');
  const before = (await import('node:fs')).readFileSync(configFile, 'utf8');
  try {
    writeFileSync(configFile, JSON.stringify({ dataDir: path.join(dir, 'state'), aws: { enabled: true, regions: ['us-east-1', 'eu-west-1'], endpoints: { ec2: hole.url, cloudwatch: hole.url } }, timeouts: { requestMs: 1000, scopeMs: 3000, heartbeatMs: 1000 } }));
    // (The bound on the wait itself is pinned in-process by timeouts.test.ts; here, the statuses and exit code.)
    const collected = await run(['collect']);
    expect(collected.code, collected.stderr).toBe(1);
    expect(collected.stderr).toMatch(/aws\/self\/us-east-1: timeout \(0 instances\) — aws\/self\/us-east-1: no answer within 3 s \(timeouts\.scopeMs\) while waiting on ec2:DescribeInstances/);
    expect(collected.stderr).toMatch(/… still waiting on 2 scopes \(aws\/self\/(us-east-1|eu-west-1) \d+ s/);
    expect(collected.stderr).toMatch(/✗ Collected — 0 instances, 0 series, failed: 0\/2 scopes ok; 2 timeout/);
    expect(collected.stderr).toMatch(/✗ Stored — failed run collect-.* \(every scope failed: the latest snapshot is unchanged\)/);
    expect(JSON.parse(collected.stdout.trim())).toMatchObject({ storedAs: 'failed-run', instances: 0 });

    const store = openSqliteStore({ dataDir: path.join(dir, 'state') });
    expect((await store.latestSnapshot())?.id).toBe(good);
    await store.close();
    const analyzed = await run(['analyze', '--json']);
    expect(analyzed.code, analyzed.stderr).toBe(0);
    expect(analyzed.stderr).toContain(`the last collection (collect-`);
    expect(analyzed.stderr).toContain(`analyzing the last good snapshot, ${good}`);
    expect((JSON.parse(analyzed.stdout) as { snapshot: { id: string } }).snapshot.id).toBe(good);
  } finally {
    writeFileSync(configFile, before);
    await hole.close();
  }
});
