// Properties of the engine over generated feeds (fast-check): replay is deterministic; a duplicate changes nothing;
// movements add up to balances; threshold alerts follow the contract's edge-triggered rules (never twice for one
// crossing without first falling below t - h); events on disjoint accounts commute.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { stringifyJson } from '@app/contracts';
import { decodeEvent, judge, loadPolicyPack, MemoryLedgerState, parseAccountId, Replayer, requirementsOf, type Outcome } from '@app/policy';
import { deployment, g2g, grantNveu, grantUveu, line, revoke, shipment, tppItems, type ItemLike, type Json } from './support/events';
import { replayLines } from './support/replay-lines';

const NUM_RUNS = 150;
const pack = loadPolicyPack();

// ---- generators ------------------------------------------------------------------------------------------------

const amount = fc.oneof(
  fc.constantFrom(1600, 395_000_000, 711_000_000, 790_000_000, 26_900_000, 1_000_000, 7_000_000),
  fc.integer({ min: 1600, max: 5_000_000 }),
  fc.integer({ min: 5_000_000, max: 400_000_000 }),
);

const items: fc.Arbitrary<ItemLike[]> = fc.oneof(
  amount.map((a) => tppItems(a)),
  fc.array(
    fc.record({ chip: fc.constantFrom('H100-SXM', 'B200', 'A100', 'H20', 'MI300X'), quantity: fc.integer({ min: 1, max: 30_000 }) }),
    { minLength: 1, maxLength: 3 },
  ),
);

const at = fc.constantFrom('2025-06-01T00:00:00Z', '2025-12-31T23:59:59Z', '2026-01-01T00:00:00Z', '2026-03-14T09:30:00Z', '2027-03-01T00:00:00Z');

const shipmentArb = fc
  .record({
    publisher: fc.constantFrom('nvidia', 'amd'),
    country: fc.constantFrom('AE', 'SA', 'IN', 'DE', 'CN', 'KH'),
    consignee: fc.constantFrom('c1', 'c2', 'g42', 'aws'),
    auth: fc.constantFrom<Json>({ kind: 'LICENSE', ref: 'L1' }, { kind: 'LPP' }, { kind: 'NONE' }, { kind: 'NVEU', ref: 'g42' }, { kind: 'UVEU', ref: 'aws' }, { kind: 'NVEU', ref: 'ghost' }),
    items,
    at,
  })
  .map((r) => shipment({ ...r, auth: r.auth as { kind: string; ref?: string } }));

const deploymentArb = fc
  .record({
    veu: fc.constantFrom('aws', 'g42', 'gcp'),
    wrongKind: fc.boolean(),
    country: fc.constantFrom('US', 'DE', 'IN', 'AE', 'CN', 'SA'),
    dc: fc.constantFrom('d1', 'd2'),
    action: fc.constantFrom('INSTALL', 'INSTALL', 'REMOVE'),
    tpp: fc.oneof(fc.integer({ min: 1600, max: 3_000_000 }), fc.integer({ min: 3_000_000, max: 60_000_000 })),
    at,
  })
  .map((r) => {
    const kind = r.veu === 'g42' ? 'NVEU' : 'UVEU';
    const claimed = r.wrongKind ? (kind === 'NVEU' ? 'UVEU' : 'NVEU') : kind;
    return deployment({ veu: r.veu, veuKind: claimed, country: r.country, dc: r.dc, action: r.action, items: tppItems(r.tpp), at: r.at });
  });

const policyArb = fc.constantFrom<() => Json>(
  () => grantUveu('aws', 'US'),
  () => grantNveu('g42', 'AE'),
  () => revoke('aws'),
  () => revoke('g42'),
  () => g2g('AE'),
  () => g2g('SA'),
).map((f) => f());

// A feed of 1..40 events with unique keys (eventIds are given by position).
const feedArb: fc.Arbitrary<Json[]> = fc
  .array(fc.oneof({ arbitrary: shipmentArb, weight: 5 }, { arbitrary: deploymentArb, weight: 5 }, { arbitrary: policyArb, weight: 1 }), { minLength: 1, maxLength: 40 })
  .map((events) => [grantUveu('aws', 'US'), grantNveu('g42', 'AE'), ...events].map((e, i) => ({ ...e, eventId: `p-${i}` })));

// ---- helpers ---------------------------------------------------------------------------------------------------

