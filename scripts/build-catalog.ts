/**
 * Regenerates data/catalog/{aws,gcp,azure}-{types,prices}.json and aws-spot-advisor.json from the public files in
 * the shared data folder (default ../shared/data; override with RIGHTSIZE_SHARED_DATA or the first argument).
 * gpu-models.json and regions.json are hand-curated and only checked here. Output is deterministic.
 *   npx tsx scripts/build-catalog.ts [sharedDataDir]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AWS_REGIONS, buildAwsPrices, buildAwsTypes, buildSpotAdvisor } from './catalog/aws.js';
import { buildAzureCatalog } from './catalog/azure.js';
import { buildGcpCatalog } from './catalog/gcp.js';
import { buildSecondSources } from './catalog/second-sources.js';
import type { PricesFile, TypeRecord } from './catalog/types.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = path.resolve(process.argv[2] ?? process.env['RIGHTSIZE_SHARED_DATA'] ?? path.join(root, '../shared/data'));
const outDir = path.join(root, 'data/catalog');

function write(name: string, value: unknown): void {
  const file = path.join(outDir, name);
  writeFileSync(file, `${JSON.stringify(value)}\n`);
  console.log(`wrote ${path.relative(root, file)} (${(readFileSync(file).length / 1024).toFixed(0)} KiB)`);
}

const typesFile = (cloud: string, types: TypeRecord[], provenance: string) => ({ _provenance: provenance, cloud, types });

const awsTypes = buildAwsTypes(shared);
const awsPrices: PricesFile = buildAwsPrices(shared, new Set(awsTypes.map((t) => t.name)));
const gcp = buildGcpCatalog(shared);
const azure = buildAzureCatalog(shared);

// Every GPU type must name a model in the hand-curated table.
const gpuModels = new Set((JSON.parse(readFileSync(path.join(outDir, 'gpu-models.json'), 'utf8')) as { models: { id: string }[] }).models.map((m) => m.id));
for (const t of [...awsTypes, ...gcp.types, ...azure.types]) {
  if (t.gpu && !gpuModels.has(t.gpu.model)) throw new Error(`${t.cloud} ${t.name}: GPU model ${t.gpu.model} missing from gpu-models.json`);
}

write('aws-types.json', typesFile('aws', awsTypes, 'getmoto/moto@0af643a5dbfc:moto/ec2/resources/instance_types.json (DescribeInstanceTypes shapes, Apache-2.0); GPU details for p2/p3/g3 from vantage-sh/ec2instances.info@a19cd859f059 opszero-app/instances.json (MIT); cpuPerfRel = coremark per vCPU / m5.large\'s, from vantage-sh/ec2instances.info@4ef36cd2c986 scraper/aws/ec2/extras/manually_fetched_data.json (MIT)'));
write('aws-prices.json', { _provenance: `Linux, shared tenancy, USD/h. Regions: ${AWS_REGIONS.join(', ')}`, ...awsPrices });
write('aws-spot-advisor.json', buildSpotAdvisor(shared));
write('gcp-types.json', typesFile('gcp', gcp.types, 'Cyclenerd/google-cloud-pricing-cost-calculator@dac31281f2a4:tools/machinetypes.csv and @fd66b26ff84f:pricing.yml (Apache-2.0); N1 + GPU combinations synthesized from kubernetes/autoscaler@55c37cd5eb55 gce_price_info.go GPU list prices (Apache-2.0)'));
write('gcp-prices.json', { _provenance: 'USD/h; CUD = month_1y|month_3y / 730. N1+GPU rows add the cluster-autoscaler GPU list price (not regional) to the VM price', ...gcp.prices });
write('azure-types.json', typesFile('azure', azure.types, 'kubernetes/autoscaler@55c37cd5eb55:cluster-autoscaler/cloudprovider/azure/azure_instance_types.go (Resource SKUs, Apache-2.0); GPU model per size series from Microsoft\'s published series specifications'));
write('azure-prices.json', { _provenance: 'Linux consumption, USD/h. The source has no spot or reservation prices. Windows meters found under Linux keys are replaced by the series\' Linux rate: see azure-price-corrections.json', ...azure.prices });
write('azure-price-corrections.json', { _provenance: 'Sizes whose Karpenter Retail Prices entry is a Windows meter (price per vCPU = the series\' Linux rate + the Windows licence), and the Linux price used instead. Written by scripts/catalog/azure.ts', corrections: azure.corrections });
write('second-sources.json', buildSecondSources(shared));
console.log(`types: aws ${awsTypes.length}, gcp ${gcp.types.length}, azure ${azure.types.length}; azure price corrections: ${azure.corrections.length}`);
