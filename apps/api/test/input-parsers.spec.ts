// Property-based tests of the parsers that stand between untrusted input and SQL: the RFC 3339 instant parser and
// the keyset cursors. Whatever a client sends, they either return a value that is safe to bind or refuse it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ApiError } from '../src/common/api-error';
import { decodeCursor, encodeCursor } from '../src/common/cursor';
import { accountListCursor, alertPageCursor, entryPageCursor } from '../src/common/cursor-schemas';
import { parseInstant } from '../src/common/instant';
import { PG_BIGINT_MAX } from '../src/common/sequence';

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const MIN_MS = Date.UTC(1, 0, 1);
const MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

describe('instant parser', () => {
  it('reads every real instant written in any zone back to the same millisecond', () => {
    fc.assert(
      fc.property(fc.integer({ min: MIN_MS + 86_400_000, max: MAX_MS - 86_400_000 }), fc.integer({ min: -23 * 60 - 59, max: 23 * 60 + 59 }), (ms, offset) => {
        const local = new Date(ms + offset * 60_000);
        const sign = offset < 0 ? '-' : '+';
        const text =
          `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1, 2)}-${pad(local.getUTCDate(), 2)}T` +
          `${pad(local.getUTCHours(), 2)}:${pad(local.getUTCMinutes(), 2)}:${pad(local.getUTCSeconds(), 2)}.${pad(local.getUTCMilliseconds(), 3)}` +
          `${sign}${pad(Math.floor(Math.abs(offset) / 60), 2)}:${pad(Math.abs(offset) % 60, 2)}`;
        if (local.getUTCFullYear() < 1 || local.getUTCFullYear() > 9999) return;
        assert.equal(parseInstant(text), ms, text);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses every impossible calendar date or time instead of rolling it over', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9999 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 99 }),
        (y, mo, d, h, mi, s) => {
          const text = `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}Z`;
          const real = new Date(Date.UTC(2000, 0, 1));
          real.setUTCFullYear(y, mo - 1, d);
          real.setUTCHours(h, mi, s, 0);
          // A date that exists is one Date does not have to roll over.
          const exists =
            mo >= 1 && mo <= 12 && d >= 1 && h <= 23 && mi <= 59 && s <= 59 && real.getUTCMonth() === mo - 1 && real.getUTCDate() === d;
          assert.equal(parseInstant(text) !== null, exists, text);
        },
      ),
      { numRuns: 5000 },
    );
    for (const bad of ['2026-02-30T00:00:00Z', '2026-01-01T24:00:00Z', '2025-02-29T00:00:00Z', '2026-01-01T00:00:60Z', '2026-01-01T00:00Z', '2026-01-01T00:00:00', '2026-01-01T00:00:00+24:00', ' 2026-01-01T00:00:00Z']) {
      assert.equal(parseInstant(bad), null, bad);
    }
    assert.equal(parseInstant('2024-02-29T23:59:59.999999999-00:30'), Date.UTC(2024, 2, 1, 0, 29, 59, 999));
  });

  it('never throws, whatever the text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 60 }), (text) => void parseInstant(text)), { numRuns: 5000 });
  });
});

// Decodes with the schema, returning null for a refusal (which must be the 400 INVALID_REQUEST, nothing else).
function tryDecode<T>(cursor: string, schema: (parts: readonly unknown[]) => T | null): T | null {
  try {
    return decodeCursor(cursor, schema);
  } catch (error) {
    assert.ok(error instanceof ApiError && error.status === 400, String(error));
    return null;
  }
}

const jsonValue = fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.double(), fc.constant(null), fc.boolean(), fc.array(fc.integer(), { maxLength: 3 }));

describe('cursor parser', () => {
  it('round-trips every cursor the API writes', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: PG_BIGINT_MAX }), fc.constantFrom('asc' as const, 'desc' as const), (seq, order) => {
        assert.equal(tryDecode(encodeCursor([seq.toString()]), alertPageCursor), seq);
        assert.equal(tryDecode(encodeCursor([order, seq.toString()]), entryPageCursor(order)), seq);
      }),
    );
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 39n), max: 10n ** 39n }), fc.stringMatching(/^country:[A-Z]{2}$/), (used, id) => {
        assert.deepEqual(tryDecode(encodeCursor(['usedTpp', used.toString(), id]), accountListCursor('usedTpp')), { sortKey: used.toString(), id });
      }),
    );
  });

  it('refuses anything else with a 400 before SQL: wrong types, lengths, orders and out-of-range numbers', () => {
    fc.assert(
      fc.property(fc.array(jsonValue, { maxLength: 4 }), (parts) => {
        const cursor = encodeCursor(parts as (string | number | null)[]);
        const seq = tryDecode(cursor, alertPageCursor);
        if (seq !== null) assert.ok(seq >= 0n && seq <= PG_BIGINT_MAX);
        const after = tryDecode(cursor, accountListCursor('utilization'));
        if (after !== null) assert.ok(Number.isFinite(Number(after.sortKey)));
      }),
      { numRuns: 3000 },
    );
    fc.assert(fc.property(fc.string({ maxLength: 80 }), (cursor) => void tryDecode(cursor, entryPageCursor('asc'))), { numRuns: 3000 });
    for (const parts of [[(PG_BIGINT_MAX + 1n).toString()], ['-1'], [1], ['1', '2']]) assert.equal(tryDecode(encodeCursor(parts as string[]), alertPageCursor), null);
    assert.equal(tryDecode(encodeCursor(['desc', '5']), entryPageCursor('asc')), null);
    assert.equal(tryDecode(encodeCursor(['usedTpp', '1e999', 'country:AE']), accountListCursor('usedTpp')), null);
    assert.equal(tryDecode(encodeCursor(['utilization', '1e999', 'country:AE']), accountListCursor('utilization')), null);
    assert.equal(tryDecode(encodeCursor(['lastOccurredAt', '2026-02-30 00:00:00+00', 'country:AE']), accountListCursor('lastOccurredAt')), null);
    assert.notEqual(tryDecode(encodeCursor(['lastOccurredAt', '2026-02-28 10:00:00.5+05:30', 'country:AE']), accountListCursor('lastOccurredAt')), null);
  });
});
