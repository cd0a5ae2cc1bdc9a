/**
 * Sort-key encodings for DynamoDB, which orders string keys by their UTF-8 bytes. Numbers become fixed-width hex
 * whose byte order is the numeric order (IEEE-754 with the sign bit flipped, or all bits for negatives), so a
 * recommendation list sorts by savings without a numeric key and ties fall to the id appended after it.
 */

function orderedBytes(value: number): Buffer {
  const buf = Buffer.alloc(8);
  buf.writeDoubleBE(value === 0 ? 0 : value); // -0 and 0 are one key
  if ((buf[0] as number) & 0x80) {
    for (let i = 0; i < 8; i++) buf[i] = ~(buf[i] as number) & 0xff;
  } else {
    buf[0] = (buf[0] as number) ^ 0x80;
  }
  return buf;
}

/** 16 hex chars; a < b ⇔ ascKey(a) < ascKey(b). */
export function ascKey(value: number): string {
  return orderedBytes(value).toString('hex');
}

/** 16 hex chars; a > b ⇔ descKey(a) < descKey(b). */
export function descKey(value: number): string {
  const buf = orderedBytes(value);
  for (let i = 0; i < 8; i++) buf[i] = ~(buf[i] as number) & 0xff;
  return buf.toString('hex');
}

/** Snapshot index key: finish time (ascending, fixed width) then id. */
export function snapshotIndexKey(finishedAtMs: number, id: string): string {
  return `${String(finishedAtMs).padStart(15, '0')}#${id}`;
}

/** Recommendations by savings (descending), then id. */
export function savingsKey(savingsUsd: number, id: string): string {
  return `${descKey(savingsUsd)}#${id}`;
}

/** Recommendations by risk (descending), then savings (descending), then id. */
export function riskKey(risk: number, savingsUsd: number, id: string): string {
  return `${descKey(risk)}${descKey(savingsUsd)}#${id}`;
}
