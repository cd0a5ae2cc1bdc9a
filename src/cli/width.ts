/** Default output width when neither the terminal nor `COLUMNS` says: wide enough for the findings' main columns. */
export const DEFAULT_WIDTH = 100;

/**
 * The width tables are fitted to: unlimited with `--wide`; the terminal's columns when stdout is a terminal; else
 * `COLUMNS` (what shells export and what a pipe or a test sets); else 100.
 */
export function outputWidth(stdout: { isTTY?: boolean; columns?: number }, env: Record<string, string | undefined>, wide: boolean): number {
  if (wide) return Number.POSITIVE_INFINITY;
  if (stdout.isTTY && typeof stdout.columns === 'number' && stdout.columns > 0) return stdout.columns;
  const fromEnv = Number(env['COLUMNS']);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : DEFAULT_WIDTH;
}
