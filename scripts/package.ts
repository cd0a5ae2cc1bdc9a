/**
 * `npm run package`: bundles each function (scripts/bundle.ts), runs `osls package` offline (zips and the
 * CloudFormation template in .serverless/), then checks every zip against the size budget. Exit 1 over budget.
 */
import '../src/node-support.js';
import { execFile, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleAll, FUNCTIONS } from './bundle.js';
import { FIRST_EVENTS, localLambdaEnv } from './lambda-events.js';

/** execFile as a promise that never rejects: the exit status is the caller's to judge. */
function run(file: string, args: string[], options: { cwd: string; encoding: 'utf8'; timeout: number; env: Record<string, string | undefined> }): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, options, (err, stdout, stderr) => resolve({ status: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
  });
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Zipped size budget per function (issue #7); the GCP collector carries google-gax and is budgeted apart. */
export const ZIP_BUDGET_BYTES: Record<string, number> = Object.fromEntries(Object.keys(FUNCTIONS).map((name) => [name, name === 'collectGcp' ? 3 * 1024 * 1024 : 1.5 * 1024 * 1024]));

await bundleAll();
const osls = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'osls'), ['package', '--stage', process.env['STAGE'] ?? 'prod', '--region', process.env['AWS_REGION'] ?? 'us-east-1'], {
  cwd: ROOT,
  stdio: 'inherit',
  // Packaging needs no account: placeholder credentials keep the framework from looking for a profile.
  env: { ...process.env, AWS_ACCESS_KEY_ID: process.env['AWS_ACCESS_KEY_ID'] ?? 'AKIAPACKAGEONLY', AWS_SECRET_ACCESS_KEY: process.env['AWS_SECRET_ACCESS_KEY'] ?? 'package-only', SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' },
});
if (osls.status !== 0) {
  console.error(`osls package failed (exit ${osls.status})`);
  process.exit(1);
}
const dir = path.join(ROOT, '.serverless');
let over = 0;
console.log('\nfunction        zipped     budget');
for (const name of Object.keys(FUNCTIONS)) {
  const zip = readdirSync(dir).find((f) => f === `${name}.zip`);
  if (!zip) {
    console.error(`${name}: no ${name}.zip in .serverless/`);
    over++;
    continue;
  }
  const bytes = statSync(path.join(dir, zip)).size;
  const budget = ZIP_BUDGET_BYTES[name] as number;
  const ok = bytes <= budget;
  if (!ok) over++;
  console.log(`${name.padEnd(14)} ${(bytes / 1024).toFixed(0).padStart(6)} KiB ${(budget / 1024).toFixed(0).padStart(6)} KiB ${ok ? 'ok' : 'OVER BUDGET'}`);
}

// Smoke: each bundle must load and build its handler outside the source tree's module resolution (a bundling
// mistake, such as a CommonJS export lost in a chunk, shows up here, not in the cloud). Network-free events only.
const smokeScript = `
const mod = await import(process.env.BUNDLE);
if (typeof mod.handler !== 'function') throw new Error('no handler export');
const out = await mod.handler(JSON.parse(process.env.EVENT), {});
process.stdout.write(JSON.stringify(out).slice(0, 200));
`;
console.log('\nsmoke (import + first call against a local DynamoDB and S3; nothing leaves 127.0.0.1)');
const { startAwsStoreServers } = await import('../test/helpers/aws-store-servers.js');
const servers = await startAwsStoreServers();
await servers.createTable('rightsize-smoke');
await servers.createBucket('rightsize-smoke');
for (const name of Object.keys(FUNCTIONS)) {
  const event = FIRST_EVENTS[name];
  // Async: the local DynamoDB and S3 live in this process and must answer while the child runs.
  const child = await run(process.execPath, ['--input-type=module', '-e', event ? smokeScript : "const m = await import(process.env.BUNDLE); if (typeof m.handler !== 'function') throw new Error('no handler export');"], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: localLambdaEnv({ root: ROOT, bundle: path.join(ROOT, '.build', name, 'index.mjs'), event, configFile: 'infra/rightsize.config.yaml', dynamodbEndpoint: servers.dynamodbEndpoint, s3Endpoint: servers.s3Endpoint, table: 'rightsize-smoke' }),
  });
  const ok = child.status === 0;
  if (!ok) over++;
  console.log(`${name.padEnd(14)} ${ok ? 'ok' : 'FAILED'} ${ok ? child.stdout.trim() : child.stderr.trim().split('\n').slice(-3).join(' | ')}`);
}
await servers.stop();
process.exit(over > 0 ? 1 : 0);
