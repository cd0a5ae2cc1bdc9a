/**
 * Bundles each Lambda function with esbuild into .build/<function>/index.mjs: ESM, node20, arm64-agnostic,
 * minified, with only what the entry imports (each collect function carries one cloud's SDK, the API none).
 * The embedded SQLite store is replaced by a stub: Lambda uses DynamoDB, and its native module cannot ship in a zip
 * built on another platform.
 * Usage: tsx scripts/bundle.ts [--metafile]
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** serverless.yml function name → entry under functions/. */
export const FUNCTIONS = {
  api: 'api.ts',
  planCollection: 'plan-collection.ts',
  collectAws: 'collect-aws.ts',
  collectGcp: 'collect-gcp.ts',
  collectAzure: 'collect-azure.ts',
  analyze: 'analyze.ts',
  alerts: 'alerts.ts',
  weeklyReport: 'weekly-report.ts',
  refreshPrices: 'refresh-prices.ts',
  importBill: 'import-bill.ts',
} as const;

const noSqlite: Plugin = {
  name: 'no-sqlite',
  setup(b) {
    // The embedded store and its spend ledger (better-sqlite3, a native module) never run on Lambda.
    b.onResolve({ filter: /sqlite-(store|spend-ledger)\.js$/ }, (args) => ({ path: args.path, namespace: 'no-sqlite' }));
    b.onLoad({ filter: /.*/, namespace: 'no-sqlite' }, () => ({
      contents: [
        "const unavailable = () => { throw new Error('store.kind sqlite is not available on Lambda: use dynamodb'); };",
        'export const openSqliteStore = unavailable, openSqliteSpendLedger = unavailable, migrate = unavailable;',
      ].join('\n'),
      loader: 'js',
    }));
  },
};

// CommonJS dependencies (google-gax, the Azure SDK) expect require, __filename and __dirname inside an ESM bundle.
const banner = [
  "import { createRequire as __rsCreateRequire } from 'node:module';",
  "import { fileURLToPath as __rsFileURLToPath } from 'node:url';",
  "import { dirname as __rsDirname } from 'node:path';",
  'const require = __rsCreateRequire(import.meta.url);',
  'const __filename = __rsFileURLToPath(import.meta.url);',
  'const __dirname = __rsDirname(__filename);',
].join('\n');

export async function bundleAll(options: { outDir?: string; metafile?: boolean } = {}): Promise<Record<string, { bytes: number; file: string }>> {
  const outDir = options.outDir ?? path.join(ROOT, '.build');
  rmSync(outDir, { recursive: true, force: true });
  const out: Record<string, { bytes: number; file: string }> = {};
  for (const [name, entry] of Object.entries(FUNCTIONS)) {
    const dir = path.join(outDir, name);
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'index.mjs');
    const result = await build({
      entryPoints: [path.join(ROOT, 'functions', entry)],
      outdir: dir,
      entryNames: 'index',
      chunkNames: 'chunks/[name]-[hash]',
      outExtension: { '.js': '.mjs' },
      // Modules imported dynamically (one cloud's SDK, SSM for secrets, the YAML parser) become chunks that are
      // compiled only when a code path needs them, not on every cold start.
      splitting: true,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      minify: true,
      legalComments: 'none',
      mainFields: ['module', 'main'],
      banner: { js: banner },
      plugins: [noSqlite],
      metafile: true,
      logLevel: 'warning',
    });
    if (options.metafile) writeFileSync(path.join(dir, 'meta.json'), JSON.stringify(result.metafile));
    const bytes = Object.values(result.metafile.outputs).reduce((a, o) => a + o.bytes, 0);
    out[name] = { bytes, file };
  }
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const sizes = await bundleAll({ metafile: process.argv.includes('--metafile') });
  for (const [name, { bytes }] of Object.entries(sizes)) console.log(`${name.padEnd(14)} ${(bytes / 1024).toFixed(0).padStart(6)} KiB`);
}
