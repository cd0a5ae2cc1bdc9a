import { RightsizeError } from '../../errors.js';
import { importBills } from '../../pipeline/import-bills.js';
import { openSpendLedger } from '../../store/spend/open.js';
import type { Command } from '../context.js';
import { int, paragraph, termText } from '../format.js';

/**
 * `rightsize billing import [<path|s3://…|https://…blob…|gs://…> …] [--json]`: imports FOCUS exports (the ones given,
 * else every configured source: billing.exports, Athena, BigQuery, the cost APIs) into the spend ledger. Exit 1 when
 * a source or period failed (the rest still landed).
 */
export const billingCommand: Command = async (ctx, positionals) => {
  const [sub, ...uris] = positionals;
  if (sub !== 'import') throw new RightsizeError(`billing: expected "billing import [source …]", got ${JSON.stringify(sub ?? '')}`);
  const ledger = await openSpendLedger(ctx.config, ctx.env);
  try {
    const out = await importBills({
      config: ctx.config, ledger, env: ctx.env, nowMs: ctx.nowMs(), ...(uris.length > 0 ? { uris } : {}),
      onProgress: (line) => ctx.progress.note(termText(line)),
    });
    if (ctx.flags.json) {
      ctx.stdout.write(`${JSON.stringify(out)}\n`);
      return out.failed > 0 ? 1 : 0;
    }
    if (out.sources.length === 0) ctx.stdout.write(paragraph('Nothing to import: give a source (rightsize billing import <path|s3://…>) or configure billing.exports / billing.athena / billing.bigquery / billing.costApis.', ctx.width) + '\n');
    for (const s of out.sources) {
      ctx.stdout.write(`${termText(s.source)}: ${s.status}${s.error ? ` — ${termText(s.error)}` : ''}${s.note ? ` (${termText(s.note)})` : ''}\n`);
      for (const p of s.periods) {
        if (p.status === 'failed') {
          ctx.stdout.write(`  ${p.billingPeriod ?? 'period'}: FAILED — ${termText(p.error)} (the ledger keeps its previous import of this period)\n`);
          continue;
        }
        const r = p.record;
        const rejected = r.problems.filter((x) => x.effect === 'rejected').reduce((n, x) => n + x.count, 0);
        ctx.stdout.write(`  ${r.billingPeriod}: ${int(r.rowsAccepted)} row${r.rowsAccepted === 1 ? '' : 's'} → ${int(r.ledgerRows)} ledger line${r.ledgerRows === 1 ? '' : 's'}, ${r.firstDay ?? '—'} … ${r.lastDay ?? '—'}${r.focusVersion ? `, FOCUS ${r.focusVersion}` : ''} (files: ${int(r.rowsRead)} rows read${rejected > 0 ? `, ${int(rejected)} rejected` : ''})\n`);
        for (const x of r.problems) {
          const ex = x.examples[0];
          ctx.stdout.write(`    ${x.effect} ${int(x.count)} × ${x.kind}${ex ? ` (e.g. ${termText(ex.file.split('/').at(-1) ?? ex.file)} row ${ex.row}, ${termText(ex.column)}="${termText(ex.value)}": ${termText(ex.message)})` : ''}\n`);
        }
      }
    }
    if (out.sources.length > 0) ctx.stdout.write(`billing import: ${out.imported} period${out.imported === 1 ? '' : 's'} imported, ${out.failed} failed${out.estimatedApiCostUsd > 0 ? `; cost API calls ≈ $${out.estimatedApiCostUsd.toFixed(2)}` : ''}. See them: rightsize spend\n`);
    return out.failed > 0 ? 1 : 0;
  } finally {
    await ledger.close();
  }
};
