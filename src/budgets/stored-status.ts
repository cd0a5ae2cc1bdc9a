import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Catalog } from '../catalog/catalog.js';
import type { BudgetConfig } from '../config.js';
import type { Store } from '../store/store.js';
import { readChannelStatus } from './channel-status.js';
import { budgetStatuses, type BudgetStatusDetail } from './evaluate.js';
import { periodBounds } from './period.js';
import type { SpendLedger } from '../store/spend/spend-ledger.js';

/**
 * Budget status kept in the store, computed once per snapshot and budget configuration (and again when the period
 * turns or it is older than `maxAgeMs`), so every API process — the CLI server or any Lambda container — serves it
 * with one blob read instead of evaluating the spend ledger (every snapshot of the period) per request. The alerts
 * run, which evaluates the ledger anyway, stores what it computed. Channel delivery states are read fresh on each
 * read: an alert sent since the status was computed shows at once.
 */

const StoredSchema = z.object({
  snapshotId: z.string().nullable(),
  /** The newest bill import it saw (budgets on a bill basis change when one lands). */
  billImportedAtMs: z.number().nullable().default(null),
  computedAtMs: z.number(),
  periods: z.array(z.string()),
  statuses: z.array(z.custom<BudgetStatusDetail>((v) => typeof v === 'object' && v !== null && typeof (v as { name?: unknown }).name === 'string')),
});

/** The blob of one budget configuration (its digest, so a config change never serves another config's status). */
export function budgetStatusKey(budgets: readonly BudgetConfig[]): string {
  return `budgets/status/${createHash('sha256').update(JSON.stringify(budgets)).digest('hex').slice(0, 16)}.json`;
}

const periodsAt = (budgets: readonly BudgetConfig[], nowMs: number) => budgets.map((b) => periodBounds(b.period, nowMs, b.timeZone).label);

/** Stores statuses computed at `nowMs` for the store's latest snapshot (called by the alerts run and on a miss). */
export async function putStoredBudgetStatuses(store: Store, budgets: readonly BudgetConfig[], statuses: readonly BudgetStatusDetail[], nowMs: number, billImportedAtMs?: number): Promise<void> {
  if (budgets.length === 0) return;
  const latest = await store.latestSnapshot();
  const body: z.infer<typeof StoredSchema> = { snapshotId: latest?.id ?? null, billImportedAtMs: billImportedAtMs ?? null, computedAtMs: nowMs, periods: periodsAt(budgets, nowMs), statuses: [...statuses] };
  await store.putBlob(budgetStatusKey(budgets), 'application/json', JSON.stringify(body));
}

/**
 * Budget statuses for the API: the stored ones while they are current (same latest snapshot, same periods, younger
 * than `maxAgeMs`), else computed from the ledger at `nowMs()` and stored.
 * @example createApp({ ..., budgets: storedBudgetStatusSource({ store, catalog, budgets: config.budgets, nowMs: Date.now }) })
 */
export function storedBudgetStatusSource(input: { store: Store; catalog: Catalog; budgets: readonly BudgetConfig[]; nowMs: () => number; maxAgeMs?: number; ledger?: SpendLedger }) {
  const maxAgeMs = input.maxAgeMs ?? 15 * 60_000;
  const key = budgetStatusKey(input.budgets);
  const list = async (): Promise<BudgetStatusDetail[]> => {
    const nowMs = input.nowMs();
    const [latest, blob, billImportedAtMs] = await Promise.all([input.store.latestSnapshot(), input.store.getBlob(key), input.ledger ? latestImportMs(input.ledger) : undefined]);
    const parsed = blob ? StoredSchema.safeParse(JSON.parse(blob.body)) : undefined;
    const stored = parsed?.success ? parsed.data : undefined;
    const current =
      stored !== undefined &&
      stored.snapshotId === (latest?.id ?? null) &&
      stored.billImportedAtMs === (billImportedAtMs ?? null) &&
      nowMs - stored.computedAtMs < maxAgeMs &&
      nowMs >= stored.computedAtMs &&
      stored.periods.join('|') === periodsAt(input.budgets, nowMs).join('|');
    if (current) return withChannelStates(input.store, stored.statuses);
    const statuses = await budgetStatuses({ store: input.store, catalog: input.catalog, budgets: input.budgets, nowMs, ledger: input.ledger });
    await putStoredBudgetStatuses(input.store, input.budgets, statuses, nowMs, billImportedAtMs);
    return statuses;
  };
  return {
    list,
    get: async (name: string) => (await list()).find((s) => s.name === name),
  };
}

async function withChannelStates(store: Store, statuses: readonly BudgetStatusDetail[]): Promise<BudgetStatusDetail[]> {
  return Promise.all(
    statuses.map(async (s) => ({
      ...s,
      channels: await Promise.all(
        s.channels.map(async (c) => {
          const last = await readChannelStatus(store, c.channel);
          return last ? { channel: c.channel, state: last.state, atMs: last.atMs, ...(last.detail ? { detail: last.detail } : {}) } : c;
        }),
      ),
    })),
  );
}

/** Epoch ms of the newest bill import, the stored budget status's second freshness key. */
export async function latestImportMs(ledger: SpendLedger): Promise<number | undefined> {
  return (await ledger.listImports())[0]?.importedAtMs;
}
