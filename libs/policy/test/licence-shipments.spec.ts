// LICENSE shipments against the licence their ref names (CONTRACTS.md "Licences"): a licence in force draws the
// shipment on country:CC and on license:ID (cap = the licence's TPP, thresholds and CAP_EXCEEDED); one that is not
// raises UNAUTHORIZED naming the failed check and is recorded on country:CC as if unlicensed; an unknown ref is judged
// as before unless the setting is registered-only. Numbers are hand-checked.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPolicyPack, Replayer, withLicenceSetting, type ReplayResult } from '@app/policy';
import { issueLicence, licensedShipment, line, revokeLicence, shipment, type Json } from './support/events';
import { accountOf, alertKeys, alertsOf, movementOf, recorded } from './support/replay-lines';

function replay(lines: Json[], setting: 'verify-if-known' | 'registered-only' = 'verify-if-known') {
  const replayer = new Replayer(withLicenceSetting(loadPolicyPack(), setting));
  const outcomes = lines.map((l, i) => replayer.push(line(l), i + 1));
  return { outcomes, result: replayer.result() as ReplayResult };
}

// Licence D1: nvidia to acme-ai in AE, valid through 2026, 100,000,000 TPP.
const D1 = issueLicence('D1', { tpp: 100_000_000 });

describe('a licence in force', () => {
  test('draws each shipment on country:CC and license:ID; thresholds of the licence fire, then CAP_EXCEEDED on over-shipment', () => {
    const run = replay([
      D1,
      licensedShipment('D1', 50_000_000), // 50% of the licence
      licensedShipment('D1', 40_000_000), // 90%: crosses 0.75 and reaches 0.9 exactly
      licensedShipment('D1', 20_000_000), // 110%: reaches 1.0 and exceeds the cap
    ]);
    assert.deepEqual(alertKeys(alertsOf(run.outcomes[1])), ['THRESHOLD_CROSSED license:D1 0.5']);
    assert.deepEqual(alertKeys(alertsOf(run.outcomes[2])), ['THRESHOLD_CROSSED license:D1 0.75', 'THRESHOLD_CROSSED license:D1 0.9']);
    assert.deepEqual(alertKeys(alertsOf(run.outcomes[3])), ['THRESHOLD_CROSSED license:D1 1', 'CAP_EXCEEDED license:D1']);
    const exceeded = alertsOf(run.outcomes[3])[1]!;
    assert.equal(exceeded.usedTpp, 110_000_000n);
    assert.equal(exceeded.capTpp, 100_000_000n);
    assert.equal(exceeded.severity, 'critical');
    // The country keeps what was shipped; the licence shows it against its approval.
    assert.deepEqual(accountOf(run.result, 'license:D1'), { account: 'license:D1', usedTpp: 110_000_000n, capTpp: 100_000_000n, utilization: 1.1 });
    assert.equal(accountOf(run.result, 'country:AE')?.usedTpp, 110_000_000n);
    // Approval drew 100,000,000 on the country allocation; over-shipment does not change what was approved.
    assert.equal(accountOf(run.result, 'country:AE:licensed')?.usedTpp, 100_000_000n);
    // country:CC first, then license:ID.
    assert.deepEqual(recorded(run.outcomes[1]).movements.map((m) => m.account), ['country:AE', 'license:D1']);
  });

  test('validFrom and validTo are inclusive, compared as instants', () => {
    const lic = issueLicence('D1', { validFrom: '2026-02-01T00:00:00Z', validTo: '2026-02-28T23:59:59Z' });
    const run = replay([
      lic,
      licensedShipment('D1', 1_000_000, { at: '2026-02-01T00:00:00Z' }),
      licensedShipment('D1', 1_000_000, { at: '2026-02-28T23:59:59Z' }),
      licensedShipment('D1', 1_000_000, { at: '2026-03-01T00:59:59+01:00' }), // the same instant as validTo
    ]);
    for (const o of run.outcomes.slice(1)) assert.equal(movementOf(o, 'license:D1')?.deltaTpp, 1_000_000n);
    assert.equal(accountOf(run.result, 'license:D1')?.usedTpp, 3_000_000n);
  });

  test('a shipment of uncontrolled chips only is drawn with 0 and raises nothing', () => {
    const run = replay([D1, shipment({ auth: { kind: 'LICENSE', ref: 'D1' }, items: [{ chip: 'H20', quantity: 100 }] })]);
    assert.equal(movementOf(run.outcomes[1], 'license:D1')?.deltaTpp, 0n);
    assert.deepEqual(alertsOf(run.outcomes[1]), []);
  });

  test('to a Tier 1 country: recorded on the uncapped country:CC and on license:ID', () => {
    const run = replay([issueLicence('DE1', { country: 'DE', tpp: 10_000_000 }), licensedShipment('DE1', 6_000_000, { country: 'DE' })]);
    assert.deepEqual(accountOf(run.result, 'country:DE'), { account: 'country:DE', usedTpp: 6_000_000n, capTpp: null, utilization: null });
    assert.equal(accountOf(run.result, 'country:DE:licensed')?.capTpp, null);
    assert.deepEqual(alertKeys(alertsOf(run.outcomes[1])), ['THRESHOLD_CROSSED license:DE1 0.5']);
  });
});

