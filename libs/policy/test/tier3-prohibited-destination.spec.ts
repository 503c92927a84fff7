// Tier 3 is judged first: a shipment to a Tier 3 country, whatever its authorization, is recorded on country:CC
// (cap 0) with exactly one PROHIBITED_DESTINATION; a deployment there is recorded on installed:ID:CC with one
// PROHIBITED_DESTINATION and no UNAUTHORIZED. Cap-0 accounts raise no threshold or cap alerts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { deployment, grantNveu, grantUveu, install, remove, shipment, tppItems } from './support/events';
import { accountIdsOf, accountOf, alertKeys, alertsOf, replayLines } from './support/replay-lines';

const TIER3 = ['AF', 'BY', 'CD', 'CF', 'CN', 'CU', 'ER', 'HT', 'IQ', 'IR', 'KH', 'KP', 'LB', 'LY', 'MM', 'NI', 'RU', 'SD', 'SO', 'SS', 'SY', 'VE', 'ZW', 'MO', 'HK'];

describe('Tier 3 prohibited destinations', () => {
  test('a licensed shipment to CN is recorded on country:CN (cap 0) with one critical PROHIBITED_DESTINATION', () => {
    const run = replayLines([shipment({ eventId: 'cn-1', country: 'CN', items: [{ chip: 'H100-SXM', quantity: 100 }] })]);
    assert.deepEqual(accountOf(run.result, 'country:CN'), { account: 'country:CN', usedTpp: 1_583_200n, capTpp: 0n, utilization: null });
    assert.equal(run.result.alerts.length, 1);
    const a = run.result.alerts[0]!;
    assert.equal(a.kind, 'PROHIBITED_DESTINATION');
    assert.equal(a.severity, 'critical');
    assert.equal(a.account, 'country:CN');
    assert.equal(a.threshold, null);
    assert.equal(a.usedTpp, 1_583_200n);
    assert.equal(a.capTpp, 0n);
    assert.equal(a.utilization, null);
    assert.deepEqual(a.causedBy, { publisher: 'nvidia', eventId: 'cn-1' });
  });

  test('whatever the authorization claimed, it is recorded on country:CC with PROHIBITED_DESTINATION only', () => {
    const auths = [
      { kind: 'LICENSE', ref: 'D1' },
      { kind: 'LPP' },
      { kind: 'NONE' },
      { kind: 'NVEU', ref: 'g42' }, // granted, but in AE
      { kind: 'NVEU', ref: 'nobody' }, // not granted
      { kind: 'UVEU', ref: 'aws' }, // granted
    ];
    for (const auth of auths) {
      const run = replayLines([grantNveu('g42', 'AE'), grantUveu('aws', 'US'), shipment({ country: 'RU', auth, items: tppItems(5_000_000) })]);
      assert.deepEqual(accountIdsOf(run.result), ['country:RU'], auth.kind);
      assert.deepEqual(alertKeys(run.result.alerts), ['PROHIBITED_DESTINATION country:RU'], JSON.stringify(auth));
    }
  });

  test('every Tier 3 country of REGULATION.md (D:5, Macau, Hong Kong) is prohibited', () => {
    const run = replayLines(TIER3.map((cc) => shipment({ country: cc, items: [{ chip: 'A100', quantity: 1 }] })));
    assert.deepEqual(alertKeys(run.result.alerts), TIER3.map((cc) => `PROHIBITED_DESTINATION country:${cc}`));
    for (const cc of TIER3) assert.equal(accountOf(run.result, `country:${cc}`)!.capTpp, 0n, cc);
  });

  test('huge amounts to a cap-0 account raise no THRESHOLD_CROSSED or CAP_EXCEEDED', () => {
    const run = replayLines([shipment({ country: 'IR', items: tppItems(10_000_000_000) }), shipment({ country: 'IR', items: tppItems(1600) })]);
    assert.deepEqual(alertKeys(run.result.alerts), ['PROHIBITED_DESTINATION country:IR', 'PROHIBITED_DESTINATION country:IR']);
    assert.equal(accountOf(run.result, 'country:IR')!.usedTpp, 10_000_001_600n);
  });

  test('every prohibited shipment raises its own alert, with the balance after it', () => {
    const run = replayLines([
      shipment({ country: 'KP', items: [{ chip: 'B200', quantity: 1 }] }),
      shipment({ country: 'KP', items: [{ chip: 'B200', quantity: 2 }] }),
    ]);
    assert.deepEqual(run.result.alerts.map((a) => a.usedTpp), [36_000n, 108_000n]);
    assert.notEqual(run.result.alerts[0]!.alertId, run.result.alerts[1]!.alertId);
  });

  test('uncontrolled chips alone to a Tier 3 country: recorded with 0 TPP, no alert (lead interpretation 1)', () => {
    const run = replayLines([shipment({ country: 'CN', items: [{ chip: 'H20', quantity: 10_000 }, { tppPerUnit: 1599, quantity: 5 }] })]);
    assert.deepEqual(accountOf(run.result, 'country:CN'), { account: 'country:CN', usedTpp: 0n, capTpp: 0n, utilization: null });
    assert.deepEqual(run.result.alerts, []);
    assert.equal(run.result.counts.recorded, 1);
  });

  test('a mixed shipment to a Tier 3 country counts only its controlled TPP', () => {
    const run = replayLines([shipment({ country: 'CN', items: [{ chip: 'H20', quantity: 10_000 }, { chip: 'A800', quantity: 10 }] })]);
    assert.equal(accountOf(run.result, 'country:CN')!.usedTpp, 49_920n);
    assert.deepEqual(alertKeys(run.result.alerts), ['PROHIBITED_DESTINATION country:CN']);
  });

  test('an INSTALL in a Tier 3 country by a granted UVEU: one PROHIBITED_DESTINATION on installed:ID:CC', () => {
    const run = replayLines([grantUveu('aws', 'US'), install('aws', 'RU', 500_000)]);
    assert.deepEqual(alertKeys(run.result.alerts), ['PROHIBITED_DESTINATION installed:aws:RU']);
    assert.equal(run.result.alerts[0]!.usedTpp, 500_000n);
    assert.equal(run.result.alerts[0]!.severity, 'critical');
    assert.equal(accountOf(run.result, 'installed:aws:RU')!.usedTpp, 500_000n);
  });

  test('an INSTALL in a Tier 3 country by a VEU that is not granted: PROHIBITED_DESTINATION and no UNAUTHORIZED', () => {
    const run = replayLines([install('shady', 'SY', 500_000), deployment({ veuKind: 'NVEU', veu: 'other', country: 'SY', items: tppItems(1600) })]);
    assert.deepEqual(alertKeys(run.result.alerts), ['PROHIBITED_DESTINATION installed:shady:SY', 'PROHIBITED_DESTINATION installed:other:SY']);
    assert.equal(accountOf(run.result, 'installed:shady:SY')!.usedTpp, 500_000n);
  });

  test('an NVEU installing in a Tier 3 country: PROHIBITED_DESTINATION, not UNAUTHORIZED', () => {
    const run = replayLines([grantNveu('g42', 'AE'), deployment({ veuKind: 'NVEU', veu: 'g42', country: 'IR', items: tppItems(2_000_000) })]);
    assert.deepEqual(alertKeys(run.result.alerts), ['PROHIBITED_DESTINATION installed:g42:IR']);
  });

  test('a REMOVE in a Tier 3 country raises nothing (lead interpretation 2)', () => {
    const run = replayLines([grantUveu('aws', 'US'), install('aws', 'US', 10_000_000), install('aws', 'CN', 300_000), remove('aws', 'CN', 300_000)]);
    assert.deepEqual(alertsOf(run.outcomes[3]), []);
    assert.equal(accountOf(run.result, 'installed:aws:CN')!.usedTpp, 0n);
  });

  test('Tier 3 wins over Tier 2 allocation: shipments to CN never touch other countries', () => {
    const run = replayLines([shipment({ country: 'AE', items: tppItems(1_000_000) }), shipment({ country: 'CN', items: tppItems(1_000_000) })]);
    assert.equal(accountOf(run.result, 'country:AE')!.usedTpp, 1_000_000n);
    assert.equal(accountOf(run.result, 'country:CN')!.usedTpp, 1_000_000n);
  });
});
