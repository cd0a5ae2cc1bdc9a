import type { z } from 'zod';

/**
 * Root of Rightsize's error tree. `message` is one line a user can act on; `cause` keeps the chain.
 * The CLI prints `message` alone (the stack only with --verbose); the API maps errors in one onError.
 */
export class RightsizeError extends Error {
  override name = 'RightsizeError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A config file or environment variable is invalid; the message names the file (or variable) and field. */
export class ConfigError extends RightsizeError {
  override name = 'ConfigError';
}

/** A data file (catalog, demo shapes, fixture) is missing or corrupt; the message names the file and field. */
export class DataFileError extends RightsizeError {
  override name = 'DataFileError';
}

/** `a.b.3.c` from a zod issue path; `(root)` for the whole value. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(root)' : path.map(String).join('.');
}

/** One problem found in a config value: where, and what is wrong with it. */
export interface ConfigIssue {
  path: readonly PropertyKey[];
  message: string;
}

/**
 * Every issue, one line each, `source: field: problem`, e.g.
 * `rightsize.config.yaml: server.port: Too big: expected number to be <=65535`. Issues at the same field with the
 * same message are listed once.
 */
export function formatIssues(source: string, issues: readonly ConfigIssue[]): string {
  if (issues.length === 0) return `${source}: invalid`;
  const lines = issues.map((i) => `${source}: ${formatIssuePath(i.path)}: ${i.message}`);
  return [...new Set(lines)].join('\n');
}

/**
 * One line naming the source and the first failing field, e.g.
 * `data/catalog/aws-types.json: types.3.vcpu: Too big: expected number to be <=896 (and 2 more issues)`.
 * (Data files; the config lists every issue with formatIssues.)
 */
export function formatZodError(source: string, error: z.ZodError): string {
  const [first, ...rest] = error.issues;
  if (!first) return `${source}: invalid`;
  const more = rest.length > 0 ? ` (and ${rest.length} more issue${rest.length > 1 ? 's' : ''})` : '';
  return `${source}: ${formatIssuePath(first.path)}: ${first.message}${more}`;
}
