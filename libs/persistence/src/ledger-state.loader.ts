// Loads from Postgres the part of the ledger state that judging a set of events needs (what requirementsOf names,
// plus the idempotency records of their keys, all VEU grants and g2g arrangements) into a MemoryLedgerState.
// The ledger writer calls it inside its batch transaction; the API's pre-clearance calls it on a read-only
// snapshot. One loader, so what pre-clearance predicts is what the writer would do.
import { MemoryLedgerState, payloadDigest, requirementsOf, type DecodedEvent, type PolicyPack, type VeuGrant } from '@app/policy';
import type { InputEventV1 } from '@app/contracts';
import { loadLicences } from './licence-store';
import { loadPublisherKeys } from './publisher-keys.store';

export type SqlQuery = (sql: string, params?: unknown[]) => Promise<any[]>;

export class StateNeeds {
  readonly accountIds = new Set<string>();
  readonly veuIds = new Set<string>();
  readonly dataCenters = new Map<string, { veuId: string; dataCenterId: string; country: string }>();
  readonly licenceIds = new Set<string>();
  // The idempotency keys to look up, as the two arrays the probe sends. A key that comes twice is looked up twice
  // and marked seen twice with the same digest: harmless, and cheaper than building a key string per event.
  readonly inboxPublishers: string[] = [];
  readonly inboxEventIds: string[] = [];

  add(pack: PolicyPack, event: InputEventV1, atMs?: number): void {
    const need = requirementsOf(pack, event, atMs);
    for (const a of need.accounts) this.accountIds.add(a);
    for (const v of need.veuIds) this.veuIds.add(v);
    if (need.licenceIds !== undefined) for (const l of need.licenceIds) this.licenceIds.add(l);
    for (const dc of need.dataCenters) this.dataCenters.set(`${dc.veuId}\u0000${dc.dataCenterId}\u0000${dc.country}`, dc);
    this.inboxPublishers.push(event.publisher);
    this.inboxEventIds.push(event.eventId);
  }
}

// The payload digest of an inbox row: the stored one, or, where none is stored (see the inbox-digest-on-demand
// migration), the digest of the stored payload, which is the event's text as it came. `payload` is the JSON text,
// or the document pg already parsed from the json column. The writer and the API both read digests through this.
export function inboxDigest(row: { digest: string | null; payload: unknown }): string {
  if (row.digest !== null) return row.digest;
  return payloadDigest((typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload) as InputEventV1);
}

// eventOfRef: see MemoryLedgerState (the writer marks the events of its batch with their index in the batch).
export async function loadLedgerState(query: SqlQuery, needs: StateNeeds, eventOfRef?: (ref: number) => DecodedEvent): Promise<MemoryLedgerState> {
  const state = new MemoryLedgerState(eventOfRef);
  const licensedAccounts = await loadLicences(query, needs.licenceIds, state);
  if (needs.accountIds.size > 0 || needs.veuIds.size > 0 || licensedAccounts.length > 0) {
    // veu_id is set on every installed:ID:* and uveu:ID:* account, so this is the prefix load requirementsOf asks for.
    const rows = (await query(`SELECT id, used_tpp, disarmed_mask FROM accounts WHERE id = ANY($1::text[]) OR veu_id = ANY($2::text[])`, [
      [...needs.accountIds, ...licensedAccounts],
      [...needs.veuIds],
    ])) as Array<{ id: string; used_tpp: string; disarmed_mask: number }>;
    for (const row of rows) state.setAccount(row.id, { usedTpp: BigInt(row.used_tpp), disarmedMask: row.disarmed_mask });
  }
  const dcs = [...needs.dataCenters.values()];
  if (dcs.length > 0) {
    const rows = (await query(
      `SELECT d.veu_id, d.data_center_id, d.country, d.installed_tpp FROM dc_installed d
         JOIN unnest($1::text[], $2::text[], $3::text[]) AS k(veu_id, data_center_id, country)
           ON k.veu_id = d.veu_id AND k.data_center_id = d.data_center_id AND k.country = d.country`,
      [dcs.map((d) => d.veuId), dcs.map((d) => d.dataCenterId), dcs.map((d) => d.country)],
    )) as Array<{ veu_id: string; data_center_id: string; country: string; installed_tpp: string }>;
    for (const row of rows) state.setInstalled(row.veu_id, row.data_center_id, row.country, BigInt(row.installed_tpp));
  }
  if (needs.inboxPublishers.length > 0) {
    const rows = (await query(
      // One primary-key probe per key. As a plain join, the planner sees a 5,000-element array and picks a hash join
      // over a sequential scan of the whole inbox, which grows with the ledger (94 ms against 17 ms at 300,000
      // rows); LATERAL ... LIMIT 1 cannot be flattened into such a join.
      `SELECT i.publisher, i.event_id, i.digest, CASE WHEN i.digest IS NULL THEN i.payload::text END AS payload
         FROM unnest($1::text[], $2::text[]) AS k(publisher, event_id)
        CROSS JOIN LATERAL (SELECT publisher, event_id, digest, payload FROM inbox
                             WHERE publisher = k.publisher AND event_id = k.event_id LIMIT 1) AS i`,
      [needs.inboxPublishers, needs.inboxEventIds],
    )) as Array<{ publisher: string; event_id: string; digest: string | null; payload: string | null }>;
    for (const row of rows) state.markSeen(row.publisher, row.event_id, inboxDigest(row));
  }
  // Grants and g2g arrangements are few (one row per VEU or country) and any event may depend on them.
  const grants = (await query(`SELECT id, kind, headquarters, country, active, reporters FROM veu_grants`)) as Array<{
    id: string;
    kind: VeuGrant['kind'];
    headquarters: string | null;
    country: string | null;
    active: boolean;
    reporters: string[];
  }>;
  for (const g of grants) state.setVeu({ id: g.id, kind: g.kind, headquarters: g.headquarters, country: g.country, active: g.active, reporters: g.reporters });
  await loadPublisherKeys(query, state);
  const g2g = (await query(`SELECT country FROM g2g_arrangements`)) as Array<{ country: string }>;
  for (const row of g2g) state.setG2g(row.country);
  return state;
}
