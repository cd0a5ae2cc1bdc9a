import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';

/**
 * `rightsize billing import` and `rightsize spend`, run in-process with captured streams against a temp data dir.
 * Expected amounts come from the FOCUS sample parsed here with csv-parse and summed with Number.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SAMPLE = path.join(root, 'test/fixtures/billing/focus-1.0-sample-1000rows.csv');
const SEPT = ['--from', '2024-09-01', '--to', '2024-09-30'];
const NOW_MS = Date.UTC(2024, 9, 5, 12);

const [HEADER, ...RECORDS] = parse(readFileSync(SAMPLE), { bom: true }) as string[][];
if (!HEADER) throw new Error('sample has no header');
const col = (name: string) => {
  const i = HEADER.indexOf(name);
  if (i < 0) throw new Error(`sample has no ${name}`);
  return i;
};
const C = { billed: col('BilledCost'), effective: col('EffectiveCost'), provider: col('ProviderName'), service: col('ServiceName'), chargeStart: col('ChargePeriodStart'), chargeCategory: col('ChargeCategory'), period: col('BillingPeriodStart'), tags: col('Tags'), subAccount: col('SubAccountId') };

/** RFC 4180, every field quoted. */
function toCsv(header: readonly string[], records: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => cells.map((c) => `"${c.replaceAll('"', '""')}"`).join(',');
  return [line(header), ...records.map(line)].join('\r\n') + '\r\n';
}

/** BilledCost and EffectiveCost summed per key over `records`. */
function sums(records: readonly string[][], key: (r: string[]) => string) {
  const out = new Map<string, { billed: number; amortized: number; rows: number }>();
  for (const r of records) {
    const s = out.get(key(r)) ?? { billed: 0, amortized: 0, rows: 0 };
    s.billed += Number(r[C.billed]);
    s.amortized += Number(r[C.effective]);
    s.rows += 1;
    out.set(key(r), s);
  }
  return out;
}
const byProvider = (records: readonly string[][]) => sums(records, (r) => r[C.provider] as string);

function sink() {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      chunks.push(Buffer.from(chunk));
      cb();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'rightsize-cli-billing-'));
  writeFileSync(path.join(dir, 'rightsize.config.json'), '{}\n');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** One CLI run in this process: a config of defaults, the data dir in the temp dir, a fixed clock. */
async function rightsize(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = sink();
  const err = sink();
  const env = { RIGHTSIZE_DATA_DIR: path.join(dir, 'state'), RIGHTSIZE_CONFIG: path.join(dir, 'rightsize.config.json'), COLUMNS: '160' };
  const code = await runCli(argv, { env, stdout: out.stream, stderr: err.stream, nowMs: () => NOW_MS });
  return { code, stdout: out.text(), stderr: err.text() };
}

interface SpendJson { from: string; to: string; basis: string; groupBy: string[]; totalUsd: number; groups: { key: Record<string, string>; costUsd: number; rowCount: number }[]; datasetsUsed: string[] }

async function spendJson(...args: string[]): Promise<SpendJson> {
  const r = await rightsize('spend', ...SEPT, '--json', ...args);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as SpendJson;
}

function expectProviderTotals(body: SpendJson, expected: ReturnType<typeof byProvider>, basis: 'billed' | 'amortized') {
  expect(body.groups.map((g) => g.key['provider']).sort()).toEqual([...expected.keys()].sort());
  for (const g of body.groups) {
    expect(g.costUsd, g.key['provider']).toBeCloseTo(expected.get(g.key['provider'] as string)?.[basis] ?? Number.NaN, 6);
    expect(g.rowCount, g.key['provider']).toBe(expected.get(g.key['provider'] as string)?.rows);
  }
  expect(body.totalUsd).toBeCloseTo([...expected.values()].reduce((s, x) => s + x[basis], 0), 6);
}

/** `$1,234.56` / `-$0.15` → number. */
const money = (s: string) => Number(s.replace(/[$,]/g, ''));

