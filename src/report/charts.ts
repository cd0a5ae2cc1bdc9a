/** Inline SVG charts for the self-contained HTML report: no script, no fonts, no network. */
const esc = (s: string) => s.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch] as string);
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

/** A line chart of daily values with min/max labels. */
export function lineChart(title: string, points: { label: string; value: number }[]): string {
  const width = 640;
  const height = 220;
  const pad = { l: 60, r: 10, t: 30, b: 30 };
  const max = Math.max(1e-9, ...points.map((p) => p.value));
  const x = (i: number) => pad.l + (points.length <= 1 ? 0 : (i * (width - pad.l - pad.r)) / (points.length - 1));
  const y = (v: number) => height - pad.b - (v * (height - pad.t - pad.b)) / max;
  const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
  const dots = points.map((p, i) => `<circle cx="${x(i).toFixed(1)}" cy="${y(p.value).toFixed(1)}" r="3" fill="#3c6e9f"><title>${esc(`${p.label}: ${money(p.value)}`)}</title></circle>`).join('');
  const first = points[0]?.label ?? '';
  const last = points[points.length - 1]?.label ?? '';
  return `<svg class="chart" role="img" aria-label="${esc(title)}" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><text x="0" y="16" font-size="14" font-weight="bold">${esc(title)}</text><line x1="${pad.l}" y1="${height - pad.b}" x2="${width - pad.r}" y2="${height - pad.b}" stroke="#999"/><text x="${pad.l - 6}" y="${pad.t + 4}" font-size="11" text-anchor="end">${money(max)}</text><text x="${pad.l - 6}" y="${height - pad.b}" font-size="11" text-anchor="end">$0</text><path d="${path}" fill="none" stroke="#3c6e9f" stroke-width="2"/>${dots}<text x="${pad.l}" y="${height - 10}" font-size="11">${esc(first)}</text><text x="${width - pad.r}" y="${height - 10}" font-size="11" text-anchor="end">${esc(last)}</text></svg>`;
}
