import { z } from 'zod';

/**
 * The layout Cost Management exports write to a storage container, and the manifest each run leaves behind.
 *
 * Layout (Microsoft Learn, "Understand and work with cost data exports" / "Tutorial: Create and manage exports",
 * improved exports with file partitioning): `<container>/<directory>/<exportName>/<YYYYMMDD-YYYYMMDD>/<runId>/`
 * holding `manifest.json` and `part_<n>_<nnnn>.csv[.gz]` or `.parquet`. A scheduled export runs daily and
 * rewrites the whole month to date each time, so one date-range folder holds many runs: only the newest counts.
 * Exports created before file partitioning put one `<exportName>_<guid>.csv` per run directly in the date folder.
 *
 * Manifest fields read here are those the FinOps toolkit's ingestion pipeline reads (microsoft/finops-toolkit
 * `src/templates/finops-hub/modules/Microsoft.CostManagement/Exports/app.bicep`, pipeline msexports_ExecuteETL:
 * `blobCount`, `blobs[].blobName`, `exportConfig.type`, `exportConfig.dataVersion`, `runInfo.runId`,
 * `runInfo.startDate`); `blobName` is the blob's full name inside the container.
 */
export const ExportManifestSchema = z.object({
  manifestVersion: z.string().optional(),
  byteCount: z.number().nonnegative().optional(),
  blobCount: z.number().int().nonnegative(),
  dataRowCount: z.number().int().nonnegative().optional(),
  exportConfig: z.object({
    exportName: z.string().optional(),
    resourceId: z.string().optional(),
    dataVersion: z.string().optional(),
    apiVersion: z.string().optional(),
    /** FocusCost | ActualCost | AmortizedCost | … */
    type: z.string().optional(),
  }).passthrough().optional(),
  runInfo: z.object({
    runId: z.string().min(1),
    executionType: z.string().optional(),
    submittedTime: z.string().optional(),
    startDate: z.string().optional(),
    endDate: z.string().optional(),
  }).passthrough(),
  blobs: z.array(z.object({ blobName: z.string().min(1), byteCount: z.number().nonnegative().optional(), dataRowCount: z.number().int().nonnegative().optional() }).passthrough()),
}).passthrough().refine((m) => m.blobs.length === m.blobCount, { message: 'blobCount differs from the number of blobs listed' });
export type ExportManifest = z.infer<typeof ExportManifestSchema>;

/** A data file of a bill: CSV (gzip or not) or Parquet; manifests and anything else are not. */
export const DATA_FILE = /\.(csv|csv\.gz|gz|parquet)$/i;

const DATE_RANGE = /^(\d{4})(\d{2})\d{2}-\d{8}$/;

/** One blob as listed: name inside the container, size and last modification (epoch ms). */
export interface ListedBlob {
  name: string;
  sizeBytes: number;
  lastModifiedMs: number;
}

/** The blobs of one date-range folder, split into manifests and data files. */
export interface ExportPeriodListing {
  /** `YYYYMMDD-YYYYMMDD` folder name, or '' when the export has no date folders. */
  range: string;
  /** YYYY-MM of the range's first day, when there is a range. */
  billingPeriod?: string;
  manifests: ListedBlob[];
  dataFiles: ListedBlob[];
}

/** Groups an export's blobs (names under `prefix`, which ends with `/` or is empty) by date-range folder. */
export function groupByDateRange(prefix: string, blobs: ListedBlob[]): ExportPeriodListing[] {
  const groups = new Map<string, ExportPeriodListing>();
  const undated: ListedBlob[] = [];
  for (const blob of blobs) {
    const rest = blob.name.slice(prefix.length);
    const [first] = rest.split('/');
    const m = first !== undefined && rest.includes('/') ? DATE_RANGE.exec(first) : null;
    if (!m) {
      undated.push(blob);
      continue;
    }
    const range = first as string;
    const group = groups.get(range) ?? { range, billingPeriod: `${m[1]}-${m[2]}`, manifests: [], dataFiles: [] };
    groups.set(range, group);
    if (/(^|\/)manifest\.json$/i.test(rest)) group.manifests.push(blob);
    else if (DATA_FILE.test(rest)) group.dataFiles.push(blob);
  }
  // No date folders at all: an export copied elsewhere or a hand-made folder; its files make one period the rows decide.
  if (groups.size === 0 && undated.length > 0) {
    return [{ range: '', manifests: undated.filter((b) => /(^|\/)manifest\.json$/i.test(b.name)), dataFiles: undated.filter((b) => DATA_FILE.test(b.name)) }];
  }
  return [...groups.values()].sort((a, b) => a.range.localeCompare(b.range));
}

/**
 * Without a manifest, the newest run of a period: the run folder (`<range>/<runId>/…`) whose newest file is newest,
 * or, for files straight in the date folder (one file per run), the newest file alone.
 */
export function newestRunWithoutManifest(prefix: string, group: ExportPeriodListing): ListedBlob[] {
  const byRun = new Map<string, ListedBlob[]>();
  const loose: ListedBlob[] = [];
  for (const blob of group.dataFiles) {
    const parts = blob.name.slice(prefix.length).split('/').slice(group.range ? 1 : 0);
    if (parts.length >= 2) (byRun.get(parts[0] as string) ?? byRun.set(parts[0] as string, []).get(parts[0] as string)!).push(blob);
    else loose.push(blob);
  }
  const newest = (files: ListedBlob[]) => Math.max(...files.map((f) => f.lastModifiedMs));
  const candidates: ListedBlob[][] = [...byRun.values(), ...loose.map((f) => [f])];
  if (candidates.length === 0) return [];
  candidates.sort((a, b) => newest(b) - newest(a));
  return (candidates[0] as ListedBlob[]).sort((a, b) => a.name.localeCompare(b.name));
}

/** When a run was submitted (epoch ms): the manifest's `runInfo.submittedTime`, else the manifest blob's own time. */
export function runTimeMs(manifest: ExportManifest, blob: ListedBlob): number {
  const t = Date.parse(manifest.runInfo.submittedTime ?? '');
  return Number.isFinite(t) ? t : blob.lastModifiedMs;
}
