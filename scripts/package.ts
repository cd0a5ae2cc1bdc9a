/**
 * `npm run package`: bundles each function (scripts/bundle.ts), runs `osls package` offline (zips and the
 * CloudFormation template in .serverless/), then checks every zip against the size budget. Exit 1 over budget.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleAll, FUNCTIONS } from './bundle.js';

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
process.exit(over > 0 ? 1 : 0);
