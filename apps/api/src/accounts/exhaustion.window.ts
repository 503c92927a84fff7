import type { Queryable } from '../database/read-database';
import { FORECAST_WINDOW_DAYS } from './exhaustion.forecast';
import { eventTimeBalance } from './history.clocks';

const DAY_MS = 86_400_000;

// The forecast's inputs on the event clock: the window ends at the account's latest event time (not the wall clock,
// so an account that has been quiet still shows its last 30 days of activity), and the TPP it added in the window is
// the event-time balance at its end minus the one at its start, so a shipment reported late counts on the day it
// shipped. One index probe for the latest event time and two event-time lookups, however long the history.
export async function forecastWindow(db: Queryable, accountId: string): Promise<{ latestOccurredAtMs: number | null; windowDeltaTpp: bigint }> {
  const [latest] = await db.query<{ at: Date | null }>(
    'SELECT occurred_at AS at FROM ledger_entries WHERE account_id = $1 ORDER BY occurred_at DESC LIMIT 1',
    [accountId],
  );
  if (!latest?.at) return { latestOccurredAtMs: null, windowDeltaTpp: 0n };
  const latestMs = latest.at.getTime();
  const end = await eventTimeBalance(db, accountId, new Date(latestMs));
  const start = await eventTimeBalance(db, accountId, new Date(latestMs - FORECAST_WINDOW_DAYS * DAY_MS));
  return { latestOccurredAtMs: latestMs, windowDeltaTpp: end - start };
}
