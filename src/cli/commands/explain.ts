import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Instance } from '../../domain/instance.js';
import type { Recommendation } from '../../domain/recommendation.js';
import { RightsizeError } from '../../errors.js';
import { openStore } from '../../store/open.js';
import type { Store } from '../../store/store.js';
import type { Command } from '../context.js';
import { renderExplanation } from '../explain-render.js';
import { shortInstanceId } from '../findings.js';

/** A recommendation found, with its instance (for the name) when the snapshot has it. */
interface Found {
  rec: Recommendation;
  instance: Instance | undefined;
}

/**
 * Finds one recommendation by its id (`<snapshotId>:<instanceId>`), or in the latest (or `--snapshot`) analysis by
 * instance id, the short id the tables show, or the instance name (which must be unique).
 */
async function findRecommendation(store: Store, ref: string, snapshotId: string | undefined): Promise<Found | undefined> {
  const direct = await store.getRecommendation(ref);
  if (direct) return { rec: direct, instance: (await store.instances(direct.snapshotId)).find((i) => i.id === direct.instanceId) };
  const sid = snapshotId ?? (await store.latestSnapshot())?.id;
  if (!sid) return undefined;
  const byInstanceId = await store.getRecommendation(`${sid}:${ref}`);
  const instances = await store.instances(sid);
  if (byInstanceId) return { rec: byInstanceId, instance: instances.find((i) => i.id === byInstanceId.instanceId) };
  const matches = instances.filter((i) => i.name === ref || shortInstanceId(i.id) === ref);
  const withRecs: Found[] = [];
  for (const instance of matches) {
    const rec = await store.getRecommendation(`${sid}:${instance.id}`);
    if (rec) withRecs.push({ rec, instance });
  }
  if (withRecs.length > 1) throw new RightsizeError(`"${ref}" names ${withRecs.length} instances with a recommendation (${withRecs.map((f) => f.rec.instanceId).join(', ')}): give the instance id`);
  return withRecs[0];
}

/**
 * `rightsize explain <recommendation-id | instance-id | name>`: the full evidence of one stored recommendation. Looks
 * in the configured store, then (embedded store only) in the demo's store under `<dataDir>/demo`, so the ids
 * `rightsize demo` prints can be explained without changing the config. Exit 1 when it is in neither.
 */
export const explainCommand: Command = async (ctx, positionals) => {
  const ref = positionals[0];
  if (!ref) throw new RightsizeError('rightsize explain: which recommendation? Give its id, the instance id or the instance name (rightsize explain --help)');
  const stores: { label: string; open: () => Promise<Store> }[] = [{ label: ctx.config.dataDir, open: () => openStore(ctx.config, ctx.env) }];
  const demoDir = path.join(ctx.config.dataDir, 'demo');
  if (ctx.config.store.kind === 'sqlite' && existsSync(path.join(demoDir, 'rightsize.db'))) {
    stores.push({ label: demoDir, open: () => openStore({ ...ctx.config, dataDir: demoDir }, ctx.env) });
  }
  for (const [n, { label, open }] of stores.entries()) {
    const store = await open();
    try {
      const found = await findRecommendation(store, ref, ctx.flags.snapshot);
      if (!found) continue;
      if (n > 0) ctx.stderr.write(`rightsize: found in the demo store ${label}\n`);
      ctx.stdout.write(ctx.flags.json ? `${JSON.stringify({ recommendation: found.rec, instance: found.instance ?? null })}\n` : renderExplanation(found.rec, found.instance, ctx.width));
      return 0;
    } finally {
      await store.close();
    }
  }
  throw new RightsizeError(`no recommendation "${ref}" in ${stores.map((s) => s.label).join(' or ')}${ctx.flags.snapshot ? ` (snapshot ${ctx.flags.snapshot})` : ''}: run "rightsize analyze" and use an id, instance id or name it prints`);
};
