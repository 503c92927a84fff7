// How any timeline judges (CONTRACTS.md "Policy over time"), on made-up timelines of the built-in packs: accounts
// persist across packs, a cap is the one the pack in force gives (null where it has none), alert state carries over
// and arming and crossing work on the cap in force; timeline documents are validated like packs; and the diff of two
// ways of judging names the events judged differently.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  compilePolicyTimeline,
  JudgementDiffer,
  loadPolicyPack,
  PolicyPackError,
  Replayer,
  type PolicyPack,
  type ReplayResult,
} from '@app/policy';
import { grantNveu, line, shipment, tppItems, type Json } from './support/events';
import { accountOf, alertKeys, replayLines } from './support/replay-lines';

function timeline(entries: Array<[string, string]>, loadPack: (id: string) => PolicyPack = loadPolicyPack): PolicyPack {
  const doc = { id: 'test', version: '1', title: 'test', entries: entries.map(([from, pack]) => ({ from, pack, cite: 'test', basis: 'assumed' })) };
  return compilePolicyTimeline(doc, loadPack);
}

function replay(policy: PolicyPack, events: Json[]): ReplayResult {
  const replayer = new Replayer(policy);
  events.forEach((e, i) => replayer.push(line(e), i + 1));
  return replayer.result();
}

const SWITCH = '2025-05-13T00:00:00Z';

describe('a timeline judges each event by the pack in force at its occurredAt', () => {
  test('accounts persist across packs; the cap is the one the pack in force gives, null where it has none', () => {
    const policy = timeline([['2025-01-13T00:00:00Z', 'ai-diffusion-2025'], [SWITCH, 'us-oct-2023']]);
    const r = replay(policy, [
      shipment({ eventId: 'a', at: '2025-03-01T00:00:00Z', country: 'AE', items: tppItems(400_000_000) }),
      shipment({ eventId: 'b', at: '2025-06-01T00:00:00Z', country: 'AE', items: tppItems(100_000_000) }),
    ]);
    // 400M / 790M crosses 0.5 under the framework; under the October 2023 rule the account has no cap.
    assert.deepEqual(r.alerts.map((a) => `${a.kind} ${a.threshold} ${a.causedBy.eventId} ${a.policy.id} ${a.capTpp}`), ['THRESHOLD_CROSSED 0.5 a ai-diffusion-2025 790000000']);
    assert.deepEqual(accountOf(r, 'country:AE'), { account: 'country:AE', usedTpp: 500_000_000n, capTpp: null, utilization: null });
  });

  test('alert state carries over: a threshold armed under an uncapped pack crosses when a cap comes into force', () => {
    const policy = timeline([['2023-11-17T00:00:00Z', 'us-oct-2023'], [SWITCH, 'ai-diffusion-2025']]);
    const r = replay(policy, [
      shipment({ eventId: 'a', at: '2025-03-01T00:00:00Z', country: 'AE', items: tppItems(500_000_000) }),
      shipment({ eventId: 'b', at: '2025-06-01T00:00:00Z', country: 'AE', items: tppItems(10_000_000) }),
      shipment({ eventId: 'c', at: '2025-06-02T00:00:00Z', country: 'AE', items: tppItems(10_000_000) }),
    ]);
    // a: no cap, nothing. b: 510M / 790M = 0.646, already past 0.5 before the event (0.633) but 0.5 was armed: it
    // fires now, on the cap in force. c: 0.658, 0.5 is disarmed and does not fire again.
    assert.deepEqual(r.alerts.map((a) => `${a.kind} ${a.threshold} ${a.causedBy.eventId}`), ['THRESHOLD_CROSSED 0.5 b']);
    assert.equal(accountOf(r, 'country:AE')!.capTpp, 790_000_000n);
  });

  test('an LPP account keeps its balance and shows no cap once a pack without LPP is in force', () => {
    const policy = timeline([['2025-01-13T00:00:00Z', 'ai-diffusion-2025'], [SWITCH, 'us-oct-2023']]);
    const r = replay(policy, [
      shipment({ eventId: 'lpp', at: '2025-03-01T00:00:00Z', country: 'AE', consignee: 'acme', auth: { kind: 'LPP' }, items: tppItems(21_000_000) }),
      shipment({ eventId: 'later', at: '2025-06-01T00:00:00Z', country: 'FR', items: tppItems(1_600) }),
    ]);
    assert.deepEqual(alertKeys(r.alerts), ['THRESHOLD_CROSSED lpp:acme:2025 0.5', 'THRESHOLD_CROSSED lpp:acme:2025 0.75']);
    assert.deepEqual(accountOf(r, 'lpp:acme:2025'), { account: 'lpp:acme:2025', usedTpp: 21_000_000n, capTpp: null, utilization: null });
  });
});

