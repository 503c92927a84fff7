import type { QueryRunner } from 'typeorm';

const DAY_MS = 86_400_000;

interface DayTotal {
  accountId: string;
  // Days since 1970-01-01 (UTC) of the entries' event time.
  dayNo: number;
  deltaTpp: bigint;
  entries: number;
}

// What a batch adds to the tables that answer the two clocks and the reporting delay (see the two-clocks migration
// and docs/history.md): the movements of each account by event day, the batch's range of entries, and the
// publisher and event time of each recorded event. The writer tells it every entry and every recorded event while it
// judges, and calls write() in the batch transaction, under the head lock, after the entries are stored; so these
// tables commit or roll back with the entries they describe.
export class BatchClockBook {
  private readonly days = new Map<string, DayTotal>();
  private firstSeq: bigint | null = null;
  private lastSeq: bigint | null = null;
  private readonly publishers: string[] = [];
  private readonly occurredAts: string[] = [];

  entry(seq: bigint, accountId: string, occurredAtMs: number, deltaTpp: bigint): void {
    if (this.firstSeq === null) this.firstSeq = seq;
    this.lastSeq = seq;
    const dayNo = Math.floor(occurredAtMs / DAY_MS);
    const key = `${accountId}\u0000${dayNo}`;
    const day = this.days.get(key);
    if (day === undefined) this.days.set(key, { accountId, dayNo, deltaTpp, entries: 1 });
    else {
      day.deltaTpp += deltaTpp;
      day.entries++;
    }
  }

  // occurredAt: the event time as the inbox stores it (UTC, milliseconds).
  event(publisher: string, occurredAt: string): void {
    this.publishers.push(publisher);
    this.occurredAts.push(occurredAt);
  }

  async write(qr: QueryRunner): Promise<void> {
    await this.writeDays(qr);
    await this.writeBatch(qr);
    await this.writeDelays(qr);
  }

  private async writeDays(qr: QueryRunner): Promise<void> {
    if (this.days.size === 0) return;
    const rows = [...this.days.values()];
    const params = [rows.map((d) => d.accountId), rows.map((d) => d.dayNo), rows.map((d) => d.deltaTpp.toString()), rows.map((d) => d.entries)];
    const batch = `SELECT u.account_id, date '1970-01-01' + u.day_no AS day, u.delta_tpp, u.entries
                     FROM unnest($1::text[], $2::int[], $3::numeric[], $4::bigint[]) AS u(account_id, day_no, delta_tpp, entries)`;
    // Days new to an account start empty, with the cumulative figures of the day before them (two new days of
    // one batch both see only the days stored before it, which is right: the earlier one is empty too).
    await qr.query(
      `INSERT INTO account_event_days (account_id, day, delta_tpp, entries, through_tpp, through_entries)
       SELECT b.account_id, b.day, 0, 0, COALESCE(p.through_tpp, 0), COALESCE(p.through_entries, 0)
         FROM (${batch}) b
         LEFT JOIN LATERAL (
           SELECT through_tpp, through_entries FROM account_event_days d
            WHERE d.account_id = b.account_id AND d.day < b.day ORDER BY d.day DESC LIMIT 1
         ) p ON true
       ON CONFLICT (account_id, day) DO NOTHING`,
      params,
    );
    // Each day of the batch adds to its own day and to every later day of its account. Events in event-time order
    // touch one row per account (their day is the latest); a late one touches the days between its own and today.
    await qr.query(
      `UPDATE account_event_days d
          SET delta_tpp = d.delta_tpp + s.own_tpp, entries = d.entries + s.own_entries,
              through_tpp = d.through_tpp + s.add_tpp, through_entries = d.through_entries + s.add_entries
         FROM (
           SELECT d2.account_id, d2.day, sum(b.delta_tpp) AS add_tpp, sum(b.entries) AS add_entries,
                  COALESCE(sum(b.delta_tpp) FILTER (WHERE b.day = d2.day), 0) AS own_tpp,
                  COALESCE(sum(b.entries) FILTER (WHERE b.day = d2.day), 0) AS own_entries
             FROM (${batch}) b
             JOIN account_event_days d2 ON d2.account_id = b.account_id AND d2.day >= b.day
            GROUP BY d2.account_id, d2.day
         ) s
        WHERE d.account_id = s.account_id AND d.day = s.day`,
      params,
    );
  }

  private async writeBatch(qr: QueryRunner): Promise<void> {
    if (this.firstSeq === null || this.lastSeq === null) return;
    // now() is the transaction's start: the recorded_at of the batch's entries and inbox rows.
    await qr.query(
      `INSERT INTO recorded_batches (last_seq, first_seq, recorded_at, known_from)
       SELECT $1, $2, now(), GREATEST(now(), (SELECT known_from FROM recorded_batches ORDER BY last_seq DESC LIMIT 1))`,
      [this.lastSeq.toString(), this.firstSeq.toString()],
    );
  }

  private async writeDelays(qr: QueryRunner): Promise<void> {
    if (this.publishers.length === 0) return;
    await qr.query(
      `WITH e AS (
         SELECT u.publisher, floor(extract(epoch FROM now() - u.occurred_at) * 1000)::bigint AS delay_ms
           FROM unnest($1::text[], $2::timestamptz[]) AS u(publisher, occurred_at)
       ), totals AS (
         INSERT INTO reporting_delay_totals AS t (publisher, events, delay_ms_sum, delay_ms_max)
         SELECT publisher, count(*), sum(delay_ms), max(delay_ms) FROM e GROUP BY publisher
         ON CONFLICT (publisher) DO UPDATE SET events = t.events + EXCLUDED.events,
           delay_ms_sum = t.delay_ms_sum + EXCLUDED.delay_ms_sum, delay_ms_max = GREATEST(t.delay_ms_max, EXCLUDED.delay_ms_max)
       )
       INSERT INTO reporting_delay_buckets AS b (publisher, delay_ms_at_most, events)
       SELECT publisher, reporting_delay_bucket_ms(delay_ms), count(*) FROM e GROUP BY 1, 2
       ON CONFLICT (publisher, delay_ms_at_most) DO UPDATE SET events = b.events + EXCLUDED.events`,
      [this.publishers, this.occurredAts],
    );
  }
}
