import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { makeSnapshot } from '../helpers/fixtures-snapshot.js';

const here = path.dirname(fileURLToPath(import.meta.url));

it('a writer killed mid-snapshot leaves the previous snapshot intact and readable, and no trace of the new one', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rightsize-crash-'));
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'crash-writer.ts'), dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const killedMidWrite = await new Promise<boolean>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('writing-B')) {
          child.kill('SIGKILL');
          resolve(true);
        }
      });
      child.on('exit', () => resolve(false));
    });
    expect(killedMidWrite, `child output: ${out} ${err}`).toBe(true);
    await new Promise((resolve) => child.once('exit', resolve).once('close', resolve));
    expect(out).toContain('wrote-A');
    expect(out).not.toContain('committed-B');

    const store = openSqliteStore({ dataDir: dir });
    try {
      expect((await store.latestSnapshot())?.id).toBe('A');
      expect(await store.getSnapshotMeta('B')).toBeUndefined();
      expect(await store.instances('B')).toEqual([]);
      const expected = makeSnapshot('A', Date.UTC(2026, 10, 1), 50);
      const instances = await store.instances('A');
      expect(instances).toHaveLength(50);
      const probe = expected.series[17]!;
      const [stored] = (await store.seriesFor('A', probe.instanceId)).filter((s) => s.metric === probe.metric);
      expect(Array.from(stored!.max.slice(0, 10))).toEqual(Array.from(probe.max.slice(0, 10)));
      // The store still takes writes after recovery.
      await store.writeSnapshot(makeSnapshot('C', Date.UTC(2026, 10, 3), 5));
      expect((await store.latestSnapshot())?.id).toBe('C');
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('claims are exclusive across processes', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rightsize-claim-'));
  try {
    openSqliteStore({ dataDir: dir }).close();
    const script = `
      import { openSqliteStore } from ${JSON.stringify(path.join(here, '../../src/store/sqlite/sqlite-store.ts'))};
      const store = openSqliteStore({ dataDir: process.argv[1] });
      const results = [];
      for (let n = 0; n < 5; n++) results.push(await store.claimAlert('budget:k' + n, String(process.pid), 0));
      console.log(JSON.stringify(results));
      await store.close();`;
    const runs = await Promise.all(
      Array.from({ length: 6 }, () => {
        const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        return new Promise<string[]>((resolve, reject) => child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as string[]) : reject(new Error(`exit ${code}`)))));
      }),
    );
    for (let k = 0; k < 5; k++) {
      const claimed = runs.filter((r) => r[k] === 'claimed').length;
      expect(claimed).toBe(1);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
