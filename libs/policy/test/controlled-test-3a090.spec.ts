// ECCN 3A090.a as the engine applies it: an item is controlled when its TPP per unit is >= 4,800, or >= 1,600
// with performance density (TPP / die area) >= 5.92; >= 1,600 with no known die area counts as controlled.
// Uncontrolled items are recorded but add 0 to every account. TPP is an exact integer end to end.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { shipment, type ItemLike } from './support/events';
import { accountOf, movementOf, replayLines } from './support/replay-lines';

// TPP that one item adds to country:DE (Tier 1: no alerts, so only the amount matters).
function counted(item: ItemLike): bigint {
  const run = replayLines([shipment({ country: 'DE', items: [item] })]);
  assert.equal(run.result.counts.recorded, 1, JSON.stringify(run.result.rejected));
  return accountOf(run.result, 'country:DE')!.usedTpp;
}

const CATALOGUE: Array<[string, number]> = [
  ['H100-SXM', 15832], ['H100-PCIE', 12104], ['H100-NVL', 13364], ['H200-SXM', 15832], ['H200-NVL', 13364],
  ['H800-SXM', 15832], ['A100', 4992], ['A800', 4992], ['B100', 28000], ['B200', 36000], ['B300', 56000],
  ['GB200', 40000], ['L40S', 5864], ['MI300X', 20919], ['MI325X', 20919], ['MI300A', 15690], ['MI350X', 36910],
  ['MI355X', 40265], ['GAUDI3', 29360],
];

describe('controlled items (ECCN 3A090.a)', () => {
  test('every catalogue chip of CONTRACTS.md counts with its TPP per unit', () => {
    for (const [chip, tpp] of CATALOGUE) assert.equal(counted({ chip, quantity: 3 }), BigInt(3 * tpp), chip);
  });

  test('H20 (2,368 TPP on 814 mm^2, density 2.9) is not controlled and adds 0', () => {
    assert.equal(counted({ chip: 'H20', quantity: 1_000_000 }), 0n);
  });

  test('4,800 TPP per unit is controlled whatever the die area; 4,799 with a low density is not', () => {
    assert.equal(counted({ tppPerUnit: 4800, quantity: 2 }), 9600n);
    assert.equal(counted({ tppPerUnit: 4800, quantity: 2, dieAreaMm2: 100_000 }), 9600n);
    assert.equal(counted({ tppPerUnit: 4799, quantity: 2, dieAreaMm2: 1000 }), 0n);
  });

  test('from 1,600 TPP, density exactly 5.92 is controlled; just below is not', () => {
    assert.equal(counted({ tppPerUnit: 2960, quantity: 1, dieAreaMm2: 500 }), 2960n);
    assert.equal(counted({ tppPerUnit: 2368, quantity: 1, dieAreaMm2: 400 }), 2368n);
    assert.equal(counted({ tppPerUnit: 1776, quantity: 1, dieAreaMm2: 300 }), 1776n);
    assert.equal(counted({ tppPerUnit: 2960, quantity: 1, dieAreaMm2: 500.01 }), 0n);
    assert.equal(counted({ tppPerUnit: 1600, quantity: 1, dieAreaMm2: 270.27 }), 1600n); // 5.92001...
    assert.equal(counted({ tppPerUnit: 1600, quantity: 1, dieAreaMm2: 270.28 }), 0n); // 5.91978...
  });

  test('below 1,600 TPP nothing is controlled, however dense', () => {
    assert.equal(counted({ tppPerUnit: 1599, quantity: 10 }), 0n);
    assert.equal(counted({ tppPerUnit: 1599, quantity: 10, dieAreaMm2: 1 }), 0n);
  });

  test('1,600 to 4,799 TPP with no known die area counts as controlled', () => {
    assert.equal(counted({ tppPerUnit: 1600, quantity: 10 }), 16_000n);
    assert.equal(counted({ tppPerUnit: 4799, quantity: 1, label: 'custom ASIC' }), 4799n);
  });

  test('a mixed shipment counts only its controlled items', () => {
    const run = replayLines([
      shipment({
        country: 'AE',
        items: [
          { chip: 'H100-SXM', quantity: 1000 },
          { tppPerUnit: 20000, label: 'custom ASIC', quantity: 4 },
          { chip: 'H20', quantity: 5000 },
          { tppPerUnit: 3000, quantity: 7, dieAreaMm2: 1000 },
        ],
      }),
    ]);
    assert.equal(movementOf(run.outcomes[0], 'country:AE')!.deltaTpp, 15_832_000n + 80_000n);
  });

  test('amounts beyond 2^53 stay exact: 1,000 items of 10,000,000 x 10,000,000', () => {
    const items = Array.from({ length: 1000 }, () => ({ tppPerUnit: 10_000_000, quantity: 10_000_000 }));
    const run = replayLines([shipment({ country: 'DE', items }), shipment({ country: 'DE', items: [{ chip: 'H100-SXM', quantity: 1 }] })]);
    assert.equal(accountOf(run.result, 'country:DE')!.usedTpp, 100_000_000_000_015_832n);
  });
});
