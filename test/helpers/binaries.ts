import { locateChromium, locatePrometheus } from '../../src/cli/doctor/tools.js';

/**
 * Chromium and Prometheus for the tests that drive them, found by the same rules as `rightsize doctor`
 * (CHROMIUM_PATH / PROMETHEUS_BIN, then PATH, then the usual install folders). Absent, the error is one line saying
 * how to install it.
 */
export function findChromium(env: Record<string, string | undefined> = process.env): string {
  const out = locateChromium(env);
  if ('missing' in out) throw new Error(out.missing);
  return out.found;
}

export function findPrometheus(env: Record<string, string | undefined> = process.env): { prometheus: string; promtool: string } {
  const out = locatePrometheus(env);
  if ('missing' in out) throw new Error(out.missing);
  return out.found;
}
