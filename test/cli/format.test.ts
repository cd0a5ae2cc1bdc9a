import { describe, expect, it } from 'vitest';
import { table, wrap } from '../../src/cli/format.js';
import { outputWidth } from '../../src/cli/width.js';

describe('wrap', () => {
  it('breaks at spaces, never past the width, and keeps every character', () => {
    expect(wrap('CPU p95 26.6% · mem max 35.5%', 12)).toEqual(['CPU p95', '26.6% · mem', 'max 35.5%']);
    expect(wrap('short', 10)).toEqual(['short']);
    expect(wrap('two\nlines', 10)).toEqual(['two', 'lines']);
  });

  it('breaks long ids after a separator, `/` and `:` before `-`, and hard when there is none', () => {
    expect(wrap('gcp:cud:us-central1:a3', 14)).toEqual(['gcp:cud:', 'us-central1:a3']);
    expect(wrap('rg-ml-prod/vm-recs-train-prod-04', 14)).toEqual(['rg-ml-prod/', 'vm-recs-train-', 'prod-04']);
    expect(wrap('7598256947997024697', 8)).toEqual(['75982569', '47997024', '697']);
  });
});

describe('table', () => {
  const columns = [{ header: 'name' }, { header: 'usd', align: 'right' as const }, { header: 'evidence', wrap: 'first' as const, minWidth: 10 }];
  const rows = [
    ['a-rather-long-instance-name', '$1,234', 'CPU p95 26.6% · mem max 35.5% · over capacity: backtest 0.00%'],
    ['b', '$5', 'short'],
  ];

  it('keeps natural widths when unlimited', () => {
    const lines = table(columns, rows).split('\n');
    expect(lines[2]).toBe('a-rather-long-instance-name  $1,234  CPU p95 26.6% · mem max 35.5% · over capacity: backtest 0.00%');
  });

  it('fits any width from 30 to 120 by wrapping, evidence first, numbers never', () => {
    for (let width = 30; width <= 120; width++) {
      const text = table(columns, rows, { width });
      for (const line of text.split('\n')) expect(line.length, `${width}: ${line}`).toBeLessThanOrEqual(width);
      // Nothing is cut: every visible character of the headers and cells is still there.
      const visible = (t: string) => t.replace(/[\s─]/g, '').length;
      expect(visible(text)).toBe(visible([...columns.map((c) => c.header), ...rows.flat()].join('')));
      expect(text).toContain('$1,234');
    }
    expect(table(columns, rows, { width: 60 }).split('\n')[2]).toMatch(/^a-rather-long-instance-name {2}\$1,234 {2}CPU p95 26\.6% · mem max$/);
  });

  it('prints details under their row, indented and wrapped', () => {
    const text = table([{ header: 'n' }], [['x'], ['y']], { width: 20, details: ['one two three four five six', undefined] });
    expect(text.split('\n')).toEqual(['n', '─', 'x', '    one two three', '    four five six', 'y']);
  });
});

describe('outputWidth', () => {
  it('uses the terminal, else COLUMNS, else 100; --wide is unlimited', () => {
    expect(outputWidth({ isTTY: true, columns: 132 }, { COLUMNS: '80' }, false)).toBe(132);
    expect(outputWidth({}, { COLUMNS: '80' }, false)).toBe(80);
    expect(outputWidth({}, { COLUMNS: 'wide' }, false)).toBe(100);
    expect(outputWidth({}, {}, false)).toBe(100);
    expect(outputWidth({ isTTY: true, columns: 132 }, {}, true)).toBe(Number.POSITIVE_INFINITY);
  });
});
