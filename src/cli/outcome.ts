import type { ScopeResult } from '../domain/snapshot.js';
import type { StepOutcome } from './progress.js';

/** `aws/self/us-east-1: ok (30 instances)` or `… : timeout (0 instances) — <message>`. */
export function scopeLine(s: ScopeResult, unit = 'instances'): string {
  return `${s.cloud}/${s.account}/${s.region}: ${s.status} (${s.instanceCount} ${unit})${s.message ? ` — ${s.message}` : ''}`;
}

/**
 * How a run of scopes went, in a mark and in words: every scope ok, some failed (`partial: 3/4 scopes ok; 1 timeout`),
 * or none usable (`failed: 0/2 scopes ok; 2 auth-failed`). `no-data` is usable but not ok.
 */
export function scopesOutcome(scopes: readonly ScopeResult[], noun = 'scopes'): { outcome: StepOutcome; words: string } {
  const ok = scopes.filter((s) => s.status === 'ok').length;
  const usable = scopes.filter((s) => s.status === 'ok' || s.status === 'no-data').length;
  const byStatus = new Map<string, number>();
  for (const s of scopes) if (s.status !== 'ok') byStatus.set(s.status, (byStatus.get(s.status) ?? 0) + 1);
  const rest = [...byStatus].map(([status, n]) => `${n} ${status}`).join(', ');
  const outcome: StepOutcome = scopes.length > 0 && ok === scopes.length ? 'ok' : usable === 0 ? 'failed' : 'partial';
  const lead = outcome === 'ok' ? '' : `${outcome}: `;
  return { outcome, words: `${lead}${ok}/${scopes.length} ${noun} ok${rest ? `; ${rest}` : ''}` };
}
