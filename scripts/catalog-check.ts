/**
 * The catalog audit: checks every bundled type's shape and every on-demand Linux price against the second sources in
 * data/catalog/second-sources.json (see src/catalog/audit.ts), prints each disagreement beyond the tolerance with
 * both values and the source, and ends with one JSON line. Exits 1 when a disagreement is not explained by
 * data/catalog/audit-exceptions.json. Reads only data/.
 *   npm run catalog:check [-- --all]   (--all also prints the explained disagreements)
 */
import { auditCatalog } from '../src/catalog/audit.js';
import { loadAuditData, loadCatalog } from '../src/catalog/load.js';

const showAll = process.argv.includes('--all');
const catalog = loadCatalog();
const { second, exceptions } = loadAuditData();
const result = auditCatalog(catalog, second, exceptions);
for (const d of result.disagreements) {
  if (d.explained && !showAll) continue;
  const where = d.region ? ` ${d.region}` : '';
  const source = second.sources[d.source]?.source ?? d.source;
  console.log(`${d.explained ? 'explained' : 'DISAGREES'} ${d.check} ${d.cloud}${where} ${d.type} ${d.field}: catalog ${d.catalogValue}, ${d.source} ${d.otherValue} (${source})${d.explained ? ` — ${d.explained}` : ''}`);
}
console.log(JSON.stringify(result.summary));
if (result.summary.unexplained > 0) process.exitCode = 1;
