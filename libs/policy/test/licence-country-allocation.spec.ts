// country:CC:licensed (CONTRACTS.md "Licences"): approvals draw on the country allocation when issued, with the same
// cap as country:CC; a revocation gives back what was not yet shipped (never going below what was shipped); a licence
// for a Tier 3 country is recorded and raises PROHIBITED_DESTINATION there. Numbers are hand-checked.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { g2g, issueLicence, licensedShipment, revokeLicence } from './support/events';
import { accountOf, alertKeys, alertsOf, movementOf, recorded, replayLines } from './support/replay-lines';

describe('country:CC:licensed', () => {
  test('sums the approved TPP of the licences issued for CC, with the country cap and its thresholds', () => {
    const run = replayLines([
      issueLicence('L1', { tpp: 400_000_000 }), // 400/790 = 50.6%
      issueLicence('L2', { tpp: 200_000_000 }), // 600/790 = 75.9%
      issueLicence('L3', { tpp: 200_000_000 }), // 800/790 = 101.3%
      issueLicence('S1', { tpp: 1_000_000, country: 'SA' }),
    ]);
    assert.deepEqual(alertKeys(alertsOf(run.outcomes[0])), ['THRESHOLD_CROSSED country:AE:licensed 0.5']);
    assert.deepEqual(alertKeys(alertsOf(run.outcomes[1])), ['THRESHOLD_CROSSED country:AE:licensed 0.75']);
    assert.deepEqual(alertKeys(alertsOf(run.outcomes[2])), [
      'THRESHOLD_CROSSED country:AE:licensed 0.9',
      'THRESHOLD_CROSSED country:AE:licensed 1',
      'CAP_EXCEEDED country:AE:licensed',
    ]);
    const exceeded = alertsOf(run.outcomes[2])[2]!;
    assert.equal(exceeded.usedTpp, 800_000_000n);
    assert.equal(exceeded.capTpp, 790_000_000n);
    assert.equal(exceeded.causedBy.publisher, 'regulator');
    assert.equal(accountOf(run.result, 'country:AE:licensed')?.usedTpp, 800_000_000n);
    assert.equal(accountOf(run.result, 'country:SA:licensed')?.usedTpp, 1_000_000n);
    // Approving is not shipping: country:CC keeps what was shipped.
    assert.equal(accountOf(run.result, 'country:AE'), undefined);
  });

  test('shipments under a licence do not move it', () => {
    const run = replayLines([issueLicence('L1', { tpp: 100_000_000 }), licensedShipment('L1', 30_000_000)]);
    assert.equal(movementOf(run.outcomes[1], 'country:AE:licensed'), undefined);
    assert.equal(accountOf(run.result, 'country:AE:licensed')?.usedTpp, 100_000_000n);
  });

  test('a revocation gives back what was not yet shipped', () => {
    const run = replayLines([
      issueLicence('L1', { tpp: 400_000_000 }),
      licensedShipment('L1', 150_000_000),
      revokeLicence('L1'),
    ]);
    assert.equal(movementOf(run.outcomes[2], 'country:AE:licensed')?.deltaTpp, -250_000_000n);
    assert.equal(accountOf(run.result, 'country:AE:licensed')?.usedTpp, 150_000_000n);
    // What was shipped stays shipped.
    assert.equal(accountOf(run.result, 'license:L1')?.usedTpp, 150_000_000n);
    assert.equal(accountOf(run.result, 'country:AE')?.usedTpp, 150_000_000n);
  });

  test('a revocation of a licence shipped in full, or over, gives back nothing', () => {
    const run = replayLines([issueLicence('L1', { tpp: 10_000_000 }), licensedShipment('L1', 12_000_000), revokeLicence('L1')]);
    assert.deepEqual(recorded(run.outcomes[2]).movements, []);
    assert.equal(accountOf(run.result, 'country:AE:licensed')?.usedTpp, 10_000_000n);
  });

  test('revoking a revoked licence again is recorded and moves nothing', () => {
    const run = replayLines([issueLicence('L1', { tpp: 10_000_000 }), revokeLicence('L1'), revokeLicence('L1')]);
    assert.equal(movementOf(run.outcomes[1], 'country:AE:licensed')?.deltaTpp, -10_000_000n);
    assert.deepEqual(recorded(run.outcomes[2]).movements, []);
    assert.equal(accountOf(run.result, 'country:AE:licensed')?.usedTpp, 0n);
  });

  test('a revocation re-arms the thresholds it takes the account back under', () => {
    const run = replayLines([issueLicence('L1', { tpp: 400_000_000 }), revokeLicence('L1'), issueLicence('L2', { tpp: 400_000_000 })]);
    assert.deepEqual(alertKeys(run.result.alerts), ['THRESHOLD_CROSSED country:AE:licensed 0.5', 'THRESHOLD_CROSSED country:AE:licensed 0.5']);
  });

  test('a g2g arrangement doubles its cap, as it doubles country:CC', () => {
    const run = replayLines([issueLicence('L1', { tpp: 800_000_000 }), g2g('AE', { at: '2026-02-01T00:00:00Z' })]);
    assert.ok(alertKeys(run.result.alerts).includes('CAP_EXCEEDED country:AE:licensed'));
    assert.deepEqual(accountOf(run.result, 'country:AE:licensed'), {
      account: 'country:AE:licensed',
      usedTpp: 800_000_000n,
      capTpp: 1_580_000_000n,
      utilization: 800 / 1580,
    });
  });

  test('a licence for a Tier 3 country is recorded and raises PROHIBITED_DESTINATION on country:CC:licensed (cap 0, no thresholds)', () => {
    const run = replayLines([issueLicence('CN1', { country: 'CN', tpp: 5_000_000 })]);
    const alerts = alertsOf(run.outcomes[0]);
    assert.deepEqual(alertKeys(alerts), ['PROHIBITED_DESTINATION country:CN:licensed']);
    assert.equal(alerts[0]!.usedTpp, 5_000_000n);
    assert.equal(alerts[0]!.capTpp, 0n);
    assert.equal(alerts[0]!.severity, 'critical');
    assert.match(alerts[0]!.reason!, /licence "CN1" approves exports to prohibited destination CN/);
    assert.deepEqual(accountOf(run.result, 'country:CN:licensed'), { account: 'country:CN:licensed', usedTpp: 5_000_000n, capTpp: 0n, utilization: null });
  });
});
