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
import { startAwsStoreServers } from '../test/helpers/aws-store-servers.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const FIRST_EVENT: Record<string, unknown> = {
  api: { version: '2.0', routeKey: '$default', rawPath: '/healthz', rawQueryString: '', headers: { host: 'bench' }, requestContext: { http: { method: 'GET', path: '/healthz', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' }, requestId: 'b', routeKey: '$default', stage: '$default', domainName: 'bench', timeEpoch: 0 }, isBase64Encoded: false },
  collectAws: { Records: [] },
  collectGcp: { Records: [] },
  collectAzure: { Records: [] },
  analyze: { Records: [] },
};

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
          env: {
            PATH: process.env['PATH'],
            BUNDLE: path.join(ROOT, '.build', name, 'index.mjs'),
            EVENT: JSON.stringify(FIRST_EVENT[name] ?? { source: 'aws.events' }),
            AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
            RIGHTSIZE_CONFIG: configFile,
            RIGHTSIZE_CATALOG_DIR: path.join(ROOT, 'data'),
            RIGHTSIZE_STORE: 'dynamodb',
            RIGHTSIZE_TABLE: 'rightsize-bench',
            RIGHTSIZE_BUCKET: 'rightsize-bench',
            RIGHTSIZE_API_TOKENS: 'bench-token',
            AWS_REGION: 'us-east-1',
            AWS_ACCESS_KEY_ID: 'S3RVER',
            AWS_SECRET_ACCESS_KEY: 'S3RVER',
            AWS_ENDPOINT_URL_DYNAMODB: servers.dynamodbEndpoint,
            AWS_ENDPOINT_URL_S3: servers.s3Endpoint,
            AWS_EC2_METADATA_DISABLED: 'true',
          },
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
