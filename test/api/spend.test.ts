import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.js';
import { importFocusExport } from '../../src/billing/import.js';
import { localBillingSource } from '../../src/billing/local-source.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { hashToken } from '../../src/config.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { openSqliteSpendLedger } from '../../src/store/spend/sqlite-spend-ledger.js';

/**
 * /v1/spend and /v1/spend/imports over a real SQLite spend ledger fed the real FOCUS 1.0 sample. Every expected
 * number comes from the CSV parsed here with csv-parse and summed with Number, not through the importer.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SAMPLE = path.join(root, 'test/fixtures/billing/focus-1.0-sample-1000rows.csv');
const TOKEN = 'spend-test-token-0123456789';
const AUTH = { authorization: `Bearer ${TOKEN}` };

type Rec = Record<string, string>;
const records = parse(readFileSync(SAMPLE), { bom: true, columns: true }) as Rec[];
const isNull = (cell: string | undefined) => cell === undefined || cell === '' || cell.toUpperCase() === 'NULL';
/** `2024-09-18 22:00:00` is UTC (FOCUS Date/Time has no zone): its UTC day. */
const utcDay = (cell: string) => new Date(Date.parse(`${cell.replace(' ', 'T')}Z`)).toISOString().slice(0, 10);
const tagsOf = (r: Rec): Record<string, string> => (isNull(r['Tags']) ? {} : (JSON.parse(r['Tags'] as string) as Record<string, string>));

/** Sums of BilledCost and EffectiveCost, and row counts, per key of the rows `keep` lets through. */
function sums(key: (r: Rec) => string, keep: (r: Rec) => boolean = () => true) {
  const out = new Map<string, { billed: number; amortized: number; rows: number }>();
  for (const r of records) {
    if (!keep(r)) continue;
    const k = key(r);
    const s = out.get(k) ?? { billed: 0, amortized: 0, rows: 0 };
    s.billed += Number(r['BilledCost']);
    s.amortized += Number(r['EffectiveCost']);
    s.rows += 1;
    out.set(k, s);
  }
  return out;
}

interface SpendBody {
  from: string; to: string; basis: string; groupBy: string[]; totalUsd: number;
  groups: { key: Record<string, string>; costUsd: number; listCostUsd: number; rowCount: number }[];
  datasets: string[]; shadowed: unknown[]; dataThroughDay: string | null;
}
interface ProblemBody { status: number; title: string; detail: string; errors?: { path: string; message: string }[] }

let dir: string;
let app: ReturnType<typeof createApp>;
let bare: ReturnType<typeof createApp>;
let closers: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'rightsize-api-spend-'));
  const ledger = openSqliteSpendLedger({ dataDir: path.join(dir, 'ledger') });
  const outcomes = await importFocusExport(await localBillingSource(SAMPLE), ledger, { exchangeRatesToUsd: { USD: 1 }, nowMs: Date.UTC(2024, 9, 5, 12) });
  expect(outcomes.map((o) => o.status)).toEqual(['imported', 'imported']);
  const store = openSqliteStore({ dataDir: path.join(dir, 'store') });
  const bareStore = openSqliteStore({ dataDir: path.join(dir, 'bare') });
  const catalog = loadCatalog();
  const common = { catalog, advise: () => [], auth: { tokenSha256: [hashToken(TOKEN)] }, nowMs: () => Date.UTC(2024, 9, 5, 12) };
  app = createApp({ ...common, store, ledger });
  bare = createApp({ ...common, store: bareStore });
  closers = [() => ledger.close(), () => store.close(), () => bareStore.close()];
});
afterAll(async () => {
  for (const close of closers) await close();
  rmSync(dir, { recursive: true, force: true });
});

const get = (url: string, headers: Record<string, string> = AUTH, on = app) => on.request(url, { headers });

async function spend(query: string): Promise<SpendBody> {
  const res = await get(`/v1/spend?${query}`);
  expect(res.status, await res.clone().text()).toBe(200);
  expect(res.headers.get('content-type')).toContain('application/json');
  return (await res.json()) as SpendBody;
}

async function expectProblem(res: Response, status: number): Promise<ProblemBody> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  const body = (await res.json()) as ProblemBody;
  expect(body.status).toBe(status);
  expect(JSON.stringify(body)).not.toMatch(/\n\s+at /);
  return body;
}

