// Universal VEU: shipments to it draw on uveu:ID:shipped (uncapped); its deployments on installed:ID:CC; and its
// worldwide installed TPP sets three ratio caps (25% outside Tier 1, 7% per non-Tier-1 country, 50% outside the US
// for a US headquarters), evaluated as exact fractions after each of its deployments once worldwide >= 1,000,000.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeEvent, judge, loadPolicyPack, MemoryLedgerState } from '@app/policy';
import { deployment, grantUveu, install, line, remove, revoke, shipment, tppItems } from './support/events';
import { accountIdsOf, accountOf, alertKeys, alertsOf, movementOf, pushLine, recorded, replayLines } from './support/replay-lines';

describe('UVEU ratio accounts', () => {
  test('a shipment authorized to a granted UVEU draws on uveu:ID:shipped (no cap), not on the country', () => {
    const run = replayLines([
      grantUveu('aws', 'US'),
      shipment({ country: 'IN', consignee: 'aws', auth: { kind: 'UVEU', ref: 'aws' }, items: tppItems(900_000_000) }),
      shipment({ country: 'DE', consignee: 'aws', auth: { kind: 'UVEU', ref: 'aws' }, items: tppItems(100_000_000) }),
    ]);
    assert.deepEqual(accountIdsOf(run.result), ['uveu:aws:shipped']);
    assert.deepEqual(accountOf(run.result, 'uveu:aws:shipped'), { account: 'uveu:aws:shipped', usedTpp: 1_000_000_000n, capTpp: null, utilization: null });
    assert.deepEqual(run.result.alerts, []);
  });

  test('7% of 100,000,000 is exactly 7,000,000: reaching it crosses 1.0 and does not exceed the cap', () => {
    // In floating point 0.07 x 100,000,000 = 7,000,000.000000001, so a float engine would see 0.9999999999999999.
    const run = replayLines([grantUveu('aws', 'US'), install('aws', 'US', 93_000_000), install('aws', 'IN', 7_000_000)]);
    assert.deepEqual(accountIdsOf(run.result), [
      'installed:aws:IN',
      'installed:aws:US',
      'uveu:aws:country:IN',
      'uveu:aws:outside-tier1',
      'uveu:aws:outside-us',
    ]);
    assert.deepEqual(alertKeys(alertsOf(run.outcomes[2])), [
      'THRESHOLD_CROSSED uveu:aws:country:IN 0.5',
      'THRESHOLD_CROSSED uveu:aws:country:IN 0.75',
      'THRESHOLD_CROSSED uveu:aws:country:IN 0.9',
      'THRESHOLD_CROSSED uveu:aws:country:IN 1',
    ]);
    const oneAlert = alertsOf(run.outcomes[2])[3]!;
    assert.equal(oneAlert.capTpp, 7_000_000n);
    assert.equal(oneAlert.usedTpp, 7_000_000n);
    assert.equal(oneAlert.utilization, 1);
    assert.deepEqual(accountOf(run.result, 'uveu:aws:country:IN'), { account: 'uveu:aws:country:IN', usedTpp: 7_000_000n, capTpp: 7_000_000n, utilization: 1 });
    assert.deepEqual(accountOf(run.result, 'uveu:aws:outside-tier1'), { account: 'uveu:aws:outside-tier1', usedTpp: 7_000_000n, capTpp: 25_000_000n, utilization: 0.28 });
    assert.deepEqual(accountOf(run.result, 'uveu:aws:outside-us'), { account: 'uveu:aws:outside-us', usedTpp: 7_000_000n, capTpp: 50_000_000n, utilization: 0.14 });

    // 1,600 more in IN: 7,001,600 > 0.07 x 100,001,600 = 7,000,112.
    const over = pushLine(run, install('aws', 'IN', 1600));
    assert.deepEqual(alertKeys(alertsOf(over)), ['CAP_EXCEEDED uveu:aws:country:IN']);
    assert.equal(alertsOf(over)[0]!.capTpp, 7_000_112n);
  });

  test('capTpp is shown as floor(limit x worldwide) but compared exactly', () => {
    // worldwide 100,000,050: 7% = 7,000,003.5, shown 7,000,003; 7,000,003 used is 0.99999993 of it, not 1.0.
    const run = replayLines([grantUveu('aws', 'US'), install('aws', 'US', 93_000_047), install('aws', 'IN', 7_000_003)]);
    const keys = alertKeys(alertsOf(run.outcomes[2]));
    assert.deepEqual(keys, [
      'THRESHOLD_CROSSED uveu:aws:country:IN 0.5',
      'THRESHOLD_CROSSED uveu:aws:country:IN 0.75',
      'THRESHOLD_CROSSED uveu:aws:country:IN 0.9',
    ]);
    const m = movementOf(run.outcomes[2], 'uveu:aws:country:IN')!;
    assert.equal(m.capTpp, 7_000_003n);
    const view = accountOf(run.result, 'uveu:aws:country:IN')!;
    assert.equal(view.capTpp, 7_000_003n);
    assert.ok(view.utilization! < 1, `utilization ${view.utilization} must be below 1`);
    assert.equal(view.utilization, 7_000_003 / 7_000_003.5);
  });

  test('exactly 25% outside Tier 1 (several countries at exactly 7%) reaches 1.0 everywhere, no CAP_EXCEEDED', () => {
    const run = replayLines([
      grantUveu('aws', 'US'),
      // Worldwide stays below 1,000,000 while these land, so nothing is evaluated yet.
      install('aws', 'IN', 70_000),
      install('aws', 'SA', 70_000),
      install('aws', 'AE', 70_000),
      install('aws', 'SG', 40_000),
      // Worldwide 1,000,000: outside Tier 1 250,000 = 25%; IN, SA, AE 70,000 = 7% each; SG 4%; outside US 50%.
      install('aws', 'US', 750_000),
    ]);
    for (let i = 1; i <= 4; i++) assert.deepEqual(alertsOf(run.outcomes[i]), [], `event ${i + 1} is below the floor`);
    const keys = alertKeys(alertsOf(run.outcomes[5]));
    const expected = [
      ...['0.5', '0.75', '0.9', '1'].map((t) => `THRESHOLD_CROSSED uveu:aws:outside-tier1 ${t}`),
      ...['AE', 'IN', 'SA'].flatMap((cc) => ['0.5', '0.75', '0.9', '1'].map((t) => `THRESHOLD_CROSSED uveu:aws:country:${cc} ${t}`)),
      'THRESHOLD_CROSSED uveu:aws:country:SG 0.5',
      'THRESHOLD_CROSSED uveu:aws:outside-us 0.5',
    ];
    assert.deepEqual([...keys].sort(), [...expected].sort());
    assert.ok(!keys.some((k) => k.startsWith('CAP_EXCEEDED')));
    assert.deepEqual(accountOf(run.result, 'uveu:aws:outside-tier1'), { account: 'uveu:aws:outside-tier1', usedTpp: 250_000n, capTpp: 250_000n, utilization: 1 });
    assert.deepEqual(accountOf(run.result, 'uveu:aws:country:SG'), { account: 'uveu:aws:country:SG', usedTpp: 40_000n, capTpp: 70_000n, utilization: 40_000 / 70_000 });
  });

  test('alerts of one deployment follow movement order, thresholds increasing within each account', () => {
    const run = replayLines([grantUveu('aws', 'US'), install('aws', 'US', 2_000_000), install('aws', 'IN', 1_000_000)]);
    const out = recorded(run.outcomes[2]);
    const order = out.movements.map((m) => m.account);
    let lastIndex = -1;
    let lastThreshold = -1;
    let lastAccount = '';
    for (const a of out.alerts) {
      const idx = order.indexOf(a.account);
      assert.ok(idx >= lastIndex, `${a.account} alert after an alert of a later movement`);
      if (a.account === lastAccount && a.threshold !== null) assert.ok(a.threshold > lastThreshold);
      if (a.account !== lastAccount) lastThreshold = -1;
      if (a.threshold !== null) lastThreshold = a.threshold;
      lastIndex = idx;
      lastAccount = a.account;
    }
    // IN: 1,000,000 of 7% x 3,000,000 = 210,000 -> all four and over; outside Tier 1 1/3 of 0.75 -> 0.5;
    // outside US 1,000,000 of 1,500,000 -> 0.5.
    assert.deepEqual([...alertKeys(out.alerts)].sort(), [
      'CAP_EXCEEDED uveu:aws:country:IN',
      'CAP_EXCEEDED uveu:aws:outside-tier1',
      'THRESHOLD_CROSSED uveu:aws:country:IN 0.5',
      'THRESHOLD_CROSSED uveu:aws:country:IN 0.75',
      'THRESHOLD_CROSSED uveu:aws:country:IN 0.9',
      'THRESHOLD_CROSSED uveu:aws:country:IN 1',
      'THRESHOLD_CROSSED uveu:aws:outside-tier1 0.5',
      'THRESHOLD_CROSSED uveu:aws:outside-tier1 0.75',
      'THRESHOLD_CROSSED uveu:aws:outside-tier1 0.9',
      'THRESHOLD_CROSSED uveu:aws:outside-tier1 1',
      'THRESHOLD_CROSSED uveu:aws:outside-us 0.5',
    ].sort());
    // 1,000,000 / 750,000 outside Tier 1: over 25%.
    assert.equal(accountOf(run.result, 'uveu:aws:outside-tier1')!.capTpp, 750_000n);
  });

  test('below 1,000,000 worldwide the ratios move but are not evaluated; at exactly 1,000,000 they are', () => {
    const run = replayLines([grantUveu('aws', 'US'), install('aws', 'IN', 998_400)]);
    assert.deepEqual(alertsOf(run.outcomes[1]), []);
    // Balances move at every deployment of a granted UVEU (lead's interpretation 6).
    assert.equal(accountOf(run.result, 'uveu:aws:country:IN')!.usedTpp, 998_400n);
    assert.equal(accountOf(run.result, 'uveu:aws:outside-tier1')!.usedTpp, 998_400n);
    assert.equal(accountOf(run.result, 'uveu:aws:outside-us')!.usedTpp, 998_400n);
    const at = pushLine(run, install('aws', 'IN', 1600));
    const keys = alertKeys(alertsOf(at));
    for (const acc of ['uveu:aws:outside-tier1', 'uveu:aws:country:IN', 'uveu:aws:outside-us']) {
      for (const t of ['0.5', '0.75', '0.9', '1']) assert.ok(keys.includes(`THRESHOLD_CROSSED ${acc} ${t}`), `${acc} ${t}`);
    }
    // The accounts were already over their (same) caps before this event, so CAP_EXCEEDED is not raised
    // ("CAP_EXCEEDED when used-after > cap and not used-before > cap (same cap)").
    assert.ok(!keys.some((k) => k.startsWith('CAP_EXCEEDED')), keys.join(', '));
  });

  test('Tier 1 installs count in the worldwide total but get no per-country account; outside-us counts them', () => {
    const run = replayLines([grantUveu('aws', 'US'), install('aws', 'DE', 5_000_000), install('aws', 'US', 5_000_000)]);
    assert.deepEqual(accountIdsOf(run.result), ['installed:aws:DE', 'installed:aws:US', 'uveu:aws:outside-tier1', 'uveu:aws:outside-us']);
    assert.deepEqual(accountOf(run.result, 'uveu:aws:outside-tier1'), { account: 'uveu:aws:outside-tier1', usedTpp: 0n, capTpp: 2_500_000n, utilization: 0 });
    assert.deepEqual(accountOf(run.result, 'uveu:aws:outside-us'), { account: 'uveu:aws:outside-us', usedTpp: 5_000_000n, capTpp: 5_000_000n, utilization: 1 });
    // outside-us went 5,000,000 / 2,500,000 (first event) -> 5,000,000 / 5,000,000: over, then exactly at the cap.
    assert.deepEqual(alertKeys(alertsOf(run.outcomes[1])), [
      'THRESHOLD_CROSSED uveu:aws:outside-us 0.5',
      'THRESHOLD_CROSSED uveu:aws:outside-us 0.75',
      'THRESHOLD_CROSSED uveu:aws:outside-us 0.9',
      'THRESHOLD_CROSSED uveu:aws:outside-us 1',
      'CAP_EXCEEDED uveu:aws:outside-us',
    ]);
    assert.deepEqual(alertsOf(run.outcomes[2]), []);
  });

  test('a UVEU headquartered outside the US has no outside-us account', () => {
    const run = replayLines([grantUveu('azure-eu', 'GB'), install('azure-eu', 'GB', 10_000_000), install('azure-eu', 'IN', 500_000)]);
    assert.deepEqual(accountIdsOf(run.result), ['installed:azure-eu:GB', 'installed:azure-eu:IN', 'uveu:azure-eu:country:IN', 'uveu:azure-eu:outside-tier1']);
  });

  test('installed TPP in a Tier 3 country counts in the worldwide total and the ratio accounts', () => {
    const run = replayLines([grantUveu('aws', 'US'), install('aws', 'US', 10_000_000), install('aws', 'CN', 1_000_000)]);
    const out = recorded(run.outcomes[2]);
    assert.equal(out.alerts[0]!.kind, 'PROHIBITED_DESTINATION');
    assert.equal(out.alerts[0]!.account, 'installed:aws:CN');
    assert.ok(!out.alerts.some((a) => a.kind === 'UNAUTHORIZED'));
    assert.equal(accountOf(run.result, 'uveu:aws:country:CN')!.usedTpp, 1_000_000n);
    assert.equal(accountOf(run.result, 'uveu:aws:country:CN')!.capTpp, 770_000n);
    assert.equal(accountOf(run.result, 'uveu:aws:outside-tier1')!.usedTpp, 1_000_000n);
    assert.equal(accountOf(run.result, 'uveu:aws:outside-tier1')!.capTpp, 2_750_000n);
    // 1,000,000 of 770,000: the per-country share is over.
    assert.ok(alertKeys(out.alerts).includes('CAP_EXCEEDED uveu:aws:country:CN'));
  });

  test('two data centers in one country add up in installed:ID:CC and uveu:ID:country:CC', () => {
    const run = replayLines([
      grantUveu('aws', 'US'),
      install('aws', 'US', 100_000_000),
      install('aws', 'IN', 2_000_000, { dc: 'bom-1' }),
      install('aws', 'IN', 3_000_000, { dc: 'hyd-1' }),
    ]);
    assert.equal(accountOf(run.result, 'installed:aws:IN')!.usedTpp, 5_000_000n);
    assert.equal(accountOf(run.result, 'uveu:aws:country:IN')!.usedTpp, 5_000_000n);
    assert.equal(accountOf(run.result, 'uveu:aws:country:IN')!.capTpp, 7_350_000n);
  });

  test('a REMOVE lowers the installed base and the ratios are recomputed', () => {
    const run = replayLines([
      grantUveu('aws', 'US'),
      install('aws', 'US', 90_000_000),
      install('aws', 'IN', 10_000_000),
      remove('aws', 'IN', 4_000_000),
    ]);
    assert.equal(accountOf(run.result, 'installed:aws:IN')!.usedTpp, 6_000_000n);
    assert.deepEqual(accountOf(run.result, 'uveu:aws:country:IN'), { account: 'uveu:aws:country:IN', usedTpp: 6_000_000n, capTpp: 6_720_000n, utilization: 6_000_000 / 6_720_000 });
    assert.deepEqual(movementOf(run.outcomes[3], 'uveu:aws:country:IN')!.deltaTpp, -4_000_000n);
    assert.deepEqual(alertsOf(run.outcomes[3]), []);
  });

  test('an installation elsewhere moves the cap of every country account; where nothing else changes there is no movement', () => {
    // After event 3, IN holds 5,000,000 of 7% x 95,000,000 = 6,650,000 (75.2%: 0.5 and 0.75 fired). Event 4 makes
    // the worldwide total 100,000,000: IN's cap is 7,000,000 (71.4%), still above 0.75 - h, so IN's alert state
    // stays and only its cap moved.
    const run = replayLines([grantUveu('aws', 'US'), install('aws', 'US', 90_000_000), install('aws', 'IN', 5_000_000), install('aws', 'US', 5_000_000)]);
    assert.deepEqual(alertKeys(alertsOf(run.outcomes[2])), ['THRESHOLD_CROSSED uveu:aws:country:IN 0.5', 'THRESHOLD_CROSSED uveu:aws:country:IN 0.75']);
    assert.equal(movementOf(run.outcomes[3], 'uveu:aws:country:IN'), undefined);
    assert.deepEqual(alertsOf(run.outcomes[3]), []);
    assert.deepEqual(accountOf(run.result, 'uveu:aws:country:IN'), { account: 'uveu:aws:country:IN', usedTpp: 5_000_000n, capTpp: 7_000_000n, utilization: 5 / 7 });
  });

  test('a cap that moves enough to re-arm a threshold is a movement of 0 with the new alert state, and the threshold fires again', () => {
    // Event 4: worldwide 105,000,000, IN's cap 7,350,000 and IN at 68.0% < 0.75 - h: 0.75 re-arms (0.5 stays fired).
    // Event 5: IN 6,000,000 of 7,420,000 = 80.9%: 0.75 fires again.
    const run = replayLines([
      grantUveu('aws', 'US'),
      install('aws', 'US', 90_000_000),
      install('aws', 'IN', 5_000_000),
      install('aws', 'US', 10_000_000),
      install('aws', 'IN', 1_000_000),
    ]);
    const rearmed = movementOf(run.outcomes[3], 'uveu:aws:country:IN')!;
    assert.equal(rearmed.deltaTpp, 0n);
    assert.equal(rearmed.usedAfterTpp, 5_000_000n);
    assert.equal(rearmed.capTpp, 7_350_000n);
    assert.equal(rearmed.disarmedMaskAfter, 0b1, 'only 0.5 stays disarmed');
    assert.deepEqual(alertsOf(run.outcomes[3]), []);
    assert.deepEqual(alertKeys(alertsOf(run.outcomes[4])).filter((k) => k.includes('country:IN')), ['THRESHOLD_CROSSED uveu:aws:country:IN 0.75']);
  });

  test('a VEU that is not granted gets no ratio accounts', () => {
    const run = replayLines([install('gcp', 'US', 10_000_000), install('gcp', 'IN', 5_000_000)]);
    assert.deepEqual(accountIdsOf(run.result), ['installed:gcp:IN', 'installed:gcp:US']);
    assert.deepEqual(run.result.alerts.map((a) => a.kind), ['UNAUTHORIZED', 'UNAUTHORIZED']);
  });

  test('after revocation deployments raise UNAUTHORIZED and the ratio accounts no longer move', () => {
    const run = replayLines([grantUveu('aws', 'US'), install('aws', 'US', 10_000_000), install('aws', 'IN', 500_000), revoke('aws'), install('aws', 'IN', 500_000)]);
    const last = recorded(run.outcomes[4]);
    assert.deepEqual(alertKeys(last.alerts), ['UNAUTHORIZED installed:aws:IN']);
    assert.deepEqual(last.movements.map((m) => m.account), ['installed:aws:IN']);
    assert.equal(accountOf(run.result, 'installed:aws:IN')!.usedTpp, 1_000_000n);
  });

  test('after revocation the ratio accounts keep their balances and show no cap: no ratio cap is in force', () => {
    // Granted: worldwide 3,100,000; IN 100,000 of floor(7% x 3,100,000) = 217,000. Revoked, then IN emptied and
    // the US shrunk to 1,000,000: a cap recomputed from that base (70,000) would put IN at 100,000 / 70,000 = 1.43,
    // over a cap that no longer applies, for a country where nothing is installed.
    const run = replayLines([
      grantUveu('aws', 'US'),
      install('aws', 'US', 3_000_000),
      install('aws', 'IN', 100_000),
      revoke('aws'),
      remove('aws', 'IN', 100_000),
      remove('aws', 'US', 2_000_000),
    ]);
    assert.deepEqual(accountOf(run.result, 'installed:aws:IN'), { account: 'installed:aws:IN', usedTpp: 0n, capTpp: null, utilization: null });
    for (const id of ['uveu:aws:country:IN', 'uveu:aws:outside-tier1', 'uveu:aws:outside-us']) {
      assert.deepEqual(accountOf(run.result, id), { account: id, usedTpp: 100_000n, capTpp: null, utilization: null }, id);
    }
    // IN at 100,000 / 217,000 = 0.46 while granted, and removals raise nothing: no ratio alert on any of them.
    assert.deepEqual(run.result.alerts, []);
  });

  test('granted again with a headquarters outside the US, the outside-US share is no longer in force', () => {
    const run = replayLines([
      grantUveu('aws', 'US'),
      install('aws', 'US', 3_000_000),
      install('aws', 'IN', 100_000),
      revoke('aws'),
      grantUveu('aws', 'GB'),
    ]);
    // Worldwide 3,100,000 again in force for the other two: 25% = 775,000 and 7% = 217,000.
    assert.deepEqual(accountOf(run.result, 'uveu:aws:outside-tier1'), {
      account: 'uveu:aws:outside-tier1',
      usedTpp: 100_000n,
      capTpp: 775_000n,
      utilization: 100_000 / 775_000,
    });
    assert.deepEqual(accountOf(run.result, 'uveu:aws:country:IN')!.capTpp, 217_000n);
    assert.deepEqual(accountOf(run.result, 'uveu:aws:outside-us'), { account: 'uveu:aws:outside-us', usedTpp: 100_000n, capTpp: null, utilization: null });
  });

  test('installs made before the grant count in the ratios once the UVEU is granted', () => {
    const run = replayLines([install('aws', 'IN', 2_000_000), grantUveu('aws', 'US'), install('aws', 'US', 98_000_000)]);
    assert.deepEqual(alertKeys(alertsOf(run.outcomes[0])), ['UNAUTHORIZED installed:aws:IN']);
    // worldwide 100,000,000: IN 2,000,000 of 7,000,000.
    assert.deepEqual(accountOf(run.result, 'uveu:aws:country:IN'), { account: 'uveu:aws:country:IN', usedTpp: 2_000_000n, capTpp: 7_000_000n, utilization: 2 / 7 });
  });

  test('after a new grant the ratio accounts resume from the whole installed base', () => {
    const run = replayLines([
      grantUveu('aws', 'US'),
      install('aws', 'US', 90_000_000),
      revoke('aws'),
      install('aws', 'IN', 3_000_000),
      grantUveu('aws', 'US'),
      install('aws', 'US', 7_000_000),
    ]);
    assert.deepEqual(recorded(run.outcomes[3]).movements.map((m) => m.account), ['installed:aws:IN']);
    assert.deepEqual(accountOf(run.result, 'uveu:aws:country:IN'), { account: 'uveu:aws:country:IN', usedTpp: 3_000_000n, capTpp: 7_000_000n, utilization: 3 / 7 });
    assert.deepEqual(alertKeys(alertsOf(run.outcomes[5])), []);
  });

  test('an NVEU deployment never creates UVEU ratio accounts', () => {
    const run = replayLines([
      { ...grantUveu('x', 'US'), veu: { kind: 'NVEU', id: 'g42', country: 'AE' } },
      deployment({ veuKind: 'NVEU', veu: 'g42', country: 'AE', items: tppItems(5_000_000) }),
    ]);
    assert.deepEqual(accountIdsOf(run.result), ['installed:g42:AE']);
  });

  test('the ratio movements come in ascending country order, whatever order the state learnt the countries in', () => {
    // Installed before the grant, in the order IN, BR, AE; the grant's first deployment creates every ratio account.
    const run = replayLines([
      install('aws', 'IN', 10_000_000),
      install('aws', 'BR', 10_000_000),
      install('aws', 'AE', 10_000_000),
      grantUveu('aws', 'US', { at: '2026-03-01T00:00:00Z' }),
    ]);
    const next = install('aws', 'US', 900_000_000);
    const expected = [
      'installed:aws:US',
      'uveu:aws:outside-tier1',
      'uveu:aws:country:AE',
      'uveu:aws:country:BR',
      'uveu:aws:country:IN',
      'uveu:aws:outside-us',
    ];
    assert.deepEqual(recorded(pushLine(run, next)).movements.map((m) => m.account), expected);

    // The ledger service loads the same accounts from Postgres in whatever order the rows come: the same event judged
    // on states filled in two orders moves the same accounts in the same order (the entries' order is hash-chained).
    const pack = loadPolicyPack();
    const grant = { id: 'aws', kind: 'UVEU' as const, headquarters: 'US', country: null, active: true, reporters: [] };
    for (const order of [['AE', 'BR', 'IN'], ['IN', 'AE', 'BR']]) {
      const state = new MemoryLedgerState();
      state.setVeu(grant);
      for (const cc of order) state.setAccount(`installed:aws:${cc}`, { usedTpp: 10_000_000n, disarmedMask: 0 });
      const outcome = judge(pack, state, decodeEvent(pack, line(next)));
      assert.deepEqual(recorded(outcome).movements.map((m) => m.account), expected, `state filled in the order ${order.join(', ')}`);
    }
  });
});
