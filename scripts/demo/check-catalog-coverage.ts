/**
 * Checks that every (type, region) the demo can emit has an on-demand price in the bundled catalog.
 *   npx tsx scripts/demo/check-catalog-coverage.ts [catalogDir]
 * Becomes test/demo/catalog-coverage.test.ts once src/catalog/load.ts exists (imported by name at run time so this
 * file compiles before it does).
 */
import { CLOUDS } from '../../src/domain/cloud.js';
import type { Catalog } from '../../src/catalog/catalog.js';
import { demoTypeRegions } from '../../src/demo/layout.js';
import { SHOWCASE } from '../../src/demo/showcase.js';

const spec = '../../src/catalog/load.js';
const { loadCatalog } = (await import(spec)) as { loadCatalog: (dir?: string) => Catalog | Promise<Catalog> };
const catalog = await loadCatalog(process.argv[2]);
const missing: string[] = [];
for (const cloud of CLOUDS) {
  const pairs = [...demoTypeRegions(cloud), ...SHOWCASE.filter((s) => s.cloud === cloud).map((s) => ({ type: s.type, region: s.region }))];
  for (const { type, region } of pairs) {
    if (!catalog.type(cloud, type)) missing.push(`${cloud} ${type}: unknown type`);
    else if (catalog.onDemandHourlyUsd(cloud, region, type) === undefined) missing.push(`${cloud} ${region} ${type}: no on-demand price`);
  }
}
console.log(missing.length === 0 ? 'every demo type has an on-demand price in its regions' : missing.join('\n'));
process.exitCode = missing.length === 0 ? 0 : 1;
