import type { Instance } from '../domain/instance.js';
import type { EngineSettings, ScopeOverride } from './settings.js';

/** True when every field the override names matches the instance (tags: present with that value, "*" = any). */
export function overrideMatches(match: ScopeOverride['match'], instance: Pick<Instance, 'cloud' | 'account' | 'region' | 'tags'>): boolean {
  if (match.cloud !== undefined && match.cloud !== instance.cloud) return false;
  if (match.account !== undefined && match.account !== instance.account) return false;
  if (match.region !== undefined && match.region !== instance.region) return false;
  for (const [key, value] of Object.entries(match.tags ?? {})) {
    const actual = instance.tags[key];
    if (actual === undefined || (value !== '*' && actual !== value)) return false;
  }
  return true;
}

const resolved = new WeakMap<EngineSettings, Map<string, EngineSettings>>();

/**
 * The settings in effect for one instance: the base with every matching override laid over it in order. The same
 * combination of overrides always yields the same object, so per-settings memo tables (candidates.ts) stay shared,
 * and its key names the scope for auto policy selection.
 */
export function settingsFor(base: EngineSettings, instance: Pick<Instance, 'cloud' | 'account' | 'region' | 'tags'>): { settings: EngineSettings; scopeKey: string } {
  if (base.overrides.length === 0) return { settings: base, scopeKey: 'fleet' };
  const matched: number[] = [];
  base.overrides.forEach((o, i) => {
    if (overrideMatches(o.match, instance)) matched.push(i);
  });
  if (matched.length === 0) return { settings: base, scopeKey: 'fleet' };
  const key = matched.join(',');
  let byKey = resolved.get(base);
  if (!byKey) {
    byKey = new Map();
    resolved.set(base, byKey);
  }
  let settings = byKey.get(key);
  if (!settings) {
    settings = { ...base };
    for (const i of matched) Object.assign(settings, (base.overrides[i] as ScopeOverride).settings);
    byKey.set(key, settings);
  }
  return { settings, scopeKey: `overrides:${key}` };
}
