import { isRatioKind, parseAccountId, plainCap, type PolicyPack } from '@app/policy';
import type { Queryable } from '../database/read-database';

// The two clocks of an account's history (docs/history.md).
// - Event time: the balance as of T is the sum of the account's movements whose occurredAt is at or before T,
//   whatever order they were recorded in. Read as the cumulative figure of the account's last event day before T's
//   UTC day (account_event_days, one index probe) plus the entries dated from the start of T's day to T (one index
//   range, bounded by one day of the account's entries).
// - Recorded time: what the ledger showed at moment R is the running balance of the account's last entry in the
//   ledger as known at R: the entries up to the last batch known at R (recorded_batches, one index probe), then the
//   account's last entry at or before it (one probe of the (account_id, seq) index).
// Both together (event time T as known at R) start from the event-time answer and take away the account's entries
// dated at or before T that the ledger recorded after R. Those dated a day or more before R were reported late, and
// late_entries lists them (the late-entries migration); the others are dated after R - 1 day. So the work is the
// account's late entries recorded after R, plus its entries dated from R - 1 day to T: for T up to a day after R, at
// most two days of them, however long ago R was.

// The UTC day of an instant, and the instant that day starts.
const DAY_OF = (p: string) => `(${p}::timestamptz AT TIME ZONE 'UTC')::date`;
const DAY_START_OF = (p: string) => `(${DAY_OF(p)})::timestamp AT TIME ZONE 'UTC'`;

// $1 the account, $2 the instant T. Columns: balance_tpp and entries (counted).
export const EVENT_BALANCE_LATERALS = `
  LEFT JOIN LATERAL (
    SELECT through_tpp, through_entries FROM account_event_days
     WHERE account_id = $1 AND day < ${DAY_OF('$2')} ORDER BY day DESC LIMIT 1
  ) d ON true
  LEFT JOIN LATERAL (
    SELECT sum(delta_tpp) AS tpp, count(*) AS n FROM ledger_entries
     WHERE account_id = $1 AND occurred_at >= ${DAY_START_OF('$2')} AND occurred_at <= $2
  ) t ON true`;
const EVENT_BALANCE_COLUMNS = `COALESCE(d.through_tpp, 0) + COALESCE(t.tpp, 0) AS balance_tpp,
       COALESCE(d.through_entries, 0) + COALESCE(t.n, 0) AS entries`;

// The last batch the ledger knew at $3 (null when it knew none). The API writes instants to the millisecond, and
// Postgres keeps microseconds: an entry shown as recorded at 12:00:00.123Z counts at asRecordedAt=12:00:00.123Z.
const KNOWN_SEQ = `(SELECT last_seq FROM recorded_batches WHERE known_from < $3::timestamptz + interval '1 millisecond'
                     ORDER BY known_from DESC, last_seq DESC LIMIT 1)`;

// The day before R that splits the entries recorded after R: those dated before it are all in late_entries (late by
// more than its 12-hour margin).
const NEAR = `interval '1 day'`;

const ENTRY_COLUMNS = 'seq, balance_tpp, cap_tpp, occurred_at, recorded_at, event_publisher, event_id';

// $1 account, $2 T. One row when the account exists.
export const EVENT_AS_OF_SQL = `
  SELECT ${EVENT_BALANCE_COLUMNS}, NULL::bigint AS known_seq,
         (SELECT arranged_at FROM g2g_arrangements WHERE country = a.country) AS g2g_at,
         e.seq, e.cap_tpp, e.occurred_at, e.recorded_at, e.event_publisher, e.event_id
    FROM accounts a
    ${EVENT_BALANCE_LATERALS}
    LEFT JOIN LATERAL (
      SELECT ${ENTRY_COLUMNS} FROM ledger_entries
       WHERE account_id = $1 AND occurred_at <= $2 ORDER BY occurred_at DESC, seq DESC LIMIT 1
    ) e ON true
   WHERE a.id = $1`;

