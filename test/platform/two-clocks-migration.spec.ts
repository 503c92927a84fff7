// The two-clocks migration on a ledger an earlier version recorded: the event-day buckets, the recorded batches and
// the reporting-delay histogram are computed from the entries and the inbox already there.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createDataSource, reportingDelayBucketMs } from '@app/persistence';
import { createTestDatabase } from '@app/testing';

describe('two-clocks migration (real Postgres)', () => {
  it('fills the buckets, the batches and the delay histogram from what is recorded', async () => {
    const db = await createTestDatabase('platform_two_clocks');
    const ds = createDataSource(db.url);
    try {
      await ds.initialize();
      await ds.runMigrations({ transaction: 'each' });
      while (((await ds.query(`SELECT name FROM schema_migrations ORDER BY id DESC LIMIT 1`)) as Array<{ name: string }>)[0]!.name !== 'RatioCapsOutOfForce1765065600000') {
        await ds.undoLastMigration({ transaction: 'each' });
      }
      // Batch 1 (recorded 2026-03-02): 100 TPP dated 2026-03-01. Batch 2 (recorded 2026-03-20): 10 TPP dated
      // 2026-02-01, a late report, and 5 dated 2026-03-01 again.
      const rows: Array<[number, number, string, string, string]> = [
        [1, 100, '2026-03-01T10:00:00Z', '2026-03-02T00:00:00Z', 'e-1'],
        [2, 10, '2026-02-01T00:00:00Z', '2026-03-20T00:00:00Z', 'e-2'],
        [3, 5, '2026-03-01T23:00:00Z', '2026-03-20T00:00:00Z', 'e-3'],
      ];
      for (const [seq, delta, occurred, recorded, eventId] of rows) {
        await ds.query(
          `INSERT INTO inbox (publisher, event_id, digest, event_type, payload, occurred_at, recorded_seq, recorded_at, first_entry_seq, entry_count)
           VALUES ('nvidia', $1, NULL, 'chip.shipment', '{}', $2, $3, $4, $3, 1)`,
          [eventId, occurred, seq, recorded],
        );
        await ds.query(
          `INSERT INTO ledger_entries (seq, account_id, delta_tpp, balance_tpp, event_publisher, event_id, event_type, occurred_at, policy_id, policy_version, prev_hash, hash, recorded_at)
           VALUES ($1, 'country:MX', $2, 0, 'nvidia', $3, 'chip.shipment', $4, 'ai-diffusion-2025', '1', '\\x00', '\\x00', $5)`,
          [seq, delta, eventId, occurred, recorded],
        );
      }
      await ds.runMigrations({ transaction: 'each' });

      const days = await ds.query(`SELECT day::text, delta_tpp::int, entries::int, through_tpp::int, through_entries::int FROM account_event_days ORDER BY day`);
      assert.deepEqual(days, [
        { day: '2026-02-01', delta_tpp: 10, entries: 1, through_tpp: 10, through_entries: 1 },
        { day: '2026-03-01', delta_tpp: 105, entries: 2, through_tpp: 115, through_entries: 3 },
      ]);
      const batches = await ds.query(`SELECT first_seq::int, last_seq::int, known_from FROM recorded_batches ORDER BY last_seq`);
      assert.deepEqual(batches, [
        { first_seq: 1, last_seq: 1, known_from: new Date('2026-03-02T00:00:00Z') },
        { first_seq: 2, last_seq: 3, known_from: new Date('2026-03-20T00:00:00Z') },
      ]);
      // The late-entries migration lists the entries dated more than 12 hours before their batch became known: all
      // three here (14 h, 47 days and 18 days late).
      const late = await ds.query(`SELECT seq::int, delta_tpp::int FROM late_entries ORDER BY seq`);
      assert.deepEqual(late, [
        { seq: 1, delta_tpp: 100 },
        { seq: 2, delta_tpp: 10 },
        { seq: 3, delta_tpp: 5 },
      ]);
      // Delays: 14 h (bucket 14 h), 18 days 1 h (beyond a week: the 19-day bucket, 456 h), 47 days (1128 h).
      const buckets = await ds.query(`SELECT (delay_ms_at_most / 3600000)::int AS hours, events::int FROM reporting_delay_buckets ORDER BY 1`);
      assert.deepEqual(buckets, [
        { hours: 14, events: 1 },
        { hours: 456, events: 1 },
        { hours: 1128, events: 1 },
      ]);
      const [totals] = await ds.query(`SELECT events::int, delay_ms_max::bigint::text AS max FROM reporting_delay_totals WHERE publisher = 'nvidia'`);
      assert.deepEqual(totals, { events: 3, max: String(1128 * 3_600_000) });
      // The writer buckets delays with its own copy of the rule: the two agree, below zero too.
      const delays = [-700_000_000n, -90_001n, -1n, 0n, 1n, 999n, 1_000n, 1_001n, 60_000n, 60_001n, 3_600_000n, 3_600_001n, 604_800_000n, 604_800_001n, 10n ** 12n];
      const sql = (await ds.query(`SELECT reporting_delay_bucket_ms(d)::text AS b FROM unnest($1::bigint[]) WITH ORDINALITY AS u(d, n) ORDER BY n`, [
        delays.map(String),
      ])) as Array<{ b: string }>;
      assert.deepEqual(sql.map((r) => BigInt(r.b)), delays.map(reportingDelayBucketMs));
    } finally {
      if (ds.isInitialized) await ds.destroy();
      await db.drop();
    }
  });
});
