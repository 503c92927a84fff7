import type { QueryRunner } from 'typeorm';
import { LATE_MARGIN_SQL } from './migrations/1765670400000-late-entries.migration';

const DAY_MS = 86_400_000;

interface DayRow {
  accountId: string;
  // Days since 1970-01-01 (UTC) of the entries' event time.
  dayNo: number;
  deltaTpp: bigint;
  entries: bigint;
  throughTpp: bigint;
  throughEntries: bigint;
}

interface StoredDay {
  account_id: string;
  base_tpp: string | null;
  base_entries: string | null;
  day_no: number | null;
  delta_tpp: string | null;
  entries: string | null;
}

// The bucket of a reporting delay (whole milliseconds): rounded up to the second up to a minute, to the minute up to
// an hour, to the hour up to a week, to the day beyond (the same steps for delays below zero, by their size); the same
// rule as the SQL function reporting_delay_bucket_ms (two-clocks migration).
export function reportingDelayBucketMs(delayMs: bigint): bigint {
  const size = delayMs < 0n ? -delayMs : delayMs;
  const step = size <= 60_000n ? 1_000n : size <= 3_600_000n ? 60_000n : size <= 604_800_000n ? 3_600_000n : 86_400_000n;
  const q = delayMs / step;
  return (delayMs % step > 0n ? q + 1n : q) * step;
}

// What a batch adds to the tables that answer the two clocks and the reporting delay (see the two-clocks migration
// and docs/history.md): the movements of each account by event day, the batch's range of entries, and the
// publisher and event time of each recorded event. The writer tells it every entry and every recorded event while it
// judges, and calls write() in the batch transaction, under the head lock, after the entries are stored; so these
// tables commit or roll back with the entries they describe, and no other writer changes them in between.
export class BatchClockBook {
  // account -> day number -> the batch's movements that day
  private readonly days = new Map<string, Map<number, { deltaTpp: bigint; entries: bigint }>>();
  private firstSeq: bigint | null = null;
  private lastSeq: bigint | null = null;
  // The earliest event time of the batch's entries: when it is not a late one, none is.
  private earliestOccurredAtMs = Number.POSITIVE_INFINITY;
  private readonly events: Array<{ publisher: string; occurredAtMs: number }> = [];

  entry(seq: bigint, accountId: string, occurredAtMs: number, deltaTpp: bigint): void {
    if (this.firstSeq === null) this.firstSeq = seq;
    this.lastSeq = seq;
    if (occurredAtMs < this.earliestOccurredAtMs) this.earliestOccurredAtMs = occurredAtMs;
    const dayNo = Math.floor(occurredAtMs / DAY_MS);
    let byDay = this.days.get(accountId);
    if (byDay === undefined) this.days.set(accountId, (byDay = new Map()));
    const day = byDay.get(dayNo);
    if (day === undefined) byDay.set(dayNo, { deltaTpp, entries: 1n });
    else {
      day.deltaTpp += deltaTpp;
      day.entries++;
    }
  }

  event(publisher: string, occurredAtMs: number): void {
    this.events.push({ publisher, occurredAtMs });
  }

  async write(qr: QueryRunner): Promise<void> {
    if (this.days.size === 0 && this.events.length === 0) return;
    await this.writeDays(qr);
    await this.writeBatch(qr);
    await this.writeDelays(qr);
  }