type Recorded = Extract<Outcome, { status: 'recorded' }>;

// Replays the feed and, after each recorded event, the worldwide installed TPP of every VEU it may have touched.
function replayWithWorldwide(lines: ReadonlyArray<Json | string>) {
  const replayer = new Replayer(pack);
  const steps: Array<{ outcome: Recorded; worldwide: Map<string, bigint> }> = [];
  lines.forEach((l, i) => {
    const outcome = replayer.push(line(l), i + 1);
    if (outcome?.status !== 'recorded') return;
    const worldwide = new Map<string, bigint>();
    for (const veu of ['aws', 'g42', 'gcp']) {
      let w = 0n;
      for (const v of replayer.state.installedByCountry(veu).values()) w += v;
      worldwide.set(veu, w);
    }
    steps.push({ outcome, worldwide });
  });
  return { result: replayer.result(), steps };
}

interface Frac {
  num: bigint;
  den: bigint;
}
const THRESHOLDS: Array<{ label: number; t: Frac; armBelow: Frac }> = [
  [1n, 2n, 0.5],
  [3n, 4n, 0.75],
  [9n, 10n, 0.9],
  [1n, 1n, 1],
].map(([num, den, label]) => {
  const t = { num: num as bigint, den: den as bigint };
  // t - 1/20
  return { label: label as number, t, armBelow: { num: t.num * 20n - t.den, den: t.den * 20n } };
});
const RATIO_LIMIT: Record<string, Frac> = {
  'uveu-outside-tier1': { num: 1n, den: 4n },
  'uveu-country': { num: 7n, den: 100n },
  'uveu-outside-us': { num: 1n, den: 2n },
};
const atLeast = (used: bigint, cap: Frac, t: Frac) => used * cap.den * t.den >= t.num * cap.num;
const below = (used: bigint, cap: Frac, t: Frac) => used * cap.den * t.den < t.num * cap.num;

// The exact cap an account was judged against in one event, or null when it raises no threshold or cap alerts
// (uncapped, cap 0, or a ratio account while its UVEU's worldwide total is below 1,000,000).
function exactCap(account: string, capTpp: bigint | null, worldwide: Map<string, bigint>): Frac | null {
  const parsed = parseAccountId(account);
  assert.ok(parsed !== null, account);
  const limit = RATIO_LIMIT[parsed.kind];
  if (limit !== undefined) {
    const w = worldwide.get(parsed.veuId!)!;
    if (w < 1_000_000n) return null;
    return { num: limit.num * w, den: limit.den };
  }
  if (capTpp === null || capTpp === 0n) return null;
  return { num: capTpp, den: 1n };
}

const key = (a: { kind: string; account: string; threshold: number | null }) => `${a.kind} ${a.account} ${a.threshold}`;

// ---- properties ------------------------------------------------------------------------------------------------

