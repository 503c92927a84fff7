import type { MigrationInterface, QueryRunner } from 'typeorm';

// Two clocks (docs/history.md): what had happened by an event time, and what the ledger knew at a recorded moment,
// each answered with a few index probes instead of a scan of an account's history; and the reporting delay of
// every publisher (recorded_at - occurred_at of its events) as a histogram. All three tables are derived from the
// entries and the inbox and kept up by the writer in the batch transaction (event-time-buckets.ts); this migration
// fills them from what is already recorded.
export class TwoClocks1765152000000 implements MigrationInterface {
  name = 'TwoClocks1765152000000';

  async up(q: QueryRunner): Promise<void> {
    // Per account and UTC event day: the movements dated that day, and cumulatively those dated that day or
    // earlier. A late event (dated before days that are already there) adds to its own day and to every later day.
    await q.query(`
      CREATE TABLE account_event_days (
        account_id text NOT NULL,
        day date NOT NULL,
        delta_tpp numeric(38,0) NOT NULL,
        entries bigint NOT NULL,
        through_tpp numeric(38,0) NOT NULL,
        through_entries bigint NOT NULL,
        PRIMARY KEY (account_id, day)
      )`);
    await q.query(`
      INSERT INTO account_event_days (account_id, day, delta_tpp, entries, through_tpp, through_entries)
      SELECT account_id, day, delta_tpp, entries,
             sum(delta_tpp) OVER (PARTITION BY account_id ORDER BY day),
             sum(entries) OVER (PARTITION BY account_id ORDER BY day)
        FROM (SELECT account_id, (occurred_at AT TIME ZONE 'UTC')::date AS day, sum(delta_tpp) AS delta_tpp, count(*) AS entries
                FROM ledger_entries GROUP BY 1, 2) d`);

    // One row per batch that wrote entries: its entries are first_seq .. last_seq, recorded_at is theirs (the
    // transaction's start), and known_from is the moment from which as-recorded answers count the batch:
    // recorded_at, or the known_from of the batch before it in the ledger when that one is later (two ledger
    // processes can start their transactions in the other order than they take the head lock). So known_from grows
    // with seq, and "the ledger as known at R" is always a prefix of the ledger: seq <= the last_seq of the last
    // batch with known_from <= R.
    await q.query(`
      CREATE TABLE recorded_batches (
        last_seq bigint PRIMARY KEY,
        first_seq bigint NOT NULL,
        recorded_at timestamptz NOT NULL,
        known_from timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX recorded_batches_known_idx ON recorded_batches (known_from, last_seq)`);
    await q.query(`
      INSERT INTO recorded_batches (last_seq, first_seq, recorded_at, known_from)
      SELECT last_seq, first_seq, recorded_at, max(recorded_at) OVER (ORDER BY last_seq)
        FROM (SELECT max(seq) AS last_seq, min(seq) AS first_seq, recorded_at FROM ledger_entries GROUP BY recorded_at) b`);

    // A delay in whole milliseconds, rounded up to the second up to a minute, to the minute up to an hour, to the
    // hour up to a week, to the day beyond (the same steps below zero, by size): the histogram's bucket ("at most this
    // late"). A threshold in whole hours up to a week, or whole days beyond, splits no bucket, so the count of events
    // later than it is exact. The writer applies the same rule (reportingDelayBucketMs).
    await q.query(`
      CREATE FUNCTION reporting_delay_bucket_ms(delay_ms bigint) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
        SELECT CASE
          WHEN abs(delay_ms) <= 60000 THEN ceil(delay_ms / 1000.0)::bigint * 1000
          WHEN abs(delay_ms) <= 3600000 THEN ceil(delay_ms / 60000.0)::bigint * 60000
          WHEN abs(delay_ms) <= 604800000 THEN ceil(delay_ms / 3600000.0)::bigint * 3600000
          ELSE ceil(delay_ms / 86400000.0)::bigint * 86400000
        END
      $$`);
    await q.query(`
      CREATE TABLE reporting_delay_buckets (
        publisher text NOT NULL,
        delay_ms_at_most bigint NOT NULL,
        events bigint NOT NULL,
        PRIMARY KEY (publisher, delay_ms_at_most)
      )`);
    await q.query(`
      CREATE TABLE reporting_delay_totals (
        publisher text PRIMARY KEY,
        events bigint NOT NULL,
        delay_ms_sum numeric NOT NULL,
        delay_ms_max bigint NOT NULL
      )`);
    await q.query(`
      WITH e AS (SELECT publisher, floor(extract(epoch FROM recorded_at - occurred_at) * 1000)::bigint AS delay_ms FROM inbox)
      INSERT INTO reporting_delay_buckets (publisher, delay_ms_at_most, events)
      SELECT publisher, reporting_delay_bucket_ms(delay_ms), count(*) FROM e GROUP BY 1, 2`);
    await q.query(`
      WITH e AS (SELECT publisher, floor(extract(epoch FROM recorded_at - occurred_at) * 1000)::bigint AS delay_ms FROM inbox)
      INSERT INTO reporting_delay_totals (publisher, events, delay_ms_sum, delay_ms_max)
      SELECT publisher, count(*), sum(delay_ms), max(delay_ms) FROM e GROUP BY 1`);

    // The service roles (least-privilege-roles migration) when they exist: this migration can run before that one
    // (a fresh database) or after it. The writer keeps the four tables (recorded_batches insert-only); the API reads them.
    await q.query(`
      DO $$
      BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ledger_writer') THEN
          GRANT SELECT, INSERT, UPDATE ON account_event_days, reporting_delay_buckets, reporting_delay_totals TO ledger_writer;
          GRANT SELECT, INSERT ON recorded_batches TO ledger_writer;
        END IF;
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ledger_reader') THEN
          GRANT SELECT ON account_event_days, recorded_batches, reporting_delay_buckets, reporting_delay_totals TO ledger_reader;
        END IF;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE reporting_delay_totals`);
    await q.query(`DROP TABLE reporting_delay_buckets`);
    await q.query(`DROP FUNCTION reporting_delay_bucket_ms(bigint)`);
    await q.query(`DROP TABLE recorded_batches`);
    await q.query(`DROP TABLE account_event_days`);
  }
}
