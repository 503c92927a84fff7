import type { QueryRunner } from 'typeorm';
import { LATE_MARGIN_SQL } from './migrations/1765670400000-late-entries.migration';

// The two clocks' tables (event-time-buckets.ts) are derived from the entries and the inbox; `verify` recomputes them
// and names every row that differs. Each check is one statement over the whole table, as the rest of verify is.

const EVENT_DAYS_SQL = `
  WITH truth AS (
    SELECT account_id, day, delta_tpp, entries,
           sum(delta_tpp) OVER (PARTITION BY account_id ORDER BY day) AS through_tpp,
           sum(entries) OVER (PARTITION BY account_id ORDER BY day) AS through_entries
      FROM (SELECT account_id, (occurred_at AT TIME ZONE 'UTC')::date AS day, sum(delta_tpp) AS delta_tpp, count(*) AS entries
              FROM ledger_entries GROUP BY 1, 2) d)
  SELECT account_id, day::text AS day,
         t.delta_tpp::text AS t_delta, t.entries::text AS t_entries, t.through_tpp::text AS t_through,
         b.delta_tpp::text AS b_delta, b.entries::text AS b_entries, b.through_tpp::text AS b_through
    FROM truth t FULL JOIN account_event_days b USING (account_id, day)
   WHERE t.delta_tpp IS DISTINCT FROM b.delta_tpp OR t.entries IS DISTINCT FROM b.entries
      OR t.through_tpp IS DISTINCT FROM b.through_tpp OR t.through_entries IS DISTINCT FROM b.through_entries
   ORDER BY 1, 2 LIMIT $1`;

// Batches must cover the entries in order, each with its entries' recorded_at, known_from never going back.
const BATCHES_SQL = `
  SELECT last_seq::text, problem FROM (
    SELECT last_seq, CASE
             WHEN first_seq <> COALESCE(lag(last_seq) OVER w, 0) + 1 THEN 'does not start right after the batch before it'
             WHEN known_from < lag(known_from) OVER w OR known_from < recorded_at THEN 'is known from before the batch before it or before it was recorded'
           END AS problem
      FROM recorded_batches WINDOW w AS (ORDER BY last_seq)) b
   WHERE problem IS NOT NULL
  UNION ALL
  SELECT b.last_seq::text, 'holds entries recorded at another time' FROM recorded_batches b
   WHERE EXISTS (SELECT 1 FROM ledger_entries e WHERE e.seq BETWEEN b.first_seq AND b.last_seq AND e.recorded_at <> b.recorded_at)
  UNION ALL
  SELECT h.seq::text, 'the batches end at ' || COALESCE((SELECT max(last_seq) FROM recorded_batches), 0) || ', the entries at ' || h.seq
    FROM ledger_head h WHERE h.seq <> COALESCE((SELECT max(last_seq) FROM recorded_batches), 0)
  LIMIT $1`;

const DELAYS_SQL = `
  WITH e AS (SELECT publisher, floor(extract(epoch FROM recorded_at - occurred_at) * 1000)::bigint AS delay_ms FROM inbox),
  buckets AS (
    SELECT publisher, delay_ms_at_most, t.events AS t_events, b.events AS b_events
      FROM (SELECT publisher, reporting_delay_bucket_ms(delay_ms) AS delay_ms_at_most, count(*) AS events FROM e GROUP BY 1, 2) t
      FULL JOIN reporting_delay_buckets b USING (publisher, delay_ms_at_most)
     WHERE t.events IS DISTINCT FROM b.events),
  totals AS (
    SELECT publisher FROM (SELECT publisher, count(*) AS events, sum(delay_ms) AS delay_ms_sum, max(delay_ms) AS delay_ms_max FROM e GROUP BY 1) t
      FULL JOIN reporting_delay_totals b USING (publisher)
     WHERE t.events IS DISTINCT FROM b.events OR t.delay_ms_sum IS DISTINCT FROM b.delay_ms_sum OR t.delay_ms_max IS DISTINCT FROM b.delay_ms_max)
  SELECT 'reporting delay of ' || publisher || ', bucket ' || delay_ms_at_most || ' ms: the inbox has ' || COALESCE(t_events, 0) ||
         ' events, the histogram ' || COALESCE(b_events, 0) AS text FROM buckets
  UNION ALL
  SELECT 'reporting delay of ' || publisher || ': its totals (events, sum, maximum) differ from the inbox' FROM totals
  LIMIT $1`;

// The late entries (late-entries migration): exactly the entries dated more than the margin before their batch
// became known, with their account, date and amount.
const LATE_SQL = `
  WITH truth AS (
    SELECT e.account_id, e.seq, e.occurred_at, e.delta_tpp
      FROM recorded_batches b JOIN ledger_entries e ON e.seq BETWEEN b.first_seq AND b.last_seq
     WHERE e.occurred_at < b.known_from - ${LATE_MARGIN_SQL})
  SELECT COALESCE(t.seq, l.seq)::text AS seq, COALESCE(t.account_id, l.account_id) AS account_id,
         CASE WHEN t.seq IS NULL THEN 'is listed as reported late, but no such entry was'
              WHEN l.seq IS NULL THEN 'was reported late, but is not listed as such'
              ELSE 'is listed as reported late with another date or amount' END AS problem
    FROM truth t FULL JOIN late_entries l USING (account_id, seq)
   WHERE t.seq IS NULL OR l.seq IS NULL OR t.occurred_at <> l.occurred_at OR t.delta_tpp <> l.delta_tpp
   ORDER BY 1
   LIMIT $1`;

export async function verifyClockTables(qr: QueryRunner, problemsMax: number): Promise<string[]> {
  const out: string[] = [];
  const days = (await qr.query(EVENT_DAYS_SQL, [problemsMax])) as Array<Record<string, string | null>>;
  for (const d of days) {
    out.push(
      `event day ${d.account_id} ${d.day}: the entries add up to ${d.t_delta ?? 0} TPP in ${d.t_entries ?? 0} entries (${d.t_through ?? 'none'} ` +
        `through that day), the bucket says ${d.b_delta ?? 0} TPP in ${d.b_entries ?? 0} entries (${d.b_through ?? 'none'})`,
    );
  }
  const batches = (await qr.query(BATCHES_SQL, [problemsMax])) as Array<{ last_seq: string; problem: string }>;
  for (const b of batches) out.push(`recorded batch ending at entry ${b.last_seq}: ${b.problem}`);
  const delays = (await qr.query(DELAYS_SQL, [problemsMax])) as Array<{ text: string }>;
  for (const d of delays) out.push(d.text);
  const late = (await qr.query(LATE_SQL, [problemsMax])) as Array<{ seq: string; account_id: string; problem: string }>;
  for (const l of late) out.push(`late entry ${l.seq} of ${l.account_id}: ${l.problem}`);
  return out;
}