describe('a licence that does not hold: UNAUTHORIZED naming the failed check', () => {
  const cases: Array<[string, Json[], Json, RegExp]> = [
    ['revoked', [D1, revokeLicence('D1')], licensedShipment('D1', 5_000_000, { at: '2026-07-01T00:00:00Z' }), /licence "D1" was revoked/],
    ['not yet valid', [issueLicence('D1', { validFrom: '2026-04-01T00:00:00Z' })], licensedShipment('D1', 5_000_000, { at: '2026-03-31T23:59:59Z' }), /is not yet valid/],
    ['expired', [D1], licensedShipment('D1', 5_000_000, { at: '2027-01-01T00:00:00Z' }), /expired at 2026-12-31T23:59:59Z/],
    ['expired by a millisecond', [D1], licensedShipment('D1', 5_000_000, { at: '2026-12-31T23:59:59.001Z' }), /expired/],
    ['other exporter', [D1], licensedShipment('D1', 5_000_000, { publisher: 'amd' }), /issued to other exporter, not "amd"/],
    ['other consignee (id)', [D1], licensedShipment('D1', 5_000_000, { consignee: 'other-ai' }), /other consignee "acme-ai" in AE, not "other-ai" in AE/],
    ['other consignee (country)', [D1], licensedShipment('D1', 5_000_000, { country: 'SA' }), /other consignee "acme-ai" in AE, not "acme-ai" in SA/],
  ];
  for (const [name, before, ship, reason] of cases) {
    test(name, () => {
      const run = replay([...before, ship]);
      const last = run.outcomes[run.outcomes.length - 1];
      const alerts = alertsOf(last);
      assert.equal(alerts.length, 1);
      const a = alerts[0]!;
      const country = (ship['consignee'] as { country: string }).country;
      assert.equal(a.kind, 'UNAUTHORIZED');
      assert.equal(a.severity, 'critical');
      // Recorded on country:CC as if unlicensed (the alert names that account), never on the licence.
      assert.equal(a.account, `country:${country}`);
      assert.equal(a.usedTpp, 5_000_000n);
      assert.match(a.reason!, reason);
      assert.deepEqual(recorded(last).movements.map((m) => m.account), [`country:${country}`]);
      assert.equal(accountOf(run.result, 'license:D1'), undefined);
    });
  }

  test('the checks are made in order: revoked before expired before other exporter', () => {
    const run = replay([D1, revokeLicence('D1'), licensedShipment('D1', 5_000_000, { publisher: 'amd', at: '2027-06-01T00:00:00Z' })]);
    assert.match(alertsOf(run.outcomes[2])[0]!.reason!, /was revoked/);
    const run2 = replay([D1, licensedShipment('D1', 5_000_000, { publisher: 'amd', at: '2027-06-01T00:00:00Z' })]);
    assert.match(alertsOf(run2.outcomes[1])[0]!.reason!, /expired/);
  });

  test('a shipment of uncontrolled chips only needs no licence: recorded, nothing raised', () => {
    const run = replay([D1, shipment({ publisher: 'amd', auth: { kind: 'LICENSE', ref: 'D1' }, items: [{ chip: 'H20', quantity: 10 }] })]);
    assert.deepEqual(alertsOf(run.outcomes[1]), []);
  });

  test('to a Tier 1 country a claimed licence that does not hold is UNAUTHORIZED too (as LPP to Tier 1 is)', () => {
    const run = replay([issueLicence('DE1', { country: 'DE' }), licensedShipment('DE1', 5_000_000, { country: 'DE', publisher: 'amd' })]);
    assert.deepEqual(alertKeys(alertsOf(run.outcomes[1])), ['UNAUTHORIZED country:DE']);
  });

  test('a shipment before the licence was issued (in the stream) finds no licence', () => {
    const run = replay([licensedShipment('D1', 5_000_000), D1], 'registered-only');
    assert.match(alertsOf(run.outcomes[0])[0]!.reason!, /unknown licence "D1"/);
  });
});

