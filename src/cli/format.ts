/** Text formatting for the terminal: money, percents, word wrapping and width-aware tables without a dependency. */

export function usd(amount: number, digits = 0): string {
  const sign = amount < 0 ? '-' : '';
  return `${sign}$${Math.abs(amount).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;
}

export function pct(value: number, digits = 0): string {
  return `${value.toFixed(digits)}%`;
}

export function int(value: number): string {
  return value.toLocaleString('en-US');
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Untrusted text for a terminal: control characters (ESC sequences that recolour, move the cursor or set the
 * window title; bidi overrides that reorder what is shown) become a visible `\u{…}` escape.
 */
export function termText(value: unknown): string {
  return String(value).replace(CONTROL, (c) => `\\u{${(c.codePointAt(0) as number).toString(16)}}`);
}

/**
 * Wraps text to lines of at most `width` characters: at spaces where it can, and after `/`, `-`, `:` or `,` inside
 * long tokens (ids, paths; `/` and `:` preferred); a token with none of those is broken hard. Existing line breaks are kept.
 * @example wrap('CPU p95 26.6% · mem max 35.5%', 12) // ['CPU p95', '26.6% · mem', 'max 35.5%']
 */
export function wrap(text: string, width: number): string[] {
  const w = Math.max(1, Math.floor(width));
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      const candidate = line === '' ? word : `${line} ${word}`;
      if (candidate.length <= w) {
        line = candidate;
        continue;
      }
      if (line !== '') out.push(line);
      line = '';
      let rest = word;
      while (rest.length > w) {
        // Prefer a break just after a separator inside the token, so ids stay readable.
        const window = rest.slice(0, w);
        const last = (seps: string[]) => Math.max(...seps.map((c) => window.lastIndexOf(c)));
        const floor = Math.floor(w / 3);
        const strong = last(['/', ':']); // path and pool separators first, then hyphens and commas
        const at = strong >= floor ? strong : last(['-', ',']);
        const cut = at >= floor ? at + 1 : w;
        out.push(rest.slice(0, cut));
        rest = rest.slice(cut);
      }
      line = rest;
    }
    out.push(line);
  }
  return out;
}

/** Wraps a paragraph to the width, each line after `indent` (unlimited width: one line). */
export function paragraph(text: string, width: number, indent = ''): string {
  if (!Number.isFinite(width)) return `${indent}${text}`;
  return wrap(text, width - indent.length).map((l) => `${indent}${l}`).join('\n');
}

export interface Column {
  header: string;
  align?: 'left' | 'right';
  /**
   * May this column be narrowed (its cells wrapped) to fit the width? Default: left-aligned columns yes, numbers no.
   * `'first'` narrows it before the others (free text such as evidence).
   */
  wrap?: boolean | 'first';
  /** Narrowest the column is made before the others are touched (default: its header, at most 12). */
  minWidth?: number;
}

export interface TableOptions {
  /** Total line width to fit; Infinity (the default) keeps every cell on one line at its natural width. */
  width?: number;
  /** Per row, full-width text printed under it (indented), wrapped to the width: evidence that needs room. */
  details?: (string | undefined)[];
}

const GAP = 2;
const DETAIL_INDENT = '    ';
/** Narrowest any column gets when nothing else is left to narrow. */
const FLOOR = 4;

/**
 * Renders rows as an aligned table with a header rule. Cells may hold several lines (`\n`). When the natural table is
 * wider than `options.width`, wrappable columns are narrowed (widest first, `wrap: 'first'` columns before the rest)
 * and their cells wrapped, never cut: no line is longer than the width unless the fixed columns alone exceed it.
 */
export function table(columns: Column[], input: string[][], options: TableOptions = {}): string {
  // Cells carry names, tags and messages from the clouds and bills: no escape sequence reaches the terminal.
  const rows = input.map((r) => r.map((cell) => cell.split('\n').map(termText).join('\n')));
  const maxWidth = options.width ?? Number.POSITIVE_INFINITY;
  const natural = columns.map((c, i) => Math.max(c.header.length, ...rows.map((r) => Math.max(0, ...(r[i] ?? '').split('\n').map((l) => l.length)))));
  const widths = fitWidths(columns, natural, maxWidth);
  const pad = (v: string, i: number) => (columns[i]?.align === 'right' ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0));
  const render = (cells: string[]): string[] => {
    const wrapped = cells.map((v, i) => wrap(v, widths[i] ?? 1));
    const height = Math.max(1, ...wrapped.map((w) => w.length));
    return Array.from({ length: height }, (_, k) => wrapped.map((w, i) => pad(w[k] ?? '', i)).join(' '.repeat(GAP)).trimEnd());
  };
  const total = widths.reduce((a, b) => a + b, 0) + GAP * Math.max(0, columns.length - 1);
  const lines = [...render(columns.map((c) => c.header)), widths.map((w) => '─'.repeat(w)).join(' '.repeat(GAP))];
  rows.forEach((row, r) => {
    lines.push(...render(row));
    const detail = options.details?.[r];
    if (detail) lines.push(...wrap(detail, Math.min(maxWidth, Math.max(total, 60)) - DETAIL_INDENT.length).map((l) => `${DETAIL_INDENT}${l}`));
  });
  return lines.join('\n');
}

/** Column widths that fit `maxWidth`: narrows wrappable columns, widest first, down to their minimum, then to FLOOR. */
function fitWidths(columns: Column[], natural: number[], maxWidth: number): number[] {
  const widths = [...natural];
  const total = () => widths.reduce((a, b) => a + b, 0) + GAP * Math.max(0, columns.length - 1);
  if (!Number.isFinite(maxWidth) || total() <= maxWidth) return widths;
  const wrappable = (c: Column) => c.wrap ?? c.align !== 'right';
  const minOf = (c: Column) => Math.max(FLOOR, c.minWidth ?? Math.min(c.header.length, 12));
  const rounds: ((c: Column) => number | undefined)[] = [
    (c) => (c.wrap === 'first' ? minOf(c) : undefined),
    (c) => (wrappable(c) ? minOf(c) : undefined),
    (c) => (wrappable(c) ? FLOOR : undefined),
  ];
  for (const floorOf of rounds) {
    while (total() > maxWidth) {
      let widest = -1;
      columns.forEach((c, i) => {
        const floor = floorOf(c);
        if (floor !== undefined && (widths[i] ?? 0) > floor && (widest < 0 || (widths[i] ?? 0) > (widths[widest] ?? 0))) widest = i;
      });
      if (widest < 0) break;
      widths[widest] = (widths[widest] ?? 0) - 1;
    }
  }
  return widths;
}