  // Reads, for each account of the batch, its stored days from the batch's earliest day on and the cumulative
  // figures of the day before; merges the batch's days in; writes back every day whose figures changed. Events in
  // event-time order touch one stored row per account (the latest day); a late event also rewrites the account's
  // days between its own and the latest, so the work is proportional to how late events are, never to history.
  private async writeDays(qr: QueryRunner): Promise<void> {
    if (this.days.size === 0) return;
    const accounts = [...this.days.keys()];
    const firstDays = accounts.map((a) => Math.min(...this.days.get(a)!.keys()));
    const stored = (await qr.query(
      `SELECT u.account_id, p.through_tpp::text AS base_tpp, p.through_entries::text AS base_entries,
              d.day - date '1970-01-01' AS day_no, d.delta_tpp::text AS delta_tpp, d.entries::text AS entries
         FROM unnest($1::text[], $2::int[]) AS u(account_id, first_day)
         LEFT JOIN LATERAL (
           SELECT through_tpp, through_entries FROM account_event_days
            WHERE account_id = u.account_id AND day < date '1970-01-01' + u.first_day ORDER BY day DESC LIMIT 1
         ) p ON true
         LEFT JOIN account_event_days d ON d.account_id = u.account_id AND d.day >= date '1970-01-01' + u.first_day`,
      [accounts, firstDays],
    )) as StoredDay[];
    const storedByAccount = new Map<string, StoredDay[]>();
    for (const s of stored) {
      let list = storedByAccount.get(s.account_id);
      if (list === undefined) storedByAccount.set(s.account_id, (list = []));
      list.push(s);
    }
    const rows: DayRow[] = [];
    for (const [accountId, list] of storedByAccount) mergeDays(accountId, list, this.days.get(accountId)!, rows);
    await qr.query(
      `INSERT INTO account_event_days (account_id, day, delta_tpp, entries, through_tpp, through_entries)
       SELECT u.account_id, date '1970-01-01' + u.day_no, u.delta_tpp, u.entries, u.through_tpp, u.through_entries
         FROM unnest($1::text[], $2::int[], $3::numeric[], $4::bigint[], $5::numeric[], $6::bigint[])
           AS u(account_id, day_no, delta_tpp, entries, through_tpp, through_entries)
       ON CONFLICT (account_id, day) DO UPDATE SET delta_tpp = EXCLUDED.delta_tpp, entries = EXCLUDED.entries,
         through_tpp = EXCLUDED.through_tpp, through_entries = EXCLUDED.through_entries`,
      [
        rows.map((r) => r.accountId),
        rows.map((r) => r.dayNo),
        rows.map((r) => r.deltaTpp.toString()),
        rows.map((r) => r.entries.toString()),
        rows.map((r) => r.throughTpp.toString()),
        rows.map((r) => r.throughEntries.toString()),
      ],
    );
  }

  // The batch's row in recorded_batches, and its entries reported late (dated more than the margin before the batch's
  // known_from) in late_entries, in one statement: the entries were stored before this, in this transaction. When
  // even the batch's earliest entry is not late ($3), the entries are not read again.
  private async writeBatch(qr: QueryRunner): Promise<void> {
    if (this.firstSeq === null || this.lastSeq === null) return;
    // now() is the transaction's start: the recorded_at of the batch's entries and inbox rows.
    await qr.query(
      `WITH b AS (
         INSERT INTO recorded_batches (last_seq, first_seq, recorded_at, known_from)
         SELECT $1, $2, now(), GREATEST(now(), (SELECT known_from FROM recorded_batches ORDER BY last_seq DESC LIMIT 1))
         RETURNING first_seq, last_seq, known_from
       )
       INSERT INTO late_entries (account_id, seq, occurred_at, delta_tpp)
       SELECT e.account_id, e.seq, e.occurred_at, e.delta_tpp
         FROM b JOIN ledger_entries e ON e.seq BETWEEN b.first_seq AND b.last_seq AND $3::timestamptz < b.known_from - ${LATE_MARGIN_SQL}
        WHERE e.occurred_at < b.known_from - ${LATE_MARGIN_SQL}`,
      [this.lastSeq.toString(), this.firstSeq.toString(), new Date(this.earliestOccurredAtMs).toISOString()],
    );
  }