/** Each group's cost (in `basis`) equals the independent sum for its key, and no key is missing or extra. */
function expectGroups(body: SpendBody, dim: string, expected: Map<string, { billed: number; amortized: number; rows: number }>, basis: 'billed' | 'amortized') {
  expect(body.groups.map((g) => g.key[dim]).sort()).toEqual([...expected.keys()].sort());
  for (const g of body.groups) {
    const want = expected.get(g.key[dim] as string);
    expect(g.costUsd, `${dim}=${g.key[dim]}`).toBeCloseTo(want?.[basis] ?? Number.NaN, 3);
    expect(g.rowCount, `${dim}=${g.key[dim]}`).toBe(want?.rows);
  }
  const total = [...expected.values()].reduce((s, x) => s + x[basis], 0);
  expect(body.totalUsd).toBeCloseTo(total, 3);
  // Largest first.
  for (let i = 1; i < body.groups.length; i++) expect(body.groups[i - 1]!.costUsd).toBeGreaterThanOrEqual(body.groups[i]!.costUsd);
}

const SEPT = 'from=2024-09-01&to=2024-09-30';

describe('GET /v1/spend on the FOCUS 1.0 sample', () => {
  it('by provider: amortized (EffectiveCost) and billed (BilledCost) totals equal the CSV sums, over every billing period', async () => {
    const byProvider = sums((r) => r['ProviderName'] as string);
    expect([...byProvider.keys()].sort()).toEqual(['AWS', 'Microsoft', 'Oracle']);
    expect(byProvider.get('AWS')?.rows).toBe(942);
    const amortized = await spend(`${SEPT}&by=provider`);
    expect(amortized).toMatchObject({ from: '2024-09-01', to: '2024-09-30', basis: 'amortized', groupBy: ['provider'], shadowed: [], dataThroughDay: '2024-09-30' });
    expect(amortized.datasets).toEqual([`file://${SAMPLE}`]);
    expectGroups(amortized, 'provider', byProvider, 'amortized');
    const billed = await spend(`${SEPT}&by=provider&basis=billed`);
    expect(billed.basis).toBe('billed');
    expectGroups(billed, 'provider', byProvider, 'billed');
    // The two bases differ on this bill (credits, Oracle's zero EffectiveCost): the basis is really applied.
    expect(Math.abs(billed.totalUsd - amortized.totalUsd)).toBeGreaterThan(0.01);
    // The one row billed in the 2024-10 period (an Oracle charge of Sept 30th) counts on its charge day.
    const october = records.filter((r) => (r['BillingPeriodStart'] as string).startsWith('2024-10'));
    expect(october).toHaveLength(1);
    expect(utcDay(october[0]!['ChargePeriodStart'] as string)).toBe('2024-09-30');
  });

  it('by day: every UTC day of ChargePeriodStart with its total; a narrower range keeps only its days', async () => {
    const byDay = sums((r) => utcDay(r['ChargePeriodStart'] as string));
    expectGroups(await spend(`${SEPT}&by=day&basis=billed`), 'day', byDay, 'billed');
    expectGroups(await spend(`${SEPT}&by=day`), 'day', byDay, 'amortized');
    const mid = new Map([...byDay].filter(([d]) => d >= '2024-09-10' && d <= '2024-09-12'));
    expect(mid.size).toBe(3);
    expectGroups(await spend('from=2024-09-10&to=2024-09-12&by=day'), 'day', mid, 'amortized');
    // Default grouping is by day; the default range is this month so far (the app's clock: 2024-10-05).
    expect((await spend(SEPT)).groupBy).toEqual(['day']);
    const defaults = await spend('');
    expect(defaults).toMatchObject({ from: '2024-10-01', to: '2024-10-05', groupBy: ['day'], groups: [], totalUsd: 0 });
  });

  it('by service for cloud=aws only: the AWS rows summed per ServiceName', async () => {
    const aws = sums((r) => r['ServiceName'] as string, (r) => r['ProviderName'] === 'AWS');
    const body = await spend(`${SEPT}&by=service&cloud=aws&basis=billed`);
    expectGroups(body, 'service', aws, 'billed');
    expect(body.groups.some((g) => g.key['service'] === 'Storage Accounts')).toBe(false); // an Azure service
  });

  it('filters on tag=key=value and groups by tag:<key> (untagged rows under "")', async () => {
    const prod = sums((r) => r['ProviderName'] as string, (r) => tagsOf(r)['environment'] === 'prod');
    expect([...prod.values()].reduce((n, x) => n + x.rows, 0)).toBeGreaterThan(100);
    expectGroups(await spend(`${SEPT}&by=provider&tag=${encodeURIComponent('environment=prod')}`), 'provider', prod, 'amortized');

    const byEnv = sums((r) => tagsOf(r)['environment'] ?? '');
    expect(byEnv.has('')).toBe(true);
    const grouped = await spend(`${SEPT}&by=${encodeURIComponent('tag:environment')}&basis=billed`);
    expect(grouped.groupBy).toEqual(['tag:environment']);
    expectGroups(grouped, 'tag:environment', byEnv, 'billed');

    // A key with a leading space (as the sample has: " org") is a different key from "org".
    const spaced = sums((r) => r['ProviderName'] as string, (r) => tagsOf(r)[' org'] === 'trey');
    expect(spaced.size).toBeGreaterThan(0);
    expectGroups(await spend(`${SEPT}&by=provider&tag=${encodeURIComponent(' org=trey')}`), 'provider', spaced, 'amortized');
  });

  it('groups by several dimensions at once (provider, chargeCategory)', async () => {
    const body = await spend(`${SEPT}&by=provider,chargeCategory&basis=billed`);
    const want = sums((r) => `${r['ProviderName']}|${r['ChargeCategory']}`);
    expect(body.groups.map((g) => `${g.key['provider']}|${g.key['chargeCategory']}`).sort()).toEqual([...want.keys()].sort());
    for (const g of body.groups) expect(g.costUsd).toBeCloseTo(want.get(`${g.key['provider']}|${g.key['chargeCategory']}`)?.billed ?? Number.NaN, 3);
  });

  it('a range outside the bill answers zero groups, not an error', async () => {
    const body = await spend('from=2024-08-01&to=2024-08-31&by=provider');
    expect(body.groups).toEqual([]);
    expect(body.totalUsd).toBe(0);
  });
});

