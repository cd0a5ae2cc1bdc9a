import type { PricesFile } from './schema.js';

type Column = PricesFile['columns'][number];
const columnKey = (c: Column) => (c.term ? `${c.option}|${c.term.kind}|${c.term.termYears}|${c.term.payment}` : c.option);

/**
 * Lays refreshed prices over the bundled file: every price the refresh has (non-null) replaces the bundled one for
 * the same region, type and column; everything it lacks keeps the bundled value, so a partial refresh (one region
 * failed, spot unavailable) never loses prices. Columns only the refresh has are added.
 */
export function overlayPrices(bundled: PricesFile, refreshed: PricesFile): PricesFile {
  if (bundled.cloud !== refreshed.cloud) throw new Error(`price overlay: ${refreshed.cloud} prices cannot overlay ${bundled.cloud}`);
  const columns = [...bundled.columns];
  const keys = columns.map(columnKey);
  for (const c of refreshed.columns) {
    if (!keys.includes(columnKey(c))) {
      columns.push(c);
      keys.push(columnKey(c));
    }
  }
  const fromRefreshed = refreshed.columns.map((c) => keys.indexOf(columnKey(c)));
  const sources = { ...bundled.sources, ...refreshed.sources };
  const regions: PricesFile['regions'] = {};
  const regionIds = new Set([...Object.keys(bundled.regions), ...Object.keys(refreshed.regions)]);
  for (const region of regionIds) {
    const base = bundled.regions[region];
    const over = refreshed.regions[region];
    // Each column's source: the refresh's where it priced anything in this region, else the bundled one.
    const regionSources = columns.map((_, i) => base?.sources[i] ?? over?.sources[fromRefreshed.indexOf(i)] ?? Object.keys(sources)[0] ?? 'unknown');
    const prices: Record<string, (number | null)[]> = {};
    for (const [type, row] of Object.entries(base?.prices ?? {})) prices[type] = [...row, ...Array<null>(columns.length - row.length).fill(null)];
    if (over) {
      for (const [type, row] of Object.entries(over.prices)) {
        const merged = prices[type] ?? Array<number | null>(columns.length).fill(null);
        row.forEach((value, j) => {
          if (value === null) return;
          const i = fromRefreshed[j] as number;
          merged[i] = value;
          regionSources[i] = over.sources[j] as string;
        });
        prices[type] = merged;
      }
    }
    regions[region] = { sources: regionSources, prices };
  }
  return { ...bundled, columns, sources, regions };
}