  // The delays are counted here from the transaction's now() (the inbox rows' recorded_at, in microseconds), so
  // that only one row per publisher and bucket goes to Postgres.
  private async writeDelays(qr: QueryRunner): Promise<void> {
    if (this.events.length === 0) return;
    const [now] = (await qr.query(`SELECT (extract(epoch FROM now()) * 1000000)::bigint::text AS us`)) as Array<{ us: string }>;
    const nowUs = BigInt(now!.us);
    const buckets = new Map<string, bigint>();
    const totals = new Map<string, { events: bigint; sumMs: bigint; maxMs: bigint }>();
    for (const e of this.events) {
      // floor((recorded - occurred) in ms); occurred is whole milliseconds.
      const diffUs = nowUs - BigInt(e.occurredAtMs) * 1000n;
      const delayMs = diffUs >= 0n ? diffUs / 1000n : -((-diffUs + 999n) / 1000n);
      const key = `${e.publisher}\u0000${reportingDelayBucketMs(delayMs)}`;
      buckets.set(key, (buckets.get(key) ?? 0n) + 1n);
      const t = totals.get(e.publisher);
      if (t === undefined) totals.set(e.publisher, { events: 1n, sumMs: delayMs, maxMs: delayMs });
      else {
        t.events++;
        t.sumMs += delayMs;
        if (delayMs > t.maxMs) t.maxMs = delayMs;
      }
    }
    const b = [...buckets].map(([k, n]) => [...k.split('\u0000'), n.toString()] as const);
    const t = [...totals];
    await qr.query(
      `WITH totals AS (
         INSERT INTO reporting_delay_totals AS t (publisher, events, delay_ms_sum, delay_ms_max)
         SELECT * FROM unnest($4::text[], $5::bigint[], $6::numeric[], $7::bigint[])
         ON CONFLICT (publisher) DO UPDATE SET events = t.events + EXCLUDED.events,
           delay_ms_sum = t.delay_ms_sum + EXCLUDED.delay_ms_sum, delay_ms_max = GREATEST(t.delay_ms_max, EXCLUDED.delay_ms_max)
       )
       INSERT INTO reporting_delay_buckets AS b (publisher, delay_ms_at_most, events)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[])
       ON CONFLICT (publisher, delay_ms_at_most) DO UPDATE SET events = b.events + EXCLUDED.events`,
      [
        b.map((x) => x[0]),
        b.map((x) => x[1]),
        b.map((x) => x[2]),
        t.map(([p]) => p),
        t.map(([, x]) => x.events.toString()),
        t.map(([, x]) => x.sumMs.toString()),
        t.map(([, x]) => x.maxMs.toString()),
      ],
    );
  }
}

// One account: its stored days from the batch's earliest day on (with the cumulative figures before them, the same
// on every row of `stored`; day_no null when it has none there), merged with the batch's days, in day order. Every
// merged day is pushed to `out` with its new cumulative figures.
function mergeDays(accountId: string, stored: readonly StoredDay[], batch: ReadonlyMap<number, { deltaTpp: bigint; entries: bigint }>, out: DayRow[]): void {
  const merged = new Map<number, { deltaTpp: bigint; entries: bigint }>();
  for (const s of stored) {
    if (s.day_no !== null) merged.set(s.day_no, { deltaTpp: BigInt(s.delta_tpp!), entries: BigInt(s.entries!) });
  }
  for (const [dayNo, add] of batch) {
    const day = merged.get(dayNo);
    merged.set(dayNo, day === undefined ? { ...add } : { deltaTpp: day.deltaTpp + add.deltaTpp, entries: day.entries + add.entries });
  }
  let throughTpp = BigInt(stored[0]?.base_tpp ?? 0);
  let throughEntries = BigInt(stored[0]?.base_entries ?? 0);
  for (const dayNo of [...merged.keys()].sort((a, b) => a - b)) {
    const day = merged.get(dayNo)!;
    throughTpp += day.deltaTpp;
    throughEntries += day.entries;
    out.push({ accountId, dayNo, deltaTpp: day.deltaTpp, entries: day.entries, throughTpp, throughEntries });
  }
}
