// A Tier 2 country's allocation (790,000,000 TPP in ai-diffusion-2025): licensed shipments draw on country:CC, and
// the edge-triggered thresholds 0.5 / 0.75 / 0.9 / 1.0 and CAP_EXCEEDED fire as CONTRACTS.md lists them.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { shipment, tppItems } from './support/events';
import { accountOf, alertKeys, alertsOf, movementOf, pushLine, replayLines } from './support/replay-lines';

const CAP = 790_000_000n;

describe('Tier 2 country allocation', () => {
  test('25,000 H100-SXM to AE under a licence use 395,800,000 TPP and cross 50% of 790,000,000', () => {
    const run = replayLines([shipment({ eventId: 'nv-1', country: 'AE', items: [{ chip: 'H100-SXM', quantity: 25_000 }] })]);
    const ae = accountOf(run.result, 'country:AE');
    assert.deepEqual(ae, { account: 'country:AE', usedTpp: 395_800_000n, capTpp: CAP, utilization: 395_800_000 / 790_000_000 });
    const alerts = alertsOf(run.outcomes[0]);
    assert.deepEqual(alertKeys(alerts), ['THRESHOLD_CROSSED country:AE 0.5']);
    const a = alerts[0]!;
    assert.equal(a.severity, 'info');
    assert.equal(a.usedTpp, 395_800_000n);
    assert.equal(a.capTpp, CAP);
    assert.equal(a.utilization, 395_800_000 / 790_000_000);
    assert.deepEqual(a.causedBy, { publisher: 'nvidia', eventId: 'nv-1' });
    assert.equal(a.at, '2026-03-14T09:30:00Z');
    assert.deepEqual(a.policy, { id: 'ai-diffusion-2025', version: run.result.policy.version });
  });

  test('the shipment is recorded on country:CC only (no LPP or VEU account)', () => {
    const run = replayLines([shipment({ country: 'SA', items: [{ chip: 'B200', quantity: 10 }] })]);
    assert.deepEqual(run.result.accounts.map((a) => a.account), ['country:SA']);
    assert.equal(accountOf(run.result, 'country:SA')!.usedTpp, 360_000n);
  });

  test('one TPP below 50% raises nothing; exactly 50% (395,000,000) crosses 0.5', () => {
    const below = replayLines([shipment({ items: tppItems(394_999_999) })]);
    assert.deepEqual(below.result.alerts, []);
    const exact = replayLines([shipment({ items: tppItems(395_000_000) })]);
    assert.deepEqual(alertKeys(exact.result.alerts), ['THRESHOLD_CROSSED country:AE 0.5']);
    assert.equal(exact.result.alerts[0]!.utilization, 0.5);
  });

  test('exactly 90% (711,000,000) in one event raises 0.5, 0.75, 0.9 in increasing order and not 1.0', () => {
    const run = replayLines([shipment({ items: tppItems(711_000_000) })]);
    const alerts = run.result.alerts;
    assert.deepEqual(alertKeys(alerts), [
      'THRESHOLD_CROSSED country:AE 0.5',
      'THRESHOLD_CROSSED country:AE 0.75',
      'THRESHOLD_CROSSED country:AE 0.9',
    ]);
    assert.deepEqual(alerts.map((a) => a.severity), ['info', 'warning', 'warning']);
    for (const a of alerts) {
      assert.equal(a.usedTpp, 711_000_000n);
      assert.equal(a.utilization, 0.9);
    }
  });

  test('one TPP short of 90% does not cross 0.9; the next 1,600 TPP do', () => {
    const run = replayLines([shipment({ items: tppItems(710_999_999) })]);
    assert.deepEqual(alertKeys(run.result.alerts), ['THRESHOLD_CROSSED country:AE 0.5', 'THRESHOLD_CROSSED country:AE 0.75']);
    const next = pushLine(run, shipment({ items: tppItems(1600) }));
    assert.deepEqual(alertKeys(alertsOf(next)), ['THRESHOLD_CROSSED country:AE 0.9']);
  });

  test('exactly 100% crosses 1.0 (critical) without CAP_EXCEEDED; one more unit exceeds the cap once', () => {
    const run = replayLines([shipment({ items: tppItems(790_000_000) })]);
    assert.deepEqual(alertKeys(run.result.alerts), [
      'THRESHOLD_CROSSED country:AE 0.5',
      'THRESHOLD_CROSSED country:AE 0.75',
      'THRESHOLD_CROSSED country:AE 0.9',
      'THRESHOLD_CROSSED country:AE 1',
    ]);
    assert.equal(run.result.alerts[3]!.severity, 'critical');
    assert.equal(run.result.alerts[3]!.utilization, 1);

    const over = pushLine(run, shipment({ eventId: 'over-1', items: tppItems(1600) }));
    assert.deepEqual(alertKeys(alertsOf(over)), ['CAP_EXCEEDED country:AE']);
    const cap = alertsOf(over)[0]!;
    assert.equal(cap.severity, 'critical');
    assert.equal(cap.threshold, null);
    assert.equal(cap.usedTpp, 790_001_600n);
    assert.equal(cap.capTpp, CAP);

    const again = pushLine(run, shipment({ items: tppItems(100_000_000) }));
    assert.deepEqual(alertsOf(again), [], 'CAP_EXCEEDED is edge-triggered: no second alert while still over');
  });

  test('from 0 to one TPP over the cap in one event: four thresholds, then CAP_EXCEEDED last', () => {
    const run = replayLines([shipment({ items: tppItems(790_000_001) })]);
    assert.deepEqual(alertKeys(run.result.alerts), [
      'THRESHOLD_CROSSED country:AE 0.5',
      'THRESHOLD_CROSSED country:AE 0.75',
      'THRESHOLD_CROSSED country:AE 0.9',
      'THRESHOLD_CROSSED country:AE 1',
      'CAP_EXCEEDED country:AE',
    ]);
  });

  test('over-cap events are recorded, not dropped', () => {
    const run = replayLines([shipment({ items: tppItems(790_000_000) }), shipment({ items: tppItems(500_000_000) })]);
    assert.equal(accountOf(run.result, 'country:AE')!.usedTpp, 1_290_000_000n);
    assert.equal(accountOf(run.result, 'country:AE')!.utilization, 1_290_000_000 / 790_000_000);
    assert.deepEqual(run.result.counts, { read: 2, recorded: 2, duplicates: 0, rejected: 0 });
  });

  test('thresholds cross one at a time across events, each once', () => {
    const run = replayLines([
      shipment({ items: tppItems(400_000_000) }), // 0.506
      shipment({ items: tppItems(10_000_000) }), // 0.519: nothing new
      shipment({ items: tppItems(200_000_000) }), // 0.772
      shipment({ items: tppItems(120_000_000) }), // 0.924
    ]);
    assert.deepEqual(run.outcomes.map((o) => alertKeys(alertsOf(o))), [
      ['THRESHOLD_CROSSED country:AE 0.5'],
      [],
      ['THRESHOLD_CROSSED country:AE 0.75'],
      ['THRESHOLD_CROSSED country:AE 0.9'],
    ]);
  });

  test('all exporters draw on the same country allocation', () => {
    const run = replayLines([
      shipment({ publisher: 'nvidia', items: [{ chip: 'H100-SXM', quantity: 12_500 }] }),
      shipment({ publisher: 'amd', consignee: 'other-co', items: [{ chip: 'H100-SXM', quantity: 12_500 }] }),
    ]);
    assert.equal(accountOf(run.result, 'country:AE')!.usedTpp, 395_800_000n);
    assert.deepEqual(alertKeys(alertsOf(run.outcomes[1])), ['THRESHOLD_CROSSED country:AE 0.5']);
    assert.equal(alertsOf(run.outcomes[1])[0]!.causedBy.publisher, 'amd');
  });

  test('each Tier 2 country has its own allocation', () => {
    const run = replayLines([shipment({ country: 'AE', items: tppItems(400_000_000) }), shipment({ country: 'SA', items: tppItems(400_000_000) })]);
    assert.deepEqual(alertKeys(run.result.alerts), ['THRESHOLD_CROSSED country:AE 0.5', 'THRESHOLD_CROSSED country:SA 0.5']);
  });

  test('a movement reports before, after, delta and the cap in force', () => {
    const run = replayLines([shipment({ items: tppItems(1_000_000) }), shipment({ items: [{ chip: 'A100', quantity: 3 }] })]);
    assert.deepEqual(
      { ...movementOf(run.outcomes[1], 'country:AE')!, disarmedMaskAfter: undefined },
      { account: 'country:AE', deltaTpp: 14_976n, usedBeforeTpp: 1_000_000n, usedAfterTpp: 1_014_976n, capTpp: CAP, disarmedMaskAfter: undefined },
    );
  });

  test('Tier 1 countries are uncapped: capTpp and utilization are null and nothing is raised', () => {
    const run = replayLines([
      shipment({ country: 'DE', items: tppItems(5_000_000_000) }),
      shipment({ country: 'US', auth: { kind: 'NONE' }, items: tppItems(5_000_000_000) }),
    ]);
    assert.deepEqual(accountOf(run.result, 'country:DE'), { account: 'country:DE', usedTpp: 5_000_000_000n, capTpp: null, utilization: null });
    assert.deepEqual(accountOf(run.result, 'country:US'), { account: 'country:US', usedTpp: 5_000_000_000n, capTpp: null, utilization: null });
    assert.deepEqual(run.result.alerts, []);
  });

  test('every Tier 1 country of REGULATION.md is uncapped and a few others are Tier 2', () => {
    const tier1 = ['US', 'AU', 'BE', 'CA', 'DK', 'FI', 'FR', 'DE', 'IE', 'IT', 'JP', 'NL', 'NZ', 'NO', 'KR', 'ES', 'SE', 'TW', 'GB'];
    const tier2 = ['AE', 'SA', 'IN', 'SG', 'MY', 'IL', 'CH', 'PL', 'BR', 'MX'];
    const run = replayLines([...tier1, ...tier2].map((cc) => shipment({ country: cc, items: [{ chip: 'H100-SXM', quantity: 1 }] })));
    for (const cc of tier1) assert.equal(accountOf(run.result, `country:${cc}`)!.capTpp, null, cc);
    for (const cc of tier2) assert.equal(accountOf(run.result, `country:${cc}`)!.capTpp, CAP, cc);
    assert.deepEqual(run.result.alerts, []);
  });
});
