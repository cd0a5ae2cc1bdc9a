import { expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import { CLOUDS } from '../../src/domain/cloud.js';
import { demoTypeRegions } from '../../src/demo/layout.js';
import { generateDemoFleet } from '../../src/demo/fleet.js';

it('every type the demo can emit exists in the bundled catalog with an on-demand price in its region', () => {
  const catalog = loadCatalog();
  const missing: string[] = [];
  for (const cloud of CLOUDS) {
    for (const { type, region } of demoTypeRegions(cloud)) {
      if (!catalog.type(cloud, type)) missing.push(`${cloud} ${type}: unknown type`);
      else if (catalog.onDemandHourlyUsd(cloud, region, type) === undefined) missing.push(`${cloud} ${region} ${type}: no on-demand price`);
    }
  }
  const fleet = generateDemoFleet({ seed: 42, nowMs: Date.UTC(2026, 10, 22, 12) });
  for (const i of fleet.instances) {
    if (catalog.onDemandHourlyUsd(i.cloud, i.region, i.type) === undefined) missing.push(`${i.cloud} ${i.region} ${i.type}: demo instance ${i.id} unpriced`);
  }
  expect(missing).toEqual([]);
});
