import type { MigrationInterface, QueryRunner } from 'typeorm';

// The entries reported late: dated more than LATE_MARGIN before the moment their batch became known (the batch's
// known_from in recorded_batches). With them, "the balance at event time T as the ledger knew it at R" for T up to a
// day after R reads the account's late entries recorded after R and at most two days of its entries, instead of
// everything the account received after R (docs/history.md, "Both clocks"). Derived from ledger_entries and
// recorded_batches, kept by the writer in the batch transaction (event-time-buckets.ts), append-only like them, and
// checked by `ledger verify`.
//
// The margin is half the day the query leans on: an entry recorded after R and dated a day or more before R is late
// by more than a day, so it is here whatever the rounding of the instants compared.
export const LATE_MARGIN_SQL = `interval '12 hours'`;

export class LateEntries1765670400000 implements MigrationInterface {
  name = 'LateEntries1765670400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE late_entries (
        account_id text NOT NULL,
        seq bigint NOT NULL,
        occurred_at timestamptz NOT NULL,
        delta_tpp numeric(38,0) NOT NULL,
        PRIMARY KEY (account_id, seq)
      )`);
    await q.query(`
      INSERT INTO late_entries (account_id, seq, occurred_at, delta_tpp)
      SELECT e.account_id, e.seq, e.occurred_at, e.delta_tpp
        FROM recorded_batches b JOIN ledger_entries e ON e.seq BETWEEN b.first_seq AND b.last_seq
       WHERE e.occurred_at < b.known_from - ${LATE_MARGIN_SQL}`);
    await q.query(`
      CREATE TRIGGER late_entries_append_only
        BEFORE UPDATE OR DELETE OR TRUNCATE ON late_entries
        FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_refuse_change()`);
    // The writer appends (and may read, as it reads every ledger table); the API reads.
    await q.query(`REVOKE ALL ON late_entries FROM PUBLIC`);
    await q.query(`
      DO $$
      BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ledger_writer') THEN
          GRANT SELECT, INSERT ON late_entries TO ledger_writer;
        END IF;
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ledger_reader') THEN
          GRANT SELECT ON late_entries TO ledger_reader;
        END IF;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE late_entries`);
  }
}