describe('a ref that names no issued licence', () => {
  test('verify-if-known (the default): judged as before, recorded on country:CC, nothing raised', () => {
    const run = replay([licensedShipment('NOPE', 5_000_000), licensedShipment(undefined, 5_000_000)]);
    assert.deepEqual(run.result.alerts, []);
    assert.equal(accountOf(run.result, 'country:AE')?.usedTpp, 10_000_000n);
    assert.equal(accountOf(run.result, 'license:NOPE'), undefined);
  });

  test('registered-only: UNAUTHORIZED on country:CC, for an unknown ref and for none', () => {
    const run = replay([licensedShipment('NOPE', 5_000_000), licensedShipment(undefined, 5_000_000)], 'registered-only');
    assert.deepEqual(alertKeys(run.result.alerts), ['UNAUTHORIZED country:AE', 'UNAUTHORIZED country:AE']);
    assert.match(run.result.alerts[0]!.reason!, /unknown licence "NOPE"/);
    assert.match(run.result.alerts[1]!.reason!, /unknown licence: the LICENSE shipment names no licence/);
    assert.equal(run.result.alerts[1]!.usedTpp, 10_000_000n);
    assert.equal(accountOf(run.result, 'country:AE')?.usedTpp, 10_000_000n);
  });

  test('registered-only leaves registered licences, other authorizations and uncontrolled shipments as they were', () => {
    const run = replay(
      [D1, licensedShipment('D1', 5_000_000), shipment({ auth: { kind: 'LPP' }, items: [{ chip: 'A100', quantity: 10 }] }), shipment({ auth: { kind: 'LICENSE', ref: 'X' }, items: [{ chip: 'H20', quantity: 10 }] })],
      'registered-only',
    );
    assert.deepEqual(run.result.alerts, []);
  });
});

describe('prohibited destinations are judged first', () => {
  test('a shipment to Tier 3 under a licence for it raises exactly one PROHIBITED_DESTINATION on country:CC, and draws no licence', () => {
    const run = replay([issueLicence('CN1', { country: 'CN' }), licensedShipment('CN1', 5_000_000, { country: 'CN' })], 'registered-only');
    assert.deepEqual(alertKeys(alertsOf(run.outcomes[1])), ['PROHIBITED_DESTINATION country:CN']);
    assert.equal(accountOf(run.result, 'license:CN1'), undefined);
    assert.equal(accountOf(run.result, 'country:CN')?.usedTpp, 5_000_000n);
  });

  test('to Tier 3 under an unknown licence with registered-only: PROHIBITED_DESTINATION only', () => {
    const run = replay([licensedShipment('NOPE', 5_000_000, { country: 'RU' })], 'registered-only');
    assert.deepEqual(alertKeys(run.result.alerts), ['PROHIBITED_DESTINATION country:RU']);
  });
});
