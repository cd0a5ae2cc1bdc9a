import { querySpend, rowsForQuery } from '../../billing/query.js';
import { RightsizeError } from '../../errors.js';
import { isCalendarDay, parseGroupBy } from '../../api/routes/spend.js';
import { openSpendLedger } from '../../store/spend/open.js';
import { CLOUDS, type Cloud } from '../../domain/cloud.js';
import type { Command } from '../context.js';
import { paragraph, table, termText, usd, type Column } from '../format.js';


/**
 * `rightsize spend [--from DAY] [--to DAY] [--by day,cloud] [--basis amortized|billed] [--cloud C] [--account A]
 * [--service S] [--tag k=v] [--json]`: actual spend from the imported bill, grouped.
 */
export const spendCommand: Command = async (ctx) => {
  const f = ctx.flags.spend ?? {};
  const today = new Date(ctx.nowMs()).toISOString().slice(0, 10);
  const from = f.from ?? `${today.slice(0, 8)}01`;
  const to = f.to ?? today;
  for (const [name, day] of [['--from', from], ['--to', to]] as const) {
    if (!isCalendarDay(day)) throw new RightsizeError(`${name}: expected a day YYYY-MM-DD, got ${JSON.stringify(day)}`);
  }
  if (from > to) throw new RightsizeError(`--from ${from} is after --to ${to}`);
  const basis = f.basis ?? 'amortized';
  if (basis !== 'amortized' && basis !== 'billed') throw new RightsizeError(`--basis: amortized or billed, got ${JSON.stringify(basis)}`);
  const by = parseGroupBy(f.by ?? 'day');
  if (!by.ok) throw new RightsizeError(`--by: ${by.message}`);
  if (f.cloud !== undefined && !(CLOUDS as readonly string[]).includes(f.cloud)) throw new RightsizeError(`--cloud: one of ${CLOUDS.join(', ')}, got ${JSON.stringify(f.cloud)}`);
  let tags: Record<string, string> | undefined;
  if (f.tag !== undefined) {
    const [k, ...v] = f.tag.split('=');
    if (!k || v.length === 0) throw new RightsizeError(`--tag: expected key=value, got ${JSON.stringify(f.tag)}`);
    tags = { [k]: v.join('=') };
  }
  const ledger = await openSpendLedger(ctx.config, ctx.env);
  try {
    const filter = {
      ...(f.cloud ? { cloud: f.cloud as Cloud } : {}), ...(f.provider ? { provider: f.provider } : {}), ...(f.account ? { account: f.account } : {}),
      ...(f.service ? { service: f.service } : {}), ...(f.region ? { region: f.region } : {}), ...(tags ? { tags } : {}),
    };
    const query = { fromDay: from, toDay: to, basis, groupBy: by.dims, filter } as const;
    const [rows, imports] = await Promise.all([rowsForQuery(ledger, query), ledger.listImports()]);
    const result = querySpend(rows, imports, query);
    if (ctx.flags.json) {
      ctx.stdout.write(`${JSON.stringify({ from, to, basis, groupBy: by.dims, ...result })}\n`);
      return 0;
    }
    if (imports.length === 0) {
      ctx.stdout.write(paragraph('No bill imported yet. Import a FOCUS export with `rightsize billing import <path|s3://…|https://…blob…|gs://…>`, or configure billing.exports / billing.costApis (README, "From your bill").', ctx.width) + '\n');
      return 0;
    }
    const columns: Column[] = [...by.dims.map((d) => ({ header: termText(d), wrap: 'first' as const })), { header: `${basis} (USD)`, align: 'right' }, { header: 'list (USD)', align: 'right' }];
    const rowsOut = result.groups.map((g) => [...by.dims.map((d) => termText(g.key[d] ?? '') || '—'), usd(g.costUsd, 2), usd(g.listCostUsd, 2)]);
    ctx.stdout.write(`${paragraph(`Spend ${from} … ${to} (${basis}${basis === 'amortized' ? ', FOCUS EffectiveCost' : ', FOCUS BilledCost'}), by ${by.dims.map(termText).join(', ')}: ${usd(result.totalUsd, 2)}${result.dataThroughDay ? `; the bill has rows through ${result.dataThroughDay}` : ''}`, ctx.width)}\n`);
    if (rowsOut.length > 0) ctx.stdout.write(`${table(columns, rowsOut, { width: ctx.width })}\n`);
    else ctx.stdout.write('No spend in this range and filter.\n');
    ctx.stdout.write(`${paragraph(`From: ${result.datasetsUsed.map(termText).join(', ') || 'no import'}`, ctx.width)}\n`);
    for (const s of result.datasetsShadowed) ctx.stdout.write(`${paragraph(`Not counted: ${termText(s.datasetId)} (${termText(s.reason)})`, ctx.width)}\n`);
    return 0;
  } finally {
    await ledger.close();
  }
};
