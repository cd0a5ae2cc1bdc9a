import { TIMEOUT_DEFAULTS } from '../config.js';
import { CollectError } from './collector.js';

/**
 * Outbound-call timeouts (config `timeouts`). `connectMs` and `requestMs` bound one attempt of one HTTP request (the
 * SDKs retry within `scopeMs`); `scopeMs` bounds one scope whole, retries and pagination included, so a server that
 * accepts connections and never answers costs at most `scopeMs` per scope.
 */
export interface Timeouts {
  connectMs: number;
  requestMs: number;
  scopeMs: number;
}

/** The config's defaults (config.ts TIMEOUT_DEFAULTS), for callers that have no config at hand. */
export const DEFAULT_TIMEOUTS: Timeouts = { connectMs: TIMEOUT_DEFAULTS.connectMs, requestMs: TIMEOUT_DEFAULTS.requestMs, scopeMs: TIMEOUT_DEFAULTS.scopeMs };

export function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/**
 * Runs `work` with an abort signal that fires after `ms`; the returned promise settles by then whatever `work` does
 * (an SDK that ignores the signal is left behind, its sockets bounded by the per-request timeouts). On expiry the
 * error is a `timeout` CollectError naming `label`.
 * @example await withDeadline('aws/self/us-east-1', 600_000, (signal) => collector.collect(scope, window, signal));
 */
export async function withDeadline<T>(label: string, ms: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new CollectError('timeout', `${label}: no answer within ${seconds(ms)} (timeouts.scopeMs)`);
      controller.abort(err);
      reject(err);
    }, ms);
  });
  try {
    return await Promise.race([work(controller.signal), expired]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A signal for one HTTP request: the request's own timeout, and the scope's deadline when there is one. Not
 * `AbortSignal.any([AbortSignal.timeout(ms), scope])`: Node holds the timeout signal weakly there, and once garbage
 * collected it never fires (the request then waits for the scope's deadline). The timer here holds it.
 */
export function requestSignal(requestMs: number, scope?: AbortSignal): AbortSignal {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException(`no answer within ${requestMs} ms`, 'TimeoutError')), requestMs);
  timer.unref();
  if (scope?.aborted) controller.abort(scope.reason);
  else scope?.addEventListener('abort', () => controller.abort(scope.reason), { once: true });
  return controller.signal;
}
