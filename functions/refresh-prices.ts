/**
 * Lambda handler (weekly): refreshes AWS and Azure prices into the store, where every other function lays them over
 * the bundled catalog. A region that fails keeps its last refreshed prices.
 */
import { refreshPrices } from '../src/pipeline/refresh-prices.js';
import { runtime } from '../src/deploy/runtime.js';

export async function handler(): Promise<{ written: string[]; failed: string[] }> {
  const { config, catalog, store } = await runtime();
  const out = await refreshPrices({ config, catalog, store, nowMs: Date.now() });
  const failed = out.scopes.filter((s) => s.status !== 'ok').map((s) => `${s.cloud}/${s.region}: ${s.status}${s.message ? ` (${s.message})` : ''}`);
  console.log(JSON.stringify({ msg: 'refresh-prices', written: out.written, ok: out.scopes.length - failed.length, failed }));
  return { written: out.written, failed };
}
