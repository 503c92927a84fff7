// An authorization that does not hold raises UNAUTHORIZED (critical) and the shipment is recorded on country:CC
// as if unlicensed; a deployment by a VEU that is not granted (or of the other kind) raises UNAUTHORIZED and is
// still recorded on installed:ID:CC. The alert's account is the account the event was recorded on.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { deployment, grantNveu, grantUveu, install, remove, revoke, shipment, tppItems } from './support/events';
import { accountIdsOf, accountOf, alertKeys, alertsOf, replayLines } from './support/replay-lines';

describe('authorizations that do not hold', () => {
  test('NONE to a Tier 2 country with controlled chips: UNAUTHORIZED on country:CC, drawing on the allocation', () => {
    const run = replayLines([shipment({ eventId: 'none-1', country: 'AE', auth: { kind: 'NONE' }, items: [{ chip: 'H100-SXM', quantity: 10 }] })]);
    assert.deepEqual(accountOf(run.result, 'country:AE'), { account: 'country:AE', usedTpp: 158_320n, capTpp: 790_000_000n, utilization: 158_320 / 790_000_000 });
    assert.equal(run.result.alerts.length, 1);
    const a = run.result.alerts[0]!;
    assert.equal(a.kind, 'UNAUTHORIZED');
    assert.equal(a.severity, 'critical');
    assert.equal(a.account, 'country:AE');
    assert.equal(a.threshold, null);
    assert.equal(a.usedTpp, 158_320n);
    assert.equal(a.capTpp, 790_000_000n);
    assert.equal(a.utilization, 158_320 / 790_000_000);
    assert.deepEqual(a.causedBy, { publisher: 'nvidia', eventId: 'none-1' });
  });

  test('NONE with uncontrolled chips only needs no authorization: 0 movement, no alert (lead interpretation 1)', () => {
    const run = replayLines([shipment({ country: 'AE', auth: { kind: 'NONE' }, items: [{ chip: 'H20', quantity: 5000 }] })]);
    assert.deepEqual(accountOf(run.result, 'country:AE'), { account: 'country:AE', usedTpp: 0n, capTpp: 790_000_000n, utilization: 0 });
    assert.deepEqual(run.result.alerts, []);
  });

  test('NONE to a Tier 1 country holds', () => {
    const run = replayLines([shipment({ country: 'US', auth: { kind: 'NONE' }, items: tppItems(1_000_000) })]);
    assert.deepEqual(run.result.alerts, []);
    assert.equal(accountOf(run.result, 'country:US')!.usedTpp, 1_000_000n);
  });

  test('UNAUTHORIZED comes first, then the thresholds the shipment crosses on the country account', () => {
    const run = replayLines([shipment({ country: 'AE', auth: { kind: 'NONE' }, items: tppItems(790_000_001) })]);
    assert.deepEqual(alertKeys(run.result.alerts), [
      'UNAUTHORIZED country:AE',
      'THRESHOLD_CROSSED country:AE 0.5',
      'THRESHOLD_CROSSED country:AE 0.75',
      'THRESHOLD_CROSSED country:AE 0.9',
      'THRESHOLD_CROSSED country:AE 1',
      'CAP_EXCEEDED country:AE',
    ]);
  });

  test('LPP to a Tier 1 country: UNAUTHORIZED on the uncapped country:CC', () => {
    const run = replayLines([shipment({ country: 'GB', auth: { kind: 'LPP' }, items: tppItems(1_000_000) })]);
    assert.deepEqual(accountIdsOf(run.result), ['country:GB']);
    assert.deepEqual(alertKeys(run.result.alerts), ['UNAUTHORIZED country:GB']);
    assert.equal(run.result.alerts[0]!.capTpp, null);
    assert.equal(run.result.alerts[0]!.utilization, null);
  });

  test('NVEU naming a VEU that was never granted: UNAUTHORIZED on country:CC', () => {
    const run = replayLines([shipment({ country: 'AE', auth: { kind: 'NVEU', ref: 'g42' }, items: tppItems(1_000_000) })]);
    assert.deepEqual(accountIdsOf(run.result), ['country:AE']);
    assert.deepEqual(alertKeys(run.result.alerts), ['UNAUTHORIZED country:AE']);
  });

  test('the grant counts from its point in the stream: before it UNAUTHORIZED, after it nveu:ID', () => {
    const run = replayLines([
      shipment({ country: 'AE', auth: { kind: 'NVEU', ref: 'g42' }, items: tppItems(1_000_000) }),
      grantNveu('g42', 'AE'),
      shipment({ country: 'AE', auth: { kind: 'NVEU', ref: 'g42' }, items: tppItems(2_000_000) }),
    ]);
    assert.deepEqual(alertKeys(run.result.alerts), ['UNAUTHORIZED country:AE']);
    assert.equal(accountOf(run.result, 'country:AE')!.usedTpp, 1_000_000n);
    assert.equal(accountOf(run.result, 'nveu:g42')!.usedTpp, 2_000_000n);
  });

  test('after revocation an NVEU claim no longer holds; a new grant restores it', () => {
    const ship = (tpp: number) => shipment({ country: 'AE', auth: { kind: 'NVEU', ref: 'g42' }, items: tppItems(tpp) });
    const run = replayLines([grantNveu('g42', 'AE'), ship(1_000_000), revoke('g42'), ship(2_000_000), grantNveu('g42', 'AE'), ship(4_000_000)]);
    assert.deepEqual(alertKeys(run.result.alerts), ['UNAUTHORIZED country:AE']);
    assert.equal(accountOf(run.result, 'nveu:g42')!.usedTpp, 5_000_000n);
    assert.equal(accountOf(run.result, 'country:AE')!.usedTpp, 2_000_000n);
  });

  test('UVEU naming a revoked UVEU: UNAUTHORIZED on country:CC', () => {
    const run = replayLines([
      grantUveu('aws', 'US'),
      revoke('aws'),
      shipment({ country: 'IN', auth: { kind: 'UVEU', ref: 'aws' }, items: tppItems(1_000_000) }),
    ]);
    assert.deepEqual(accountIdsOf(run.result), ['country:IN']);
    assert.deepEqual(alertKeys(run.result.alerts), ['UNAUTHORIZED country:IN']);
  });

  test('a VEU of the other kind than claimed: UNAUTHORIZED either way', () => {
    const run = replayLines([
      grantNveu('g42', 'AE'),
      grantUveu('aws', 'US'),
      shipment({ country: 'AE', auth: { kind: 'UVEU', ref: 'g42' }, items: tppItems(1_000_000) }),
      shipment({ country: 'IN', auth: { kind: 'NVEU', ref: 'aws' }, items: tppItems(1_000_000) }),
    ]);
    assert.deepEqual(alertKeys(run.result.alerts), ['UNAUTHORIZED country:AE', 'UNAUTHORIZED country:IN']);
    assert.deepEqual(accountIdsOf(run.result), ['country:AE', 'country:IN']);
  });

  test('an NVEU shipment to a country other than the NVEU’s: UNAUTHORIZED on that country', () => {
    const run = replayLines([grantNveu('g42', 'AE'), shipment({ country: 'SA', auth: { kind: 'NVEU', ref: 'g42' }, items: tppItems(1_000_000) })]);
    assert.deepEqual(accountIdsOf(run.result), ['country:SA']);
    assert.deepEqual(alertKeys(run.result.alerts), ['UNAUTHORIZED country:SA']);
  });

  test('an unauthorized NVEU claim to a Tier 1 country is recorded on the uncapped country:CC', () => {
    const run = replayLines([grantNveu('g42', 'AE'), shipment({ country: 'FR', auth: { kind: 'NVEU', ref: 'g42' }, items: tppItems(1_000_000) })]);
    assert.deepEqual(alertKeys(run.result.alerts), ['UNAUTHORIZED country:FR']);
    assert.equal(accountOf(run.result, 'country:FR')!.capTpp, null);
  });

  test('a claim that does not hold, for uncontrolled chips only, raises nothing', () => {
    const run = replayLines([shipment({ country: 'AE', auth: { kind: 'NVEU', ref: 'ghost' }, items: [{ chip: 'H20', quantity: 1 }] })]);
    assert.deepEqual(run.result.alerts, []);
    assert.equal(accountOf(run.result, 'country:AE')!.usedTpp, 0n);
  });

  test('a deployment by a VEU that is not granted: UNAUTHORIZED, still recorded on installed:ID:CC', () => {
    const run = replayLines([install('gcp', 'IN', 2_000_000)]);
    assert.deepEqual(accountOf(run.result, 'installed:gcp:IN'), { account: 'installed:gcp:IN', usedTpp: 2_000_000n, capTpp: null, utilization: null });
    assert.deepEqual(alertKeys(run.result.alerts), ['UNAUTHORIZED installed:gcp:IN']);
    assert.equal(run.result.alerts[0]!.usedTpp, 2_000_000n);
    assert.equal(run.result.alerts[0]!.capTpp, null);
    assert.equal(run.result.alerts[0]!.severity, 'critical');
  });

  test('a deployment claiming the other kind of VEU: UNAUTHORIZED', () => {
    const run = replayLines([
      grantNveu('g42', 'AE'),
      grantUveu('aws', 'US'),
      deployment({ veuKind: 'UVEU', veu: 'g42', country: 'AE', items: tppItems(1_000_000) }),
      install('aws', 'US', 100_000_000),
      deployment({ veuKind: 'NVEU', veu: 'aws', country: 'IN', items: tppItems(1_000_000) }),
    ]);
    assert.deepEqual(alertKeys(alertsOf(run.outcomes[2])), ['UNAUTHORIZED installed:g42:AE']);
    assert.deepEqual(alertKeys(alertsOf(run.outcomes[4])), ['UNAUTHORIZED installed:aws:IN']);
    // aws is a granted UVEU: its ratio accounts are computed from all its installed:aws:* accounts.
    assert.equal(accountOf(run.result, 'uveu:aws:country:IN')!.usedTpp, 1_000_000n);
  });

  test('an NVEU installing outside its own country: UNAUTHORIZED (lead interpretation 3)', () => {
    const run = replayLines([
      grantNveu('g42', 'AE'),
      deployment({ veuKind: 'NVEU', veu: 'g42', country: 'AE', items: tppItems(1_000_000) }),
      deployment({ veuKind: 'NVEU', veu: 'g42', country: 'SA', items: tppItems(1_000_000) }),
    ]);
    assert.deepEqual(alertsOf(run.outcomes[1]), []);
    assert.deepEqual(alertKeys(alertsOf(run.outcomes[2])), ['UNAUTHORIZED installed:g42:SA']);
    assert.equal(accountOf(run.result, 'installed:g42:SA')!.usedTpp, 1_000_000n);
  });

  test('a deployment after revocation: UNAUTHORIZED; a REMOVE raises nothing (lead interpretation 2)', () => {
    const run = replayLines([install('gcp', 'IN', 2_000_000), remove('gcp', 'IN', 1_000_000)]);
    assert.deepEqual(alertKeys(alertsOf(run.outcomes[0])), ['UNAUTHORIZED installed:gcp:IN']);
    assert.deepEqual(alertsOf(run.outcomes[1]), []);
    assert.equal(accountOf(run.result, 'installed:gcp:IN')!.usedTpp, 1_000_000n);
  });

  test('a deployment of uncontrolled chips by a VEU that is not granted raises nothing', () => {
    const run = replayLines([deployment({ veu: 'gcp', country: 'IN', items: [{ chip: 'H20', quantity: 100 }] })]);
    assert.deepEqual(run.result.alerts, []);
    assert.equal(accountOf(run.result, 'installed:gcp:IN')!.usedTpp, 0n);
  });
});
