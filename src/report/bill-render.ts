import { barChart } from './charts.js';
import { html as esc } from './escape/html.js';
import { mdText } from './escape/markdown.js';
import { signedPct, usd } from './format.js';
import { NO_IMPORT, type BillSection } from './bill-section.js';

const pctText = (x: number | null) => (x === null ? 'n/a' : `${x.toFixed(1)}%`);

/** One-paragraph statement of the bill against the model, the same words in every format. */
export function billSummary(b: BillSection): string {
  const gap = b.actualUsd > 0 ? ((b.modeledUsd - b.actualUsd) / b.actualUsd) * 100 : null;
  const rec = b.reconciliation;
  return `Actual spend ${b.fromDay} … ${b.toDay} (amortized, from the bill): ${usd(b.actualUsd)} (billed ${usd(b.billedUsd)}), ${signedPct(b.changePct)} vs ${usd(b.previousUsd)} the same number of days before. The model said ${usd(b.modeledUsd)}${gap === null ? '' : ` (${gap >= 0 ? '+' : ''}${gap.toFixed(1)}% against the bill)`}. The instances Rightsize sees explain ${usd(rec.explainedByInstancesUsd)} of ${usd(rec.billUsd)} (${pctText(rec.explainedPct)}); the rest is other services${rec.unmatchedInstances > 0 ? `, and ${rec.unmatchedInstances} running instance${rec.unmatchedInstances === 1 ? ' has' : 's have'} no line in the bill` : ''}. Bill complete through ${b.dataThroughDay ?? 'n/a'}.`;
}

/** The HTML section; every value from the bill (services, accounts, commitment ids) is escaped. */
export function billHtml(b: BillSection | null, table: (head: string[], rows: string[][]) => string, absent: string | null = null): string {
  if (b === null) return `<h2>From the bill</h2><p class="note">${esc(absent ?? NO_IMPORT)}</p>`;
  const parts = [
    '<h2>From the bill</h2>',
    `<p>${esc(billSummary(b))}</p>`,
    barChart('Actual (amortized, from the bill) vs modeled spend per UTC day (USD)', b.daily.map((d) => ({ label: d.day.slice(5), values: [d.actualUsd, d.modeledUsd] })), ['bill (amortized)', 'modeled']),
    '<h3>By service (amortized, USD)</h3>',
    table(['provider', 'service', 'this period', 'period before'], b.byService.map((s) => [s.provider, s.service, usd(s.costUsd), usd(s.previousUsd)])),
  ];
  if (b.reconciliation.unexplainedTop.length > 0) parts.push('<h3>Not explained by the inventory (USD)</h3>', table(['provider', 'service', 'cost'], b.reconciliation.unexplainedTop.map((u) => [u.provider, u.service, usd(u.costUsd)])));
  if (b.negotiated.length > 0) parts.push('<h3>Negotiated rates (contracted vs list)</h3>', table(['provider', 'account', 'list', 'contracted', 'discount'], b.negotiated.map((n) => [n.provider, n.account, usd(n.listUsd), usd(n.contractedUsd), `${n.discountPct.toFixed(1)}%`])));
  if (b.commitments.length > 0) parts.push('<h3>Commitments owned (utilization)</h3>', table(['commitment', 'type', 'account', 'utilization', 'unused cost', 'net savings'], b.commitments.map((c) => [c.id, c.type, c.account, pctText(c.utilizationPct), usd(c.unusedCostUsd), usd(c.netSavingsUsd)])));
  if (b.coverage.length > 0) parts.push('<h3>Commitment coverage</h3>', table(['provider', 'account', 'service', 'coverage'], b.coverage.map((c) => [c.provider, c.account, c.service, pctText(c.coveragePct)])));
  parts.push(`<p class="note">From ${esc(b.datasets.join(', '))}.${b.problems.rejectedRows + b.problems.repairedRows > 0 ? ` The imports rejected ${b.problems.rejectedRows} and repaired ${b.problems.repairedRows} rows (GET /v1/spend/imports lists them).` : ''}</p>`);
  return parts.join('\n');
}

/** The Markdown section; `table` escapes every cell. */
export function billMarkdown(b: BillSection | null, table: (head: string[], rows: string[][]) => string, absent: string | null = null): string {
  if (b === null) return `## From the bill\n\n${mdText(absent ?? NO_IMPORT)}\n`;
  const parts = ['## From the bill', '', mdText(billSummary(b)), '', table(['provider', 'service', 'this period (USD)', 'period before (USD)'], b.byService.map((s) => [s.provider, s.service, usd(s.costUsd), usd(s.previousUsd)]))];
  if (b.reconciliation.unexplainedTop.length > 0) parts.push('', '### Not explained by the inventory', '', table(['provider', 'service', 'cost (USD)'], b.reconciliation.unexplainedTop.map((u) => [u.provider, u.service, usd(u.costUsd)])));
  if (b.negotiated.length > 0) parts.push('', '### Negotiated rates', '', table(['provider', 'account', 'list', 'contracted', 'discount'], b.negotiated.map((n) => [n.provider, n.account, usd(n.listUsd), usd(n.contractedUsd), `${n.discountPct.toFixed(1)}%`])));
  if (b.commitments.length > 0) parts.push('', '### Commitments owned', '', table(['commitment', 'type', 'account', 'utilization', 'unused cost', 'net savings'], b.commitments.map((c) => [c.id, c.type, c.account, pctText(c.utilizationPct), usd(c.unusedCostUsd), usd(c.netSavingsUsd)])));
  parts.push('', mdText(`From ${b.datasets.join(', ')}.${b.problems.rejectedRows > 0 ? ` ${b.problems.rejectedRows} rows rejected on import (GET /v1/spend/imports).` : ''}`), '');
  return parts.join('\n');
}