describe('rightsize billing import', () => {
  it('imports the sample: exit 0, each billing period with its rows, the problems with an example', async () => {
    const r = await rightsize('billing', 'import', SAMPLE);
    expect(r.code, r.stderr).toBe(0);
    const perPeriod = sums(RECORDS, (x) => (x[C.period] as string).slice(0, 7));
    expect([...perPeriod.keys()].sort()).toEqual(['2024-09', '2024-10']);
    expect(r.stdout).toContain(`${SAMPLE}: ok`);
    for (const [period, s] of perPeriod) {
      expect(r.stdout).toMatch(new RegExp(`^  ${period}: ${s.rows.toLocaleString('en-US')} rows? → \\d+ ledger lines?, 2024-09-\\d\\d … 2024-09-\\d\\d, FOCUS 1\\.0 \\(files: 1,000 rows read\\)$`, 'm'));
    }
    // Every row carries a literal NULL somewhere: counted once per row, with where the first one is.
    expect(r.stdout).toContain('repaired 1,000 × null-string (e.g. focus-1.0-sample-1000rows.csv row 1, ResourceName="NULL": literal NULL text read as null)');
    expect(RECORDS[0]?.[col('ResourceName')]).toBe('NULL');
    expect(r.stdout).toContain('billing import: 2 periods imported, 0 failed');
    expect(r.stderr).toContain('1000 of 1000 rows accepted');
  });

  it('re-importing the same file replaces its periods: spend totals and imports unchanged', async () => {
    expect((await rightsize('billing', 'import', SAMPLE)).code).toBe(0);
    const first = await spendJson('--by', 'provider,day');
    expect((await rightsize('billing', 'import', SAMPLE)).code).toBe(0);
    const second = await spendJson('--by', 'provider,day');
    expect(second).toEqual(first);
    expect(second.groups.reduce((n, g) => n + g.rowCount, 0)).toBe(RECORDS.length);
    expectProviderTotals(await spendJson('--by', 'provider'), byProvider(RECORDS), 'amortized');
  });

  it('a malformed copy: bad date, non-numeric cost and unknown ChargeCategory are rejected with row and column; the rest lands', async () => {
    const bad = RECORDS.map((r) => [...r]);
    // Data rows 5, 10 and 20 (1-based, after the header), all of the 2024-09 billing period.
    const edits: [number, number, string, string][] = [
      [5, C.chargeStart, '2024-09-31 10:00:00', 'bad-date'],
      [10, C.billed, '12,50', 'bad-number'],
      [20, C.chargeCategory, 'Refund', 'unknown-charge-category'],
    ];
    for (const [row, c, value] of edits) {
      expect(bad[row - 1]?.[C.period]).toBe('2024-09-01 00:00:00');
      (bad[row - 1] as string[])[c] = value;
    }
    const file = path.join(dir, 'malformed.csv');
    writeFileSync(file, toCsv(HEADER, bad));
    const r = await rightsize('billing', 'import', file);
    expect(r.code, r.stderr).toBe(0);
    for (const [row, c, value, kind] of edits) {
      expect(r.stdout).toMatch(new RegExp(`rejected 1 × ${kind} \\(e\\.g\\. malformed\\.csv row ${row}, ${HEADER[c]}=${JSON.stringify(value).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: [^)]+\\)`));
    }
    expect(r.stdout).toMatch(/^ {2}2024-09: 996 rows → \d+ ledger lines, .*\(files: 1,000 rows read, 3 rejected\)$/m);
    const kept = RECORDS.filter((_, i) => !edits.some(([row]) => row - 1 === i));
    expect(kept).toHaveLength(997);
    expectProviderTotals(await spendJson('--by', 'provider', '--basis', 'billed'), byProvider(kept), 'billed');
    expectProviderTotals(await spendJson('--by', 'provider'), byProvider(kept), 'amortized');
  });

  it('a file missing required columns fails alone, naming them; the good source in the same command still lands; exit 1', async () => {
    const drop = new Set([C.billed, C.chargeCategory]);
    const file = path.join(dir, 'missing-columns.csv');
    writeFileSync(file, toCsv(HEADER.filter((_, i) => !drop.has(i)), RECORDS.slice(0, 20).map((r) => r.filter((_, i) => !drop.has(i)))));
    const r = await rightsize('billing', 'import', file, SAMPLE);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${file}: failed`);
    const missing = /missing mandatory FOCUS columns: ([^(]+) \(/.exec(r.stdout)?.[1]?.trim();
    expect(missing?.split(', ').sort()).toEqual(['BilledCost', 'ChargeCategory']);
    expect(r.stdout).toContain(`${SAMPLE}: ok`);
    expect(r.stdout).toContain('billing import: 2 periods imported, 1 failed');
    const body = await spendJson('--by', 'provider');
    expect(body.datasetsUsed).toEqual([`file://${SAMPLE}`]);
    expectProviderTotals(body, byProvider(RECORDS), 'amortized');
  });
});

