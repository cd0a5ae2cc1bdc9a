import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';

/**
 * External programs the test suite drives (a real Chromium, a real Prometheus), found the same way on Linux and
 * macOS: an explicit environment variable first, then PATH, then the usual install folders. `rightsize doctor`
 * reports them; test/helpers/binaries.ts throws the one-line install hint when one is absent.
 */

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first of `names` on PATH (or in `extraDirs`), or undefined. */
export function onPath(names: readonly string[], env: Record<string, string | undefined>, extraDirs: readonly string[] = []): string | undefined {
  const dirs = [...(env['PATH'] ?? '').split(path.delimiter).filter(Boolean), ...extraDirs];
  for (const name of names) {
    for (const dir of dirs) {
      const file = path.join(dir, name);
      if (existsSync(file) && executable(file)) return file;
    }
  }
  return undefined;
}

export type Found<T> = { found: T } | { missing: string };

function fromEnv(variable: string, env: Record<string, string | undefined>): Found<string> | undefined {
  const value = env[variable];
  if (!value) return undefined;
  return executable(value) ? { found: value } : { missing: `${variable}=${value} is not an executable file` };
}

const CHROMIUM_APPS = ['/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'];
export const CHROMIUM_HINT = 'install it (Debian/Ubuntu: apt-get install chromium; macOS: brew install --cask chromium) or set CHROMIUM_PATH to its executable';
export const PROMETHEUS_HINT = 'install it (Debian/Ubuntu: apt-get install prometheus; macOS: brew install prometheus) or set PROMETHEUS_BIN to the prometheus executable';
const LOCAL_BINS = ['/usr/local/bin', '/opt/homebrew/bin'];

/** Chromium (or Chrome) for the render checks: CHROMIUM_PATH, PATH, or the macOS application folders. */
export function locateChromium(env: Record<string, string | undefined>): Found<string> {
  const explicit = fromEnv('CHROMIUM_PATH', env);
  if (explicit) return explicit;
  const found = onPath(['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'], env, LOCAL_BINS) ?? CHROMIUM_APPS.find((f) => executable(f));
  return found ? { found } : { missing: `Chromium not found: ${CHROMIUM_HINT}` };
}

/** Prometheus and its promtool: PROMETHEUS_BIN (promtool beside it, else on PATH), or PATH. */
export function locatePrometheus(env: Record<string, string | undefined>): Found<{ prometheus: string; promtool: string }> {
  const explicit = fromEnv('PROMETHEUS_BIN', env);
  if (explicit && 'missing' in explicit) return explicit;
  const prometheus = explicit?.found ?? onPath(['prometheus'], env, LOCAL_BINS);
  if (!prometheus) return { missing: `prometheus not found: ${PROMETHEUS_HINT}` };
  const beside = path.join(path.dirname(prometheus), 'promtool');
  const promtool = executable(beside) ? beside : onPath(['promtool'], env, LOCAL_BINS);
  if (!promtool) return { missing: `promtool not found beside ${prometheus} or on PATH: ${PROMETHEUS_HINT}` };
  return { found: { prometheus, promtool } };
}
