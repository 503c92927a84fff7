// The LPP exception: 26,900,000 TPP per ultimate consignee per calendar year (UTC, from occurredAt), all exporters
// together, outside the country allocation, not usable for Tier 1 (UNAUTHORIZED) nor Tier 3 (prohibited).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { shipment, tppItems } from './support/events';
import { accountIdsOf, accountOf, alertKeys, alertsOf, movementOf, pushLine, replayLines } from './support/replay-lines';

const LPP = { kind: 'LPP' };
const CAP = 26_900_000n;

describe('LPP per consignee per year', () => {
  test('an LPP shipment draws on lpp:CONSIGNEE:YYYY, not on the country allocation', () => {
    const run = replayLines([shipment({ consignee: 'acme-ai', country: 'AE', auth: LPP, items: [{ chip: 'H100-SXM', quantity: 100 }] })]);
    assert.deepEqual(accountIdsOf(run.result), ['lpp:acme-ai:2026']);
    assert.deepEqual(accountOf(run.result, 'lpp:acme-ai:2026'), {
      account: 'lpp:acme-ai:2026',
      usedTpp: 1_583_200n,
      capTpp: CAP,
      utilization: 1_583_200 / 26_900_000,
    });
    assert.deepEqual(run.result.alerts, []);
  });

  test('1,699 H100s (26,898,568 TPP) cross 0.5, 0.75, 0.9; the 1,700th crosses 1.0 and exceeds the cap', () => {
    const run = replayLines([shipment({ auth: LPP, items: [{ chip: 'H100-SXM', quantity: 1699 }] })]);
    assert.equal(accountOf(run.result, 'lpp:acme-ai:2026')!.usedTpp, 26_898_568n);
    assert.deepEqual(alertKeys(run.result.alerts), [
      'THRESHOLD_CROSSED lpp:acme-ai:2026 0.5',
      'THRESHOLD_CROSSED lpp:acme-ai:2026 0.75',
      'THRESHOLD_CROSSED lpp:acme-ai:2026 0.9',
    ]);
    const next = pushLine(run, shipment({ auth: LPP, items: [{ chip: 'H100-SXM', quantity: 1 }] }));
    assert.deepEqual(alertKeys(alertsOf(next)), ['THRESHOLD_CROSSED lpp:acme-ai:2026 1', 'CAP_EXCEEDED lpp:acme-ai:2026']);
    assert.equal(alertsOf(next)[1]!.usedTpp, 26_914_400n);
    assert.equal(alertsOf(next)[1]!.capTpp, CAP);
  });

  test('exactly 26,900,000 TPP reaches 1.0 without exceeding the cap', () => {
    const run = replayLines([shipment({ auth: LPP, items: tppItems(26_900_000) })]);
    assert.deepEqual(alertKeys(run.result.alerts).at(-1), 'THRESHOLD_CROSSED lpp:acme-ai:2026 1');
    assert.ok(!run.result.alerts.some((a) => a.kind === 'CAP_EXCEEDED'));
    assert.equal(accountOf(run.result, 'lpp:acme-ai:2026')!.utilization, 1);
  });

  test('the cap is per consignee: another consignee in the same country has its own account', () => {
    const run = replayLines([
      shipment({ consignee: 'acme-ai', auth: LPP, items: tppItems(21_000_000) }),
      shipment({ consignee: 'beta-labs', auth: LPP, items: tppItems(21_000_000) }), // 0.78 each
    ]);
    assert.deepEqual(accountIdsOf(run.result), ['lpp:acme-ai:2026', 'lpp:beta-labs:2026']);
    assert.deepEqual(alertKeys(alertsOf(run.outcomes[1])), ['THRESHOLD_CROSSED lpp:beta-labs:2026 0.5', 'THRESHOLD_CROSSED lpp:beta-labs:2026 0.75']);
  });

  test('all exporters together: shipments by two chipmakers to one consignee add up', () => {
    const run = replayLines([
      shipment({ publisher: 'nvidia', auth: LPP, items: tppItems(13_000_000) }),
      shipment({ publisher: 'amd', auth: LPP, items: [{ chip: 'MI300X', quantity: 20 }] }),
    ]);
    // 13,000,000 + 20 x 20,919 = 13,418,380 (0.4988: no alert)
    assert.equal(accountOf(run.result, 'lpp:acme-ai:2026')!.usedTpp, 13_418_380n);
    assert.deepEqual(run.result.alerts, []);
    const third = pushLine(run, shipment({ publisher: 'intel', auth: LPP, items: [{ chip: 'GAUDI3', quantity: 3 }] }));
    // + 3 x 29,360 = 88,080: 13,506,460 >= 13,450,000
    assert.deepEqual(alertKeys(alertsOf(third)), ['THRESHOLD_CROSSED lpp:acme-ai:2026 0.5']);
  });

  test('the year is the calendar year in UTC of occurredAt', () => {
    const run = replayLines([
      shipment({ at: '2025-12-31T23:59:59Z', auth: LPP, items: tppItems(20_000_000) }),
      shipment({ at: '2026-01-01T00:00:00Z', auth: LPP, items: tppItems(20_000_000) }),
      // 01:00 at +02:00 on 1 January 2026 is still 2025 in UTC.
      shipment({ at: '2026-01-01T01:00:00+02:00', auth: LPP, items: tppItems(1_000_000) }),
      // 23:30 at -01:00 on 31 December 2026 is already 2027 in UTC.
      shipment({ at: '2026-12-31T23:30:00-01:00', auth: LPP, items: tppItems(2_000_000) }),
    ]);
    assert.deepEqual(accountIdsOf(run.result), ['lpp:acme-ai:2025', 'lpp:acme-ai:2026', 'lpp:acme-ai:2027']);
    assert.equal(accountOf(run.result, 'lpp:acme-ai:2025')!.usedTpp, 21_000_000n);
    assert.equal(accountOf(run.result, 'lpp:acme-ai:2026')!.usedTpp, 20_000_000n);
    assert.equal(accountOf(run.result, 'lpp:acme-ai:2027')!.usedTpp, 2_000_000n);
  });

  test('a new year starts a fresh allocation: 2025 over the cap does not limit 2026', () => {
    const run = replayLines([
      shipment({ at: '2025-06-01T00:00:00Z', auth: LPP, items: tppItems(30_000_000) }),
      shipment({ at: '2026-06-01T00:00:00Z', auth: LPP, items: tppItems(10_000_000) }),
    ]);
    assert.ok(alertKeys(alertsOf(run.outcomes[0])).includes('CAP_EXCEEDED lpp:acme-ai:2025'));
    assert.deepEqual(alertsOf(run.outcomes[1]), []);
  });

  test('LPP does not count against the country allocation even when the country is over it', () => {
    const run = replayLines([
      shipment({ country: 'AE', items: tppItems(800_000_000) }),
      shipment({ country: 'AE', auth: LPP, items: tppItems(1_000_000) }),
    ]);
    assert.equal(accountOf(run.result, 'country:AE')!.usedTpp, 800_000_000n);
    assert.equal(movementOf(run.outcomes[1], 'country:AE'), undefined);
    assert.deepEqual(alertsOf(run.outcomes[1]), []);
  });

  test('LPP to a Tier 1 country does not hold: UNAUTHORIZED, recorded on country:CC', () => {
    const run = replayLines([shipment({ country: 'JP', auth: LPP, items: [{ chip: 'H100-SXM', quantity: 10 }] })]);
    assert.deepEqual(accountIdsOf(run.result), ['country:JP']);
    assert.deepEqual(alertKeys(run.result.alerts), ['UNAUTHORIZED country:JP']);
  });

  test('LPP to a Tier 3 country is prohibited: recorded on country:CC (cap 0), no LPP account', () => {
    const run = replayLines([shipment({ country: 'CN', auth: LPP, items: [{ chip: 'H100-SXM', quantity: 10 }] })]);
    assert.deepEqual(accountIdsOf(run.result), ['country:CN']);
    assert.deepEqual(alertKeys(run.result.alerts), ['PROHIBITED_DESTINATION country:CN']);
  });
});
