/**
 * Copies the billing reference files the tests and the FOCUS reader need from the shared data folder (default
 * ../shared/data; override with the first argument or RIGHTSIZE_SHARED_DATA) into test/fixtures/billing/ and
 * data/focus/, byte for byte, and writes ORIGIN.json beside them with each file's origin, licence and SHA-256.
 * Only this script reads that folder.
 *   npx tsx scripts/build-billing-fixtures.ts [sharedDataDir]
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = path.resolve(process.argv[2] ?? process.env['RIGHTSIZE_SHARED_DATA'] ?? path.join(root, '../shared/data'));
const billing = path.join(shared, 'billing');

const SPEC = 'FinOps-Open-Cost-and-Usage-Spec/FOCUS_Spec tag v1.2 (7296e3146fb931ee32b6496fa6e4200e7f4384f7)';
const SAMPLE = 'FinOps-Open-Cost-and-Usage-Spec/FOCUS-Sample-Data @ adbdd17a132984d6e8583c149c236d2199c3f5bc';
const TOOLKIT = 'microsoft/finops-toolkit @ 04d370f322f6052b02893ba567c3b75195a19f99';
const AZURE_SPECS = 'Azure/azure-rest-api-specs : specification/cost-management/resource-manager/Microsoft.CostManagement/stable/2024-08-01/examples/';

/** [source under billing/, destination under the project root, origin, licence] */
const FILES: [string, string, string, string][] = [
  ['focus-samples/focus-1.0-sample-1000rows.csv', 'test/fixtures/billing/focus-1.0-sample-1000rows.csv', `${SAMPLE} : FOCUS-1.0/focus_sample.csv (anonymised real FOCUS 1.0 rows: AWS, Microsoft, Oracle)`, 'CC-BY-4.0'],
  ['focus-samples/focus-1.0-sample-README.md', 'test/fixtures/billing/focus-1.0-sample-README.md', `${SAMPLE} : FOCUS-1.0/README.md`, 'CC-BY-4.0'],
  ['focus-samples/focus_validator-sample.parquet', 'test/fixtures/billing/focus_validator-sample.parquet', 'finopsfoundation/focus_validator @ 240cea25310e5615cb867e80ad9f7bb09809abb3 : tests/samples/sample.parquet (2 rows, pre-1.0 column names; a Parquet smoke test)', 'MIT'],
  ['focus-columns-1.0.csv', 'data/focus/focus-columns-1.0.csv', `derived from FOCUS_Spec tag v1.0 (f7f58a0a7e545258779839d4f2114819f278c6f3) : specification/columns/*.md`, 'CC-BY-4.0'],
  ['focus-columns-1.2.csv', 'data/focus/focus-columns-1.2.csv', `derived from ${SPEC} : specification/columns/*.md`, 'CC-BY-4.0'],
  ['native/aws/aws-focus-1.2-columns.csv', 'test/fixtures/billing/aws-focus-1.2-columns.csv', 'derived from aws-solutions-library-samples/cloud-intelligence-dashboards-data-collection @ d7945a36c3d9dc166d57752d66edfeb425f44a17 : data-exports/deploy/data-exports-aggregation.yaml (AWS FOCUS 1.2 export columns with Glue types)', 'Apache-2.0'],
  ['native/azure/finops-toolkit-export-schema-focuscost_1.2.json', 'test/fixtures/billing/azure-export-schema-focuscost_1.2.json', `${TOOLKIT} : src/templates/finops-hub/modules/Microsoft.CostManagement/Exports/schemas/focuscost_1.2.json`, 'MIT'],
  ['native/gcp/google-focus-bigquery-view-2024-03-19.sql', 'test/fixtures/billing/google-focus-bigquery-view-2024-03-19.sql', "FairwindsOps/insights-plugins @ d5a7ff9c090a476e91cd525dfb81b80569e91562 : plugins/cloud-costs/gcp-FOCUS-query.sql (Google's FOCUS BigQuery view, March 2024)", 'Apache-2.0'],
  ['api/aws/ce-cost-apis-excerpt.json', 'test/fixtures/billing/aws-ce-cost-apis-excerpt.json', 'excerpt of botocore 1.43.11 botocore/data/ce/2017-10-25/service-2.json (Cost Explorer model)', 'Apache-2.0'],
  ['api/azure/2024-08-01-examples-BillingAccountQuery.json', 'test/fixtures/billing/azure-BillingAccountQuery.json', `${AZURE_SPECS}BillingAccountQuery.json`, 'MIT'],
  ['api/azure/2024-08-01-examples-SubscriptionQueryGrouping.json', 'test/fixtures/billing/azure-SubscriptionQueryGrouping.json', `${AZURE_SPECS}SubscriptionQueryGrouping.json`, 'MIT'],
  ['api/azure/2024-08-01-examples-BillingAccountForecast.json', 'test/fixtures/billing/azure-BillingAccountForecast.json', `${AZURE_SPECS}BillingAccountForecast.json`, 'MIT'],
  ['api/azure/2024-08-01-costmanagement-query-forecast-definitions-excerpt.json', 'test/fixtures/billing/azure-costmanagement-definitions-excerpt.json', 'excerpt of Azure/azure-rest-api-specs : …/Microsoft.CostManagement/stable/2024-08-01/costmanagement.json', 'MIT'],
  ['api/gcp/bigquery-v2-jobs-query-excerpt.json', 'test/fixtures/billing/bigquery-v2-jobs-query-excerpt.json', 'excerpt of the BigQuery v2 discovery document (google-cloud-cli 528.0.0, revision 20250528)', 'Apache-2.0'],
];

const scenarios = readdirSync(path.join(billing, 'focus-spec/v1.2/scenario-data')).filter((f) => f.endsWith('.csv')).sort();
for (const f of scenarios) {
  FILES.push([`focus-spec/v1.2/scenario-data/${f}`, `test/fixtures/billing/focus-scenarios/${f}`, `${SPEC} : specification/data/commitment_discount_{scenarios,flexibility}/${f}`, 'CC-BY-4.0']);
}

const origin: Record<string, { origin: string; licence: string; sha256: string }> = {};
for (const [from, to, what, licence] of FILES) {
  const src = path.join(billing, from);
  const dest = path.join(root, to);
  mkdirSync(path.dirname(dest), { recursive: true });
  copyFileSync(src, dest);
  origin[to] = { origin: what, licence, sha256: createHash('sha256').update(readFileSync(dest)).digest('hex') };
}
for (const dir of ['test/fixtures/billing', 'data/focus']) {
  const mine = Object.fromEntries(Object.entries(origin).filter(([k]) => k.startsWith(`${dir}/`)).map(([k, v]) => [path.relative(dir, k), v]));
  writeFileSync(path.join(root, dir, 'ORIGIN.json'), `${JSON.stringify(mine, null, 2)}\n`);
}
console.log(`copied ${FILES.length} files (${scenarios.length} spec scenarios)`);
