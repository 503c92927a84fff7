// The timeline us-actual, hand-checked against the regimes it strings together, with events on both sides of each
// switch date: 2023-11-17 (the October 2023 rule; events before it are judged by it too, as the first pack),
// 2026-01-15 (case-by-case review for China and Macau, with the product cap) and 2026-02-03 (Cambodia leaves D:5,
// dated data inside the packs). The AI Diffusion framework is not in it: it was never enforced.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { listPolicyTimelines, loadPolicyTimeline, packAt, Replayer, type ReplayResult } from '@app/policy';
import { deployment, grantNveu, grantUveu, line, shipment, type Json } from './support/events';
import { accountOf } from './support/replay-lines';

const H200 = (quantity: number) => [{ chip: 'H200-SXM', quantity }];
const H200_TPP = 15_832n;

function replayTimeline(events: Json[], id = 'us-actual'): ReplayResult {
  const replayer = new Replayer(loadPolicyTimeline(id));
  events.forEach((e, i) => replayer.push(line(e), i + 1));
  return replayer.result();
}

const alertsOf = (r: ReplayResult) => r.alerts.map((a) => `${a.kind} ${a.account} ${a.causedBy.eventId} ${a.policy.id}`);

describe('timeline us-actual', () => {
  test('strings together the regimes actually in force, and leaves out the framework that never was', () => {
    assert.ok(listPolicyTimelines().includes('us-actual'));
    const t = loadPolicyTimeline('us-actual');
    assert.deepEqual(t.timeline!.entries.map((e) => [e.from, e.pack.id]), [
      ['2023-11-17T00:00:00Z', 'us-oct-2023'],
      ['2026-01-15T00:00:00Z', 'china-case-by-case-2026'],
    ]);
    const at = (iso: string) => packAt(t, Date.parse(iso)).id;
    assert.equal(at('2020-01-01T00:00:00Z'), 'us-oct-2023', 'before the first from: the first pack');
    assert.equal(at('2025-03-01T00:00:00Z'), 'us-oct-2023', 'the framework was never enforced');
    assert.equal(at('2026-01-14T23:59:59.999Z'), 'us-oct-2023');
    assert.equal(at('2026-01-15T00:00:00Z'), 'china-case-by-case-2026');
  });

  test('October 2023 rule: China denied, D:1/D:4 need a licence (no cap), A:5/A:6 and the rest need nothing', () => {
    const r = replayTimeline([
      shipment({ eventId: 'cn-2022', at: '2022-06-01T00:00:00Z', country: 'CN', items: H200(1) }),
      shipment({ eventId: 'cn', at: '2025-06-01T00:00:00Z', country: 'CN', items: H200(1) }),
      shipment({ eventId: 'mo', at: '2025-06-01T00:00:00Z', country: 'MO', items: H200(1) }),
      shipment({ eventId: 'hk', at: '2025-06-01T00:00:00Z', country: 'HK', items: H200(1) }),
      shipment({ eventId: 'sa-none', at: '2025-06-01T00:00:00Z', country: 'SA', auth: { kind: 'NONE' }, items: H200(1) }),
      shipment({ eventId: 'sa-lic', at: '2025-06-01T00:00:00Z', country: 'SA', items: H200(1) }),
      shipment({ eventId: 'il-none', at: '2025-06-01T00:00:00Z', country: 'IL', auth: { kind: 'NONE' }, items: H200(1) }),
      shipment({ eventId: 'in-none', at: '2025-06-01T00:00:00Z', country: 'IN', auth: { kind: 'NONE' }, items: H200(1) }),
      shipment({ eventId: 'br-none', at: '2025-06-01T00:00:00Z', country: 'BR', auth: { kind: 'NONE' }, items: H200(1) }),
      shipment({ eventId: 'cn-h20', at: '2025-06-01T00:00:00Z', country: 'CN', items: [{ chip: 'H20', quantity: 100 }] }),
    ]);
    assert.deepEqual(alertsOf(r), [
      'PROHIBITED_DESTINATION country:CN cn-2022 us-oct-2023',
      'PROHIBITED_DESTINATION country:CN cn us-oct-2023',
      'PROHIBITED_DESTINATION country:MO mo us-oct-2023',
      'PROHIBITED_DESTINATION country:HK hk us-oct-2023',
      'UNAUTHORIZED country:SA sa-none us-oct-2023',
    ]);
    assert.deepEqual(accountOf(r, 'country:SA'), { account: 'country:SA', usedTpp: 2n * H200_TPP, capTpp: null, utilization: null });
  });

  test('the framework\'s LPP and VEUs authorize nothing while the October 2023 rule is in force', () => {
    const r = replayTimeline([
      grantNveu('g42', 'AE', { at: '2025-02-01T00:00:00Z' }),
      shipment({ eventId: 'lpp', at: '2025-06-01T00:00:00Z', country: 'AE', auth: { kind: 'LPP' }, items: H200(1) }),
      shipment({ eventId: 'nveu', at: '2025-06-01T00:00:00Z', country: 'AE', consignee: 'g42', auth: { kind: 'NVEU', ref: 'g42' }, items: H200(1) }),
      shipment({ eventId: 'lpp-jp', at: '2025-06-01T00:00:00Z', country: 'JP', auth: { kind: 'LPP' }, items: H200(1) }),
    ]);
    assert.deepEqual(alertsOf(r), ['UNAUTHORIZED country:AE lpp us-oct-2023', 'UNAUTHORIZED country:AE nveu us-oct-2023']);
    assert.deepEqual(r.accounts.map((a) => a.account), ['country:AE', 'country:JP']);
  });

  test('2026-01-15: H200 to China is denied the second before and case-by-case (licence required) from then', () => {
    const r = replayTimeline([
      shipment({ eventId: 'us', at: '2026-01-15T00:00:00Z', country: 'US', items: H200(100) }),
      shipment({ eventId: 'before', at: '2026-01-14T23:59:59Z', country: 'CN', items: H200(10) }),
      shipment({ eventId: 'after', at: '2026-01-15T00:00:00Z', country: 'CN', items: H200(10) }),
      // 2026-01-15T00:30+01:00 is still 2026-01-14 in UTC.
      shipment({ eventId: 'offset', at: '2026-01-15T00:30:00+01:00', country: 'CN', items: H200(1) }),
      shipment({ eventId: 'none', at: '2026-01-16T00:00:00Z', country: 'CN', auth: { kind: 'NONE' }, items: H200(1) }),
      shipment({ eventId: 'b200', at: '2026-01-16T00:00:00Z', country: 'CN', items: [{ chip: 'B200', quantity: 1 }] }),
      shipment({ eventId: 'mo-mi325x', at: '2026-01-16T00:00:00Z', country: 'MO', items: [{ chip: 'MI325X', quantity: 1 }] }),
      deployment({ eventId: 'dep', at: '2026-01-16T00:00:00Z', veu: 'aws', country: 'CN', dc: 'sha-1', items: H200(1) }),
    ]);
    assert.deepEqual(alertsOf(r), [
      'PROHIBITED_DESTINATION country:CN before us-oct-2023',
      'PROHIBITED_DESTINATION country:CN offset us-oct-2023',
      'UNAUTHORIZED country:CN none china-case-by-case-2026',
      'PROHIBITED_DESTINATION country:CN b200 china-case-by-case-2026',
      // MI325X (20,919 TPP, 6,000 GB/s) is under both thresholds; none was shipped to the US, so its cap is 0, and
      // a cap-0 account raises no threshold or cap alert (the contract's account rules).
      'PROHIBITED_DESTINATION installed:aws:CN dep china-case-by-case-2026',
    ]);
    // 11 H200 under case-by-case review against 50% of 100 shipped to the US.
    assert.deepEqual(accountOf(r, 'product:H200-SXM:cn-mo'), { account: 'product:H200-SXM:cn-mo', usedTpp: 11n * H200_TPP, capTpp: 50n * H200_TPP, utilization: 0.22 });
    assert.deepEqual(accountOf(r, 'product:H200-SXM:us'), { account: 'product:H200-SXM:us', usedTpp: 100n * H200_TPP, capTpp: null, utilization: null });
  });

  test('the product cap: China+Macau shipments of a product at most 50% of its US shipments from 2026-01-15', () => {
    const at = '2026-03-01T00:00:00Z';
    const r = replayTimeline([
      // US shipments before the rule are not counted: the account exists only while a pack with the rule judges.
      shipment({ eventId: 'us-2025', at: '2025-12-01T00:00:00Z', country: 'US', items: H200(1000) }),
      shipment({ eventId: 'us-1', at, country: 'US', items: H200(60) }),
      shipment({ eventId: 'us-2', at, country: 'US', items: H200(40) }),
      shipment({ eventId: 'cn-25', at, country: 'CN', items: H200(25) }),
      shipment({ eventId: 'mo-25', at, country: 'MO', items: H200(25) }),
      shipment({ eventId: 'cn-1', at, country: 'CN', items: H200(1) }),
    ]);
    // 25 = 0.5 of the cap (50 H200); 50 = exactly the cap (reaching counts, not exceeding); 51 exceeds it.
    assert.deepEqual(
      r.alerts.map((a) => `${a.kind} ${a.threshold ?? ''} ${a.causedBy.eventId}`.replace('  ', ' ')),
      ['THRESHOLD_CROSSED 0.5 cn-25', 'THRESHOLD_CROSSED 0.75 mo-25', 'THRESHOLD_CROSSED 0.9 mo-25', 'THRESHOLD_CROSSED 1 mo-25', 'CAP_EXCEEDED cn-1'],
    );
    assert.ok(r.alerts.every((a) => a.account === 'product:H200-SXM:cn-mo' && a.capTpp === 50n * H200_TPP));
    assert.equal(accountOf(r, 'product:H200-SXM:us')!.usedTpp, 100n * H200_TPP);
  });

  test('2026-02-03: Cambodia leaves D:5 (denied before, licence required after), inside the same pack', () => {
    const r = replayTimeline([
      shipment({ eventId: 'kh-before', at: '2026-02-02T23:59:59Z', country: 'KH', auth: { kind: 'NONE' }, items: H200(1) }),
      shipment({ eventId: 'kh-none', at: '2026-02-03T00:00:00Z', country: 'KH', auth: { kind: 'NONE' }, items: H200(1) }),
      shipment({ eventId: 'kh-lic', at: '2026-02-03T00:00:00Z', country: 'KH', items: H200(1) }),
    ]);
    assert.deepEqual(alertsOf(r), [
      'PROHIBITED_DESTINATION country:KH kh-before china-case-by-case-2026',
      'UNAUTHORIZED country:KH kh-none china-case-by-case-2026',
    ]);
  });

  test('the replay document names the timeline and its packs; each alert the pack that judged it', () => {
    const r = replayTimeline([shipment({ at: '2025-06-01T00:00:00Z', country: 'CN', items: H200(1) })]);
    const t = loadPolicyTimeline('us-actual').timeline!;
    assert.deepEqual(r.policy, {
      id: 'us-actual',
      version: t.version,
      timeline: { id: 'us-actual', version: t.version, packs: t.entries.map((e) => ({ from: e.from, id: e.pack.id, version: e.pack.version })) },
    });
    assert.deepEqual(r.alerts[0]!.policy, { id: 'us-oct-2023', version: t.entries[0]!.pack.version });
  });

  test('a UVEU grant is judged by the pack in force: its headquarters must be Tier 1 there', () => {
    const replayer = new Replayer(loadPolicyTimeline('us-actual'));
    const ok = replayer.push(line(grantUveu('aws', 'US', { at: '2025-06-01T00:00:00Z' })), 1);
    const bad = replayer.push(line(grantUveu('x', 'SA', { at: '2025-06-01T00:00:00Z' })), 2);
    assert.equal(ok!.status, 'recorded');
    assert.equal(bad!.status, 'rejected');
  });
});
