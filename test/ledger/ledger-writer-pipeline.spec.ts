// Medium: the ledger writer with several batches in flight at once (the ledger judges batch N+1 while Postgres stores
// batch N), on a real, migrated Postgres. The outcome must be what one batch after the other would make.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createDataSource, LedgerWriter, type BatchResult } from '@app/persistence';
import { loadPolicyPack } from '@app/policy';
import { createLedgerDatabase, generateFeed, type LedgerDatabase, sourceRecords as records, waitFor } from '@app/testing';
import { assertLedgerAgreesWithReplay, ledgerSnapshot } from './ledger-fixtures';

const pack = loadPolicyPack();
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// A shipment of `quantity` H100-SXM to a consignee in the United Arab Emirates (Tier 2: the country's cap account).
function shipment(eventId: string, quantity: number, occurredAt = '2026-03-01T00:00:00Z'): string {
  return JSON.stringify({
    type: 'chip.shipment', version: 1, eventId, publisher: 'nvidia', occurredAt,
    consignee: { id: 'acme', country: 'AE' }, authorization: { kind: 'LICENSE', ref: 'D1' }, items: [{ chip: 'H100-SXM', quantity }],
  });
}

async function balance(db: LedgerDatabase, account: string): Promise<string | undefined> {
  const [row] = (await db.ds.query(`SELECT used_tpp FROM accounts WHERE id = $1`, [account])) as Array<{ used_tpp: string }>;
  return row?.used_tpp;
}

async function recordedSeq(db: LedgerDatabase, eventId: string): Promise<bigint> {
  const [row] = (await db.ds.query(`SELECT recorded_seq FROM inbox WHERE publisher = 'nvidia' AND event_id = $1`, [eventId])) as Array<{ recorded_seq: string }>;
  assert.ok(row !== undefined, `${eventId} is recorded`);
  return BigInt(row.recorded_seq);
}

