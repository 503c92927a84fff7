import type { MigrationInterface, QueryRunner } from 'typeorm';

// Each inbox row says which ledger entries its event made: entries first_entry_seq .. first_entry_seq +
// entry_count - 1 (an event's entries are consecutive, written in one transaction with its inbox row), or none
// (entry_count 0, first_entry_seq NULL). "What did this event do" becomes a range of the entries' primary key,
// and the index on ledger_entries (event_publisher, event_id), which served only that question, goes: it was
// the dearest of the entries' indexes to keep up (sequential ids, 200,000 rows: 4.5-4.9 s of COPY with it, 2.5-3.6 s
// without: bench/sql/entry-index-cost.sql). `verify` checks every range against the entries.
// Ledgers of an earlier version must be stopped before it runs: they would record events with no range (entry_count
// 0 whatever they wrote), which `verify` would then report.
export class InboxEntryRange1764806400000 implements MigrationInterface {
  name = 'InboxEntryRange1764806400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE inbox ADD COLUMN first_entry_seq bigint, ADD COLUMN entry_count int NOT NULL DEFAULT 0`);
    // Events recorded before this migration: their ranges from their entries, with the index that is about to go.
    await q.query(`
      UPDATE inbox i SET first_entry_seq = e.first, entry_count = e.n
        FROM (SELECT event_publisher, event_id, min(seq) AS first, count(*)::int AS n FROM ledger_entries GROUP BY 1, 2) e
       WHERE e.event_publisher = i.publisher AND e.event_id = i.event_id`);
    await q.query(
      `ALTER TABLE inbox ADD CONSTRAINT inbox_entry_range_check CHECK (entry_count >= 0 AND (entry_count = 0) = (first_entry_seq IS NULL))`,
    );
    await q.query(`COMMENT ON COLUMN inbox.first_entry_seq IS 'the first ledger entry of the event; NULL when it made none'`);
    await q.query(`COMMENT ON COLUMN inbox.entry_count IS 'the event made entries first_entry_seq .. first_entry_seq + entry_count - 1'`);
    await q.query(`DROP INDEX ledger_entries_event_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX ledger_entries_event_idx ON ledger_entries (event_publisher, event_id)`);
    await q.query(`ALTER TABLE inbox DROP CONSTRAINT inbox_entry_range_check, DROP COLUMN first_entry_seq, DROP COLUMN entry_count`);
  }
}
