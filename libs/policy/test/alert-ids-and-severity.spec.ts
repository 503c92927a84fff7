// compliance.alert v1 as raised by the engine: deterministic alertIds (a hash of account, kind, threshold and the
// causing event's key), the severity table, the fields, and the order of alerts within one event.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { stringifyJson, validateAgainstSchema } from '@app/contracts';
import { grantUveu, install, shipment, tppItems } from './support/events';
import { alertKeys, alertsOf, replayLines } from './support/replay-lines';

function everyKindOfAlert() {
  return [
    grantUveu('aws', 'US', { eventId: 'g-1' }),
    shipment({ eventId: 's-1', country: 'AE', auth: { kind: 'NONE' }, items: tppItems(790_000_001) }),
    shipment({ eventId: 's-2', country: 'CN', items: tppItems(1_000_000) }),
    install('aws', 'US', 10_000_000, { eventId: 'd-1' }),
    install('aws', 'RU', 5_000_000, { eventId: 'd-2' }), // 5M of 15M worldwide: over 25% and 7%
    install('gcp', 'IN', 1_000_000, { eventId: 'd-3' }),
  ];
}

describe('alert ids and severity', () => {
  test('replaying the same events yields the same alerts with the same ids', () => {
    const a = replayLines(everyKindOfAlert()).result.alerts;
    const b = replayLines(everyKindOfAlert()).result.alerts;
    assert.ok(a.length >= 10);
    assert.deepEqual(b, a);
  });

  test('alert ids are distinct within a replay', () => {
    const ids = replayLines(everyKindOfAlert()).result.alerts.map((a) => a.alertId);
    assert.equal(new Set(ids).size, ids.length);
  });

  test('the id depends on account, kind, threshold and the causing key, not on earlier history', () => {
    const e = shipment({ eventId: 'cross', items: tppItems(100_000_000) });
    const one = replayLines([shipment({ eventId: 'a', items: tppItems(300_000_000) }), e]);
    const two = replayLines([shipment({ eventId: 'b', items: tppItems(150_000_000) }), shipment({ eventId: 'c', items: tppItems(150_000_000) }), e]);
    assert.deepEqual(alertKeys(alertsOf(one.outcomes[1])), ['THRESHOLD_CROSSED country:AE 0.5']);
    assert.equal(alertsOf(two.outcomes[2])[0]!.alertId, alertsOf(one.outcomes[1])[0]!.alertId);
  });

  test('another event, publisher, account or threshold gives another id', () => {
    const ids = [
      replayLines([shipment({ eventId: 'k', items: tppItems(400_000_000) })]).result.alerts[0]!.alertId,
      replayLines([shipment({ eventId: 'k2', items: tppItems(400_000_000) })]).result.alerts[0]!.alertId,
      replayLines([shipment({ eventId: 'k', publisher: 'amd', items: tppItems(400_000_000) })]).result.alerts[0]!.alertId,
      replayLines([shipment({ eventId: 'k', country: 'SA', items: tppItems(400_000_000) })]).result.alerts[0]!.alertId,
      ...replayLines([shipment({ eventId: 'k', items: tppItems(600_000_000) })]).result.alerts.map((a) => a.alertId),
    ];
    assert.equal(ids.length, 6);
    // The first and the fifth (0.5 on country:AE caused by nvidia/k) are the same alert.
    assert.equal(ids[4], ids[0]);
    assert.equal(new Set(ids).size, 5);
  });

  test('severity: info below 0.75, warning for 0.75 and 0.9, critical for 1.0 and every other kind', () => {
    const alerts = replayLines(everyKindOfAlert()).result.alerts;
    for (const a of alerts) {
      const expected =
        a.kind !== 'THRESHOLD_CROSSED' ? 'critical' : a.threshold === 0.5 ? 'info' : a.threshold === 0.75 || a.threshold === 0.9 ? 'warning' : 'critical';
      assert.equal(a.severity, expected, `${a.kind} ${a.account} ${a.threshold}`);
    }
    const kinds = new Set(alerts.map((a) => `${a.kind} ${a.threshold}`));
    for (const k of ['THRESHOLD_CROSSED 0.5', 'THRESHOLD_CROSSED 0.75', 'THRESHOLD_CROSSED 0.9', 'THRESHOLD_CROSSED 1', 'CAP_EXCEEDED null', 'PROHIBITED_DESTINATION null', 'UNAUTHORIZED null']) {
      assert.ok(kinds.has(k), k);
    }
  });

  test('every alert is a valid compliance.alert v1 document once written as JSON', () => {
    for (const a of replayLines(everyKindOfAlert()).result.alerts) {
      assert.deepEqual(validateAgainstSchema('compliance.alert', JSON.parse(stringifyJson(a))), [], a.alertId);
      assert.equal(a.type, 'compliance.alert');
      assert.equal(a.version, 1);
    }
  });

  test('at is the causing event’s occurredAt as sent; causedBy is its key; policy is the pack', () => {
    const run = replayLines([shipment({ eventId: 'tz-1', publisher: 'amd', at: '2026-03-14T11:30:00+02:00', items: tppItems(400_000_000) })]);
    const a = run.result.alerts[0]!;
    assert.equal(a.at, '2026-03-14T11:30:00+02:00');
    assert.deepEqual(a.causedBy, { publisher: 'amd', eventId: 'tz-1' });
    assert.deepEqual(a.policy, run.result.policy);
    assert.equal(a.policy.id, 'ai-diffusion-2025');
  });

  test('order within one event: PROHIBITED/UNAUTHORIZED first, then thresholds increasing, then CAP_EXCEEDED', () => {
    const run = replayLines(everyKindOfAlert());
    assert.deepEqual(alertKeys(alertsOf(run.outcomes[1])), [
      'UNAUTHORIZED country:AE',
      'THRESHOLD_CROSSED country:AE 0.5',
      'THRESHOLD_CROSSED country:AE 0.75',
      'THRESHOLD_CROSSED country:AE 0.9',
      'THRESHOLD_CROSSED country:AE 1',
      'CAP_EXCEEDED country:AE',
    ]);
    // RU install by a granted UVEU: the prohibited alert, then the ratio accounts it pushes over.
    const ru = alertKeys(alertsOf(run.outcomes[4]));
    assert.equal(ru[0], 'PROHIBITED_DESTINATION installed:aws:RU');
    for (const acc of ['uveu:aws:country:RU', 'uveu:aws:outside-tier1']) {
      const own = ru.filter((k) => k.includes(`${acc} `) || k.endsWith(acc));
      assert.deepEqual(own, [
        `THRESHOLD_CROSSED ${acc} 0.5`,
        `THRESHOLD_CROSSED ${acc} 0.75`,
        `THRESHOLD_CROSSED ${acc} 0.9`,
        `THRESHOLD_CROSSED ${acc} 1`,
        `CAP_EXCEEDED ${acc}`,
      ]);
    }
  });

  test('threshold alerts carry the used, cap and utilization after the event', () => {
    const run = replayLines([shipment({ items: tppItems(592_500_000) })]);
    for (const a of run.result.alerts) {
      assert.equal(a.usedTpp, 592_500_000n);
      assert.equal(a.capTpp, 790_000_000n);
      assert.equal(a.utilization, 0.75);
    }
    assert.deepEqual(run.result.alerts.map((a) => a.threshold), [0.5, 0.75]);
  });
});
