/**
 * The REST client's value encoding: what the Firestore client library would
 * write for the same data, and back.
 */
import { describe, expect, it } from 'vitest';
import { decodeFields, encodeFields, RestTimestamp } from '../../shared/firestore-rest.js';

describe('Firestore REST values', () => {
  it('encodes safe integers as integers, other numbers as doubles, and leaves out undefined', () => {
    expect(
      encodeFields({ n: 42, big: 2 ** 60, half: 0.5, gone: undefined, none: null, on: true }),
    ).toEqual({
      n: { integerValue: '42' },
      big: { doubleValue: 2 ** 60 },
      half: { doubleValue: 0.5 },
      none: { nullValue: null },
      on: { booleanValue: true },
    });
  });

  it('reads back what it wrote, nested maps and lists included', () => {
    const fields = {
      id: 'x',
      version: 3,
      payload: { names: ['a', 'b'], counts: { total: 2, ratio: 0.25 }, empty: [], flag: false },
    };
    expect(decodeFields(encodeFields(fields))).toEqual(fields);
  });

  it('keeps timestamps with their nanoseconds', () => {
    const [decoded] = Object.values(
      decodeFields({ at: { timestampValue: '2026-03-01T12:00:00.123456789Z' } }),
    );
    expect(decoded).toBeInstanceOf(RestTimestamp);
    expect((decoded as RestTimestamp).parts()).toEqual({
      seconds: Date.UTC(2026, 2, 1, 12) / 1000,
      nanoseconds: 123_456_789,
    });
    expect(encodeFields({ at: new Date(0) })).toEqual({
      at: { timestampValue: '1970-01-01T00:00:00.000Z' },
    });
  });
});
