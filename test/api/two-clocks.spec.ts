// The two clocks of an account's history, through the real ledger writer, Postgres and the API: out-of-order feeds
// with hand-checked answers on the event clock (`at`), the recorded clock (`asRecordedAt`) and both together, and
// an out-of-order feed of many batches checked against an outside model of the same events at many instants.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadPolicyPack } from '@app/policy';
import { prng } from '@app/testing/feed-generator';
import { shipment, startApiFixture, type ApiFixture } from './support/api-fixture';

const REGULATOR = 'clocks-regulator-key';
const NVIDIA = 'clocks-nvidia-key';
const H100 = 15_832;
const pack = loadPolicyPack();

let f: ApiFixture;

before(async () => {
  f = await startApiFixture('two_clocks');
  await f.addKey(REGULATOR, 'regulator');
  await f.addKey(NVIDIA, 'chipmaker', 'nvidia');
});

after(async () => {
  await f?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function balance(account: string, query: string, key = REGULATOR): Promise<any> {
  const res = await f.get(`/accounts/${account}/balance?${query}`, key);
  assert.equal(res.status, 200, `${query}: ${res.text}`);
  return res.body;
}

// The moment the ledger recorded the entries of one event, as the API writes it.
async function recordedAtOf(account: string, eventId: string): Promise<string> {
  const res = await f.get(`/accounts/${account}/entries?order=asc&limit=500`, REGULATOR);
  const entry = res.body.items.find((e: any) => e.event.eventId === eventId);
  assert.ok(entry, `entry of ${eventId}`);
  return entry.recordedAt;
}

const minus1ms = (iso: string) => new Date(Date.parse(iso) - 1).toISOString();

describe('the MX example: two shipments reported out of order', () => {
  let recordedMarch: string;
  let recordedFeb: string;

  before(async () => {
    // Recorded first: 100 H100 that left on 2026-03-01. Recorded second: 10 H100 that had left on 2026-02-01.
    assert.equal((await f.record([shipment({ country: 'MX', quantity: 100, at: '2026-03-01T00:00:00Z', eventId: 'mx-march' })])).recorded, 1);
    await sleep(20);
    assert.equal((await f.record([shipment({ country: 'MX', quantity: 10, at: '2026-02-01T00:00:00Z', eventId: 'mx-feb' })])).recorded, 1);
    recordedMarch = await recordedAtOf('country:MX', 'mx-march');
    recordedFeb = await recordedAtOf('country:MX', 'mx-feb');
    assert.ok(recordedMarch < recordedFeb);
  });

  it('event time: what had shipped by each date, whatever order it was reported in', async () => {
    assert.equal((await balance('country:MX', 'at=2026-01-31T23:59:59Z')).balanceTpp, 0);
    const feb15 = await balance('country:MX', 'at=2026-02-15');
    assert.equal(feb15.clock, 'event');
    assert.equal(feb15.at, '2026-02-15T00:00:00.000Z');
    assert.equal(feb15.balanceTpp, 10 * H100); // 158,320, not 1,741,520
    assert.equal(feb15.entriesCounted, 1);
    assert.equal(feb15.entry.event.eventId, 'mx-feb');
    const mar15 = await balance('country:MX', 'at=2026-03-15');
    assert.equal(mar15.balanceTpp, 110 * H100); // 1,741,520, not 1,583,200
    assert.equal(mar15.entriesCounted, 2);
    // An event at exactly the instant counts; a millisecond before it does not.
    assert.equal((await balance('country:MX', 'at=2026-03-01T00:00:00Z')).balanceTpp, 110 * H100);
    assert.equal((await balance('country:MX', 'at=2026-02-28T23:59:59.999Z')).balanceTpp, 10 * H100);
    // The cap in force at the instant: MX is Tier 2 throughout 2026.
    assert.equal(mar15.capTpp, Number(pack.tier2CapTpp));
    assert.equal(mar15.utilization, (110 * H100) / Number(pack.tier2CapTpp));
  });

  it('recorded time: what the ledger showed at a moment', async () => {
    const before = await balance('country:MX', `asRecordedAt=${minus1ms(recordedMarch)}`);
    assert.equal(before.clock, 'recorded');
    assert.equal(before.balanceTpp, 0);
    assert.equal(before.entry, null);
    const afterMarch = await balance('country:MX', `asRecordedAt=${recordedMarch}`);
    assert.equal(afterMarch.balanceTpp, 100 * H100);
    assert.equal(afterMarch.entry.event.eventId, 'mx-march');
    assert.equal(afterMarch.knownThroughSeq, afterMarch.entry.seq);
    assert.equal((await balance('country:MX', `asRecordedAt=${minus1ms(recordedFeb)}`)).balanceTpp, 100 * H100);
    const afterFeb = await balance('country:MX', `asRecordedAt=${recordedFeb}`);
    assert.equal(afterFeb.balanceTpp, 110 * H100);
    assert.equal(afterFeb.entry.event.eventId, 'mx-feb');
  });

  it('both: an event time as the ledger knew it at a moment', async () => {
    const known = (at: string, r: string) => balance('country:MX', `at=${at}&asRecordedAt=${r}`);
    // Before the late report, the ledger believed nothing had shipped by mid-February.
    const feb15Then = await known('2026-02-15T00:00:00Z', recordedMarch);
    assert.equal(feb15Then.clock, 'event-as-recorded');
    assert.equal(feb15Then.balanceTpp, 0);
    assert.equal(feb15Then.entriesCounted, 0);
    assert.equal((await known('2026-03-15T00:00:00Z', recordedMarch)).balanceTpp, 100 * H100);
    assert.equal((await known('2026-02-15T00:00:00Z', recordedFeb)).balanceTpp, 10 * H100);
    assert.equal((await known('2026-03-15T00:00:00Z', recordedFeb)).balanceTpp, 110 * H100);
    assert.equal((await known('2026-03-15T00:00:00Z', minus1ms(recordedMarch))).balanceTpp, 0);
  });

  it('the balance series never falls while only shipments arrive, and ends at the balance', async () => {
    const res = await f.get('/accounts/country:MX/balance-series?from=2026-01-15T00:00:00Z&to=2026-03-15T00:00:00Z&points=5', REGULATOR);
    assert.equal(res.status, 200);
    // 2026-01-15, 2026-01-29 12:00, 2026-02-13, 2026-02-27 12:00, 2026-03-15
    assert.deepEqual(
      res.body.points.map((p: any) => p.balanceTpp),
      [0, 0, 10 * H100, 10 * H100, 110 * H100],
    );
    const account = await f.get('/accounts/country:MX', REGULATOR);
    assert.equal(account.body.usedTpp, 110 * H100);
  });

  it('the exhaustion forecast counts a late report on the day it shipped', async () => {
    const account = (await f.get('/accounts/country:MX', REGULATOR)).body;
    // The window is the 30 days up to the latest event time (2026-03-01): it holds the March shipment only; the
    // February one (reported later) shipped 28 days before, inside it as well.
    assert.equal(account.forecast.windowTo, '2026-03-01T00:00:00.000Z');
    assert.equal(account.forecast.windowDeltaTpp, 110 * H100);
  });

  it('refuses a query with neither clock, or with a malformed instant, naming the field', async () => {
    for (const [query, field] of [
      ['', 'at'],
      ['asRecordedAt=yesterday', 'asRecordedAt'],
      ['at=2026-02-15&asRecordedAt=2026-13-01', 'asRecordedAt'],
    ] as const) {
      const res = await f.get(`/accounts/country:MX/balance?${query}`, REGULATOR);
      assert.equal(res.status, 400, query);
      assert.equal(res.body.error.code, 'INVALID_REQUEST');
      assert.ok(res.body.error.details.some((d: any) => d.field === field), `${query}: ${res.text}`);
    }
  });

  // A chipmaker reads a country only as its current total (docs/api.md, authorization model): past balances on
  // either clock would date and size other chipmakers' shipments.
  it('refuses a chipmaker past balances on both clocks, of a country as of a VEU account', async () => {
    for (const path of [`/accounts/country:MX/balance?at=2026-03-15&asRecordedAt=${recordedFeb}`, `/accounts/country:MX/balance?asRecordedAt=${recordedFeb}`, `/accounts/nveu:g42/balance?asRecordedAt=${recordedFeb}`]) {
      const res = await f.get(path, NVIDIA);
      assert.equal(res.status, 403, path);
      assert.equal(res.body.error.code, 'FORBIDDEN');
    }
    assert.equal((await f.get('/accounts/country:MX', NVIDIA)).status, 200);
  });
});

describe('an out-of-order feed in many batches, against an outside model', () => {
  interface Fact {
    atMs: number;
    tpp: number;
    batch: number;
  }
  const facts: Fact[] = [];
  const batchRecordedAt: string[] = [];
  const DAY = 86_400_000;
  const START = Date.parse('2026-01-01T00:00:00Z');

  before(async () => {
    const random = prng(2025);
    for (let batch = 0; batch < 6; batch++) {
      const events = [];
      for (let i = 0; i < 8; i++) {
        // Event times anywhere in 200 days: most batches bring events dated before ones already recorded.
        const atMs = START + Math.floor(random() * 200) * DAY + Math.floor(random() * DAY);
        const quantity = 1 + Math.floor(random() * 20);
        facts.push({ atMs, tpp: quantity * H100, batch });
        events.push(shipment({ country: 'SA', quantity, at: new Date(atMs).toISOString(), eventId: `sa-${batch}-${i}` }));
      }
      assert.equal((await f.record(events)).recorded, 8);
      batchRecordedAt.push(await recordedAtOf('country:SA', `sa-${batch}-0`));
      await sleep(15);
    }
  });

  it('answers every instant on both clocks as the model does', async () => {
    const random = prng(7);
    const instants = [START - DAY, START + 250 * DAY, ...facts.map((x) => x.atMs), ...facts.map((x) => x.atMs - 1)];
    for (let i = 0; i < 30; i++) instants.push(START + Math.floor(random() * 210 * DAY));
    for (const atMs of instants) {
      const at = new Date(atMs).toISOString();
      const expected = facts.filter((x) => x.atMs <= atMs).reduce((s, x) => s + x.tpp, 0);
      assert.equal((await balance('country:SA', `at=${at}`)).balanceTpp, expected, `at=${at}`);
    }
    for (let b = 0; b < batchRecordedAt.length; b++) {
      const r = batchRecordedAt[b]!;
      const known = facts.filter((x) => x.batch <= b);
      assert.equal((await balance('country:SA', `asRecordedAt=${r}`)).balanceTpp, known.reduce((s, x) => s + x.tpp, 0), `asRecordedAt=${r}`);
      for (const atMs of instants.slice(0, 20)) {
        const at = new Date(atMs).toISOString();
        const expected = known.filter((x) => x.atMs <= atMs).reduce((s, x) => s + x.tpp, 0);
        assert.equal((await balance('country:SA', `at=${at}&asRecordedAt=${r}`)).balanceTpp, expected, `at=${at}&asRecordedAt=${r}`);
      }
    }
  });
});

describe('events recorded around their own time: some late, some within the day, some dated ahead', () => {
  interface Fact {
    eventId: string;
    atMs: number;
    tpp: number;
    batch: number;
    order: number;
  }
  const facts: Fact[] = [];
  const batchRecordedAt: string[] = [];
  const HOUR = 3_600_000;
  const now = Date.now();

  before(async () => {
    const random = prng(77);
    let order = 0;
    for (let batch = 0; batch < 5; batch++) {
      const events = [];
      for (let i = 0; i < 10; i++) {
        // Dated from 3 days before the recording to 2 days after it, so the late ones (more than 12 hours before
        // their batch became known) and the others are both on either side of every split the query makes.
        const atMs = now - 72 * HOUR + Math.floor(random() * 120 * HOUR);
        const quantity = 1 + Math.floor(random() * 9);
        const eventId = `in-${batch}-${i}`;
        facts.push({ eventId, atMs, tpp: quantity * H100, batch, order: order++ });
        events.push(shipment({ country: 'IN', quantity, at: new Date(atMs).toISOString(), eventId }));
      }
      assert.equal((await f.record(events)).recorded, 10);
      batchRecordedAt.push(await recordedAtOf('country:IN', `in-${batch}-0`));
      await sleep(15);
    }
  });

  it('answers an event time as known at each moment as the model does, with the entry that dates it', async () => {
    const random = prng(78);
    const instants: number[] = [now - 100 * HOUR, now + 100 * HOUR];
    for (const x of facts) instants.push(x.atMs, x.atMs - 1);
    for (const r of batchRecordedAt) for (const h of [-36, -24, -12, 0, 12, 24, 36]) instants.push(Date.parse(r) + h * HOUR, Date.parse(r) + h * HOUR - 1);
    for (let i = 0; i < 20; i++) instants.push(now - 80 * HOUR + Math.floor(random() * 160 * HOUR));
    const recordedMoments = [new Date(now - 10 * HOUR).toISOString(), ...batchRecordedAt, ...batchRecordedAt.map(minus1ms)];
    for (const r of recordedMoments) {
      const knownBatches = batchRecordedAt.filter((b) => b <= r).length;
      const known = facts.filter((x) => x.batch < knownBatches);
      for (const atMs of instants) {
        const at = new Date(atMs).toISOString();
        const counted = known.filter((x) => x.atMs <= atMs);
        const body = await balance('country:IN', `at=${at}&asRecordedAt=${r}`);
        const label = `at=${at}&asRecordedAt=${r}`;
        assert.equal(body.balanceTpp, counted.reduce((s, x) => s + x.tpp, 0), label);
        assert.equal(body.entriesCounted, counted.length, label);
        const latest = [...counted].sort((a, b) => a.atMs - b.atMs || a.order - b.order).pop();
        assert.equal(body.entry?.event.eventId ?? null, latest?.eventId ?? null, label);
      }
    }
  });
});