describe('GET /v1/spend input errors: 400 problem+json naming the field', () => {
  const cases: [string, string][] = [
    [`${SEPT}&by=nope`, 'query.by'],
    [`${SEPT}&by=day,provider,service,region`, 'query.by'],
    [`${SEPT}&by=day,day`, 'query.by'],
    [`${SEPT}&by=tag:`, 'query.by'],
    ['from=2024-09-30&to=2024-09-01', 'query.from'],
    ['from=2023-01-01&to=2024-09-30', 'query.to'],
    ['from=2024-9-01&to=2024-09-30', 'query.from'],
    ['from=2024-09-01&to=yesterday', 'query.to'],
    ['from=2024-02-30&to=2024-03-05', 'query.from'],
    ['from=2023-02-29&to=2023-03-05', 'query.from'],
    [`${SEPT}&basis=modeled`, 'query.basis'],
    [`${SEPT}&cloud=oracle`, 'query.cloud'],
    [`${SEPT}&tag=environment`, 'query.tag'],
    [`${SEPT}&group=provider`, 'query.group'],
    [`${SEPT}&by=day&by=provider`, 'query.by'],
    ['from=2024-09-01&from=2024-09-02&to=2024-09-30', 'query.from'],
  ];
  for (const [query, field] of cases) {
    it(`${query} → ${field}`, async () => {
      const body = await expectProblem(await get(`/v1/spend?${query}`), 400);
      expect(body.errors?.map((e) => e.path)).toContain(field);
      for (const e of body.errors ?? []) expect(e.message.length).toBeGreaterThan(0);
    });
  }

  it('names an unknown parameter as such, and a 400-day range is the most allowed', async () => {
    const unknown = await expectProblem(await get(`/v1/spend?${SEPT}&group=provider`), 400);
    expect(unknown.errors).toEqual([{ path: 'query.group', message: 'unknown parameter' }]);
    // 2024-01-01 … 2025-02-03 is exactly 400 days (2024 is a leap year); one more is refused.
    expect((await get('/v1/spend?from=2024-01-01&to=2025-02-03')).status).toBe(200);
    const over = await expectProblem(await get('/v1/spend?from=2024-01-01&to=2025-02-04'), 400);
    expect(over.errors?.[0]?.message).toContain('400');
    expect((await get('/v1/spend?from=2024-02-29&to=2024-02-29')).status).toBe(200);
  });

  it('unknown parameters on /v1/spend/imports are refused too', async () => {
    const body = await expectProblem(await get('/v1/spend/imports?limit=5'), 400);
    expect(body.errors).toEqual([{ path: 'query.limit', message: 'unknown parameter' }]);
  });
});

