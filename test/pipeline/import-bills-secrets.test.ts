import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigSchema, hasSecretInUri } from '../../src/config.js';
import { importBills } from '../../src/pipeline/import-bills.js';
import { openSqliteSpendLedger } from '../../src/store/spend/sqlite-spend-ledger.js';

const SAS = 'https://acct.blob.core.windows.net/exports/focus/daily?sv=2024-08-04&sr=c&sp=rl&sig=c2VjcmV0LXNpZ25hdHVyZQ%3D%3D';

describe('bill locations that carry a secret', () => {
  it('tells a signed or credentialed URL from a plain one', () => {
    expect(hasSecretInUri(SAS)).toBe(true);
    expect(hasSecretInUri('https://bucket.s3.amazonaws.com/x.parquet?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=abc')).toBe(true);
    expect(hasSecretInUri('https://storage.googleapis.com/b/x.csv?X-Goog-Signature=abc')).toBe(true);
    expect(hasSecretInUri('https://user:pa55@example.com/bill.csv')).toBe(true);
    expect(hasSecretInUri('https://acct.blob.core.windows.net/exports/focus/daily')).toBe(false);
    expect(hasSecretInUri('s3://bucket/prefix/export')).toBe(false);
    expect(hasSecretInUri('./bills/focus.csv')).toBe(false);
  });

  it('refuses one in the config, naming the field and never echoing the signature', () => {
    const parsed = ConfigSchema.safeParse({ billing: { exports: [{ uri: SAS }] } });
    expect(parsed.success).toBe(false);
    const issue = parsed.error!.issues[0]!;
    expect(issue.path).toEqual(['billing', 'exports', 0, 'uri']);
    expect(issue.message).toContain('is a secret');
    expect(JSON.stringify(parsed.error!.issues)).not.toContain('c2VjcmV0');
  });

  it('refuses one given on the command line: the source fails without touching it, and the signature is not in the outcome', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rs-sas-'));
    const ledger = openSqliteSpendLedger({ dataDir: dir });
    try {
      const out = await importBills({ config: ConfigSchema.parse({}), ledger, env: {}, nowMs: Date.UTC(2026, 10, 30), uris: [SAS] });
      expect(out.failed).toBe(1);
      expect(out.sources).toHaveLength(1);
      expect(out.sources[0]).toMatchObject({ status: 'failed', source: 'https://acct.blob.core.windows.net/exports/focus/daily?…' });
      expect(JSON.stringify(out)).not.toContain('c2VjcmV0');
      expect(await ledger.listImports()).toEqual([]);
    } finally {
      await ledger.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
