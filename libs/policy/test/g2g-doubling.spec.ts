// A government-to-government arrangement doubles a Tier 2 country's allocation to 1,580,000,000 TPP from the
// point in the stream where it is granted; thresholds are judged against the cap in force for each event.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { g2g, shipment, tppItems } from './support/events';
import { accountOf, alertKeys, alertsOf, movementOf, pushLine, replayLines } from './support/replay-lines';

const CAP = 790_000_000n;
const DOUBLED = 1_580_000_000n;

describe('g2g doubling', () => {
  test('after the arrangement the country account is capped at 1,580,000,000', () => {
    const run = replayLines([
      shipment({ country: 'AE', items: tppItems(1_000_000) }),
      g2g('AE'),
      shipment({ country: 'AE', items: tppItems(1_000_000) }),
    ]);
    assert.equal(movementOf(run.outcomes[0], 'country:AE')!.capTpp, CAP);
    assert.equal(movementOf(run.outcomes[2], 'country:AE')!.capTpp, DOUBLED);
    assert.deepEqual(accountOf(run.result, 'country:AE'), { account: 'country:AE', usedTpp: 2_000_000n, capTpp: DOUBLED, utilization: 2_000_000 / 1_580_000_000 });
  });

  test('a g2g country can take 1,000,000,000 without exceeding its cap', () => {
    const run = replayLines([g2g('AE'), shipment({ country: 'AE', items: tppItems(1_000_000_000) })]);
    assert.deepEqual(alertKeys(run.result.alerts), ['THRESHOLD_CROSSED country:AE 0.5']);
    assert.equal(run.result.alerts[0]!.capTpp, DOUBLED);
  });

  test('exactly 1,580,000,000 reaches 1.0; one TPP more exceeds', () => {
    const run = replayLines([g2g('SA'), shipment({ country: 'SA', items: tppItems(1_580_000_000) })]);
    assert.equal(alertKeys(run.result.alerts).at(-1), 'THRESHOLD_CROSSED country:SA 1');
    assert.ok(!run.result.alerts.some((a) => a.kind === 'CAP_EXCEEDED'));
    const over = pushLine(run, shipment({ country: 'SA', items: tppItems(1600) }));
    assert.deepEqual(alertKeys(alertsOf(over)), ['CAP_EXCEEDED country:SA']);
  });

  test('at 90% of 790M, doubling leaves 45% = t - h for 0.5: 0.5 stays disarmed, 0.75 and 0.9 re-arm', () => {
    const run = replayLines([shipment({ country: 'AE', items: tppItems(711_000_000) }), g2g('AE')]);
    assert.deepEqual(alertKeys(run.result.alerts), [
      'THRESHOLD_CROSSED country:AE 0.5',
      'THRESHOLD_CROSSED country:AE 0.75',
      'THRESHOLD_CROSSED country:AE 0.9',
    ]);
    // 711,001,600 / 1,580,000,000: before is exactly 0.45, after just above.
    assert.deepEqual(alertsOf(pushLine(run, shipment({ country: 'AE', items: tppItems(1600) }))), []);
    // To exactly 75% of the doubled cap (1,185,000,000): only 0.75 fires; 0.5 never fell below 0.45.
    const to75 = pushLine(run, shipment({ country: 'AE', items: tppItems(1_185_000_000 - 711_001_600) }));
    assert.deepEqual(alertKeys(alertsOf(to75)), ['THRESHOLD_CROSSED country:AE 0.75']);
    assert.equal(alertsOf(to75)[0]!.capTpp, DOUBLED);
    assert.equal(alertsOf(to75)[0]!.utilization, 0.75);
  });

  test('just below 90% of 790M, doubling leaves just below 45%: 0.5 re-arms and fires again at 790,000,000', () => {
    const run = replayLines([shipment({ country: 'AE', items: tppItems(710_998_400) }), g2g('AE')]);
    assert.deepEqual(alertKeys(run.result.alerts), ['THRESHOLD_CROSSED country:AE 0.5', 'THRESHOLD_CROSSED country:AE 0.75']);
    // 710,998,400 / 1,580,000,000 < 0.45 re-arms 0.5; after = 711,000,000 is exactly 0.45, not yet 0.5.
    assert.deepEqual(alertsOf(pushLine(run, shipment({ country: 'AE', items: tppItems(1600) }))), []);
    const half = pushLine(run, shipment({ country: 'AE', items: tppItems(79_000_000) }));
    assert.deepEqual(alertKeys(alertsOf(half)), ['THRESHOLD_CROSSED country:AE 0.5']);
    assert.equal(alertsOf(half)[0]!.usedTpp, 790_000_000n);
    assert.equal(alertsOf(half)[0]!.utilization, 0.5);
  });

  test('an account over 790M falls back under the doubled cap, and can exceed it again later', () => {
    const run = replayLines([shipment({ country: 'AE', items: tppItems(800_000_000) }), g2g('AE')]);
    assert.equal(alertKeys(run.result.alerts).at(-1), 'CAP_EXCEEDED country:AE');
    const small = pushLine(run, shipment({ country: 'AE', items: tppItems(1600) }));
    assert.deepEqual(alertsOf(small), [], '0.506 of the doubled cap: nothing to raise');
    const big = pushLine(run, shipment({ country: 'AE', items: tppItems(1_580_000_001 - 800_001_600) }));
    assert.deepEqual(alertKeys(alertsOf(big)), [
      'THRESHOLD_CROSSED country:AE 0.75',
      'THRESHOLD_CROSSED country:AE 0.9',
      'THRESHOLD_CROSSED country:AE 1',
      'CAP_EXCEEDED country:AE',
    ]);
  });

  test('the arrangement applies to its own country only', () => {
    const run = replayLines([g2g('AE'), shipment({ country: 'SA', items: tppItems(1_000_000) })]);
    assert.equal(accountOf(run.result, 'country:SA')!.capTpp, CAP);
  });

  test('a second arrangement for the same country changes nothing more', () => {
    const run = replayLines([g2g('AE'), g2g('AE'), shipment({ country: 'AE', items: tppItems(1_000_000) })]);
    assert.equal(accountOf(run.result, 'country:AE')!.capTpp, DOUBLED);
  });

  test('an arrangement does not give a cap to a Tier 1 country nor open a Tier 3 one', () => {
    const run = replayLines([
      g2g('DE'),
      g2g('CN'),
      shipment({ country: 'DE', items: tppItems(1_000_000) }),
      shipment({ country: 'CN', items: tppItems(1_000_000) }),
    ]);
    assert.equal(accountOf(run.result, 'country:DE')!.capTpp, null);
    assert.equal(accountOf(run.result, 'country:CN')!.capTpp, 0n);
    assert.deepEqual(alertKeys(run.result.alerts), ['PROHIBITED_DESTINATION country:CN']);
  });

  test('an arrangement sent by anyone but the regulator is rejected and doubles nothing', () => {
    const run = replayLines([g2g('AE', { publisher: 'nvidia' }), shipment({ country: 'AE', items: tppItems(1_000_000) })]);
    assert.equal(run.result.rejected[0]!.code, 'FORBIDDEN_PUBLISHER');
    assert.equal(accountOf(run.result, 'country:AE')!.capTpp, CAP);
  });
});