describe('properties of the engine', () => {
  test('replay is deterministic: the same feed gives the same document, alert ids included', () => {
    fc.assert(
      fc.property(feedArb, (feed) => {
        const a = stringifyJson(replayLines(feed).result);
        const b = stringifyJson(replayLines(feed).result);
        assert.equal(b, a);
        const ids = replayLines(feed).result.alerts.map((x) => x.alertId);
        assert.equal(new Set(ids).size, ids.length, 'alert ids are unique');
      }),
      { numRuns: NUM_RUNS },
    );
  });

  test('a duplicate (even with its keys reordered) changes nothing but the counts', () => {
    fc.assert(
      fc.property(feedArb, fc.nat(), fc.nat(), fc.boolean(), (feed, pick, where, reorder) => {
        const base = replayLines(feed);
        const recordedIdx = base.outcomes.flatMap((o, i) => (o?.status === 'recorded' ? [i] : []));
        const i = recordedIdx[pick % recordedIdx.length]!;
        const j = i + 1 + (where % (feed.length - i)); // insert after position i
        const copy = reorder ? Object.fromEntries(Object.entries(feed[i]!).reverse()) : feed[i]!;
        const withDup = replayLines([...feed.slice(0, j), copy, ...feed.slice(j)]);
        assert.equal(withDup.outcomes[j]!.status, 'duplicate');
        assert.deepEqual(withDup.result.accounts, base.result.accounts);
        assert.deepEqual(withDup.result.alerts, base.result.alerts);
        const strip = (r: typeof base.result.rejected) => r.map(({ line: _l, ...rest }) => rest);
        assert.deepEqual(strip(withDup.result.rejected), strip(base.result.rejected));
        assert.deepEqual(withDup.result.counts, { ...base.result.counts, read: base.result.counts.read + 1, duplicates: base.result.counts.duplicates + 1 });
      }),
      { numRuns: NUM_RUNS },
    );
  });

  test('the movements of each account add up to its balance, each starting where the last one ended', () => {
    fc.assert(
      fc.property(feedArb, (feed) => {
        const { result, steps } = replayWithWorldwide(feed);
        const last = new Map<string, bigint>();
        const sum = new Map<string, bigint>();
        for (const { outcome } of steps) {
          for (const m of outcome.movements) {
            assert.equal(m.usedBeforeTpp, last.get(m.account) ?? 0n, `${m.account} starts where it ended`);
            assert.equal(m.usedAfterTpp - m.usedBeforeTpp, m.deltaTpp);
            last.set(m.account, m.usedAfterTpp);
            sum.set(m.account, (sum.get(m.account) ?? 0n) + m.deltaTpp);
          }
        }
        assert.deepEqual(result.accounts.map((a) => a.account), [...sum.keys()].sort());
        for (const a of result.accounts) assert.equal(a.usedTpp, sum.get(a.account), a.account);
        for (const a of result.accounts) assert.ok(!a.account.startsWith('installed:') || a.usedTpp >= 0n, `${a.account} never negative`);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  test('a threshold never fires twice for one crossing without the account first falling below t - h', () => {
    fc.assert(
      fc.property(feedArb, (feed) => {
        const { steps } = replayWithWorldwide(feed);
        const fired = new Set<string>();
        const dipped = new Set<string>();
        for (const { outcome, worldwide } of steps) {
          for (const m of outcome.movements) {
            const cap = exactCap(m.account, m.capTpp, worldwide);
            for (const th of THRESHOLDS) {
              const k = `${m.account} ${th.label}`;
              if (cap !== null && below(m.usedBeforeTpp, cap, th.armBelow)) dipped.add(k);
              const alert = outcome.alerts.find((a) => a.kind === 'THRESHOLD_CROSSED' && a.account === m.account && a.threshold === th.label);
              if (alert !== undefined) {
                assert.ok(!fired.has(k) || dipped.has(k), `${k} fired again by ${alert.causedBy.eventId} without falling below t - h`);
                fired.add(k);
                dipped.delete(k);
              }
              if (cap !== null && below(m.usedAfterTpp, cap, th.armBelow)) dipped.add(k);
            }
          }
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  test('threshold and cap alerts are exactly those of the contract’s three steps, in the contract’s order', () => {
    fc.assert(
      fc.property(feedArb, (feed) => {
        const { steps } = replayWithWorldwide(feed);
        const armed = new Map<string, boolean[]>();
        for (const { outcome, worldwide } of steps) {
          const expected: string[] = outcome.alerts.filter((a) => a.kind === 'PROHIBITED_DESTINATION' || a.kind === 'UNAUTHORIZED').map(key);
          for (const m of outcome.movements) {
            const cap = exactCap(m.account, m.capTpp, worldwide);
            if (cap === null) continue;
            const flags = armed.get(m.account) ?? THRESHOLDS.map(() => true);
            THRESHOLDS.forEach((th, i) => {
              if (!flags[i] && below(m.usedBeforeTpp, cap, th.armBelow)) flags[i] = true;
              if (flags[i] && atLeast(m.usedAfterTpp, cap, th.t)) {
                expected.push(key({ kind: 'THRESHOLD_CROSSED', account: m.account, threshold: th.label }));
                flags[i] = false;
              }
              if (!flags[i] && below(m.usedAfterTpp, cap, th.armBelow)) flags[i] = true;
            });
            armed.set(m.account, flags);
            const over = (used: bigint) => used * cap.den > cap.num;
            if (over(m.usedAfterTpp) && !over(m.usedBeforeTpp)) expected.push(key({ kind: 'CAP_EXCEEDED', account: m.account, threshold: null }));
          }
          assert.deepEqual(outcome.alerts.map(key), expected, `event ${outcome.event.eventId}`);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  test('judging with only what requirementsOf lists gives the same outcome as with the whole ledger', () => {
    // The ledger service loads just these parts from PostgreSQL before judging; the replay has everything.
    fc.assert(
      fc.property(feedArb, (feed) => {
        const replayer = new Replayer(pack);
        feed.forEach((ev, i) => {
          const decoded = decodeEvent(pack, line(ev));
          if (decoded.ok) {
            const full = replayer.state;
            const need = requirementsOf(pack, decoded.event, decoded.occurredAtMs);
            assert.deepEqual(requirementsOf(pack, decoded.event), need, 'the instant decodeEvent read and Date.parse agree');
            const part = new MemoryLedgerState();
            const ids = new Set(need.accounts);
            for (const id of full.accountIds()) {
              if (need.veuIds.some((v) => id.startsWith(`installed:${v}:`) || id.startsWith(`uveu:${v}:`))) ids.add(id);
            }
            for (const id of ids) {
              const acc = full.account(id);
              if (acc !== undefined) part.setAccount(id, { ...acc });
            }
            for (const dc of need.dataCenters) part.setInstalled(dc.veuId, dc.dataCenterId, dc.country, full.installed(dc.veuId, dc.dataCenterId, dc.country));
            for (const v of need.veuIds) {
              const grant = full.veu(v);
              if (grant !== undefined) part.setVeu({ ...grant });
            }
            for (const cc of full.g2gCountries()) part.setG2g(cc);
            const digest = full.seen(decoded.event.publisher, decoded.event.eventId);
            if (digest !== undefined) part.markSeen(decoded.event.publisher, decoded.event.eventId, digest);
            assert.deepEqual(judge(pack, part, decoded), judge(pack, full, decoded), `event ${decoded.event.eventId}`);
          }
          replayer.push(line(ev), i + 1);
        });
      }),
      { numRuns: NUM_RUNS },
    );
  });

  test('events on disjoint accounts commute: any interleaving gives the same balances and alerts', () => {
    // Each group touches its own accounts only; events keep their order within a group.
    const group = (arb: fc.Arbitrary<Json>) => fc.array(arb, { minLength: 0, maxLength: 8 });
    const ship = (over: Partial<Parameters<typeof shipment>[0]>) => fc.tuple(amount, at).map(([a, when]) => shipment({ ...over, items: tppItems(a), at: when }));
    const groupsArb = fc.tuple(
      group(ship({ country: 'AE', auth: { kind: 'LICENSE', ref: 'L' } })),
      group(ship({ country: 'SA', auth: { kind: 'NONE' } })),
      group(ship({ country: 'IN', consignee: 'c1', auth: { kind: 'LPP' } }).map((e) => ({ ...e, occurredAt: '2026-05-01T00:00:00Z' }))),
      group(ship({ country: 'CN' })),
      group(ship({ country: 'AE', consignee: 'g42', auth: { kind: 'NVEU', ref: 'g42' } })),
      group(deploymentArb.filter((d) => (d['veu'] as Json)['id'] === 'aws')),
      group(deploymentArb.filter((d) => (d['veu'] as Json)['id'] === 'gcp')),
    );
    fc.assert(
      fc.property(groupsArb, fc.array(fc.nat(), { minLength: 60, maxLength: 60 }), (groups, sortKeys) => {
        const keyed = groups.map((g, gi) => g.map((e, ei) => ({ ...e, eventId: `g${gi}-${ei}` })));
        const prefix = [grantUveu('aws', 'US', { eventId: 'grant-aws' }), grantNveu('g42', 'AE', { eventId: 'grant-g42' })];
        const inOrder = [...prefix, ...keyed.flat()];
        // An interleaving: tags (one per event, naming its group) ordered by random keys, then filled in group order.
        const tags = keyed.flatMap((g, gi) => g.map(() => gi));
        const order = tags.map((gi, i) => ({ gi, k: sortKeys[i % sortKeys.length]! * 100 + i })).sort((a, b) => a.k - b.k);
        const next = keyed.map(() => 0);
        const interleaved = [...prefix, ...order.map(({ gi }) => keyed[gi]![next[gi]!++]!)];
        const a = replayLines(inOrder).result;
        const b = replayLines(interleaved).result;
        assert.deepEqual(b.accounts, a.accounts);
        const sorted = (xs: typeof a.alerts) => [...xs].sort((x, y) => (x.alertId < y.alertId ? -1 : x.alertId > y.alertId ? 1 : 0));
        assert.deepEqual(sorted(b.alerts), sorted(a.alerts));
        assert.deepEqual(b.counts, a.counts);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
