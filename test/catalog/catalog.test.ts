import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CatalogDataError, BUNDLED_DATA_DIR, loadCatalog } from '../../src/catalog/load.js';
import { CLOUDS } from '../../src/domain/cloud.js';

const catalog = loadCatalog();

describe('bundled catalog', () => {
  it('holds at least 600 AWS, 200 GCP and 400 Azure types', () => {
    expect(catalog.types('aws').length).toBeGreaterThanOrEqual(600);
    expect(catalog.types('gcp').length).toBeGreaterThanOrEqual(200);
    expect(catalog.types('azure').length).toBeGreaterThanOrEqual(400);
  });

  it('gives every GPU type a count, a known GPU model and memory per GPU', () => {
    let gpuTypes = 0;
    for (const cloud of CLOUDS) {
      for (const t of catalog.types(cloud)) {
        if (!t.gpu) continue;
        gpuTypes += 1;
        expect(t.gpu.count, t.name).toBeGreaterThan(0);
        expect(t.gpu.memoryGiBPerGpu, t.name).toBeGreaterThan(0);
        expect(catalog.gpuModel(t.gpu.model), `${t.name} → ${t.gpu.model}`).toBeDefined();
      }
    }
    expect(gpuTypes).toBeGreaterThan(100);
  });

  it('pins known shapes', () => {
    expect(catalog.type('aws', 'p4d.24xlarge')).toMatchObject({ vcpu: 96, memoryGiB: 1152, gpu: { count: 8, model: 'a100-40gb', memoryGiBPerGpu: 40 } });
    // AWS reports the A10G's memory as 22,888 MiB: 24.0 GB in decimal units, as the product page says.
    const g5 = catalog.type('aws', 'g5.xlarge');
    expect(g5?.gpu).toMatchObject({ count: 1, model: 'a10g' });
    expect(Math.round(((g5?.gpu?.memoryGiBPerGpu ?? 0) * 2 ** 30) / 1e9)).toBe(24);
    expect(catalog.type('gcp', 'a2-highgpu-1g')).toMatchObject({ vcpu: 12, gpu: { count: 1, model: 'a100-40gb', memoryGiBPerGpu: 40 } });
    expect(catalog.type('azure', 'Standard_NC24ads_A100_v4')).toMatchObject({ vcpu: 24, gpu: { count: 1, model: 'a100-80gb', memoryGiBPerGpu: 80 } });
    expect(catalog.gpuModel('a100-40gb')?.relThroughput).toBe(1);
    // relThroughput is dense FP16 tensor TFLOPS / the A100's 312.
    for (const m of catalog.gpuModels()) expect(m.relThroughput, m.id).toBeCloseTo(m.fp16TensorTflops / 312, 2);
  });

  it('pins one price per cloud against its source file', () => {
    // karpenter zz_generated.pricing_aws.go, us-east-1, generated 2026-07-20
    expect(catalog.onDemandHourlyUsd('aws', 'us-east-1', 'g5.xlarge')).toBe(1.006);
    // opszero 2024-04 eu-west-1 m5.large: ondemand "0.107", spot_avg "0.043870"; opencost RI 0.040220700152207
    expect(catalog.onDemandHourlyUsd('aws', 'eu-west-1', 'm5.large')).toBe(0.107);
    expect(catalog.spotHourlyUsd('aws', 'eu-west-1', 'm5.large')).toBe(0.04387);
    expect(catalog.commitmentHourlyUsd('aws', 'eu-west-1', 'm5.large', { kind: 'ri', termYears: 3, payment: 'all-upfront' })).toBeCloseTo(0.040221, 6);
    // Cyclenerd 2026-07-30 n2-standard-8 us-central1: hour 0.388472, hour_spot 0.18424, month_1y 178.65144, month_3y 127.62152
    expect(catalog.onDemandHourlyUsd('gcp', 'us-central1', 'n2-standard-8')).toBe(0.388472);
    expect(catalog.spotHourlyUsd('gcp', 'us-central1', 'n2-standard-8')).toBe(0.18424);
    expect(catalog.commitmentHourlyUsd('gcp', 'us-central1', 'n2-standard-8', { kind: 'cud', termYears: 1, payment: 'no-upfront' })).toBeCloseTo(178.65144 / 730, 6);
    expect(catalog.commitmentHourlyUsd('gcp', 'us-central1', 'n2-standard-8', { kind: 'cud', termYears: 3, payment: 'no-upfront' })).toBeCloseTo(127.62152 / 730, 6);
    // Karpenter Azure 2026-06-18 eastus
    expect(catalog.onDemandHourlyUsd('azure', 'eastus', 'Standard_NC4as_T4_v3')).toBe(0.526);
    expect(catalog.spotHourlyUsd('azure', 'eastus', 'Standard_NC4as_T4_v3')).toBeUndefined();
  });

  it('has at least 3 priced regions per cloud with on-demand prices, spot for AWS and GCP, and commitment terms', () => {
    for (const cloud of CLOUDS) {
      const regions = catalog.regions(cloud);
      expect(regions.length, cloud).toBeGreaterThanOrEqual(3);
      for (const r of regions) expect(catalog.pricedTypes(cloud, r.id).length, `${cloud} ${r.id}`).toBeGreaterThan(100);
    }
    expect(catalog.prices({ cloud: 'aws', purchaseOption: 'spot' }).length).toBeGreaterThan(1000);
    expect(catalog.prices({ cloud: 'gcp', purchaseOption: 'spot' }).length).toBeGreaterThan(1000);
    expect(catalog.commitmentTerms('gcp', 'europe-west4', 'n2-standard-8').map((t) => t.termYears)).toEqual([1, 3]);
    expect(catalog.commitmentTerms('aws', 'eu-west-1', 'm5.large')).toEqual([{ kind: 'ri', termYears: 3, payment: 'all-upfront' }]);
  });

  it('reads the Spot Instance Advisor bucket (us-east-1 m5.large: r=3, s=66 in the 2025-06-28 feed)', () => {
    expect(catalog.spotInterruption('aws', 'us-east-1', 'm5.large')).toEqual({ bucket: 3, label: '15-20%', maxMonthlyRate: 0.22, savingsPct: 66 });
  });

  it('lists prices with source and effective date', () => {
    const prices = catalog.prices({ cloud: 'aws', region: 'us-east-1', instanceType: 'g5.xlarge', purchaseOption: 'on-demand' });
    expect(prices).toEqual([expect.objectContaining({ hourlyUsd: 1.006, effectiveDate: '2026-07-20', os: 'linux' })]);
    expect(prices[0]?.source).toContain('karpenter');
  });
});

