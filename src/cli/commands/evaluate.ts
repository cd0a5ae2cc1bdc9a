import type { PolicyEvaluation } from '../../engine/evaluate.js';
import type { EngineSettings } from '../../engine/settings.js';
import { policyEvaluationFor } from '../../pipeline/analyze-run.js';
import { FRONTIER_COLUMNS, frontierOf, frontierRows, scopeHeading, scopeSummary } from '../../report/policy-frontier.js';
import { openStore } from '../../store/open.js';
import { noSnapshotError } from './analyze.js';
import type { Command } from '../context.js';
import { paragraph, table, type Column } from '../format.js';

const COLUMNS: Column[] = FRONTIER_COLUMNS.map((header, i) => ({ header, ...(i >= 2 && i <= 4 ? { align: 'right' as const } : {}) }));
const minute = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** The evaluation as text: a header line, then per scope its frontier table and one line on auto's pick. */
export function renderPolicyEvaluation(evaluation: PolicyEvaluation, settings: EngineSettings, width = Number.POSITIVE_INFINITY): string {
  const frontier = frontierOf(evaluation, settings);
  const lines = [
    paragraph(`Policy evaluation of snapshot ${evaluation.snapshotId}: window ${minute(evaluation.windowStartMs)} → ${minute(evaluation.windowEndMs)}, train ${evaluation.trainDays} d, test ${evaluation.testDays} d (walk-forward, out of sample), budget ${settings.fleetRiskBudgetPct}% of test time over capacity`, width),
  ];
  if (frontier.scopes.length === 0) lines.push('', 'No running instance with a CPU series to evaluate.');
  for (const scope of frontier.scopes) {
    lines.push('', paragraph(scopeHeading(scope), width));
    if (scope.points.length > 0) lines.push(table(COLUMNS, frontierRows(scope), { width }));
    lines.push(paragraph(scopeSummary(scope), width));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * `rightsize evaluate [--snapshot ID] [--json]`: how every candidate right-sizing policy did out of sample on the
 * latest (or given) snapshot's own history, per scope, and which one `policy: auto` picks.
 */
export const evaluateCommand: Command = async (ctx) => {
  const { loadCatalogWithRefreshedPrices } = await import('../../catalog/load.js');
  const store = await openStore(ctx.config, ctx.env);
  const catalog = await ctx.progress.step('Loaded catalogs', () => loadCatalogWithRefreshedPrices(ctx.config.catalogDir, store, (m) => ctx.stderr.write(`rightsize: ignoring refreshed prices: ${m}\n`)));
  try {
    const snapshotId = ctx.flags.snapshot ?? (await store.latestSnapshot())?.id;
    if (!snapshotId) throw noSnapshotError(ctx.config.dataDir);
    const settings = ctx.config.engine;
    const evaluation = await ctx.progress.step('Evaluated policies', () => policyEvaluationFor({ store, catalog, settings, snapshotId }), (e) => `${e.scopes.length} scope${e.scopes.length === 1 ? '' : 's'}`);
    ctx.stdout.write(ctx.flags.json ? `${JSON.stringify(evaluation)}\n` : renderPolicyEvaluation(evaluation, settings, ctx.width));
    return 0;
  } finally {
    await store.close();
  }
};
