// The Tier 2 allocation's window (2025-01-13 .. 2027-12-31 in ai-diffusion-2025) is recorded in the pack, but a
// shipment dated outside it still draws on country:CC against the same cap (docs/judging.md, reading 12): the
// contract names one account per country, and counting is the reading that hides nothing from a regulator.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { shipment, tppItems } from './support/events';
import { accountOf, alertKeys, alertsOf, movementOf, replayLines } from './support/replay-lines';

const CAP = 790_000_000n;

describe('Tier 2 window', () => {
  test('shipments dated before and after the window draw on country:CC with the allocation as cap', () => {
    const run = replayLines([
      shipment({ at: '2024-12-31T23:59:59Z', items: tppItems(300_000_000) }),
      shipment({ at: '2026-06-01T00:00:00Z', items: tppItems(300_000_000) }),
      shipment({ at: '2028-01-01T00:00:00Z', items: tppItems(200_000_000) }),
    ]);
    assert.equal(movementOf(run.outcomes[0], 'country:AE')!.capTpp, CAP);
    assert.equal(movementOf(run.outcomes[2], 'country:AE')!.capTpp, CAP);
    assert.deepEqual(accountOf(run.result, 'country:AE'), { account: 'country:AE', usedTpp: 800_000_000n, capTpp: CAP, utilization: 800_000_000 / 790_000_000 });
    // The last one, dated after the window, takes the account over the cap and says so.
    assert.deepEqual(alertKeys(alertsOf(run.outcomes[2])), ['THRESHOLD_CROSSED country:AE 0.9', 'THRESHOLD_CROSSED country:AE 1', 'CAP_EXCEEDED country:AE']);
  });
});
