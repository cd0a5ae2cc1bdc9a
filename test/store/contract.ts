import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { InvalidCursorError } from '../../src/store/cursor.js';
import { makeRecommendation, makeSnapshot } from '../helpers/fixtures-snapshot.js';

const T0 = Date.UTC(2026, 10, 16, 12);
const HOUR_MS = 3_600_000;

/**
 * The behaviour every Store implementation must have. `makeStore` returns a fresh, empty store and a cleanup.
 * Invoked by test/store/sqlite.test.ts (and by the DynamoDB store's test).
 */
export function runStoreContract(name: string, makeStore: () => Promise<{ store: Store; cleanup: () => Promise<void> }>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      ({ store, cleanup } = await makeStore());
    });
    afterEach(async () => {
      await store.close();
      await cleanup();
    });

    it('round-trips a snapshot: meta, instances and series bytes, NaN preserved', async () => {
      const snap = makeSnapshot('s1', T0, 12);
      await store.writeSnapshot(snap);
      const meta = await store.getSnapshotMeta('s1');
      expect(meta?.instanceCount).toBe(12);
      expect(meta?.windowEndMs).toBe(snap.windowEndMs);
      expect((await store.latestSnapshot())?.id).toBe('s1');
      const instances = await store.instances('s1');
      expect(instances.map((i) => i.id)).toEqual(snap.instances.map((i) => i.id).sort());
      const first = snap.instances[0]!;
      expect(await store.getInstance('s1', first.id)).toEqual(first);
      const series = await store.seriesFor('s1', first.id);
      expect(series.map((s) => s.metric)).toEqual(['cpu', 'mem']);
      const original = snap.series.find((s) => s.instanceId === first.id && s.metric === 'cpu')!;
      const cpu = series.find((s) => s.metric === 'cpu')!;
      expect(cpu.startMs).toBe(original.startMs);
      expect(Array.from(cpu.max.slice(0, -1))).toEqual(Array.from(original.max.slice(0, -1)));
      expect(Number.isNaN(cpu.max[cpu.max.length - 1])).toBe(true);
      expect(cpu.mean[3]).toBe(original.mean[3]);
    });

    it('latest is the snapshot that finished last; history is kept', async () => {
      await store.writeSnapshot(makeSnapshot('old', T0 - 24 * HOUR_MS, 3));
      await store.writeSnapshot(makeSnapshot('new', T0, 3));
      expect((await store.latestSnapshot())?.id).toBe('new');
      const between = await store.snapshotsBetween(T0 - 48 * HOUR_MS, T0 + 1);
      expect(between.map((m) => m.id)).toEqual(['old', 'new']);
    });

    it('streams series grouped by instance in id order', async () => {
      const snap = makeSnapshot('s1', T0, 7);
      await store.writeSnapshot(snap);
      const groups: string[] = [];
      for await (const g of store.seriesByInstance('s1')) {
        expect(g.series.every((s) => s.instanceId === g.instanceId)).toBe(true);
        expect(g.series).toHaveLength(2);
        groups.push(g.instanceId);
      }
      expect(groups).toEqual(snap.instances.map((i) => i.id).sort());
    });

    it('paginates instances with no duplicates or gaps and filters by cloud, state and tag', async () => {
      const snap = makeSnapshot('s1', T0, 25);
      await store.writeSnapshot(snap);
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await store.listInstances('s1', {}, cursor ? { limit: 4, cursor } : { limit: 4 });
        seen.push(...page.items.map((i) => i.id));
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor);
      expect(pages).toBe(7); // ceil(25 / 4)
      expect(seen).toEqual(snap.instances.map((i) => i.id).sort());

      const aws = await store.listInstances('s1', { cloud: 'aws' }, { limit: 100 });
      expect(aws.items.length).toBe(snap.instances.filter((i) => i.cloud === 'aws').length);
      const stopped = await store.listInstances('s1', { state: 'stopped' }, { limit: 100 });
      expect(stopped.items.map((i) => i.id)).toEqual(snap.instances.filter((i) => i.state === 'stopped').map((i) => i.id).sort());
      const prod = await store.listInstances('s1', { tag: 'env=prod' }, { limit: 100 });
      expect(prod.items.length).toBe(snap.instances.filter((i) => i.tags['env'] === 'prod').length);
      const anyEnv = await store.listInstances('s1', { tag: 'env' }, { limit: 100 });
      expect(anyEnv.items.length).toBe(snap.instances.filter((i) => 'env' in i.tags).length);
    });

    it('rejects a malformed cursor with InvalidCursorError', async () => {
      await store.writeSnapshot(makeSnapshot('s1', T0, 3));
      await expect(store.listInstances('s1', {}, { limit: 2, cursor: 'not-a-cursor' })).rejects.toBeInstanceOf(InvalidCursorError);
      await expect(store.listRecommendations('s1', {}, { limit: 2, cursor: Buffer.from('[1]').toString('base64url') })).rejects.toBeInstanceOf(InvalidCursorError);
    });

    it('lists recommendations by savings or risk with filters, across pages, and replaces results idempotently', async () => {
      const snap = makeSnapshot('s1', T0, 30);
      await store.writeSnapshot(snap);
      const recs = snap.instances.map((inst, n) => makeRecommendation('s1', inst, (n * 37) % 50, n % 5, n % 6 === 0 ? 'idle' : 'downsize'));
      await store.writeResults({ snapshotId: 's1', recommendations: recs, skips: [], plans: [] });
      await store.writeResults({ snapshotId: 's1', recommendations: recs, skips: [], plans: [] }); // re-run: same rows

      const all: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.listRecommendations('s1', {}, cursor ? { limit: 7, cursor } : { limit: 7 });
        all.push(...page.items.map((r) => r.id));
        cursor = page.nextCursor;
      } while (cursor);
      const expected = [...recs].sort((a, b) => b.monthlySavingsUsd - a.monthlySavingsUsd || a.id.localeCompare(b.id)).map((r) => r.id);
      expect(all).toEqual(expected);

      const byRisk: string[] = [];
      cursor = undefined;
      do {
        const page = await store.listRecommendations('s1', { sort: 'risk' }, cursor ? { limit: 4, cursor } : { limit: 4 });
        byRisk.push(...page.items.map((r) => r.id));
        cursor = page.nextCursor;
      } while (cursor);
      const expectedRisk = [...recs]
        .sort((a, b) => b.risk - a.risk || b.monthlySavingsUsd - a.monthlySavingsUsd || a.id.localeCompare(b.id))
        .map((r) => r.id);
      expect(byRisk).toEqual(expectedRisk);

      const filtered = await store.listRecommendations('s1', { cloud: 'gcp', kind: 'downsize', minMonthlySavingsUsd: 20 }, { limit: 100 });
      const expectedFiltered = recs.filter((r) => r.cloud === 'gcp' && r.kind === 'downsize' && r.monthlySavingsUsd >= 20);
      expect(filtered.items.map((r) => r.id).sort()).toEqual(expectedFiltered.map((r) => r.id).sort());
      expect(await store.getRecommendation(recs[3]!.id)).toEqual(recs[3]);
      if (store.listRecommendationsJson) {
        // The JSON fast path returns exactly the same page.
        const parsedPage = await store.listRecommendations('s1', { cloud: 'aws', sort: 'risk' }, { limit: 5 });
        const rawPage = await store.listRecommendationsJson('s1', { cloud: 'aws', sort: 'risk' }, { limit: 5 });
        expect(rawPage.itemsJson.map((j) => JSON.parse(j) as unknown)).toEqual(parsedPage.items);
        expect(rawPage.nextCursor).toBe(parsedPage.nextCursor);
      }
    });

    it('stores skips and purchase plans per snapshot', async () => {
      await store.writeSnapshot(makeSnapshot('s1', T0, 2));
      const plan = {
        pool: 'aws:ec2:us-east-1:m5', snapshotId: 's1', cloud: 'aws' as const, region: 'us-east-1', family: 'm5', commitments: [], spot: null,
        monthlyCostAllOnDemandUsd: 10, monthlyCostCurrentUsd: 10, monthlyCostRecommendedUsd: 8, monthlySavingsUsd: 2, breakEvenMonth: null, evidence: {},
      };
      const skip = { snapshotId: 's1', instanceId: 'x', cloud: 'aws' as const, account: 'a', region: 'r', reason: 'insufficient-data' as const, detail: '10 h < 24 h' };
      await store.writeResults({ snapshotId: 's1', recommendations: [], skips: [skip], plans: [plan] });
      expect(await store.listSkips('s1')).toEqual([skip]);
      expect(await store.listPurchasePlans('s1')).toEqual([plan]);
      expect(await store.getPurchasePlan('s1', plan.pool)).toEqual(plan);
      expect(await store.getPurchasePlan('s1', 'nope')).toBeUndefined();
    });

    it('lets exactly one claimant claim an alert, releases failed sends, and never re-sends a sent alert', async () => {
      const claims = await Promise.all(Array.from({ length: 20 }, (_, n) => store.claimAlert('budget:2026-11:actual:80', `run-${n}`, T0)));
      expect(claims.filter((c) => c === 'claimed')).toHaveLength(1);
      expect(claims.filter((c) => c === 'claimed-by-other')).toHaveLength(19);
      await store.releaseAlert('budget:2026-11:actual:80', 'slack 500');
      expect(await store.claimAlert('budget:2026-11:actual:80', 'retry', T0 + 1)).toBe('claimed');
      await store.markAlertSent('budget:2026-11:actual:80', T0 + 2);
      await store.releaseAlert('budget:2026-11:actual:80', 'late failure'); // must not un-send
      expect(await store.claimAlert('budget:2026-11:actual:80', 'again', T0 + 3)).toBe('already-sent');
    });

    it('lets a claim abandoned past its 15-minute lease be claimed again, but never a live or sent one', async () => {
      expect(await store.claimAlert('k', 'dead-run', T0)).toBe('claimed');
      expect(await store.claimAlert('k', 'next', T0 + 14 * 60_000)).toBe('claimed-by-other');
      expect(await store.claimAlert('k', 'later', T0 + 16 * 60_000)).toBe('claimed');
      expect(await store.claimAlert('k', 'again', T0 + 17 * 60_000)).toBe('claimed-by-other');
      await store.markAlertSent('k', T0 + 17 * 60_000);
      expect(await store.claimAlert('k', 'much-later', T0 + 99 * 60_000)).toBe('already-sent');
    });

    it('stores blobs and lists them by prefix', async () => {
      await store.putBlob('reports/weekly/2026-W46.html', 'text/html', '<p>a</p>');
      await store.putBlob('reports/weekly/2026-W47.html', 'text/html', '<p>b</p>');
      await store.putBlob('reports/weekly/2026-W47.html', 'text/html', '<p>c</p>');
      await store.putBlob('other/x', 'text/plain', 'x');
      expect(await store.listBlobs('reports/weekly/')).toEqual(['reports/weekly/2026-W46.html', 'reports/weekly/2026-W47.html']);
      expect(await store.getBlob('reports/weekly/2026-W47.html')).toEqual({ contentType: 'text/html', body: '<p>c</p>' });
      expect(await store.getBlob('missing')).toBeUndefined();
    });

    it('prunes old snapshots with their rows but always keeps the latest', async () => {
      await store.writeSnapshot(makeSnapshot('a', T0 - 72 * HOUR_MS, 2));
      await store.writeSnapshot(makeSnapshot('b', T0 - 48 * HOUR_MS, 2));
      const inst = (await store.instances('a'))[0]!;
      await store.writeResults({ snapshotId: 'a', recommendations: [makeRecommendation('a', inst, 5, 1)], skips: [], plans: [] });
      expect((await store.prune(T0 - 60 * HOUR_MS)).snapshotsDeleted).toBe(1);
      expect(await store.getSnapshotMeta('a')).toBeUndefined();
      expect(await store.instances('a')).toEqual([]);
      expect(await store.getRecommendation(`a:${inst.id}`)).toBeUndefined();
      // Everything is older than the cutoff, but the latest survives.
      expect((await store.prune(T0 + 1)).snapshotsDeleted).toBe(0);
      expect((await store.latestSnapshot())?.id).toBe('b');
    });
  });
}
