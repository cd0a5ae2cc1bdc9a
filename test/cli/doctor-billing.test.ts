import { describe, expect, it } from 'vitest';
import { checkBilling } from '../../src/cli/doctor/checks.js';
import { ConfigSchema } from '../../src/config.js';
import type { SpendImport } from '../../src/domain/spend.js';

const NOW = Date.UTC(2026, 10, 30, 12);
const DAY = 86_400_000;
const imp = (datasetId: string, importedAtMs: number, over: Partial<SpendImport> = {}): SpendImport => ({
  datasetId, billingPeriod: '2026-11', via: 'focus-parquet', bases: ['billed', 'amortized'], files: [], rowsRead: 10, rowsAccepted: 10, ledgerRows: 3, problems: [], importedAtMs, lastDay: '2026-11-28', ...over,
});

describe('rightsize doctor: the bill', () => {
  it('checks each configured export and how fresh each dataset\'s last import is', () => {
    const config = ConfigSchema.parse({ billing: { exports: [{ uri: '/bills/focus' }, { uri: '/nowhere' }, { uri: 's3://cur-bucket/exports/focus' }, { uri: 'https://acct.blob.core.windows.net/exports/focus/daily' }] } });
    const checks = checkBilling(
      config,
      [
        imp('file:///bills/focus', NOW - 2 * 3_600_000, { problems: [{ kind: 'bad-date', effect: 'rejected', count: 4, examples: [] }, { kind: 'null-string', effect: 'repaired', count: 9, examples: [] }] }),
        imp('s3://cur-bucket/exports/focus', NOW - 9 * DAY),
        imp('s3://cur-bucket/exports/focus', NOW - 10 * DAY, { billingPeriod: '2026-10' }),
      ],
      NOW,
      (p) => p === '/bills/focus',
    );
    const byName = Object.fromEntries(checks.map((c) => [c.name, c]));
    expect(byName['billing.exports.0.uri']?.status).toBe('ok');
    expect(byName['billing.exports.1.uri']).toMatchObject({ status: 'fail', detail: '/nowhere: no such file or folder' });
    expect(byName['billing.exports.2.uri']?.detail).toContain('AWS credentials');
    expect(byName['billing.exports.3.uri']?.detail).toContain('Azure credentials');
    // Today's import, with its rejected rows counted (repaired ones are not a problem for the run).
    expect(byName['bill file:///bills/focus']).toMatchObject({ status: 'ok', detail: 'imported today, bill through 2026-11-28, 4 rows rejected (GET /v1/spend/imports)' });
    // The newest of a dataset's imports decides: 9 days old is stale.
    expect(byName['bill s3://cur-bucket/exports/focus']).toMatchObject({ status: 'warn', detail: 'imported 9 days ago, bill through 2026-11-28' });
    expect(byName['bill s3://cur-bucket/exports/focus']?.fix).toContain('importBill');
  });

  it('has nothing to say without bills', () => {
    expect(checkBilling(ConfigSchema.parse({}), [], NOW, () => false)).toEqual([]);
  });
});