describe('rightsize spend', () => {
  it('--by provider prints each provider\'s total (to the cent) equal to the CSV sums, amortized and billed', async () => {
    expect((await rightsize('billing', 'import', SAMPLE)).code).toBe(0);
    const expected = byProvider(RECORDS);
    for (const basis of ['amortized', 'billed'] as const) {
      const r = await rightsize('spend', '--by', 'provider', ...SEPT, ...(basis === 'billed' ? ['--basis', 'billed'] : []));
      expect(r.code, r.stderr).toBe(0);
      const total = [...expected.values()].reduce((s, x) => s + x[basis], 0);
      const head = new RegExp(`Spend 2024-09-01 … 2024-09-30 \\(${basis}, FOCUS ${basis === 'billed' ? 'BilledCost' : 'EffectiveCost'}\\), by provider: (-?\\$[\\d,.]+); the bill has rows through 2024-09-30`).exec(r.stdout.replace(/\n/g, ' '));
      expect(head, r.stdout).not.toBeNull();
      expect(Math.abs(money(head?.[1] as string) - total)).toBeLessThanOrEqual(0.005 + 1e-9);
      expect(r.stdout).toMatch(new RegExp(`^provider\\s+${basis} \\(USD\\)\\s+list \\(USD\\)$`, 'm'));
      const printed = new Map([...r.stdout.matchAll(/^(AWS|Microsoft|Oracle)\s+(-?\$[\d,.]+)\s+(-?\$[\d,.]+)$/gm)].map((m) => [m[1] as string, money(m[2] as string)]));
      expect([...printed.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [provider, shown] of printed) expect(Math.abs(shown - (expected.get(provider)?.[basis] ?? Number.NaN)), provider).toBeLessThanOrEqual(0.005 + 1e-9);
      expect(r.stdout).toContain(`From: file://${SAMPLE}`);
    }
  });

  it('--json is one parseable document: the range, basis, grouping and groups equal the CSV sums; filters apply', async () => {
    expect((await rightsize('billing', 'import', SAMPLE)).code).toBe(0);
    const body = await spendJson('--by', 'provider', '--basis', 'billed');
    expect(body).toMatchObject({ from: '2024-09-01', to: '2024-09-30', basis: 'billed', groupBy: ['provider'] });
    expectProviderTotals(body, byProvider(RECORDS), 'billed');
    const aws = await spendJson('--by', 'service', '--cloud', 'aws');
    const awsServices = sums(RECORDS.filter((r) => r[C.provider] === 'AWS'), (r) => r[C.service] as string);
    expect(aws.groups.map((g) => g.key['service']).sort()).toEqual([...awsServices.keys()].sort());
    for (const g of aws.groups) expect(g.costUsd).toBeCloseTo(awsServices.get(g.key['service'] as string)?.amortized ?? Number.NaN, 6);
    const prod = await spendJson('--by', 'provider', '--tag', 'environment=prod');
    const prodRows = RECORDS.filter((r) => r[C.tags] !== 'NULL' && (JSON.parse(r[C.tags] as string) as Record<string, string>)['environment'] === 'prod');
    expect(prodRows.length).toBeGreaterThan(100);
    expectProviderTotals(prod, byProvider(prodRows), 'amortized');
  });

  it('with nothing imported says how to import, exit 0', async () => {
    const r = await rightsize('spend', ...SEPT);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No bill imported yet');
    expect(r.stdout.replace(/\s+/g, ' ')).toContain('rightsize billing import');
  });

  it('refuses bad --by, --from, --to, --basis, --cloud and --tag with a one-line message and exit 1', async () => {
    const cases: [string[], RegExp][] = [
      [['--by', 'nope'], /^rightsize: error: --by: unknown dimension "nope": use day, month, cloud, provider, .* or tag:<key>$/m],
      [['--by', 'day,provider,service,region'], /^rightsize: error: --by: at most 3 dimensions, got 4$/m],
      [['--by', 'provider,provider'], /^rightsize: error: --by: a dimension is repeated$/m],
      [['--from', '2024-13-01'], /^rightsize: error: --from: expected a day YYYY-MM-DD, got "2024-13-01"$/m],
      [['--from', '2024-02-30'], /^rightsize: error: --from: expected a day YYYY-MM-DD, got "2024-02-30"$/m],
      [['--from', 'last week'], /^rightsize: error: --from: expected a day YYYY-MM-DD, got "last week"$/m],
      [['--from', '2024-09-30', '--to', '2024-09-01'], /^rightsize: error: --from 2024-09-30 is after --to 2024-09-01$/m],
      [['--basis', 'modeled'], /^rightsize: error: --basis: amortized or billed, got "modeled"$/m],
      [['--cloud', 'oracle'], /^rightsize: error: --cloud: one of aws, gcp, azure, got "oracle"$/m],
      [['--tag', 'environment'], /^rightsize: error: --tag: expected key=value, got "environment"$/m],
    ];
    for (const [args, message] of cases) {
      const r = await rightsize('spend', ...args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stdout).toBe('');
    }
  });

  it('a spend-only flag given to another command is an error naming the flag', async () => {
    for (const [command, flag] of [['report', '--by'], ['analyze', '--from'], ['billing', '--basis'], ['collect', '--tag']] as const) {
      const argv = command === 'billing' ? ['billing', 'import', SAMPLE, flag, 'x'] : [command, flag, 'x'];
      const r = await rightsize(...argv);
      expect(r.code, command).toBe(1);
      expect(r.stderr).toContain(`rightsize: error: ${flag}: only rightsize spend takes it`);
    }
    // Nothing was imported by the refused billing command.
    expect((await rightsize('spend', ...SEPT)).stdout).toContain('No bill imported yet');
  });
});

describe('hostile text from the bill', () => {
  const ESC = '\u001b';
  const hostileService = `${ESC}[31mred${ESC}[0m ${ESC}]0;pwned\u0007 \u009b2J \u202eevil`;
  const hostileTag = `${ESC}[2J${ESC}[Hwiped`;
  const hostileAccount = `acct-${ESC}[8mhidden`;
  const hostileCategory = `${ESC}[5mRefund`;

  it('service, tag, account, file name and a rejected ChargeCategory are shown escaped: no control byte reaches the terminal', async () => {
    const rows = RECORDS.slice(0, 4).map((r) => [...r]);
    (rows[0] as string[])[C.service] = hostileService;
    (rows[0] as string[])[C.tags] = JSON.stringify({ team: hostileTag });
    (rows[0] as string[])[C.subAccount] = hostileAccount;
    (rows[2] as string[])[C.chargeCategory] = hostileCategory;
    const file = path.join(dir, `bill-${ESC}[31m.csv`);
    writeFileSync(file, toCsv(HEADER, rows));

    const imported = await rightsize('billing', 'import', file);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain('rejected 1 × unknown-charge-category');
    // Escaped once, as the table shows it (not JSON-quoted on top: `\\u{1b}` would read as a literal backslash).
    expect(imported.stdout).toContain('row 3, ChargeCategory="\\u{1b}[5mRefund": not a FOCUS ChargeCategory');

    const r = await rightsize('spend', ...SEPT, '--by', 'service,tag:team,account');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('\\u{1b}[31mred\\u{1b}[0m');
    expect(r.stdout).toContain('\\u{1b}[2J\\u{1b}[Hwiped');
    expect(r.stdout).toContain('acct-\\u{1b}[8mhidden');
    expect(r.stdout).toContain('\\u{202e}evil');

    for (const out of [imported.stdout, imported.stderr, r.stdout, r.stderr]) {
      // No C0/C1 control other than the newline, no bidi override.
      expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    }
    // --json keeps the values exact (JSON escapes the controls).
    const json = await spendJson('--by', 'service');
    expect(json.groups.map((g) => g.key['service'])).toContain(hostileService);
  });
});
