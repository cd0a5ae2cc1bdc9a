/** Inline SVG charts for the self-contained HTML report: no script, no fonts, no network. */
import { html as esc } from './escape/html.js';
const money = (x: number) => `$${Math.round(x).toLocaleString('en-US')}`;

/** Grouped horizontal bars: one row per label, one bar per series. */
export function barChart(title: string, rows: { label: string; values: number[] }[], series: string[], colors = ['#3c6e9f', '#a9c1d9']): string {
  const width = 640;
  const rowH = 18 * series.length + 12;
  const height = 30 + rows.length * rowH + 24;
  const labelW = 170;
  const max = Math.max(1e-9, ...rows.flatMap((r) => r.values));
  const bars = rows
    .map((r, i) => {
      const y0 = 30 + i * rowH;
      const parts = r.values.map((v, j) => {
        const w = ((width - labelW - 90) * v) / max;
        const y = y0 + j * 18;
        return `<rect x="${labelW}" y="${y}" width="${w.toFixed(1)}" height="14" fill="${colors[j % colors.length]}"><title>${esc(`${r.label} ${series[j] ?? ''}: ${money(v)}`)}</title></rect><text x="${(labelW + w + 4).toFixed(1)}" y="${y + 11}" font-size="11">${money(v)}</text>`;
      });
      return `<text x="${labelW - 6}" y="${y0 + 11}" font-size="12" text-anchor="end">${esc(r.label)}</text>${parts.join('')}`;
    })
    .join('');
  const legend = series.map((s, j) => `<rect x="${labelW + j * 120}" y="${height - 16}" width="10" height="10" fill="${colors[j % colors.length]}"/><text x="${labelW + j * 120 + 14}" y="${height - 7}" font-size="11">${esc(s)}</text>`).join('');
  return `<svg class="chart" role="img" aria-label="${esc(title)}" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><text x="0" y="16" font-size="14" font-weight="bold">${esc(title)}</text>${bars}${legend}</svg>`;
}

/**
 * A line chart of daily values with min/max labels. A `partial` point (the day still running) is drawn hollow, off the
 * line and labelled, so a day of a few hours is not read as a drop in spend.
 */
export function lineChart(title: string, points: { label: string; value: number; partial?: string }[]): string {
  const width = 640;
  const height = 220;
  const pad = { l: 60, r: 10, t: 30, b: 30 };
  const max = Math.max(1e-9, ...points.map((p) => p.value));
  const x = (i: number) => pad.l + (points.length <= 1 ? 0 : (i * (width - pad.l - pad.r)) / (points.length - 1));
  const y = (v: number) => height - pad.b - (v * (height - pad.t - pad.b)) / max;
  const at = (i: number, p: { value: number }) => `${x(i).toFixed(1)},${y(p.value).toFixed(1)}`;
  const full = points.filter((p) => p.partial === undefined);
  const path = full.map((p, i) => `${i === 0 ? 'M' : 'L'}${at(points.indexOf(p), p)}`).join(' ');
  // A partial day stands apart: no line reaches it, its hollow dot carries how many hours it holds.
  const partialNotes = points
    .map((p, i) => (p.partial !== undefined ? `<text class="partial" x="${(x(i) - 6).toFixed(1)}" y="${(y(p.value) - 8).toFixed(1)}" font-size="11" text-anchor="end">${esc(p.partial)}</text>` : ''))
    .join('');
  const dots = points
    .map((p, i) => {
      const tip = `${p.label}: ${money(p.value)}${p.partial !== undefined ? ` (${p.partial})` : ''}`;
      const fill = p.partial !== undefined ? 'fill="#fff" stroke="#3c6e9f" stroke-width="2" class="partial"' : 'fill="#3c6e9f"';
      return `<circle cx="${x(i).toFixed(1)}" cy="${y(p.value).toFixed(1)}" r="3" ${fill}><title>${esc(tip)}</title></circle>`;
    })
    .join('');
  const first = points[0]?.label ?? '';
  const lastPoint = points[points.length - 1];
  const last = lastPoint ? `${lastPoint.label}${lastPoint.partial !== undefined ? ' (partial)' : ''}` : '';
  return `<svg class="chart" role="img" aria-label="${esc(title)}" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><text x="0" y="16" font-size="14" font-weight="bold">${esc(title)}</text><line x1="${pad.l}" y1="${height - pad.b}" x2="${width - pad.r}" y2="${height - pad.b}" stroke="#999"/><text x="${pad.l - 6}" y="${pad.t + 4}" font-size="11" text-anchor="end">${money(max)}</text><text x="${pad.l - 6}" y="${height - pad.b}" font-size="11" text-anchor="end">$0</text><path d="${path}" fill="none" stroke="#3c6e9f" stroke-width="2"/>${partialNotes}${dots}<text x="${pad.l}" y="${height - 10}" font-size="11">${esc(first)}</text><text x="${width - pad.r}" y="${height - 10}" font-size="11" text-anchor="end">${esc(last)}</text></svg>`;
}

/** One point of a frontier chart. */
export interface FrontierChartPoint {
  id: string;
  label: string;
  /** x: percent of (test) time over capacity. */
  overPct: number;
  /** y: percent of monthly cost saved. */
  savingsPct: number;
  auto: boolean;
  configured: boolean;
}

