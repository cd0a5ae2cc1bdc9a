import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startAwsWireServer } from '../helpers/aws-wire-server.js';
import { startAzureWireServer } from '../helpers/azure-wire-server.js';
import { closedPort } from '../helpers/blackhole.js';

/**
 * The first report: with GCP enabled and no Application Default Credentials, `prices` crashed with a
 * google-auth-library stack and threw away AWS's and Azure's results. Each cloud fails alone: GCP is `auth-failed`
 * with its hint, AWS and Azure are printed and stored, and the run exits 0 (partial, and says so).
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const main = path.join(root, 'src/cli/main.ts');
const SUB = '6b1c2d3e-4f50-4a61-8b72-9c8d7e6f5a40';

function rightsize(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  // Nothing a credential chain could find: no GCP ADC, no metadata server probe, no Azure CLI; AWS keys for the wire server.
  const env = { PATH: '/nonexistent', HOME: cwd, AWS_ACCESS_KEY_ID: 'AKIDLOCALTEST', AWS_SECRET_ACCESS_KEY: 'local-secret', AWS_EC2_METADATA_DISABLED: 'true', METADATA_SERVER_DETECTION: 'none', CLOUDSDK_CONFIG: path.join(cwd, 'gcloud') };
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', pathToFileURL(path.join(root, 'node_modules/tsx/dist/loader.mjs')).href, main, ...args], { cwd, encoding: 'utf8', timeout: 120_000, env }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

let dir: string;
let aws: Awaited<ReturnType<typeof startAwsWireServer>>;
let azure: Awaited<ReturnType<typeof startAzureWireServer>>;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'rightsize-isolation-'));
  aws = await startAwsWireServer({
    instances: { 'us-east-1': [{ id: 'i-0000000000000001', type: 'm5.2xlarge' }] },
    metric: (_id, name, stat) => (name === 'CPUUtilization' ? (stat === 'Maximum' ? 6 : 3) : 15),
    products: { 'us-east-1': [{ product: { attributes: { instanceType: 'm5.2xlarge' } }, terms: { OnDemand: { 'X.Y': { priceDimensions: { 'X.Y.Z': { unit: 'Hrs', pricePerUnit: { USD: '0.5000000000' } } } } } } }] },
  });
  const vm = { id: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-1`, name: 'vm-1', type: 'Microsoft.Compute/virtualMachines', location: 'eastus', tags: {}, properties: { hardwareProfile: { vmSize: 'Standard_D4s_v5' }, priority: 'Regular', timeCreated: '2026-01-01T00:00:00Z', storageProfile: { osDisk: { osType: 'Linux' } }, instanceView: { statuses: [{ code: 'PowerState/running' }] } } };
  azure = await startAzureWireServer({
    vms: { [SUB]: [vm] },
    metric: (_id, name) => (name === 'Percentage CPU' ? { maximum: 20, average: 10 } : { minimum: 8 * 2 ** 30, average: 10 * 2 ** 30 }),
    retailPrices: { eastus: [{ armSkuName: 'Standard_D4s_v5', armRegionName: 'eastus', retailPrice: 0.192, unitOfMeasure: '1 Hour', type: 'Consumption', skuName: 'D4s v5', productName: 'Virtual Machines Dsv5 Series', serviceName: 'Virtual Machines' }] },
  });
  const gcpDown = `http://127.0.0.1:${await closedPort()}`;
  writeFileSync(
    path.join(dir, 'rightsize.config.json'),
    JSON.stringify({
      dataDir: path.join(dir, 'state'),
      aws: { enabled: true, regions: ['us-east-1'], endpoints: { ec2: aws.url, cloudwatch: aws.url, pricing: aws.url, spotAdvisor: `${aws.url}/spot-advisor-data.json` } },
      azure: { enabled: true, subscriptions: [SUB], regions: ['eastus'], endpoints: { arm: azure.url, retailPrices: azure.url } },
      gcp: { enabled: true, projects: ['p1'], regions: ['us-central1'], endpoints: { compute: gcpDown, monitoring: gcpDown, billing: gcpDown } },
    }),
  );
});
afterAll(async () => {
  expect(aws.unexpected).toEqual([]);
  expect(azure.unexpected).toEqual([]);
  await aws.close();
  await azure.close();
  rmSync(dir, { recursive: true, force: true });
});

it('prices: GCP without credentials is auth-failed with its hint; AWS and Azure are refreshed and printed', async () => {
  const out = await rightsize(['prices'], dir);
  expect(out.stderr).not.toMatch(/\n\s+at /);
  expect(out.code, out.stderr).toBe(0);
  expect(out.stdout).toContain('aws/us-east-1: ok, 1 types');
  expect(out.stdout).toContain('azure/eastus: ok, 1 types');
  expect(out.stdout).toMatch(/gcp\/us-central1: auth-failed, 0 types — credentials: no GCP credentials: .*gcloud auth application-default login/);
  expect(out.stderr).toMatch(/! Refreshed prices — partial: 3\/4 regions ok; 1 auth-failed/);
});

it('collect: GCP without credentials fails alone; AWS and Azure are collected and stored', async () => {
  const out = await rightsize(['collect'], dir);
  expect(out.stderr).not.toMatch(/\n\s+at /);
  expect(out.code, out.stderr).toBe(0);
  expect(out.stderr).toContain('aws/self/us-east-1: ok (1 instances)');
  expect(out.stderr).toContain(`azure/${SUB}/eastus: ok (1 instances)`);
  expect(out.stderr).toMatch(/gcp\/p1\/\*: auth-failed \(0 instances\) — credentials: no GCP credentials/);
  expect(out.stderr).toMatch(/! Collected — 2 instances, \d+ series, partial: 2\/3 scopes ok; 1 auth-failed/);
  const result = JSON.parse(out.stdout.trim().split('\n').pop() ?? '{}') as { storedAs: string; instances: number };
  expect(result).toMatchObject({ storedAs: 'snapshot', instances: 2 });
});
