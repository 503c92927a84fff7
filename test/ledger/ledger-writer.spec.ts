// Medium: the real ledger write path (LedgerWriter) on a real, migrated Postgres, without Kafka.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LedgerWriter, verifyLedger } from '@app/persistence';
import { loadPolicyPack } from '@app/policy';
import { countRows, createLedgerDatabase, generateFeed, type LedgerDatabase, sourceRecords as records } from '@app/testing';
import { assertLedgerAgreesWithReplay, ledgerSnapshot } from './ledger-fixtures';

const pack = loadPolicyPack();

describe('ledger writer (Postgres)', () => {
  let db: LedgerDatabase;
  let writer: LedgerWriter;
  let feed: string[];

  before(async () => {
    db = await createLedgerDatabase('ledger_writer');
    writer = new LedgerWriter(db.ds, pack, { groupId: 'ledger' });
    feed = await generateFeed(3000, 11);
  });
  after(async () => {
    await db?.close();
  });

  it('records a generated feed in uneven batches exactly as the offline replay judges it', async () => {
    const sizes = [1, 7, 500, 2, 1200, 33];
    let at = 0;
    let k = 0;
    let recorded = 0;
    while (at < feed.length) {
      const size = sizes[k++ % sizes.length]!;
      // The windows in which the writer says it waits for Postgres (the ledger decodes ahead in them) open and
      // close in turn, and none is left open when the batch is done.
      const waits: boolean[] = [];
      const result = await writer.processBatch(records(feed.slice(at, at + size)), { waitingForDatabase: (w) => waits.push(w) });
      assert.ok(waits.includes(true));
      assert.equal(waits.at(-1), false);
      assert.ok(waits.every((w, i) => i === 0 || !(w && waits[i - 1])), `two windows opened without closing: ${waits.join()}`);
      assert.equal(result.results.length, Math.min(size, feed.length - at));
      recorded += result.recorded;
      at += size;
    }
    assert.ok(recorded > 2500, `recorded ${recorded} of ${feed.length}`);
    assert.ok((await ledgerSnapshot(db.ds)).alerts.length > 0, 'the feed raises alerts');
    await assertLedgerAgreesWithReplay(db.ds);
  });

  it('lists in each inbox row the entries its event made, and verify names a row that lists others', async () => {
    const rows = (await db.ds.query(
      `SELECT i.publisher, i.event_id, i.first_entry_seq::text AS first, i.entry_count AS n, e.seqs
         FROM inbox i
         LEFT JOIN (SELECT event_publisher, event_id, array_agg(seq::text ORDER BY seq) AS seqs FROM ledger_entries GROUP BY 1, 2) e
           ON e.event_publisher = i.publisher AND e.event_id = i.event_id`,
    )) as Array<{ publisher: string; event_id: string; first: string | null; n: number; seqs: string[] | null }>;
    for (const r of rows) {
      const listed = Array.from({ length: r.n }, (_, k) => String(BigInt(r.first!) + BigInt(k)));
      assert.deepEqual(listed, r.seqs ?? [], `${r.publisher}/${r.event_id}`);
    }
    assert.ok(rows.some((r) => r.n === 0) && rows.some((r) => r.n >= 2), 'the feed has events with no entry and with several');

    const [several] = rows.filter((r) => r.n >= 2);
    await db.tamper((m) => m.query(`UPDATE inbox SET entry_count = entry_count - 1 WHERE publisher = $1 AND event_id = $2`, [several!.publisher, several!.event_id]));
    try {
      const report = await verifyLedger(db.ds);
      assert.equal(report.ok, false);
      const last = BigInt(several!.first!) + BigInt(several!.n - 1);
      assert.deepEqual(report.problems, [
        `event ${several!.publisher}/${several!.event_id}: the inbox lists entries ${several!.first}..${last - 1n}, its entries are ${several!.first}..${last}`,
      ]);
      assert.equal(report.firstBrokenSeq, undefined, 'the chain itself is intact');
    } finally {
      await db.tamper((m) => m.query(`UPDATE inbox SET entry_count = entry_count + 1 WHERE publisher = $1 AND event_id = $2`, [several!.publisher, several!.event_id]));
    }
    assert.equal((await verifyLedger(db.ds)).ok, true);
  });

  it('shows no ratio cap on a revoked UVEU, puts the ones in force back when it is granted again, and agrees with the replay', async () => {
    const at = (day: number) => `2026-07-${String(day).padStart(2, '0')}T00:00:00Z`;
    const policy = (eventId: string, type: string, day: number, veu: object) =>
      JSON.stringify({ type, version: 1, eventId, publisher: 'regulator', occurredAt: at(day), veu });
    // Units of 5,000 TPP (controlled): `tpp` must be a multiple of 5,000.
    const deploy = (eventId: string, day: number, country: string, action: string, tpp: number) =>
      JSON.stringify({
        type: 'dc.deployment',
        version: 1,
        eventId,
        publisher: 'rvk',
        occurredAt: at(day),
        veu: { kind: 'UVEU', id: 'rvk' },
        dataCenter: { id: `rvk-${country.toLowerCase()}`, country },
        action,
        items: [{ tppPerUnit: 5_000, quantity: tpp / 5_000 }],
      });
    const caps = async () =>
      Object.fromEntries(
        ((await db.ds.query(`SELECT id, cap_tpp, utilization FROM accounts WHERE veu_id = 'rvk' AND kind <> 'installed' ORDER BY id`)) as Array<{
          id: string;
          cap_tpp: string | null;
          utilization: number | null;
        }>).map((r) => [r.id, r.utilization === null ? r.cap_tpp : `${r.cap_tpp} ${r.utilization.toFixed(4)}`]),
      );
    // Worldwide 3,100,000 (US 3,000,000, IN 100,000): 25% = 775,000, 7% = 217,000, 50% = 1,550,000.
    await writer.processBatch(
      records([policy('rvk-g1', 'policy.veu-granted', 1, { kind: 'UVEU', id: 'rvk', headquarters: 'US' }), deploy('rvk-1', 2, 'US', 'INSTALL', 3_000_000), deploy('rvk-2', 3, 'IN', 'INSTALL', 100_000)]),
    );
    assert.deepEqual(await caps(), {
      'uveu:rvk:country:IN': '217000 0.4608',
      'uveu:rvk:outside-tier1': '775000 0.1290',
      'uveu:rvk:outside-us': '1550000 0.0645',
    });
    // Revoked, then IN emptied and the US shrunk, in separate batches: no ratio cap is in force any more.
    await writer.processBatch(records([policy('rvk-r1', 'policy.veu-revoked', 4, { id: 'rvk' })]));
    assert.deepEqual(await caps(), { 'uveu:rvk:country:IN': null, 'uveu:rvk:outside-tier1': null, 'uveu:rvk:outside-us': null });
    await writer.processBatch(records([deploy('rvk-3', 5, 'IN', 'REMOVE', 100_000), deploy('rvk-4', 6, 'US', 'REMOVE', 2_000_000)]));
    assert.deepEqual(await caps(), { 'uveu:rvk:country:IN': null, 'uveu:rvk:outside-tier1': null, 'uveu:rvk:outside-us': null });
    // Granted again, headquartered in GB: worldwide 1,000,000, and the outside-US share does not apply to it. The
    // ratio balances are still those of the revocation (100,000) until the UVEU's next deployment evaluates them.
    await writer.processBatch(records([policy('rvk-g2', 'policy.veu-granted', 7, { kind: 'UVEU', id: 'rvk', headquarters: 'GB' })]));
    assert.deepEqual(await caps(), {
      'uveu:rvk:country:IN': '70000 1.4286',
      'uveu:rvk:outside-tier1': '250000 0.4000',
      'uveu:rvk:outside-us': null,
    });
    // Its next deployment (US +100,000, worldwide 1,100,000) recomputes them from the installed base: IN holds 0.
    await writer.processBatch(records([deploy('rvk-5', 8, 'US', 'INSTALL', 100_000)]));
    assert.deepEqual(await caps(), {
      'uveu:rvk:country:IN': '77000 0.0000',
      'uveu:rvk:outside-tier1': '275000 0.0000',
      'uveu:rvk:outside-us': null,
    });
    await assertLedgerAgreesWithReplay(db.ds);
  });

  it('treats the same events sent again as duplicates that change nothing', async () => {
    const entriesBefore = await countRows(db.ds, 'ledger_entries');
    const result = await writer.processBatch(records(feed.slice(0, 300)));
    assert.equal(result.recorded, 0);
    assert.equal(result.entries, 0);
    assert.ok(result.duplicates > 250);
    assert.equal(await countRows(db.ds, 'ledger_entries'), entriesBefore);
  });

  it('skips Kafka records below the stored consumer offset', async () => {
    const lines = [0, 1, 2].map((i) =>
      JSON.stringify({
        type: 'chip.shipment', version: 1, eventId: `offset-${i}`, publisher: 'nvidia', occurredAt: '2026-03-01T00:00:00Z',
        consignee: { id: 'acme', country: 'AE' }, authorization: { kind: 'LICENSE', ref: 'D1' }, items: [{ chip: 'H100-SXM', quantity: 1 }],
      }),
    );
    const first = await writer.processBatch(records(lines.slice(0, 2), 'chips.shipments.v1', 100));
    assert.equal(first.recorded, 2);
    const again = await writer.processBatch(records(lines, 'chips.shipments.v1', 100));
    assert.deepEqual(again.results.map((r) => r.status), ['skipped', 'skipped', 'recorded']);
    const [row] = (await db.ds.query(`SELECT next_offset FROM consumer_offsets WHERE topic = 'chips.shipments.v1'`)) as Array<{ next_offset: string }>;
    assert.equal(row!.next_offset, '103');
  });

  it('rejects an event Postgres cannot store without holding up the events around it', async () => {
    const ship = (eventId: string, occurredAt: string, label = 'x') =>
      JSON.stringify({
        type: 'chip.shipment', version: 1, eventId, publisher: 'amd', occurredAt,
        consignee: { id: 'acme', country: 'AE' }, authorization: { kind: 'LICENSE', ref: 'D1' },
        items: [{ tppPerUnit: 5000, quantity: 1, label }],
      });
    const result = await writer.processBatch(
      records([ship('poison-ok-1', '2026-03-01T00:00:00Z'), ship('poison-year0', '0000-01-01T00:00:00Z'), ship('poison-nul', '2026-03-01T00:00:00Z', 'a\u0000b')]),
    );
    const statuses = result.results.map((r) => r.status);
    assert.equal(statuses[0], 'recorded');
    assert.equal(statuses[2], 'recorded');
    assert.equal(statuses[1], 'rejected');
    assert.equal((await verifyLedger(db.ds)).ok, true);
  });

  it('a record Postgres cannot store in a later chunk of a large batch is isolated too, and nothing else is lost', async () => {
    // Batches are written in chunks of 500 events while the next chunk is judged; a failure in chunk 2 must roll
    // the whole batch back and isolate the one record, like a failure in chunk 1.
    const ship = (eventId: string, occurredAt: string) =>
      JSON.stringify({
        type: 'chip.shipment', version: 1, eventId, publisher: 'intel', occurredAt,
        consignee: { id: 'chunked', country: 'SG' }, authorization: { kind: 'LICENSE', ref: 'D2' },
        items: [{ tppPerUnit: 5000, quantity: 1 }],
      });
    const lines = Array.from({ length: 600 }, (_, i) => ship(`chunk-${i}`, i === 550 ? '0000-01-01T00:00:00Z' : '2026-04-01T00:00:00Z'));
    const usedSg = async () =>
      BigInt(((await db.ds.query(`SELECT used_tpp FROM accounts WHERE id = 'country:SG'`)) as Array<{ used_tpp: string }>)[0]?.used_tpp ?? 0);
    const inboxBefore = await countRows(db.ds, 'inbox');
    const usedBefore = await usedSg();
    const result = await writer.processBatch(records(lines));
    assert.equal(result.recorded, 599);
    assert.equal(result.results[550]!.status, 'rejected');
    assert.equal((await countRows(db.ds, 'inbox')) - inboxBefore, 599);
    assert.equal((await usedSg()) - usedBefore, 599n * 5000n);
    assert.equal((await verifyLedger(db.ds)).ok, true);
  });

  it('stores payloads byte for byte and ids with backslashes, tabs and line breaks in the JSON, and the chain verifies', async () => {
    // Rows go to Postgres with COPY, whose text format gives \\, tab, LF and CR a meaning of their own.
    const consignee = 'back\\slash \\N Zürich €';
    const shipment = {
      type: 'chip.shipment',
      version: 1,
      eventId: 'esc:1.a',
      publisher: 'nvidia',
      occurredAt: '2026-05-01T00:00:00Z',
      consignee: { id: consignee, country: 'IN' },
      authorization: { kind: 'LPP' },
      items: [{ chip: 'H100-SXM', quantity: 10, label: 'tab\there, "quoted" \\ and \u00e9' }],
    };
    const pretty = JSON.stringify(shipment, null, '\t').replace(/\n/g, '\r\n');
    assert.match(pretty, /\t/);
    const result = await writer.processBatch(records([pretty], 'chips.shipments.v1', 9000));
    assert.equal(result.recorded, 1, result.results.map((r) => ('message' in r ? `${r.code}: ${r.message}` : r.status)).join());
    const [inbox] = (await db.ds.query(`SELECT payload::text AS payload, source_offset FROM inbox WHERE publisher = 'nvidia' AND event_id = 'esc:1.a'`)) as Array<{ payload: string; source_offset: string }>;
    assert.equal(inbox!.payload, pretty);
    assert.equal(inbox!.source_offset, '9000');
    const entries = (await db.ds.query(`SELECT account_id, delta_tpp FROM ledger_entries WHERE event_id = 'esc:1.a'`)) as Array<{ account_id: string; delta_tpp: string }>;
    assert.deepEqual(entries, [{ account_id: `lpp:${consignee}:2026`, delta_tpp: String(10 * 15_832) }]);
    const again = await writer.processBatch(records([JSON.stringify(shipment)]));
    assert.equal(again.duplicates, 1, 'the same payload, written without the whitespace, is a duplicate');
    // Payloads with none of those characters are copied as the bytes that came: multi-byte text and all.
    const plain = JSON.stringify({ ...shipment, eventId: 'esc:2', consignee: { id: 'Zürich € 😀', country: 'IN' }, items: [{ chip: 'H100-SXM', quantity: 1 }] });
    assert.doesNotMatch(plain, /[\\\t\n\r]/);
    assert.equal((await writer.processBatch(records([`${plain}  `], 'chips.shipments.v1', 9001))).recorded, 1);
    const [stored] = (await db.ds.query(`SELECT payload::text AS payload FROM inbox WHERE event_id = 'esc:2'`)) as Array<{ payload: string }>;
    assert.equal(stored!.payload, `${plain}  `);
    assert.deepEqual((await verifyLedger(db.ds)).problems, []);
  });

  it('compares a key that comes again with the stored payload, in the same batch and in later ones', async () => {
    const base = {
      type: 'chip.shipment',
      version: 1,
      publisher: 'amd',
      occurredAt: '2026-06-01T00:00:00Z',
      consignee: { id: 'acme', country: 'DE' },
      authorization: { kind: 'LICENSE', ref: 'L-1' },
      items: [{ chip: 'MI300X', quantity: 2 }],
    };
    const ev = (eventId: string, extra: Record<string, unknown> = {}) => JSON.stringify({ ...base, eventId, ...extra });
    const nul = ev('dup-nul', { items: [{ chip: 'MI300X', quantity: 2, label: 'a\u0000b' }] });
    const first = await writer.processBatch(
      records([ev('dup-1'), ev('dup-1'), ev('dup-1', { occurredAt: '2026-06-02T00:00:00Z' }), nul, nul], 'chips.shipments.v1', 20_000),
    );
    assert.deepEqual(first.results.map((r) => ('code' in r ? r.code : r.status)), ['recorded', 'duplicate', 'DUPLICATE_CONFLICT', 'recorded', 'duplicate']);
    const stored = (await db.ds.query(`SELECT event_id, digest FROM inbox WHERE publisher = 'amd' AND event_id LIKE 'dup-%' ORDER BY event_id`)) as Array<{ event_id: string; digest: string | null }>;
    assert.equal(stored.find((r) => r.event_id === 'dup-1')!.digest, null, 'no digest is stored for an ordinary event');
    assert.match(stored.find((r) => r.event_id === 'dup-nul')!.digest ?? '', /^[0-9a-f]{32}$/, 'the stored copy of a \\u0000 payload differs: its digest is kept');
    const later = await writer.processBatch(records([ev('dup-1'), ev('dup-1', { items: [{ chip: 'MI300X', quantity: 3 }] }), nul]));
    assert.deepEqual(later.results.map((r) => ('code' in r ? r.code : r.status)), ['duplicate', 'DUPLICATE_CONFLICT', 'duplicate']);
  });

  it('refuses UPDATE, DELETE and TRUNCATE of ledger entries, to the ledger role and even to a superuser', async () => {
    await assert.rejects(db.ds.query(`UPDATE ledger_entries SET delta_tpp = 0 WHERE seq = 1`), /permission denied/);
    await assert.rejects(db.ds.query(`DELETE FROM ledger_entries WHERE seq = 1`), /permission denied/);
    await assert.rejects(db.admin.query(`UPDATE ledger_entries SET delta_tpp = 0 WHERE seq = 1`), /append-only/);
    await assert.rejects(db.admin.query(`DELETE FROM ledger_entries WHERE seq = 1`), /append-only/);
    await assert.rejects(db.admin.query(`DELETE FROM ledger_entries WHERE false`), /append-only/);
    await assert.rejects(db.admin.query(`TRUNCATE ledger_entries`), /append-only/);
  });

  it('verify names the first entry whose contents no longer match the chain', async () => {
    // Only a superuser who disables the trigger can do this; verify is what catches it.
    await db.admin.query(`ALTER TABLE ledger_entries DISABLE TRIGGER ledger_entries_append_only`);
    await db.admin.query(`UPDATE ledger_entries SET delta_tpp = delta_tpp + 1, balance_tpp = balance_tpp + 1 WHERE seq = 5`);
    await db.admin.query(`ALTER TABLE ledger_entries ENABLE TRIGGER ledger_entries_append_only`);
    const report = await verifyLedger(db.ds);
    assert.equal(report.ok, false);
    assert.equal(report.firstBrokenSeq, '5');
  });
});