/**
 * Savings against time over capacity, one dot per policy: the auto pick filled orange, the configured policy ringed,
 * the budget a dashed vertical line. The y axis spans the points (savings of candidate policies sit within a few
 * points of each other; from 0 they would be one blot).
 */
export function frontierChart(title: string, points: FrontierChartPoint[], budgetPct: number): string {
  const width = 640;
  const height = 300;
  const pad = { l: 60, r: 20, t: 40, b: 56 };
  const xMax = Math.max(1e-6, budgetPct, ...points.map((p) => p.overPct)) * 1.1;
  const ys = points.map((p) => p.savingsPct);
  const span = Math.max(1, (ys.length ? Math.max(...ys) - Math.min(...ys) : 0) * 0.1);
  const yMin = ys.length ? Math.floor(Math.min(...ys) - span) : 0;
  const yMax = ys.length ? Math.ceil(Math.max(...ys) + span) : 1;
  const x = (v: number) => pad.l + (v / xMax) * (width - pad.l - pad.r);
  const y = (v: number) => height - pad.b - ((v - yMin) / Math.max(1e-9, yMax - yMin)) * (height - pad.t - pad.b);
  const pctText = (v: number, digits: number) => `${v.toFixed(digits)}%`;
  const bx = x(budgetPct).toFixed(1);
  const budget = `<line class="budget" x1="${bx}" y1="${pad.t}" x2="${bx}" y2="${height - pad.b}" stroke="#b03a2e" stroke-dasharray="5 4"/><text x="${bx}" y="${pad.t - 4}" font-size="11" text-anchor="middle" fill="#b03a2e">${esc(`budget ${pctText(budgetPct, 2)}`)}</text>`;
  // The highlighted dots are drawn last so no plain dot covers them.
  const order = [...points].sort((a, b) => Number(a.auto || a.configured) - Number(b.auto || b.configured));
  const dots = order
    .map((p) => {
      const cx = x(p.overPct).toFixed(1);
      const cy = y(p.savingsPct).toFixed(1);
      const cls = ['policy', ...(p.auto ? ['auto'] : []), ...(p.configured ? ['configured'] : [])].join(' ');
      const marks = [p.auto ? 'auto pick' : '', p.configured ? 'configured' : ''].filter(Boolean).join(', ');
      const tip = `${p.id} (${p.label}): saves ${pctText(p.savingsPct, 2)}, ${pctText(p.overPct, 3)} of test time over capacity${marks ? ` — ${marks}` : ''}`;
      const ring = p.configured ? `<circle cx="${cx}" cy="${cy}" r="9" fill="none" stroke="#1d2733" stroke-width="2"/>` : '';
      const tag = marks ? `<text x="${(Number(cx) + 11).toFixed(1)}" y="${(Number(cy) - 8).toFixed(1)}" font-size="11">${esc(`${p.id} (${marks})`)}</text>` : '';
      return `${ring}<circle class="${cls}" data-policy="${esc(p.id)}" cx="${cx}" cy="${cy}" r="${p.auto ? 6 : 4}" fill="${p.auto ? '#e67e22' : '#3c6e9f'}"><title>${esc(tip)}</title></circle>${tag}`;
    })
    .join('');
  const axes = `<line x1="${pad.l}" y1="${height - pad.b}" x2="${width - pad.r}" y2="${height - pad.b}" stroke="#999"/><line x1="${pad.l}" y1="${pad.t}" x2="${pad.l}" y2="${height - pad.b}" stroke="#999"/>`
    + `<text x="${pad.l}" y="${height - pad.b + 14}" font-size="11">0%</text><text x="${width - pad.r}" y="${height - pad.b + 14}" font-size="11" text-anchor="end">${esc(pctText(xMax, 2))}</text>`
    + `<text x="${(pad.l + width - pad.r) / 2}" y="${height - pad.b + 30}" font-size="11" text-anchor="middle">out-of-sample time over capacity</text>`
    + `<text x="${pad.l - 6}" y="${pad.t + 4}" font-size="11" text-anchor="end">${esc(pctText(yMax, 0))}</text><text x="${pad.l - 6}" y="${height - pad.b}" font-size="11" text-anchor="end">${esc(pctText(yMin, 0))}</text>`
    + `<text x="12" y="${(pad.t + height - pad.b) / 2}" font-size="11" text-anchor="middle" transform="rotate(-90 12 ${(pad.t + height - pad.b) / 2})">savings</text>`;
  const legend = `<circle cx="${pad.l + 5}" cy="${height - 11}" r="5" fill="#e67e22"/><text x="${pad.l + 14}" y="${height - 7}" font-size="11">auto pick</text>`
    + `<circle cx="${pad.l + 95}" cy="${height - 11}" r="6" fill="none" stroke="#1d2733" stroke-width="2"/><text x="${pad.l + 105}" y="${height - 7}" font-size="11">configured</text>`
    + `<circle cx="${pad.l + 195}" cy="${height - 11}" r="4" fill="#3c6e9f"/><text x="${pad.l + 204}" y="${height - 7}" font-size="11">other candidates</text>`;
  return `<svg class="chart frontier" role="img" aria-label="${esc(title)}" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><text x="0" y="16" font-size="14" font-weight="bold">${esc(title)}</text>${axes}${budget}${dots}${legend}</svg>`;
}
