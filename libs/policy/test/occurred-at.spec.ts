// occurredAt dates caps (LPP year, NVEU phase), so its instant must be exact. parseOccurredAt computes UTC instants
// itself for speed; these specs hold it to what Date.parse gives, plus the calendar checks Date.parse lacks.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { OCCURRED_AT_PATTERN } from '@app/contracts';
import { parseOccurredAt } from '@app/policy';

// The reference: Date.parse, refusing what rolls over (2026-02-30, 24:00:00, second 60).
function reference(text: string): number {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return NaN;
  const [y, mo, d] = [Number(text.slice(0, 4)), Number(text.slice(5, 7)), Number(text.slice(8, 10))];
  if (Number(text.slice(11, 13)) > 23 || Number(text.slice(14, 16)) > 59 || Number(text.slice(17, 19)) > 59) return NaN;
  if (mo < 1 || mo > 12) return NaN;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, mo === 2 && leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]!;
  return d >= 1 && d <= days ? ms : NaN;
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const occurredAt = fc
  .record({
    y: fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 1999, max: 2031 })),
    mo: fc.oneof(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 1, max: 12 })),
    d: fc.oneof(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 27, max: 31 })),
    h: fc.oneof(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 22, max: 24 })),
    mi: fc.oneof(fc.integer({ min: 0, max: 99 }), fc.constantFrom(0, 59, 60)),
    s: fc.oneof(fc.integer({ min: 0, max: 99 }), fc.constantFrom(0, 59, 60)),
    t: fc.constantFrom('T', 't'),
    fraction: fc.option(fc.stringMatching(/^[0-9]{1,9}$/), { nil: undefined }),
    zone: fc.oneof(fc.constantFrom('Z', 'z', '+00:00', '-00:00', '+24:00', '+23:59', '-12:30'), fc.stringMatching(/^[+-][0-9]{2}:[0-9]{2}$/)),
  })
  .map(
    (p) =>
      `${pad(p.y, 4)}-${pad(p.mo, 2)}-${pad(p.d, 2)}${p.t}${pad(p.h, 2)}:${pad(p.mi, 2)}:${pad(p.s, 2)}` +
      `${p.fraction === undefined ? '' : `.${p.fraction}`}${p.zone}`,
  );

describe('occurredAt instants', () => {
  test('every text the schema admits gets the instant Date.parse gives, or NaN when it is not a real date', () => {
    fc.assert(
      fc.property(occurredAt, (text) => {
        assert.match(text, new RegExp(OCCURRED_AT_PATTERN));
        assert.ok(Object.is(parseOccurredAt(text), reference(text)), `${text}: ${parseOccurredAt(text)} vs ${reference(text)}`);
      }),
      { numRuns: 20_000 },
    );
  });

  test('hand-checked instants: leap days, fractions truncated to milliseconds, offsets, early years', () => {
    assert.equal(parseOccurredAt('2028-02-29T23:59:59.9999Z'), Date.UTC(2028, 1, 29, 23, 59, 59, 999));
    assert.ok(Number.isNaN(parseOccurredAt('2026-02-29T00:00:00Z')));
    assert.ok(Number.isNaN(parseOccurredAt('2026-04-31T00:00:00Z')));
    assert.ok(Number.isNaN(parseOccurredAt('2026-01-01T24:00:00Z')));
    assert.equal(parseOccurredAt('2026-01-01T00:00:00.5Z'), Date.UTC(2026, 0, 1, 0, 0, 0, 500));
    assert.equal(parseOccurredAt('2026-01-01T01:30:00+01:30'), Date.UTC(2026, 0, 1, 0, 0, 0, 0));
    assert.equal(parseOccurredAt('0050-03-01T00:00:00Z'), Date.parse('0050-03-01T00:00:00Z'));
    assert.equal(new Date(parseOccurredAt('0050-03-01T00:00:00Z')).getUTCFullYear(), 50);
  });
});
