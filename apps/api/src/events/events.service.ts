import { Injectable } from '@nestjs/common';
import { inboxDigest } from '@app/persistence';
import { requireEventAccess } from '../auth/access-policy';
import { alertFor, entryFor, type AlertShown, type EntryShown } from '../auth/access-views';
import type { Principal } from '../auth/principal';
import { ApiError } from '../common/api-error';
import { ReadDatabase } from '../database/read-database';
import { ENTRY_COLUMNS, toEntryView, type EntryRow } from '../accounts/entry.view';
import { ALERT_COLUMNS, toAlertView, type AlertRow } from '../alerts/alert.view';

export interface EventRecord {
  publisher: string;
  eventId: string;
  type: string;
  digest: string;
  occurredAt: string;
  recordedAt: string;
  recordedSeq: bigint;
  source: { topic: string; partition: number | null; offset: bigint | null } | null;
  event: unknown;
  // The event's entries and alerts as the caller may see them: amounts on accounts it may not read are withheld.
  entries: EntryShown[];
  alerts: AlertShown[];
}

// One event touches a handful of accounts; these bounds only guard against a pathological pack.
const EVENT_ENTRIES_MAX = 1000;
const EVENT_ALERTS_MAX = 1000;

@Injectable()
export class EventsService {
  constructor(private readonly db: ReadDatabase) {}

  // What did event (publisher, eventId) do: the event as recorded, its ledger entries and the alerts it raised.
  async find(principal: Principal, publisher: string, eventId: string): Promise<EventRecord> {
    // Decided from the publisher alone, before any lookup: a 403 never says whether another's event exists.
    requireEventAccess(principal, publisher);
    return this.db.snapshot(async (db) => {
      const [inbox] = await db.query<{
        event_type: string;
        digest: string | null;
        payload: unknown;
        occurred_at: Date;
        recorded_at: Date;
        recorded_seq: string;
        source_topic: string | null;
        source_partition: number | null;
        source_offset: string | null;
        first_entry_seq: string | null;
        entry_count: number;
      }>(
        `SELECT event_type, digest, payload, occurred_at, recorded_at, recorded_seq, source_topic, source_partition, source_offset,
                first_entry_seq, entry_count
           FROM inbox WHERE publisher = $1 AND event_id = $2`,
        [publisher, eventId],
      );
      if (!inbox) throw ApiError.notFound(`event ${publisher}/${eventId} (it was never recorded, or was rejected)`);

      // The event's entries are the consecutive range its inbox row names (verify checks every range).
      const entries =
        inbox.first_entry_seq === null
          ? []
          : await db.query<EntryRow>(`SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE seq >= $1 AND seq < $1::bigint + $2 ORDER BY seq LIMIT $3`, [
              inbox.first_entry_seq,
              inbox.entry_count,
              EVENT_ENTRIES_MAX,
            ]);
      // The alerts an event raised were written in the same transaction as its inbox row (same now()), on the
      // accounts it moved or, for UVEU ratio accounts, on accounts it re-evaluated; the time window keeps this on
      // the created_at index instead of scanning every alert.
      const alerts = await db.query<AlertRow>(
        `SELECT ${ALERT_COLUMNS} FROM alerts
          WHERE created_at BETWEEN $3::timestamptz - interval '1 minute' AND $3::timestamptz + interval '1 minute'
            AND payload->'causedBy'->>'publisher' = $1 AND payload->'causedBy'->>'eventId' = $2
          ORDER BY seq LIMIT $4`,
        [publisher, eventId, inbox.recorded_at, EVENT_ALERTS_MAX],
      );
      return {
        publisher,
        eventId,
        type: inbox.event_type,
        // Not stored for most events: the digest of the stored payload, as the writer computes it for a duplicate.
        digest: inboxDigest(inbox),
        occurredAt: inbox.occurred_at.toISOString(),
        recordedAt: inbox.recorded_at.toISOString(),
        recordedSeq: BigInt(inbox.recorded_seq),
        source:
          inbox.source_topic === null
            ? null
            : {
                topic: inbox.source_topic,
                partition: inbox.source_partition,
                offset: inbox.source_offset === null ? null : BigInt(inbox.source_offset),
              },
        event: inbox.payload,
        entries: entries.map((row) => entryFor(principal, toEntryView(row))),
        alerts: alerts.map((row) => alertFor(principal, toAlertView(row))),
      };
    });
  }
}
