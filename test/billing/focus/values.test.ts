import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHARGE_CATEGORIES } from '../../../src/domain/spend.js';
import { ChargeCategoryTextSchema, NumberTextSchema, TagsTextSchema, TimestampTextSchema } from '../../../src/billing/focus/schema.js';
import { canonicalTags, parseNumberText, parseTags, parseTimestampText, vocabulary } from '../../../src/billing/focus/values.js';

const zodValue = <T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }, v: string): T | undefined => {
  const r = schema.safeParse(v);
  return r.success ? r.data : undefined;
};

const pad = (n: number, w: number) => String(n).padStart(w, '0');
/** Date-time-shaped text, valid or nearly so (month 13, day 31 in short months, hour 24, odd zones). */
const timestampLike = fc
  .record({
    y: fc.integer({ min: 900, max: 2100 }), mo: fc.integer({ min: 0, max: 13 }), d: fc.integer({ min: 0, max: 32 }),
    h: fc.integer({ min: 0, max: 24 }), mi: fc.integer({ min: 0, max: 60 }), s: fc.integer({ min: 0, max: 60 }),
    sep: fc.constantFrom('T', ' ', 't', '_'), frac: fc.constantFrom('', '.1', '.123', '.123456789', '.'),
    zone: fc.constantFrom('', 'Z', 'z', '+05:30', '-08:00', '+0100', '+24:00', '-00:00', '+1'), shape: fc.integer({ min: 0, max: 3 }),
  })
  .map(({ y, mo, d, h, mi, s, sep, frac, zone, shape }) => {
    const date = `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}`;
    if (shape === 0) return date;
    if (shape === 1) return `${date}${sep}${pad(h, 2)}:${pad(mi, 2)}${zone}`;
    return `${date}${sep}${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}${frac}${zone}`;
  });

/** Number-shaped text: signs, fractions, exponents, separators, words. */
const numberLike = fc.oneof(
  fc.double({ noNaN: true }).map(String),
  fc.integer().map(String),
  fc.stringMatching(/^[+-]?\d{0,4}[.,]?\d{0,4}([eE][+-]?\d{0,3})?$/),
  fc.constantFrom('', ' 1', '1 ', '0x10', 'Infinity', '-Infinity', 'NaN', '1e400', '.', '-.5', '5.', '1_000', '١٢'),
);

describe('fast parsers agree with the zod definitions', () => {
  it('numbers: same accept/reject and same value', () => {
    fc.assert(fc.property(fc.oneof(numberLike, fc.string()), (s) => {
      expect(parseNumberText(s)).toBe(zodValue(NumberTextSchema, s));
    }), { numRuns: 3000 });
  });

  it('timestamps: same accept/reject and same epoch ms', () => {
    fc.assert(fc.property(fc.oneof(timestampLike, fc.string()), (s) => {
      expect(parseTimestampText(s)).toBe(zodValue(TimestampTextSchema, s));
    }), { numRuns: 5000 });
    // A valid timestamp parsed both ways equals Date.parse of its ISO form.
    fc.assert(fc.property(fc.date({ min: new Date('1990-01-01'), max: new Date('2090-01-01'), noInvalidDate: true }), (d) => {
      const iso = d.toISOString();
      expect(parseTimestampText(iso)).toBe(d.getTime());
      expect(parseTimestampText(iso.replace('T', ' ').replace('Z', ''))).toBe(d.getTime());
    }));
  });

  it('charge categories: case-insensitive, same verdict', () => {
    const fast = vocabulary(CHARGE_CATEGORIES);
    const cased = fc.tuple(fc.constantFrom(...CHARGE_CATEGORIES, 'Refund', 'Usages', ''), fc.constantFrom('same', 'lower', 'upper', 'pad')).map(([v, how]) =>
      how === 'lower' ? v.toLowerCase() : how === 'upper' ? v.toUpperCase() : how === 'pad' ? ` ${v} ` : v);
    fc.assert(fc.property(fc.oneof(cased, fc.string()), (s) => {
      expect(fast(s)).toBe(zodValue(ChargeCategoryTextSchema, s));
    }), { numRuns: 2000 });
  });

  it('tags: a JSON object is accepted by both, anything else by neither', () => {
    const jsonish = fc.oneof(fc.json(), fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null))).map((o) => JSON.stringify(o)), fc.string());
    fc.assert(fc.property(jsonish, (s) => {
      expect(parseTags(s) !== undefined).toBe(zodValue(TagsTextSchema, s) !== undefined);
    }), { numRuns: 2000 });
  });
});

describe('value parsing', () => {
  it('reads FOCUS timestamps as UTC, with zones and fractions', () => {
    expect(parseTimestampText('2024-09-18 22:00:00')).toBe(Date.UTC(2024, 8, 18, 22));
    expect(parseTimestampText('2024-09-18T22:00:00Z')).toBe(Date.UTC(2024, 8, 18, 22));
    expect(parseTimestampText('2024-09-18T22:00:00.250+02:00')).toBe(Date.UTC(2024, 8, 18, 20, 0, 0, 250));
    expect(parseTimestampText('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    for (const bad of ['2023-02-29', '2024-09-18 24:00:00', '09/18/2024', '2024-9-18', '2024-09-18T22:00:00Q']) expect(parseTimestampText(bad)).toBeUndefined();
  });

  it('reads FOCUS numbers and refuses what Number() would wrongly take', () => {
    expect(parseNumberText('0.00000080000')).toBe(8e-7);
    expect(parseNumberText('-1.5E3')).toBe(-1500);
    for (const bad of ['', ' ', '0x1f', 'Infinity', '1,000', '$5', '5 USD']) expect(parseNumberText(bad)).toBeUndefined();
  });

  it('canonicalizes tags: keys sorted, values as strings, maps and key/value entries too', () => {
    expect(canonicalTags({ b: 1, a: true, c: null })).toBe('{"a":"true","b":"1","c":""}');
    expect(parseTags('{"z":"1","a":"2"}')).toBe('{"a":"2","z":"1"}');
    expect(parseTags(new Map([['k', 'v']]))).toBe('{"k":"v"}');
    expect(parseTags([{ key: 'b', value: 'x' }, { key: 'a', value: 'y' }])).toBe('{"a":"y","b":"x"}');
    expect(parseTags('[1]')).toBeUndefined();
    expect(parseTags('"text"')).toBeUndefined();
  });
});
