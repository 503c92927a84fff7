import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forecastExhaustion } from '../src/accounts/exhaustion.forecast';

const LATEST = Date.parse('2026-02-20T00:00:00Z');

describe('exhaustion forecast', () => {
  it('projects the cap date at the trailing 30-day rate, from the latest entry', () => {
    // 300 used of 600, +300 in the last 30 days: 300 left at 10 per day = 30 days after the latest entry.
    const f = forecastExhaustion({ usedTpp: 300n, capTpp: 600n, latestOccurredAtMs: LATEST, windowDeltaTpp: 300n });
    assert.equal(f.status, 'projected');
    assert.equal(f.projectedExhaustionAt, '2026-03-22T00:00:00.000Z');
    assert.equal(f.ratePerDayTpp, 10);
    assert.equal(f.windowFrom, '2026-01-21T00:00:00.000Z');
  });

  it('rounds up to the millisecond the cap is reached, exactly for amounts beyond 2^53', () => {
    const cap = 2n ** 80n;
    const f = forecastExhaustion({ usedTpp: cap - 1n, capTpp: cap, latestOccurredAtMs: LATEST, windowDeltaTpp: 3n * 2n ** 60n });
    assert.equal(f.projectedExhaustionAt, new Date(LATEST + 1).toISOString());
  });

  it('gives no date to an uncapped, exhausted, flat or shrinking account', () => {
    assert.equal(forecastExhaustion({ usedTpp: 5n, capTpp: null, latestOccurredAtMs: LATEST, windowDeltaTpp: 5n }).status, 'uncapped');
    assert.equal(forecastExhaustion({ usedTpp: 600n, capTpp: 600n, latestOccurredAtMs: LATEST, windowDeltaTpp: 5n }).status, 'exhausted');
    assert.equal(forecastExhaustion({ usedTpp: 5n, capTpp: 600n, latestOccurredAtMs: LATEST, windowDeltaTpp: 0n }).status, 'not-increasing');
    assert.equal(forecastExhaustion({ usedTpp: 5n, capTpp: 600n, latestOccurredAtMs: LATEST, windowDeltaTpp: -5n }).status, 'not-increasing');
    assert.equal(forecastExhaustion({ usedTpp: 0n, capTpp: 600n, latestOccurredAtMs: null, windowDeltaTpp: 0n }).status, 'no-entries');
    for (const status of ['uncapped', 'exhausted', 'not-increasing']) {
      const f = forecastExhaustion({ usedTpp: status === 'exhausted' ? 600n : 5n, capTpp: status === 'uncapped' ? null : 600n, latestOccurredAtMs: LATEST, windowDeltaTpp: status === 'not-increasing' ? 0n : 5n });
      assert.equal(f.projectedExhaustionAt, null);
    }
  });

  it('says so when the date is beyond what a date can hold', () => {
    const f = forecastExhaustion({ usedTpp: 0n, capTpp: 10n ** 30n, latestOccurredAtMs: LATEST, windowDeltaTpp: 1n });
    assert.equal(f.status, 'beyond-horizon');
    assert.equal(f.projectedExhaustionAt, null);
  });
});
