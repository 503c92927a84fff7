// Properties of the event clock over generated out-of-order feeds, recorded through the real writer into Postgres
// (fast-check): the event-time balance at an account's latest event time is its balance; for accounts that only
// receive positive movements it never falls as time goes on; at every instant it is the sum of the movements dated
// at or before it (an outside model); and the event-day buckets the writer keeps are what the entries add up to.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { stringifyJson } from '@app/contracts';
import { LedgerWriter, verifyLedger } from '@app/persistence';
import { loadPolicyPack } from '@app/policy';
import type { Queryable } from '../../apps/api/src/database/read-database';
import { eventTimeBalance } from '../../apps/api/src/accounts/history.clocks';
import { createLedgerDatabase, type LedgerDatabase } from '@app/testing';

const H100 = 15_832n;
const COUNTRIES = ['AE', 'SA', 'MX', 'IN', 'BR'] as const;
const START_MS = Date.parse('2026-01-01T00:00:00Z');
const SPAN_MS = 360 * 86_400_000;
const NUM_RUNS = 25;

let db: LedgerDatabase;
let writer: LedgerWriter;
let q: Queryable;
let run = 0;

before(async () => {
  db = await createLedgerDatabase('event_time_prop');
  writer = new LedgerWriter(db.ds, loadPolicyPack(), { groupId: 'event-time-prop' });
  q = { query: async (sql: string, params?: unknown[]) => (await db.ds.query(sql, params)) as any[] };
});

after(async () => {
  await db?.close();
});

interface Ship {
  atMs: number;
  quantity: number;
  country: (typeof COUNTRIES)[number];
  // Under the LPP exception (recorded on lpp:CONSIGNEE:2026), or under a licence (on country:CC).
  lpp: boolean;
}

const ship: fc.Arbitrary<Ship> = fc.record({
  // Whole days plus a time of day, so several events share a day and some fall on its first or last millisecond.
  atMs: fc.tuple(fc.integer({ min: 0, max: 359 }), fc.oneof(fc.constant(0), fc.constant(86_399_999), fc.integer({ min: 0, max: 86_399_999 }))).map(
    ([day, ms]) => START_MS + day * 86_400_000 + ms,
  ),
  quantity: fc.integer({ min: 1, max: 30 }),
  country: fc.constantFrom(...COUNTRIES),
  lpp: fc.boolean(),
});

// A feed in recording order (so out of event-time order), cut into batches.
const feed = fc.record({ ships: fc.array(ship, { minLength: 1, maxLength: 30 }), cuts: fc.array(fc.integer({ min: 1, max: 29 }), { maxLength: 4 }) });

async function record(consignee: string, ships: readonly Ship[], cuts: readonly number[]): Promise<void> {
  const bounds = [...new Set([0, ...cuts.filter((c) => c < ships.length), ships.length])].sort((a, b) => a - b);
  for (let b = 0; b + 1 < bounds.length; b++) {
    const records = ships.slice(bounds[b], bounds[b + 1]).map((s, i) => ({
      topic: null,
      partition: null,
      offset: null,
      key: null,
      value: Buffer.from(
        stringifyJson({
          type: 'chip.shipment',
          version: 1,
          eventId: `${consignee}-${bounds[b]! + i}`,
          publisher: 'nvidia',
          occurredAt: new Date(s.atMs).toISOString(),
          consignee: { id: consignee, country: s.country },
          authorization: s.lpp ? { kind: 'LPP' } : { kind: 'LICENSE', ref: 'D123456' },
          items: [{ chip: 'H100-SXM', quantity: s.quantity }],
        }),
      ),
    }));
    const result = await writer.processBatch(records);
    assert.equal(result.recorded, records.length, JSON.stringify(result.results.find((r) => r.status !== 'recorded')));
  }
}

async function balanceOf(account: string): Promise<bigint> {
  const [row] = (await db.ds.query('SELECT used_tpp FROM accounts WHERE id = $1', [account])) as Array<{ used_tpp: string }>;
  return row === undefined ? 0n : BigInt(row.used_tpp);
}

