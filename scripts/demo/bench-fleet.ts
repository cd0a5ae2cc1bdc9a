/**
 * Times demo fleet generation (not a test: no wall-clock assertions anywhere).
 *   npx tsx scripts/demo/bench-fleet.ts
 */
import { demoHistorySnapshots, generateDemoFleet } from '../../src/demo/fleet.js';

const nowMs = Date.parse('2026-03-01T12:00:00Z');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
function time(label: string, f: () => unknown, runs = 7): void {
  const t0 = performance.now();
  f(); // first run includes loading shapes.json and JIT warm-up
  const first = performance.now() - t0;
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    f();
    ms.push(performance.now() - t);
  }
  console.log(`${label}: first ${first.toFixed(0)} ms, median of ${runs} ${median(ms).toFixed(0)} ms`);
}
time('generateDemoFleet 600 × 14 d', () => generateDemoFleet({ seed: 42, nowMs }));
time('generateDemoFleet 1000 × 14 d', () => generateDemoFleet({ seed: 42, nowMs, instanceCount: 1000 }));
time('demoHistorySnapshots 14 daily (600)', () => demoHistorySnapshots({ seed: 42, nowMs }));
