import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadApiSettings } from '@app/config';
import { reportingDelayBucketMs } from '@app/persistence';
import { loadPolicyPack } from '@app/policy';
import { capInForceAt } from '../src/accounts/history.clocks';
import { HOUR_MS, percentileMs, publisherDelay } from '../src/reporting-delay/reporting-delay.stats';

const b = (delayMsAtMost: bigint, events: bigint) => ({ delayMsAtMost, events });

describe('reporting delay figures from the histogram', () => {
  it('reads nearest-rank percentiles as the bound of the bucket holding them, never above the maximum', () => {
    // 100 events: 90 within 1 s, 9 within 5 minutes, 1 that took 49 hours and 10 minutes.
    const buckets = [b(1_000n, 90n), b(300_000n, 9n), b(50n * HOUR_MS, 1n)];
    const maxMs = 49n * HOUR_MS + 600_000n;
    assert.equal(percentileMs(buckets, 100n, 50n, 100n, maxMs), 1_000n);
    assert.equal(percentileMs(buckets, 100n, 90n, 100n, maxMs), 1_000n);
    // Rank 91 is the first of the 5-minute bucket.
    assert.equal(percentileMs(buckets, 100n, 91n, 100n, maxMs), 300_000n);
    assert.equal(percentileMs(buckets, 100n, 99n, 100n, maxMs), 300_000n);
    // The last bucket's bound (50 h) is above the exact maximum, which is shown instead.
    assert.equal(percentileMs(buckets, 100n, 100n, 100n, maxMs), maxMs);
    assert.equal(percentileMs([], 0n, 50n, 100n, 0n), 0n);
  });

  it('counts exactly the events later than a whole-hour threshold', () => {
    // Bounds are "at most": the 24 h bucket holds delays in (23 h, 24 h], none of them over 24 h.
    const buckets = [b(60_000n, 5n), b(24n * HOUR_MS, 3n), b(25n * HOUR_MS, 2n), b(240n * HOUR_MS, 1n)];
    const d = publisherDelay('amd', buckets, { events: 11n, sumMs: 11n * HOUR_MS + 1n, maxMs: 239n * HOUR_MS }, 24n * HOUR_MS);
    assert.equal(d.overThreshold, 3n);
    assert.equal(d.events, 11n);
    assert.equal(d.p50Ms, 24n * HOUR_MS);
    assert.equal(d.p99Ms, 239n * HOUR_MS);
    // The mean rounds up: (11 h + 1 ms) / 11 is a little over 1 h.
    assert.equal(d.meanMs, HOUR_MS + 1n);
  });
});

describe('the delay histogram bounds', () => {
  it('rounds a delay up to the second, minute, hour or day by its size', () => {
    assert.equal(reportingDelayBucketMs(0n), 0n);
    assert.equal(reportingDelayBucketMs(1n), 1_000n);
    assert.equal(reportingDelayBucketMs(60_001n), 120_000n);
    assert.equal(reportingDelayBucketMs(3_600_001n), 2n * HOUR_MS);
    assert.equal(reportingDelayBucketMs(168n * HOUR_MS), 168n * HOUR_MS);
    assert.equal(reportingDelayBucketMs(168n * HOUR_MS + 1n), 192n * HOUR_MS);
    assert.equal(reportingDelayBucketMs(-1_500n), -1_000n);
  });

  it('takes a threshold only on a bucket bound: whole hours up to a week, whole days beyond', () => {
    assert.equal(loadApiSettings({ SIGNATURES: 'optional',  API_REPORTING_DELAY_THRESHOLD_HOURS: '100' }).reportingDelayThresholdHours, 100);
    assert.equal(loadApiSettings({ SIGNATURES: 'optional',  API_REPORTING_DELAY_THRESHOLD_HOURS: '240' }).reportingDelayThresholdHours, 240);
    assert.equal(loadApiSettings({ SIGNATURES: 'optional' }).reportingDelayThresholdHours, 72);
    assert.throws(() => loadApiSettings({ SIGNATURES: 'optional',  API_REPORTING_DELAY_THRESHOLD_HOURS: '200' }), /API_REPORTING_DELAY_THRESHOLD_HOURS/);
    assert.throws(() => loadApiSettings({ SIGNATURES: 'optional',  API_REPORTING_DELAY_THRESHOLD_HOURS: '0' }), /API_REPORTING_DELAY_THRESHOLD_HOURS/);
  });
});

describe('the cap in force at an instant', () => {
  const pack = loadPolicyPack();
  it("dates a country's g2g doubling and an NVEU's phase by the instant, not by today", () => {
    const arranged = Date.parse('2026-06-01T00:00:00Z');
    const before = capInForceAt(pack, 'country:AE', Date.parse('2026-05-31T23:59:59Z'), arranged, null);
    const after = capInForceAt(pack, 'country:AE', arranged, arranged, null);
    assert.equal(before, pack.tier2CapTpp);
    assert.equal(after, pack.g2gCapTpp);
    assert.notEqual(before, after);
    assert.equal(capInForceAt(pack, 'nveu:g42', Date.parse('2025-12-31T00:00:00Z'), null, null), 1_583_200_000n);
    assert.equal(capInForceAt(pack, 'nveu:g42', Date.parse('2026-06-30T00:00:00Z'), null, null), 4_274_640_000n);
  });

  it('shows a UVEU ratio account the cap its last movement was judged against', () => {
    assert.equal(capInForceAt(pack, 'uveu:aws:outside-tier1', Date.parse('2026-06-30T00:00:00Z'), null, 123n), 123n);
  });
});
