import zlib from 'node:zlib';
import { type AsyncBuffer, type Compressors, type FileMetaData, parquetMetadataAsync, parquetRead, parquetSchema } from 'hyparquet';
import type { BillingObject } from '../source.js';
import type { FocusCharge } from './charge.js';
import { FocusSchemaError } from './errors.js';
import type { ReadTally } from './tally.js';
import { CHARGE_COLUMNS } from './validate.js';

/** Node's zlib decodes the codecs hyparquet leaves to the caller (it does SNAPPY itself); ZSTD only where Node has it. */
const zstd = (zlib as unknown as { zstdDecompressSync?: (b: Uint8Array) => Buffer }).zstdDecompressSync;
const COMPRESSORS: Compressors = {
  GZIP: (input) => zlib.gunzipSync(input),
  BROTLI: (input) => zlib.brotliDecompressSync(input),
  ...(zstd ? { ZSTD: (input: Uint8Array) => zstd(input) } : {}),
};

/**
 * Timestamps decode to epoch ms numbers (not Date objects: one allocation less per cell, and the validator takes
 * numbers for date columns); DATE columns to UTC midnight.
 */
const PARSERS = {
  timestampFromMilliseconds: (v: bigint) => Number(v),
  timestampFromMicroseconds: (v: bigint) => Number(v / 1000n),
  timestampFromNanoseconds: (v: bigint) => Number(v / 1_000_000n),
  dateFromDays: (days: number) => days * 86_400_000,
};

/** An AsyncBuffer over ranged reads of the object, so only the footer and the needed column chunks are fetched. */
export function asyncBufferOf(obj: BillingObject, signal?: AbortSignal): AsyncBuffer {
  return {
    byteLength: obj.sizeBytes,
    async slice(start: number, end?: number): Promise<ArrayBuffer> {
      const bytes = await obj.readRange(start, end ?? obj.sizeBytes, signal);
      const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
      return whole ? (bytes.buffer as ArrayBuffer) : (bytes.slice().buffer as ArrayBuffer);
    },
  };
}

/** FocusCharge columns the spend ledger never reads: a ledger import leaves them undecoded. */
export const LEDGER_SKIPPED_COLUMNS: ReadonlySet<string> = new Set(['ResourceName', 'ResourceType', 'ChargeClass', 'SkuId', 'ListUnitPrice', 'ContractedUnitPrice', 'PricingQuantity', 'PricingUnit']);

/**
 * Streams a FOCUS Parquet file row group by row group, reading only the columns a charge needs, so memory stays
 * bounded by one row group's columns; each group is cut into batches of at most `batchRows`.
 */
export async function* readParquetBatches(obj: BillingObject, tally: ReadTally, batchRows: number, signal?: AbortSignal, skip?: ReadonlySet<string>): AsyncGenerator<FocusCharge[]> {
  const file = asyncBufferOf(obj, signal);
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(file, { parsers: PARSERS });
  } catch (err) {
    signal?.throwIfAborted();
    throw new FocusSchemaError(obj.name, `not readable as Parquet: ${err instanceof Error ? err.message : String(err)}`, [], { cause: err });
  }
  const header = parquetSchema(metadata).children.map((c) => c.element.name);
  const columnIndex = tally.useHeader(header);
  const wanted = columnIndex.map((i, f) => (i < 0 || skip?.has(CHARGE_COLUMNS[f] as string) ? undefined : header[i]));
  const columns = [...new Set(wanted.filter((c): c is string => c !== undefined))];
  const values: unknown[] = [];
  let groupStart = 0;
  for (const group of metadata.row_groups) {
    signal?.throwIfAborted();
    const groupRows = Number(group.num_rows);
    const data = new Map<string, ArrayLike<unknown>>();
    await parquetRead({
      file, metadata, columns, compressors: COMPRESSORS, parsers: PARSERS,
      rowStart: groupStart, rowEnd: groupStart + groupRows,
      onChunk: ({ columnName, columnData, rowStart }) => {
        // Usually one chunk holds the whole group's column: use it as is (no copy).
        if (rowStart === groupStart && columnData.length === groupRows && !data.has(columnName)) {
          data.set(columnName, columnData);
          return;
        }
        let into = data.get(columnName) as unknown[] | undefined;
        if (!into || !Array.isArray(into)) {
          const first = into;
          into = new Array<unknown>(groupRows);
          if (first) for (let j = 0; j < groupRows; j++) into[j] = first[j];
          data.set(columnName, into);
        }
        // Chunks may start before or run past the group asked for: keep only its rows.
        for (let j = 0; j < columnData.length; j++) {
          const r = rowStart + j - groupStart;
          if (r >= 0 && r < groupRows) into[r] = columnData[j];
        }
      },
    });
    const fieldData = wanted.map((c) => (c === undefined ? undefined : data.get(c)));
    let batch: FocusCharge[] = [];
    for (let r = 0; r < groupRows; r++) {
      for (let f = 0; f < CHARGE_COLUMNS.length; f++) values[f] = fieldData[f]?.[r];
      const charge = tally.row(values);
      if (charge) batch.push(charge);
      if (batch.length >= batchRows) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
    groupStart += groupRows;
  }
}