describe('catalog loading errors', () => {
  function corruptCopy(mutate: (dir: string) => void): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'rightsize-catalog-'));
    cpSync(path.join(BUNDLED_DATA_DIR, 'catalog'), path.join(dir, 'catalog'), { recursive: true });
    mutate(dir);
    return dir;
  }

  it('names the file and the field of a corrupt value in one line', () => {
    const dir = corruptCopy((d) => {
      const file = path.join(d, 'catalog', 'gcp-types.json');
      const json = JSON.parse(readFileSync(file, 'utf8')) as { types: Record<string, unknown>[] };
      (json.types[3] as Record<string, unknown>)['vcpu'] = 'eight';
      writeFileSync(file, JSON.stringify(json));
    });
    try {
      expect(() => loadCatalog(dir)).toThrow(CatalogDataError);
      expect(() => loadCatalog(dir)).toThrow(/catalog\/gcp-types\.json: types\.3\.vcpu: /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names a missing file and a file that is not JSON', () => {
    const missing = corruptCopy((d) => rmSync(path.join(d, 'catalog', 'regions.json')));
    const broken = corruptCopy((d) => writeFileSync(path.join(d, 'catalog', 'azure-prices.json'), '{"cloud": "azure",'));
    try {
      expect(() => loadCatalog(missing)).toThrow(/catalog\/regions\.json: file not found/);
      expect(() => loadCatalog(broken)).toThrow(/catalog\/azure-prices\.json: not valid JSON/);
    } finally {
      rmSync(missing, { recursive: true, force: true });
      rmSync(broken, { recursive: true, force: true });
    }
  });
});