describe('auth, imports, absence and the OpenAPI document', () => {
  it('requires the bearer token on both routes', async () => {
    for (const url of [`/v1/spend?${SEPT}`, '/v1/spend/imports']) {
      const none = await expectProblem(await get(url, {}), 401);
      expect(none.detail).toContain('bearer');
      await expectProblem(await get(url, { authorization: 'Bearer not-the-token' }), 401);
      // The ledger's numbers never leak into a refusal.
      expect(JSON.stringify(none)).not.toContain('AWS');
    }
  });

  it('lists the import: one record per billing period, 1000 rows read, accepted rows per period, the NULL strings counted', async () => {
    const res = await get('/v1/spend/imports');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: { datasetId: string; billingPeriod: string; via: string; focusVersion?: string; files: string[]; rowsRead: number; rowsAccepted: number; ledgerRows: number; importedAt: string; dataThrough: string | null; firstDay: string | null; lastDay: string | null; notes: string[]; problems: { kind: string; effect: string; count: number; examples: { row: number; column: string; value: string }[] }[] }[] };
    const perPeriod = sums((r) => (r['BillingPeriodStart'] as string).slice(0, 7));
    expect(body.items.map((i) => i.billingPeriod).sort()).toEqual([...perPeriod.keys()].sort());
    // Rows carrying a literal NULL in some cell: each is counted once (rows, not cells).
    const nullRows = records.filter((r) => Object.values(r).some((v) => v.toUpperCase() === 'NULL')).length;
    expect(nullRows).toBe(1000);
    const latestChargeEnd = Math.max(...records.map((r) => Date.parse(`${(r['ChargePeriodEnd'] as string).replace(' ', 'T')}Z`)));
    for (const item of body.items) {
      expect(item).toMatchObject({ datasetId: `file://${SAMPLE}`, via: 'focus-csv', focusVersion: '1.0', files: [SAMPLE], rowsRead: 1000, importedAt: '2024-10-05T12:00:00.000Z' });
      expect(item.rowsAccepted).toBe(perPeriod.get(item.billingPeriod)?.rows);
      expect(item.ledgerRows).toBeGreaterThan(0);
      expect(item.ledgerRows).toBeLessThanOrEqual(item.rowsAccepted);
      expect(item.dataThrough).toBe(new Date(latestChargeEnd).toISOString());
      const days = records.filter((r) => (r['BillingPeriodStart'] as string).startsWith(item.billingPeriod)).map((r) => utcDay(r['ChargePeriodStart'] as string)).sort();
      expect([item.firstDay, item.lastDay]).toEqual([days[0], days.at(-1)]);
      expect(item.notes).toEqual([]);
      expect(item.problems).toHaveLength(1);
      const nulls = item.problems[0];
      expect(nulls).toMatchObject({ kind: 'null-string', effect: 'repaired', count: nullRows });
      expect(nulls?.examples.length).toBeGreaterThan(0);
      for (const ex of nulls?.examples ?? []) {
        expect(ex.value.toUpperCase()).toBe('NULL');
        expect(records[ex.row - 1]?.[ex.column]?.toUpperCase()).toBe('NULL');
      }
    }
  });

  it('without a ledger both routes answer 404 problem+json saying how to import a bill (after auth)', async () => {
    for (const url of ['/v1/spend', `/v1/spend?${SEPT}&by=provider`, '/v1/spend/imports']) {
      const body = await expectProblem(await get(url, AUTH, bare), 404);
      expect(body.detail).toContain('billing import');
      await expectProblem(await get(url, {}, bare), 401);
    }
  });

  it('documents both routes in /openapi.json with their parameters and the problem responses', async () => {
    const res = await app.request('/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { paths: Record<string, { get?: { parameters?: { name: string; in: string }[]; responses: Record<string, unknown> } }> };
    const spendOp = doc.paths['/v1/spend']?.get;
    const importsOp = doc.paths['/v1/spend/imports']?.get;
    expect(spendOp).toBeDefined();
    expect(importsOp).toBeDefined();
    expect(spendOp?.parameters?.map((p) => p.name).sort()).toEqual(['account', 'basis', 'by', 'cloud', 'from', 'provider', 'region', 'service', 'tag', 'to']);
    for (const op of [spendOp, importsOp]) expect(Object.keys(op?.responses ?? {})).toEqual(expect.arrayContaining(['200', '400', '401']));
  });
});