// $1 account, $2 T, $3 R.
export const EVENT_AS_RECORDED_SQL = `
  SELECT COALESCE(d.through_tpp, 0) + COALESCE(t.tpp, 0) - COALESCE(l.tpp, 0) AS balance_tpp,
         COALESCE(d.through_entries, 0) + COALESCE(t.n, 0) - COALESCE(l.n, 0) AS entries,
         k.known_seq,
         (SELECT arranged_at FROM g2g_arrangements WHERE country = a.country) AS g2g_at,
         e.seq, e.cap_tpp, e.occurred_at, e.recorded_at, e.event_publisher, e.event_id
    FROM accounts a
    CROSS JOIN LATERAL (SELECT COALESCE(${KNOWN_SEQ}, 0) AS known_seq) k
    ${EVENT_BALANCE_LATERALS}
    LEFT JOIN LATERAL (
      SELECT sum(p.tpp) AS tpp, sum(p.n) AS n FROM (
        SELECT sum(delta_tpp) AS tpp, count(*) AS n FROM late_entries
         WHERE account_id = $1 AND seq > k.known_seq AND occurred_at <= LEAST($2::timestamptz, $3::timestamptz - ${NEAR})
        UNION ALL
        SELECT sum(delta_tpp), count(*) FROM ledger_entries
         WHERE account_id = $1 AND occurred_at > $3::timestamptz - ${NEAR} AND occurred_at <= $2 AND seq > k.known_seq
      ) p
    ) l ON true
    LEFT JOIN LATERAL (
      SELECT ${ENTRY_COLUMNS} FROM ledger_entries
       WHERE account_id = $1 AND occurred_at <= $2 AND seq <= k.known_seq ORDER BY occurred_at DESC, seq DESC LIMIT 1
    ) e ON true
   WHERE a.id = $1`;

// $1 account, $3 R ($2 unused, so that the parameters line up with the other two).
export const RECORDED_AS_OF_SQL = `
  SELECT e.balance_tpp, NULL::bigint AS entries, k.known_seq, NULL::timestamptz AS g2g_at,
         e.seq, e.cap_tpp, e.occurred_at, e.recorded_at, e.event_publisher, e.event_id
    FROM accounts a
    CROSS JOIN LATERAL (SELECT COALESCE(${KNOWN_SEQ}, 0) AS known_seq, $2::timestamptz AS unused) k
    LEFT JOIN LATERAL (
      SELECT ${ENTRY_COLUMNS} FROM ledger_entries
       WHERE account_id = $1 AND seq <= k.known_seq ORDER BY seq DESC LIMIT 1
    ) e ON true
   WHERE a.id = $1`;

export interface AsOfRow {
  balance_tpp: string | null;
  entries: string | null;
  known_seq: string | null;
  g2g_at: Date | null;
  seq: string | null;
  cap_tpp: string | null;
  occurred_at: Date | null;
  recorded_at: Date | null;
  event_publisher: string | null;
  event_id: string | null;
}

// $1 account, $2 the instants. One row per instant, in order.
export const EVENT_SERIES_SQL = `
  SELECT p.at, COALESCE(d.through_tpp, 0) + COALESCE(t.tpp, 0) AS balance_tpp, e.cap_tpp
    FROM unnest($2::timestamptz[]) WITH ORDINALITY AS p(at, n)
    LEFT JOIN LATERAL (
      SELECT through_tpp FROM account_event_days
       WHERE account_id = $1 AND day < ${DAY_OF('p.at')} ORDER BY day DESC LIMIT 1
    ) d ON true
    LEFT JOIN LATERAL (
      SELECT sum(delta_tpp) AS tpp FROM ledger_entries
       WHERE account_id = $1 AND occurred_at >= ${DAY_START_OF('p.at')} AND occurred_at <= p.at
    ) t ON true
    LEFT JOIN LATERAL (
      SELECT cap_tpp FROM ledger_entries WHERE account_id = $1 AND occurred_at <= p.at ORDER BY occurred_at DESC, seq DESC LIMIT 1
    ) e ON true
   ORDER BY p.n`;

// The event-time balance of one account at one instant (0 before its first movement).
export async function eventTimeBalance(db: Queryable, accountId: string, at: Date): Promise<bigint> {
  const [row] = await db.query<{ balance_tpp: string }>(`SELECT ${EVENT_BALANCE_COLUMNS} FROM (SELECT 1) one ${EVENT_BALANCE_LATERALS}`, [accountId, at]);
  return BigInt(row!.balance_tpp);
}

// The cap in force at an instant. Plain accounts (country, LPP, NVEU) from the policy pack at that instant, with a
// government-to-government arrangement counted from its event time; ratio accounts (UVEU shares of worldwide
// installed TPP) have no dated formula, so they show the cap the ledger applied to their last movement dated at or
// before the instant (lastEntryCap).
export function capInForceAt(
  pack: PolicyPack,
  accountId: string,
  atMs: number,
  g2gArrangedAtMs: number | null,
  lastEntryCap: bigint | null,
): bigint | null {
  const parsed = parseAccountId(accountId);
  if (parsed === null || isRatioKind(parsed.kind)) return lastEntryCap;
  return plainCap(pack, parsed, atMs, () => g2gArrangedAtMs !== null && g2gArrangedAtMs <= atMs);
}