describe('ledger writer, batches in flight together (Postgres)', () => {
  let one: LedgerDatabase;
  let together: LedgerDatabase;

  before(async () => {
    one = await createLedgerDatabase('ledger_pipeline_one');
    together = await createLedgerDatabase('ledger_pipeline_together');
  });
  after(async () => {
    await one?.close();
    await together?.close();
  });

  it('batches handed over before the one before has committed are judged from its outcome, as one after the other would be', async () => {
    const feed = await generateFeed(4000, 23);
    const batches: string[][] = [];
    for (let at = 0; at < feed.length; at += 250) batches.push(feed.slice(at, at + 250));

    const sequential = new LedgerWriter(one.ds, pack, { groupId: 'ledger' });
    const expected: BatchResult[] = [];
    for (const b of batches) expected.push(await sequential.processBatch(records(b)));

    // Every batch is handed over at once. Each commit is held back a little, so that the next batch loads its
    // state from Postgres before the one before has committed, and must take that one's outcome from memory.
    const writer = new LedgerWriter(together.ds, pack, { groupId: 'ledger' });
    const got = await Promise.all(batches.map((b) => writer.processBatch(records(b), { beforeCommit: () => sleep(20) })));

    assert.ok(got.slice(1).every((r) => r.pipelined), 'every batch after the first was judged while the one before was in flight');
    const statuses = (rs: BatchResult[]) => rs.map((r) => r.results.map((x) => x.status).join(','));
    assert.deepEqual(statuses(got), statuses(expected));
    assert.ok(expected.some((r) => r.duplicates > 0), 'the feed sends some events again in later batches');
    assert.deepEqual(got.map((r) => r.headSeq), expected.map((r) => r.headSeq));
    assert.deepEqual(await ledgerSnapshot(together.ds), await ledgerSnapshot(one.ds));
    assert.ok((await ledgerSnapshot(together.ds)).alerts.length > 0, 'the feed raises alerts');
    await assertLedgerAgreesWithReplay(together.ds);
  });

  it('two writers (two ledger instances), each with batches in flight, make one chain that the replay of what they recorded agrees with', async () => {
    const db = await createLedgerDatabase('ledger_pipeline_two');
    try {
      const feed = await generateFeed(4000, 29);
      const a = new LedgerWriter(db.ds, pack, { groupId: 'ledger' });
      const b = new LedgerWriter(db.ds, pack, { groupId: 'ledger' });
      // Alternate slices of the feed to the two writers, every slice handed over at once: the two chains of
      // in-flight batches race for the head lock, and a batch whose writer was overtaken is judged again.
      const slices: string[][] = [];
      for (let at = 0; at < feed.length; at += 200) slices.push(feed.slice(at, at + 200));
      const got = await Promise.all(slices.map((slice, k) => (k % 2 === 0 ? a : b).processBatch(records(slice))));
      const outcomes = got.flatMap((r) => r.results);
      assert.equal(outcomes.length, feed.length, 'every event has one outcome');
      const recorded = got.reduce((n, r) => n + r.recorded, 0);
      const [inbox] = (await db.ds.query(`SELECT count(*)::int AS n FROM inbox`)) as Array<{ n: number }>;
      assert.equal(inbox!.n, recorded, 'each recorded event is in the inbox once');
      assert.ok(recorded > 3500, `recorded ${recorded} of ${feed.length}`);
      await assertLedgerAgreesWithReplay(db.ds);
    } finally {
      await db.close();
    }
  });

  it('a batch whose writer was overtaken by another writer after the batch before is judged again under the lock', async () => {
    const db = together;
    const a = new LedgerWriter(db.ds, pack, { groupId: 'ledger' });
    const b = new LedgerWriter(db.ds, pack, { groupId: 'ledger' });
    // While a's first batch holds the head lock, another writer (another ledger instance) queues for it: it takes the
    // lock as soon as that batch commits, ahead of a's second batch, which was judged from the first one's outcome.
    // The first batch commits only once Postgres shows the other writer waiting for the lock (a fixed pause was not
    // always long enough on a busy machine). Postgres does not promise that the writer that waited gets the row
    // first: a's second batch asks for it the moment the first commits, and now and then takes it before the waiting
    // writer has woken. Then nobody came in between, which must be right too, and the scenario is tried again.
    let overtaken = false;
    for (let attempt = 1; attempt <= 5 && !overtaken; attempt++) {
      const id = (name: string) => `overtaken-${attempt}-${name}`;
      const before = BigInt((await balance(db, 'country:AE')) ?? '0');
      let other: Promise<BatchResult> | null = null;
      const first = a.processBatch(records([shipment(id('1'), 10)]), {
        beforeCommit: async () => {
          other = b.processBatch(records([shipment(id('other'), 100)]));
          await waitFor(
            async () =>
              ((await db.ds.query(
                `SELECT count(*)::int AS n FROM pg_stat_activity
                  WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%FROM ledger_head%FOR UPDATE%'`,
              )) as Array<{ n: number }>)[0]!.n > 0,
            { timeoutMs: 30_000, intervalMs: 10, what: 'the other writer to wait for the head lock' },
          );
        },
      });
      const second = a.processBatch(records([shipment(id('2'), 1000)]));
      const [r1, r2] = await Promise.all([first, second]);
      const rOther = await other!;

      assert.deepEqual([r1, rOther, r2].map((r) => r.results[0]!.status), ['recorded', 'recorded', 'recorded']);
      assert.ok((await recordedSeq(db, id('1'))) < (await recordedSeq(db, id('other'))), 'the other writer waited for the first batch');
      overtaken = (await recordedSeq(db, id('other'))) < (await recordedSeq(db, id('2')));
      // Overtaken: judged again from Postgres. Not overtaken: the first batch's outcome still held, and was used.
      assert.equal(r2.pipelined, !overtaken, overtaken ? 'the second batch was judged again from Postgres' : 'nobody came in between');
      // 1,110 H100-SXM at 15,832 TPP each.
      assert.equal(BigInt((await balance(db, 'country:AE'))!) - before, 1110n * 15832n);
      await assertLedgerAgreesWithReplay(db.ds);
    }
    assert.ok(overtaken, 'the other writer came in between in one of five attempts');
  });

  it('records the batch before has stored for its partition are skipped, though Postgres does not show its offsets yet', async () => {
    const db = together;
    const writer = new LedgerWriter(db.ds, pack, { groupId: 'ledger' });
    const lines = [0, 1, 2].map((i) => shipment(`redelivered-${i}`, 1));
    const first = writer.processBatch(records(lines.slice(0, 2), 'chips.shipments.v1', 500), { beforeCommit: () => sleep(200) });
    // The same partition's records again from offset 500, as after a rebalance.
    const second = writer.processBatch(records(lines, 'chips.shipments.v1', 500));
    const [r1, r2] = await Promise.all([first, second]);
    assert.deepEqual(r1.results.map((r) => r.status), ['recorded', 'recorded']);
    assert.equal(r2.pipelined, true);
    assert.deepEqual(r2.results.map((r) => r.status), ['skipped', 'skipped', 'recorded']);
    const [row] = (await db.ds.query(`SELECT next_offset FROM consumer_offsets WHERE topic = 'chips.shipments.v1' AND partition = 0`)) as Array<{ next_offset: string }>;
    assert.equal(row!.next_offset, '503');
    await assertLedgerAgreesWithReplay(db.ds);
  });

  it('a batch with a record Postgres cannot store, followed by another, both finish on a pool of one connection', { timeout: 60_000 }, async () => {
    // Isolating the record takes connections of its own, while the batch after it is already waiting for its outcome.
    const ds = createDataSource(together.url, { poolSizeMax: 1, applicationName: 'ledger-test-pool-of-one' });
    await ds.initialize();
    try {
      const writer = new LedgerWriter(ds, pack, { groupId: 'ledger' });
      const first = writer.processBatch(records([shipment('pool-one-1', 1), shipment('pool-one-year0', 1, '0000-01-01T00:00:00Z')]));
      const second = writer.processBatch(records([shipment('pool-one-2', 1)]));
      const [r1, r2] = await Promise.all([first, second]);
      assert.deepEqual(r1.results.map((r) => r.status), ['recorded', 'rejected']);
      assert.deepEqual(r2.results.map((r) => r.status), ['recorded']);
    } finally {
      await ds.destroy();
    }
    await assertLedgerAgreesWithReplay(together.ds);
  });

  // Either check catches this one: the batch before did not commit, and the head is not the one it left.
  it('a batch after one that rolls back is judged again without it', async () => {
    const db = together;
    const writer = new LedgerWriter(db.ds, pack, { groupId: 'ledger' });
    const before = BigInt((await balance(db, 'country:AE')) ?? '0');
    const first = writer.processBatch(records([shipment('rolled-back-1', 7)]), {
      beforeCommit: async () => {
        await sleep(200);
        throw new Error('the DLQ is unreachable');
      },
    });
    const second = writer.processBatch(records([shipment('after-rollback-2', 3)]));
    await assert.rejects(first, /the DLQ is unreachable/);
    const r2 = await second;
    assert.equal(r2.results[0]!.status, 'recorded');
    assert.equal(r2.pipelined, false);
    assert.equal(BigInt((await balance(db, 'country:AE'))!) - before, 3n * 15832n);
    const [gone] = (await db.ds.query(`SELECT count(*)::int AS n FROM inbox WHERE event_id = 'rolled-back-1'`)) as Array<{ n: number }>;
    assert.equal(gone!.n, 0);
    await assertLedgerAgreesWithReplay(db.ds);
  });
});