describe('timeline documents are validated', () => {
  const problems = (doc: unknown, loadPack: (id: string) => PolicyPack = loadPolicyPack): string[] => {
    try {
      compilePolicyTimeline(doc, loadPack);
    } catch (e) {
      assert.ok(e instanceof PolicyPackError, String(e));
      return e.problems;
    }
    return assert.fail('expected the timeline to be refused');
  };
  const entry = (from: string, pack: string) => ({ from, pack, cite: 'x', basis: 'published' });

  test('a misspelt or missing key, an unknown pack, entries out of order are refused with their paths', () => {
    const p = problems({
      id: 't',
      version: '1',
      title: 't',
      entries: [entry('2026-01-01T00:00:00Z', 'us-oct-2023'), { form: '2025-01-01T00:00:00Z', pack: 'ai-diffusion-2025', cite: 'x', basis: 'published' }],
    });
    assert.ok(p.some((x) => /^entries\[1\]\.form: unknown key/.test(x)), p.join(' | '));
    assert.ok(p.some((x) => /^entries\[1\]\.from: required key is missing/.test(x)), p.join(' | '));
    const q = problems({ id: 't', version: '1', title: 't', entries: [entry('2026-01-01T00:00:00Z', 'us-oct-2023'), entry('2025-01-01T00:00:00Z', 'no-such-pack')] });
    assert.ok(q.some((x) => /^entries\[1\]\.from: entries must be in strictly increasing order/.test(x)), q.join(' | '));
    assert.ok(q.some((x) => /^entries\[1\]\.pack: .*no such pack/.test(x)), q.join(' | '));
  });

  test('the packs of a timeline must share their alert thresholds (the alert state carries over)', () => {
    const other = { ...loadPolicyPack('us-oct-2023'), id: 'other', thresholds: loadPolicyPack('us-oct-2023').thresholds.slice(1) };
    const load = (id: string) => (id === 'other' ? other : loadPolicyPack(id));
    const p = problems({ id: 't', version: '1', title: 't', entries: [entry('2023-01-01T00:00:00Z', 'us-oct-2023'), entry('2024-01-01T00:00:00Z', 'other')] }, load);
    assert.ok(p.some((x) => /^entries\[1\]\.pack: "other" has other alert thresholds/.test(x)), p.join(' | '));
  });
});

describe('NVEU grants', () => {
  test('an NVEU headquartered in a Tier 3 country is refused MALFORMED; elsewhere it is granted', () => {
    const r = replayLines([grantNveu('x', 'AE', { headquarters: 'CN' }), grantNveu('g42', 'AE', { headquarters: 'AE' })]);
    assert.equal(r.outcomes[0]!.status, 'rejected');
    assert.match((r.outcomes[0] as { message: string }).message, /\/veu\/headquarters: an NVEU cannot be headquartered in a Tier 3 country \("CN"\)/);
    assert.equal(r.outcomes[1]!.status, 'recorded');
  });
});

describe('diff of two ways of judging', () => {
  test('names alerts raised under one only, accounts moved or capped otherwise, and the accounts that differ', () => {
    const differ = new JudgementDiffer(loadPolicyPack('ai-diffusion-2025'), timeline([['2023-11-17T00:00:00Z', 'us-oct-2023']]));
    const events = [
      shipment({ eventId: 'same', at: '2025-06-01T00:00:00Z', country: 'FR', items: tppItems(1_600) }),
      shipment({ eventId: 'cap', at: '2025-06-01T00:00:00Z', country: 'AE', items: tppItems(1_600) }),
      shipment({ eventId: 'lpp', at: '2025-06-01T00:00:00Z', country: 'AE', consignee: 'acme', auth: { kind: 'LPP' }, items: tppItems(1_600) }),
    ];
    events.forEach((e, i) => differ.push(line(e), i + 1));
    const d = differ.result();
    assert.deepEqual(d.counts, { read: 3, judgedDifferently: 2, accountsDiffering: 2 });
    assert.deepEqual(d.events.map((e) => e.eventId), ['cap', 'lpp']);
    assert.deepEqual(d.events[0]!.accounts, [{ account: 'country:AE', a: { deltaTpp: 1_600n, capTpp: 790_000_000n }, b: { deltaTpp: 1_600n, capTpp: null } }]);
    assert.deepEqual(d.events[1]!.alertsOnlyB, ['UNAUTHORIZED country:AE']);
    assert.deepEqual(d.accounts.map((a) => [a.account, a.a?.usedTpp ?? null, a.b?.usedTpp ?? null]), [
      ['country:AE', 1_600n, 3_200n],
      ['lpp:acme:2025', 1_600n, null],
    ]);
  });
});
