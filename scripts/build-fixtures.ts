/**
 * Derives the recorded API responses the tests serve (test/fixtures/) from the shared data folder (default
 * ../shared/data; override with RIGHTSIZE_SHARED_DATA or the first argument). Only this script reads that folder:
 * tests read test/fixtures/ alone. Origins and licences: test/fixtures/README.md.
 *   npx tsx scripts/build-fixtures.ts [sharedDataDir]
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = path.resolve(process.argv[2] ?? process.env['RIGHTSIZE_SHARED_DATA'] ?? path.join(root, '../shared/data'));
const out = path.join(root, 'test/fixtures');

/** Copied byte for byte: the tests check our parsing against what the real API sent. */
const COPIES: [from: string, to: string][] = [
  // boto/botocore @ 0e6e2404b85d : tests/unit/response_parsing/xml/responses/ec2-describe-spot-price-history.xml
  ['sdk-fixtures/aws-botocore-ec2/ec2-describe-spot-price-history.xml', 'aws/ec2-describe-spot-price-history.xml'],
];

for (const [from, to] of COPIES) {
  mkdirSync(path.dirname(path.join(out, to)), { recursive: true });
  copyFileSync(path.join(shared, from), path.join(out, to));
  console.log(`wrote test/fixtures/${to}`);
}

// Azure/karpenter-provider-azure @ 352646f59929 : pkg/fake/zz_generated.sku.*.go, already converted to the REST shape
// of GET /providers/Microsoft.Compute/skus by the shared folder; the wrapper's provenance stays with the fixture.
const skus = JSON.parse(readFileSync(path.join(shared, 'pricing/azure/karpenter_azure_resource_skus_sample.json'), 'utf8')) as { _provenance: unknown; value: unknown[] };
writeFileSync(path.join(out, 'azure/resource-skus-southcentralus.json'), `${JSON.stringify(skus, null, 2)}\n`);
console.log('wrote test/fixtures/azure/resource-skus-southcentralus.json');
