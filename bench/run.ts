/**
 * `npm run bench -- <name> [args]`: runs bench/<name>.ts, which prints human-readable figures and
 * returns them; this runner prints them as the last line, one JSON object, for tools to read.
 */
import '../src/node-support.js';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && !['run.ts'].includes(f) && !f.includes('generator') && !f.startsWith('_'))
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();

const [name, ...args] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  process.stderr.write(`usage: npm run bench -- <${available.join('|')}> [args]\n`);
  process.exit(2);
}
const mod = (await import(path.join(here, `${name}.ts`))) as { run: (args: string[]) => Promise<Record<string, unknown>> };
const figures = await mod.run(args);
process.stdout.write(`${JSON.stringify({ bench: name, ...figures })}\n`);
