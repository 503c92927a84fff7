// Edge-triggered thresholds with hysteresis h = 0.05: once (account, t) fired it re-arms only when the account is
// seen strictly below t - h (before or after an event, against the cap in force for that event). Reaching t - h
// exactly does not re-arm. Accounts that can fall are the UVEU ratio accounts (and any account whose cap grows).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { grantNveu, grantUveu, install, remove, shipment, tppItems } from './support/events';
import { accountOf, alertKeys, alertsOf, pushLine, replayLines } from './support/replay-lines';

// US 176,700,000 + IN 13,300,000 = 190,000,000 worldwide; 7% of it is exactly 13,300,000 (IN at 1.0).
function inAtOne() {
  const run = replayLines([grantUveu('aws', 'US'), install('aws', 'US', 176_700_000), install('aws', 'IN', 13_300_000)]);
  assert.deepEqual(alertKeys(alertsOf(run.outcomes[2])), [
    'THRESHOLD_CROSSED uveu:aws:country:IN 0.5',
    'THRESHOLD_CROSSED uveu:aws:country:IN 0.75',
    'THRESHOLD_CROSSED uveu:aws:country:IN 0.9',
    'THRESHOLD_CROSSED uveu:aws:country:IN 1',
  ]);
  return run;
}

describe('hysteresis and re-arming', () => {
  test('falling to exactly t - h (0.95) does not re-arm 1.0: back at 1.0 nothing fires', () => {
    const run = inAtOne();
    // worldwide 200,000,000: 13,300,000 / 14,000,000 = 0.95 exactly (a float engine would compute 0.9499999999999998).
    const down = pushLine(run, install('aws', 'US', 10_000_000));
    assert.deepEqual(alertsOf(down), []);
    assert.equal(accountOf(run.result, 'uveu:aws:country:IN')!.capTpp, 14_000_000n);
    const back = pushLine(run, remove('aws', 'US', 10_000_000));
    assert.deepEqual(alertsOf(back), [], 'no second 1.0 alert without first falling below 0.95');
    assert.equal(accountOf(run.result, 'uveu:aws:country:IN')!.utilization, 1);
  });

  test('falling just below t - h re-arms 1.0 only: back at 1.0 it fires again', () => {
    const run = inAtOne();
    // worldwide 200,000,001: 13,300,000 / 14,000,000.07 < 0.95.
    const down = pushLine(run, install('aws', 'US', 10_000_001));
    assert.deepEqual(alertsOf(down), []);
    const back = pushLine(run, remove('aws', 'US', 10_000_001));
    assert.deepEqual(alertKeys(alertsOf(back)), ['THRESHOLD_CROSSED uveu:aws:country:IN 1']);
    assert.equal(alertsOf(back)[0]!.severity, 'critical');
  });

  test('a deep fall re-arms every threshold; climbing back raises them all again', () => {
    const run = replayLines([grantUveu('aws', 'US'), install('aws', 'US', 93_000_000), install('aws', 'IN', 7_000_000)]);
    assert.equal(alertsOf(run.outcomes[2]).length, 4);
    // IN 3,000,000 of 7% x 96,000,000 = 6,720,000: 0.446 < 0.45.
    assert.deepEqual(alertsOf(pushLine(run, remove('aws', 'IN', 4_000_000))), []);
    const again = pushLine(run, install('aws', 'IN', 4_000_000));
    assert.deepEqual(alertKeys(alertsOf(again)), [
      'THRESHOLD_CROSSED uveu:aws:country:IN 0.5',
      'THRESHOLD_CROSSED uveu:aws:country:IN 0.75',
      'THRESHOLD_CROSSED uveu:aws:country:IN 0.9',
      'THRESHOLD_CROSSED uveu:aws:country:IN 1',
    ]);
  });

  test('bouncing between 0.46 and 0.6 raises 0.5 once', () => {
    // US 100,000,000 fixed. IN x of 7% x (100,000,000 + x).
    const run = replayLines([grantUveu('aws', 'US'), install('aws', 'US', 100_000_000)]);
    const results: string[][] = [];
    // 3,300,000 -> 0.456; 4,300,000 -> 0.589; back and forth.
    for (const step of [3_300_000, 1_000_000, -1_000_000, 1_000_000, -1_000_000, 1_000_000]) {
      const o = pushLine(run, step > 0 ? install('aws', 'IN', step) : remove('aws', 'IN', -step));
      results.push(alertKeys(alertsOf(o)).filter((k) => k.includes('country:IN')));
    }
    assert.deepEqual(results, [[], ['THRESHOLD_CROSSED uveu:aws:country:IN 0.5'], [], [], [], []]);
  });

  test('a remove that drops an account below t - h and its re-install in the same data center: 0.5 fires twice in all', () => {
    const run = replayLines([grantUveu('aws', 'US'), install('aws', 'US', 100_000_000), install('aws', 'IN', 4_300_000)]);
    assert.deepEqual(alertKeys(alertsOf(run.outcomes[2])).filter((k) => k.includes('country:IN')), ['THRESHOLD_CROSSED uveu:aws:country:IN 0.5']);
    pushLine(run, remove('aws', 'IN', 1_300_000)); // 3,000,000 / 7,210,000 = 0.416
    const again = pushLine(run, install('aws', 'IN', 1_300_000));
    assert.deepEqual(alertKeys(alertsOf(again)).filter((k) => k.includes('country:IN')), ['THRESHOLD_CROSSED uveu:aws:country:IN 0.5']);
    assert.equal(run.result.alerts.filter((a) => a.account === 'uveu:aws:country:IN' && a.threshold === 0.5).length, 2);
  });

  test('step 3: a fall within one event re-arms, even if the next event’s cap puts before back above t - h', () => {
    const run = replayLines([grantUveu('aws', 'US'), install('aws', 'US', 93_000_000), install('aws', 'IN', 7_000_000)]);
    assert.equal(alertsOf(run.outcomes[2]).length, 4);
    // IN 7,000,000 -> 3,500,000; worldwide 96,500,000, cap 6,755,000: before 1.036, after 0.518.
    // Step 3 re-arms 1.0, 0.9 and 0.75 (after < t - h); 0.5 stays disarmed (0.518 >= 0.45).
    assert.deepEqual(alertsOf(pushLine(run, remove('aws', 'IN', 3_500_000))), []);
    // US 93,000,000 -> 46,500,000; worldwide 50,000,000, cap exactly 3,500,000: before = after = 1.0, so step 1
    // alone would not re-arm anything; the thresholds armed by step 3 fire.
    const back = pushLine(run, remove('aws', 'US', 46_500_000));
    assert.deepEqual(alertKeys(alertsOf(back)), [
      'THRESHOLD_CROSSED uveu:aws:country:IN 0.75',
      'THRESHOLD_CROSSED uveu:aws:country:IN 0.9',
      'THRESHOLD_CROSSED uveu:aws:country:IN 1',
    ]);
  });

  test('a larger phase cap puts before exactly at t - h: 0.5 does not re-arm (NVEU 2025 -> 2026)', () => {
    // 0.45 x 4,274,640,000 = 1,923,588,000 reached in 2025 (over the 2025 cap).
    const ship = (at: string, tpp: number) => shipment({ at, country: 'AE', auth: { kind: 'NVEU', ref: 'g42' }, items: tppItems(tpp) });
    const run = replayLines([grantNveu('g42', 'AE'), ship('2025-10-01T00:00:00Z', 1_923_588_000)]);
    assert.equal(alertKeys(run.result.alerts).at(-1), 'CAP_EXCEEDED nveu:g42');
    assert.deepEqual(alertsOf(pushLine(run, ship('2026-02-01T00:00:00Z', 1600))), []);
    // To exactly 0.5 of the 2026 cap, 2,137,320,000: 0.5 stays silent (it never fell below 0.45).
    assert.deepEqual(alertsOf(pushLine(run, ship('2026-02-02T00:00:00Z', 2_137_320_000 - 1_923_589_600))), []);
    // 0.75 re-armed (0.45 < 0.70) and fires at 3,205,980,000.
    const at75 = pushLine(run, ship('2026-02-03T00:00:00Z', 3_205_980_000 - 2_137_320_000));
    assert.deepEqual(alertKeys(alertsOf(at75)), ['THRESHOLD_CROSSED nveu:g42 0.75']);
  });

  test('a larger phase cap puts before just below t - h: 0.5 re-arms and fires in the same event (step 1)', () => {
    const ship = (at: string, tpp: number) => shipment({ at, country: 'AE', auth: { kind: 'NVEU', ref: 'g42' }, items: tppItems(tpp) });
    const run = replayLines([grantNveu('g42', 'AE'), ship('2025-10-01T00:00:00Z', 1_923_586_400)]);
    const jump = pushLine(run, ship('2026-02-01T00:00:00Z', 2_137_320_000 - 1_923_586_400));
    assert.deepEqual(alertKeys(alertsOf(jump)), ['THRESHOLD_CROSSED nveu:g42 0.5']);
    assert.equal(alertsOf(jump)[0]!.utilization, 0.5);
  });
});