describe('the event clock over out-of-order feeds', () => {
  it('is the balance at the latest instant, never falls for positive-only accounts, and matches the outside model', async () => {
    await fc.assert(
      fc.asyncProperty(feed, async ({ ships, cuts }) => {
        const consignee = `prop-${++run}`;
        await record(consignee, ships, cuts);
        // LPP accounts are per consignee and year: this run's account holds exactly its LPP shipments.
        const account = `lpp:${consignee}:2026`;
        const own = ships.filter((s) => s.lpp);
        const latestMs = Math.max(START_MS, ...own.map((s) => s.atMs));
        assert.equal(await eventTimeBalance(q, account, new Date(latestMs)), await balanceOf(account));
        const instants = [START_MS - 1, ...own.flatMap((s) => [s.atMs - 1, s.atMs, s.atMs + 1]), START_MS + SPAN_MS].sort((a, b) => a - b);
        let previous = -1n;
        for (const atMs of instants) {
          const got = await eventTimeBalance(q, account, new Date(atMs));
          const model = own.filter((s) => s.atMs <= atMs).reduce((sum, s) => sum + BigInt(s.quantity) * H100, 0n);
          assert.equal(got, model, `${account} at ${new Date(atMs).toISOString()}`);
          assert.ok(got >= previous, `${account} fell at ${new Date(atMs).toISOString()}`);
          previous = got;
        }
        // The country accounts gather every run's shipments, recorded in no order of event time.
        for (const cc of new Set(ships.filter((s) => !s.lpp).map((s) => s.country))) {
          const id = `country:${cc}`;
          const [last] = (await db.ds.query('SELECT max(occurred_at) AS at FROM ledger_entries WHERE account_id = $1', [id])) as Array<{ at: Date }>;
          assert.equal(await eventTimeBalance(q, id, last!.at), await balanceOf(id), id);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("keeps every account's event-day buckets equal to what its entries add up to", async () => {
    const rows = (await db.ds.query(`
      WITH truth AS (
        SELECT account_id, day, delta_tpp, entries,
               sum(delta_tpp) OVER (PARTITION BY account_id ORDER BY day) AS through_tpp,
               sum(entries) OVER (PARTITION BY account_id ORDER BY day) AS through_entries
          FROM (SELECT account_id, (occurred_at AT TIME ZONE 'UTC')::date AS day, sum(delta_tpp) AS delta_tpp, count(*) AS entries
                  FROM ledger_entries GROUP BY 1, 2) d)
      SELECT (SELECT count(*) FROM truth) AS days,
             (SELECT count(*) FROM truth t FULL JOIN account_event_days b USING (account_id, day)
               WHERE t.through_tpp IS DISTINCT FROM b.through_tpp OR t.through_entries IS DISTINCT FROM b.through_entries
                  OR t.delta_tpp IS DISTINCT FROM b.delta_tpp OR t.entries IS DISTINCT FROM b.entries) AS differences`)) as Array<{
      days: string;
      differences: string;
    }>;
    assert.ok(Number(rows[0]!.days) > 100, `days ${rows[0]!.days}`);
    assert.equal(Number(rows[0]!.differences), 0);
  });

  it('is checked by verify, which names a bucket, a batch and a delay figure that no longer match', async () => {
    assert.deepEqual((await verifyLedger(db.ds)).problems, []);
    const [day] = (await db.ds.query(`SELECT account_id, day::text AS day FROM account_event_days ORDER BY account_id, day LIMIT 1`)) as Array<{ account_id: string; day: string }>;
    const undo = await db.tamper(async (m) => {
      await m.query(`UPDATE account_event_days SET through_tpp = through_tpp + 1 WHERE account_id = $1 AND day = $2`, [day!.account_id, day!.day]);
      await m.query(`UPDATE recorded_batches SET known_from = known_from - interval '1 day' WHERE last_seq = (SELECT max(last_seq) FROM recorded_batches)`);
      await m.query(`UPDATE reporting_delay_totals SET events = events + 1 WHERE publisher = 'nvidia'`);
      return async () => {
        await db.tamper(async (n) => {
          await n.query(`UPDATE account_event_days SET through_tpp = through_tpp - 1 WHERE account_id = $1 AND day = $2`, [day!.account_id, day!.day]);
          await n.query(`UPDATE recorded_batches SET known_from = known_from + interval '1 day' WHERE last_seq = (SELECT max(last_seq) FROM recorded_batches)`);
          await n.query(`UPDATE reporting_delay_totals SET events = events - 1 WHERE publisher = 'nvidia'`);
        });
      };
    });
    try {
      const report = await verifyLedger(db.ds);
      assert.equal(report.ok, false);
      assert.equal(report.firstBrokenSeq, undefined, 'the entries themselves are intact');
      assert.equal(report.problems.length, 3, report.problems.join('\n'));
      assert.match(report.problems[0]!, new RegExp(`^event day ${day!.account_id} ${day!.day}: `));
      assert.match(report.problems[1]!, /^recorded batch ending at entry \d+: is known from before the batch before it/);
      assert.equal(report.problems[2], 'reporting delay of nvidia: its totals (events, sum, maximum) differ from the inbox');
    } finally {
      await undo();
    }
    assert.equal((await verifyLedger(db.ds)).ok, true);
  });

  it('lists the entries reported late, and verify names one removed from or added to the list', async () => {
    const [late] = (await db.ds.query(
      `SELECT count(*)::int AS n, min(seq)::text AS first FROM late_entries`,
    )) as Array<{ n: number; first: string }>;
    const [truth] = (await db.ds.query(
      `SELECT count(*)::int AS n FROM recorded_batches b JOIN ledger_entries e ON e.seq BETWEEN b.first_seq AND b.last_seq
        WHERE e.occurred_at < b.known_from - interval '12 hours'`,
    )) as Array<{ n: number }>;
    assert.ok(late!.n > 0, 'the feed is dated before it was recorded');
    assert.equal(late!.n, truth!.n);
    const [onTime] = (await db.ds.query(
      `SELECT e.seq::text AS seq, e.account_id FROM ledger_entries e WHERE NOT EXISTS (SELECT 1 FROM late_entries l WHERE l.seq = e.seq) ORDER BY e.seq LIMIT 1`,
    )) as Array<{ seq: string; account_id: string }>;
    const [removed] = (await db.ds.query(`SELECT account_id, seq::text AS seq FROM late_entries ORDER BY seq LIMIT 1`)) as Array<{ account_id: string; seq: string }>;
    const undo = await db.tamper(async (m) => {
      await m.query(`DELETE FROM late_entries WHERE account_id = $1 AND seq = $2`, [removed!.account_id, removed!.seq]);
      if (onTime) {
        await m.query(`INSERT INTO late_entries SELECT account_id, seq, occurred_at, delta_tpp FROM ledger_entries WHERE seq = $1 AND account_id = $2`, [onTime.seq, onTime.account_id]);
      }
      return async () => {
        await db.tamper(async (n) => {
          await n.query(`INSERT INTO late_entries SELECT account_id, seq, occurred_at, delta_tpp FROM ledger_entries WHERE seq = $1 AND account_id = $2`, [removed!.seq, removed!.account_id]);
          if (onTime) await n.query(`DELETE FROM late_entries WHERE account_id = $1 AND seq = $2`, [onTime.account_id, onTime.seq]);
        });
      };
    });
    try {
      const report = await verifyLedger(db.ds);
      assert.equal(report.ok, false);
      assert.ok(report.problems.includes(`late entry ${removed!.seq} of ${removed!.account_id}: was reported late, but is not listed as such`), report.problems.join('\n'));
      if (onTime) assert.ok(report.problems.includes(`late entry ${onTime.seq} of ${onTime.account_id}: is listed as reported late, but no such entry was`), report.problems.join('\n'));
    } finally {
      await undo();
    }
    assert.equal((await verifyLedger(db.ds)).ok, true);
  });
});
