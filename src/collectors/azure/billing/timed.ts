/**
 * Runs one SDK call with a signal that fires after `requestMs` (until `work` settles) or when `scope` aborts.
 * Unlike `requestSignal`, the timer is cleared once `work` settles: a download stream handed back keeps flowing
 * for as long as the scope allows (pass `keepScope`), while a server that never sends headers costs at most `requestMs`.
 */
export async function timed<T>(requestMs: number, scope: AbortSignal | undefined, work: (signal: AbortSignal) => Promise<T>, keepScope = false): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException(`no answer within ${requestMs} ms`, 'TimeoutError')), requestMs);
  timer.unref();
  const onAbort = () => controller.abort(scope?.reason);
  if (scope?.aborted) controller.abort(scope.reason);
  else scope?.addEventListener('abort', onAbort, { once: true });
  try {
    return await work(controller.signal);
  } finally {
    clearTimeout(timer);
    // A returned stream keeps listening to the scope (`keepScope`); other calls let go, so listeners do not pile up.
    if (!keepScope) scope?.removeEventListener('abort', onAbort);
  }
}
