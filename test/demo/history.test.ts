import { describe, expect, it } from 'vitest';
import { HOUR_MS } from '../../src/domain/utilization.js';
import { demoHistorySnapshots, generateDemoFleet } from '../../src/demo/fleet.js';

const NOW = Date.parse('2026-03-01T12:34:56Z');
const DAY = 24 * HOUR_MS;

describe('demoHistorySnapshots', () => {
  const current = generateDemoFleet({ seed: 42, nowMs: NOW });
  const history = demoHistorySnapshots({ seed: 42, nowMs: NOW, current });

  it('gives 14 daily snapshots before the current one, oldest first, instances only', () => {
    expect(history).toHaveLength(14);
    expect(history.map((h) => h.windowEndMs)).toEqual(Array.from({ length: 14 }, (_, i) => current.windowEndMs - (14 - i) * DAY));
    expect(new Set([...history.map((h) => h.id), current.id]).size).toBe(15);
    for (const h of history) {
      expect(h.series).toEqual([]);
      expect(h.instanceCount).toBe(h.instances.length);
      expect(h.scopes.filter((s) => s.status === 'ok').reduce((n, s) => n + s.instanceCount, 0)).toBe(h.instances.length);
    }
  });

  it('only holds instances launched by then; stopped ones were running before they stopped', () => {
    for (const h of history) for (const i of h.instances) expect(Date.parse(i.launchedAt)).toBeLessThanOrEqual(h.windowEndMs);
    const oldest = history[0];
    if (!oldest) throw new Error('no history');
    const stoppedNow = current.instances.filter((i) => i.state === 'stopped').map((i) => i.id);
    expect(stoppedNow.length).toBeGreaterThan(0);
    const thenStates = oldest.instances.filter((i) => stoppedNow.includes(i.id)).map((i) => i.state);
    expect(thenStates.length).toBeGreaterThan(0);
    expect(new Set(thenStates)).toEqual(new Set(['running']));
  });

  it('changes membership over time: launches join, terminated boxes (two of them GPU) leave', () => {
    const oldest = history[0];
    const newest = history[13];
    if (!oldest || !newest) throw new Error('no history');
    const currentIds = new Set(current.instances.map((i) => i.id));
    const gone = oldest.instances.filter((i) => !currentIds.has(i.id));
    expect(gone.length).toBeGreaterThanOrEqual(2);
    expect(gone.some((i) => /^(g|p)\d|nvidia|NC|ND|NV|a2-|a3-|g2-/.test(i.type))).toBe(true);
    const joined = current.instances.filter((i) => !oldest.instances.some((o) => o.id === i.id));
    expect(joined.length).toBeGreaterThan(10);
    expect(oldest.instances.length).not.toBe(newest.instances.length);
  });

  it('is deterministic and does not need the current snapshot', () => {
    const again = demoHistorySnapshots({ seed: 42, nowMs: NOW });
    expect(JSON.stringify(again)).toBe(JSON.stringify(history));
  });
});
