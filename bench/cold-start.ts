/**
 * `npm run bench -- cold-start [--runs N]`: packages every function (`npm run package`: esbuild + osls), then for
 * each one starts fresh Node processes that import its bundle from the packaged layout (as Lambda's INIT does) and
 * serve a first, trivial invocation (API: GET /healthz; queue consumers: an empty batch; scheduled ones: a run on
 * an empty store served by local dynalite and s3rver), so lazily built config, catalog and store count too.
 * Prints zipped size, import time and import + first invocation (median of the runs).
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FUNCTIONS } from '../scripts/bundle.js';
import { FIRST_EVENTS, localLambdaEnv } from '../scripts/lambda-events.js';
import { startAwsStoreServers } from '../test/helpers/aws-store-servers.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// Runs in the child: the timings Lambda would see for INIT (import) and the first invocation.
const CHILD = `
const t0 = performance.now();
const mod = await import(process.env.BUNDLE);
const imported = performance.now();
let error = '';
try { await mod.handler(JSON.parse(process.env.EVENT), {}); } catch (e) { error = String(e && e.message || e).slice(0, 120); }
const invoked = performance.now();
process.stdout.write(JSON.stringify({ importMs: imported - t0, firstInvokeMs: invoked - t0, error }));
process.exit(0);
`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

export async function run(args: string[]): Promise<Record<string, number | string>> {
  const runs = args.includes('--runs') ? Number(args[args.indexOf('--runs') + 1]) : 5;
  const pkg = spawnSync('npm', ['run', 'package'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (pkg.status !== 0) throw new Error('npm run package failed');
  const servers = await startAwsStoreServers();
  await servers.createTable('rightsize-bench');
  await servers.createBucket('rightsize-bench');
  // The packaged config with collection turned off: a first invocation must not reach any cloud.
  const configDir = mkdtempSync(path.join(tmpdir(), 'rightsize-cold-'));
  const configFile = path.join(configDir, 'rightsize.config.json');
  writeFileSync(configFile, JSON.stringify({ retentionDays: 90 }));
  const figures: Record<string, number | string> = {};
  console.log('function        zipped   import   import+first call');
  try {
    for (const name of Object.keys(FUNCTIONS)) {
      const zipBytes = statSync(path.join(ROOT, '.serverless', `${name}.zip`)).size;
      const samples: { importMs: number; firstInvokeMs: number; error: string }[] = [];
      for (let i = 0; i < runs; i++) {
        // Async: the local DynamoDB and S3 run in this process and must keep answering while the child runs.
        const child = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', CHILD], {
          cwd: ROOT, // the packaged layout: .build/<fn>/index.mjs, data/catalog, infra/rightsize.config.yaml
          encoding: 'utf8',
          timeout: 60_000,
          env: localLambdaEnv({ root: ROOT, bundle: path.join(ROOT, '.build', name, 'index.mjs'), event: FIRST_EVENTS[name], configFile, dynamodbEndpoint: servers.dynamodbEndpoint, s3Endpoint: servers.s3Endpoint, table: 'rightsize-bench' }),
        });
        const line = child.stdout.trim().split('\n').pop() ?? '';
        try {
          samples.push(JSON.parse(line) as { importMs: number; firstInvokeMs: number; error: string });
        } catch {
          throw new Error(`${name}: child printed no timings: ${child.stderr.slice(0, 400)}`);
        }
      }
      const importMs = Math.round(median(samples.map((s) => s.importMs)));
      const firstMs = Math.round(median(samples.map((s) => s.firstInvokeMs)));
      const error = samples.find((s) => s.error)?.error;
      console.log(`${name.padEnd(14)} ${(zipBytes / 1024).toFixed(0).padStart(5)} KiB ${String(importMs).padStart(5)} ms ${String(firstMs).padStart(8)} ms${error ? `  (first call: ${error})` : ''}`);
      figures[`${name}ZipKiB`] = Math.round(zipBytes / 1024);
      figures[`${name}ImportMs`] = importMs;
      figures[`${name}FirstCallMs`] = firstMs;
    }
  } finally {
    await servers.stop();
    rmSync(configDir, { recursive: true, force: true });
  }
  return figures;
}
