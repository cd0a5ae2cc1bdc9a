import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { CsvError, parse } from 'csv-parse';
import type { FocusCharge } from './charge.js';
import { FocusSchemaError } from './errors.js';
import type { ReadTally } from './tally.js';

/**
 * Streams a FOCUS CSV (optionally gzip) into batches of at most `batchRows` charges. Memory is one batch plus the
 * parser's buffers: the source is pulled only as fast as the batches are consumed.
 */
export async function* readCsvBatches(source: Readable, gzip: boolean, tally: ReadTally, batchRows: number, signal?: AbortSignal): AsyncGenerator<FocusCharge[]> {
  const parser = parse({
    bom: true, // Azure's exports start with a UTF-8 BOM
    relax_quotes: true, // a stray quote inside an unquoted field is text, not a syntax error
    relax_column_count: true, // counted per row below instead of failing the file
    skip_empty_lines: true,
  });
  const onDone = (err: NodeJS.ErrnoException | null) => {
    if (err) parser.destroy(err); // surfaces in the for-await below
  };
  const stream = gzip ? pipeline(source, createGunzip(), parser, onDone) : pipeline(source, parser, onDone);
  let columnIndex: number[] | undefined;
  let width = 0;
  const values: unknown[] = [];
  let batch: FocusCharge[] = [];
  try {
    for await (const record of stream as AsyncIterable<string[]>) {
      if (!columnIndex) {
        columnIndex = tally.useHeader(record);
        width = record.length;
        continue;
      }
      if (record.length !== width) {
        tally.rejectRecord('(row)', record.join(',').slice(0, 80), `expected ${width} fields, found ${record.length}`);
        continue;
      }
      for (let f = 0; f < columnIndex.length; f++) {
        const i = columnIndex[f] ?? -1;
        values[f] = i < 0 ? undefined : record[i];
      }
      const charge = tally.row(values);
      if (charge) batch.push(charge);
      if (batch.length >= batchRows) {
        signal?.throwIfAborted();
        yield batch;
        batch = [];
      }
    }
  } catch (err) {
    if (err instanceof FocusSchemaError || signal?.aborted) throw err;
    if (err instanceof CsvError) throw new FocusSchemaError(tally.file, `not readable as CSV: ${err.message}`, [], { cause: err });
    if ((err as NodeJS.ErrnoException).code?.startsWith('Z_')) throw new FocusSchemaError(tally.file, `not readable as gzip: ${(err as Error).message}`, [], { cause: err });
    throw err;
  } finally {
    stream.destroy();
  }
  if (!columnIndex) throw new FocusSchemaError(tally.file, 'empty CSV: no header row');
  if (batch.length > 0) yield batch;
}
