// Threshold crossings are decided on exact fractions. The judge looks at floats first and falls back to bigint
// products near a boundary; these specs hold the quick comparison to the exact one, above all at the boundary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ratioAtLeast, ratioAtLeastFast, ratioBelow, ratioBelowFast, toFloat, type Rational } from '@app/policy';

const positive = fc.bigInt({ min: 1n, max: 10n ** 24n });
const fraction = fc.record({ num: fc.bigInt({ min: 0n, max: 10n ** 6n }), den: fc.bigInt({ min: 1n, max: 10n ** 6n }) });

function both(used: bigint, cap: Rational, t: Rational): void {
  const ratio = Number(used) / toFloat(cap);
  assert.equal(ratioAtLeastFast(ratio, toFloat(t), used, cap, t), ratioAtLeast(used, cap, t), `${used} / (${cap.num}/${cap.den}) >= ${t.num}/${t.den}`);
  assert.equal(ratioBelowFast(ratio, toFloat(t), used, cap, t), ratioBelow(used, cap, t));
}

test('the quick comparison agrees with the exact one, on and around the boundary used = t x cap', () => {
  fc.assert(
    fc.property(positive, fc.bigInt({ min: 1n, max: 1000n }), fraction, fc.bigInt({ min: -3n, max: 3n }), (capNum, capDen, t, nudge) => {
      const cap = { num: capNum, den: capDen };
      // The used amount closest to t x cap, then a few units either side.
      const onBoundary = (t.num * cap.num) / (t.den * cap.den);
      const used = onBoundary + nudge < 0n ? 0n : onBoundary + nudge;
      both(used, cap, t);
    }),
    { numRuns: 20_000 },
  );
});

test('hand-checked: 395,800,000 of 790,000,000 is just over 50%; 70% of 1e18+1 is not reached by one unit less', () => {
  const half = { num: 1n, den: 2n };
  both(395_800_000n, { num: 790_000_000n, den: 1n }, half);
  assert.equal(ratioAtLeastFast(395_800_000 / 790_000_000, 0.5, 395_800_000n, { num: 790_000_000n, den: 1n }, half), true);
  const cap = { num: 7n * (10n ** 18n + 1n), den: 100n }; // 7% of 1e18 + 1, not an integer
  const t = { num: 1n, den: 1n };
  const exact = (7n * (10n ** 18n + 1n)) / 100n; // floor(cap)
  for (const used of [exact - 1n, exact, exact + 1n]) both(used, cap, t);
  assert.equal(ratioAtLeastFast(Number(exact) / toFloat(cap), 1, exact, cap, t), false, 'floor(cap) is below a cap that is not whole');
  assert.equal(ratioAtLeastFast(Number(exact + 1n) / toFloat(cap), 1, exact + 1n, cap, t), true);
});
