// National VEU: shipments authorized to NVEU ID draw on nveu:ID, whose cap is the phase in force at the event's
// occurredAt (1,583,200,000 through 2025-12-31; 4,274,640,000 in 2026; 5,066,240,000 from 2027).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { deployment, grantNveu, shipment, tppItems } from './support/events';
import { accountIdsOf, accountOf, alertKeys, alertsOf, movementOf, pushLine, replayLines } from './support/replay-lines';

const NVEU = { kind: 'NVEU', ref: 'g42' };
const CAP_2025 = 1_583_200_000n;
const CAP_2026 = 4_274_640_000n;
const CAP_2027 = 5_066_240_000n;

function nveuShipment(at: string, items = tppItems(1_000_000)) {
  return shipment({ at, country: 'AE', consignee: 'g42', auth: NVEU, items });
}

describe('NVEU phase caps', () => {
  test('a shipment to a granted NVEU in its country draws on nveu:ID and not on the country allocation', () => {
    const run = replayLines([grantNveu('g42', 'AE'), nveuShipment('2026-03-01T00:00:00Z', [{ chip: 'B200', quantity: 1000 }])]);
    assert.deepEqual(accountIdsOf(run.result), ['nveu:g42']);
    assert.equal(accountOf(run.result, 'nveu:g42')!.usedTpp, 36_000_000n);
    assert.deepEqual(run.result.alerts, []);
  });

  test('the cap in force follows occurredAt across phase boundaries (UTC)', () => {
    const run = replayLines([
      grantNveu('g42', 'AE'),
      nveuShipment('2025-12-31T23:59:59Z'),
      nveuShipment('2026-01-01T00:00:00Z'),
      nveuShipment('2026-12-31T23:59:59.999Z'),
      nveuShipment('2027-01-01T00:00:00Z'),
      // 23:30 at -01:00 on 31 December 2025 is 2026-01-01T00:30Z.
      nveuShipment('2025-12-31T23:30:00-01:00'),
      nveuShipment('2025-01-13T00:00:00Z'),
    ]);
    assert.deepEqual(
      run.outcomes.slice(1).map((o) => movementOf(o, 'nveu:g42')!.capTpp),
      [CAP_2025, CAP_2026, CAP_2026, CAP_2027, CAP_2026, CAP_2025],
    );
  });

  test('exactly 100,000 H100s in 2025 reach 1.0; in 2026 the larger cap re-arms every threshold', () => {
    const run = replayLines([grantNveu('g42', 'AE'), nveuShipment('2025-11-01T00:00:00Z', [{ chip: 'H100-SXM', quantity: 100_000 }])]);
    assert.equal(accountOf(run.result, 'nveu:g42')!.usedTpp, CAP_2025);
    assert.deepEqual(alertKeys(run.result.alerts), [
      'THRESHOLD_CROSSED nveu:g42 0.5',
      'THRESHOLD_CROSSED nveu:g42 0.75',
      'THRESHOLD_CROSSED nveu:g42 0.9',
      'THRESHOLD_CROSSED nveu:g42 1',
    ]);
    assert.equal(run.result.alerts[3]!.capTpp, CAP_2025);
    // 2026: 1,583,200,000 / 4,274,640,000 = 0.37 < 0.45, so a shipment that takes the account to half of the 2026
    // cap (2,137,320,000, i.e. 135,000 H100s in all) crosses 0.5 again.
    const more = pushLine(run, nveuShipment('2026-02-01T00:00:00Z', [{ chip: 'H100-SXM', quantity: 35_000 }]));
    assert.deepEqual(alertKeys(alertsOf(more)), ['THRESHOLD_CROSSED nveu:g42 0.5']);
    assert.equal(alertsOf(more)[0]!.usedTpp, 2_137_320_000n);
    assert.equal(alertsOf(more)[0]!.capTpp, CAP_2026);
    assert.equal(alertsOf(more)[0]!.utilization, 0.5);
  });

  test('over the 2025 cap in 2025, comfortably inside it in 2026: one CAP_EXCEEDED only', () => {
    const run = replayLines([
      grantNveu('g42', 'AE'),
      nveuShipment('2025-11-01T00:00:00Z', [{ chip: 'H100-SXM', quantity: 100_001 }]),
      nveuShipment('2026-03-01T00:00:00Z', [{ chip: 'H100-SXM', quantity: 1 }]),
    ]);
    assert.ok(alertKeys(alertsOf(run.outcomes[1])).includes('CAP_EXCEEDED nveu:g42'));
    assert.deepEqual(alertsOf(run.outcomes[2]), []);
  });

  test('an event dated in 2025 after events dated in 2026 is judged against the 2025 cap', () => {
    const run = replayLines([
      grantNveu('g42', 'AE'),
      nveuShipment('2026-03-01T00:00:00Z', tppItems(1_500_000_000)), // 0.35 of the 2026 cap
      nveuShipment('2025-12-30T00:00:00Z', tppItems(100_000_000)), // 1,600,000,000 > 1,583,200,000
    ]);
    assert.deepEqual(alertsOf(run.outcomes[1]), []);
    assert.deepEqual(alertKeys(alertsOf(run.outcomes[2])), [
      'THRESHOLD_CROSSED nveu:g42 0.5',
      'THRESHOLD_CROSSED nveu:g42 0.75',
      'THRESHOLD_CROSSED nveu:g42 0.9',
      'THRESHOLD_CROSSED nveu:g42 1',
      'CAP_EXCEEDED nveu:g42',
    ]);
    assert.equal(alertsOf(run.outcomes[2])[4]!.capTpp, CAP_2025);
  });

  test('the replay shows the cap in force at the latest occurredAt', () => {
    const run = replayLines([
      grantNveu('g42', 'AE', { at: '2025-02-01T00:00:00Z' }),
      nveuShipment('2025-03-01T00:00:00Z'),
      shipment({ at: '2027-02-01T00:00:00Z', country: 'DE' }),
    ]);
    assert.equal(accountOf(run.result, 'nveu:g42')!.capTpp, CAP_2027);
    assert.equal(accountOf(run.result, 'nveu:g42')!.utilization, 1_000_000 / 5_066_240_000);
  });

  test('deployments by an NVEU are tracked as installed:ID:CC, not on nveu:ID', () => {
    const run = replayLines([
      grantNveu('g42', 'AE'),
      deployment({ veuKind: 'NVEU', veu: 'g42', country: 'AE', dc: 'auh-1', items: [{ chip: 'H100-SXM', quantity: 100 }] }),
    ]);
    assert.deepEqual(accountIdsOf(run.result), ['installed:g42:AE']);
    assert.deepEqual(accountOf(run.result, 'installed:g42:AE'), { account: 'installed:g42:AE', usedTpp: 1_583_200n, capTpp: null, utilization: null });
    assert.deepEqual(run.result.alerts, []);
  });

  test('two NVEUs have separate accounts', () => {
    const run = replayLines([
      grantNveu('g42', 'AE'),
      grantNveu('humain', 'SA'),
      nveuShipment('2026-03-01T00:00:00Z', tppItems(3_000_000_000)),
      shipment({ at: '2026-03-01T00:00:00Z', country: 'SA', consignee: 'humain', auth: { kind: 'NVEU', ref: 'humain' }, items: tppItems(1_000_000) }),
    ]);
    assert.equal(accountOf(run.result, 'nveu:g42')!.usedTpp, 3_000_000_000n);
    assert.equal(accountOf(run.result, 'nveu:humain')!.usedTpp, 1_000_000n);
    assert.deepEqual(alertsOf(run.outcomes[3]), []);
  });

  test('an NVEU may be granted in a Tier 2 country with a headquarters elsewhere', () => {
    const run = replayLines([grantNveu('g42', 'AE', { headquarters: 'AE' }), nveuShipment('2026-03-01T00:00:00Z')]);
    assert.deepEqual(run.result.counts, { read: 2, recorded: 2, duplicates: 0, rejected: 0 });
    assert.equal(accountOf(run.result, 'nveu:g42')!.usedTpp, 1_000_000n);
  });
});
