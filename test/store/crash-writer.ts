/**
 * Child process for the crash test: commits snapshot A, then writes snapshot B through the real
 * `writeSnapshot` and, half-way through B's instances (inside the open transaction), announces it and blocks
 * until the parent kills it with SIGKILL.
 */
import { writeSync } from 'node:fs';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { makeSnapshot } from '../helpers/fixtures-snapshot.js';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: crash-writer <dataDir>');
const store = openSqliteStore({ dataDir });
await store.writeSnapshot(makeSnapshot('A', Date.UTC(2026, 10, 1), 50));
writeSync(1, 'wrote-A\n');

const b = makeSnapshot('B', Date.UTC(2026, 10, 2), 4000);
const half = b.instances.length / 2;
const instances = b.instances;
// An iterable that stalls the synchronous write loop after `half` rows: the transaction is open and partly written.
b.instances = {
  length: instances.length,
  [Symbol.iterator]: function* () {
    for (let n = 0; n < instances.length; n++) {
      if (n === half) {
        writeSync(1, `writing-B ${n}\n`);
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120_000);
      }
      yield instances[n];
    }
  },
} as unknown as typeof instances;
await store.writeSnapshot(b);
writeSync(1, 'committed-B\n'); // never reached: the parent kills us first
