import { MemoryLedgerState, requirementsOf, type PolicyPack, type VeuGrant } from '@app/policy';
import type { InputEventV1 } from '@app/contracts';
import type { Queryable } from '../database/read-database';

// Loads, from one read-only snapshot, exactly what the ledger writer loads before judging this event (see
// LedgerWriter.loadState in libs/persistence): the accounts requirementsOf names, every account of the VEUs it
// names, the data centers' installed TPP, the idempotency record of the event's key, all VEU grants and g2g
// arrangements. Judging this state with the policy engine gives what the writer would do if the event arrived now.
export async function loadJudgeState(db: Queryable, pack: PolicyPack, event: InputEventV1): Promise<MemoryLedgerState> {
  const need = requirementsOf(pack, event);
  const accountIds = new Set(need.accounts);
  if (event.type === 'policy.g2g-arrangement') accountIds.add(`country:${event.country}`);
  const state = new MemoryLedgerState();

  if (accountIds.size > 0 || need.veuIds.length > 0) {
    const rows = await db.query<{ id: string; used_tpp: string; disarmed_mask: number }>(
      'SELECT id, used_tpp, disarmed_mask FROM accounts WHERE id = ANY($1::text[]) OR veu_id = ANY($2::text[])',
      [[...accountIds], need.veuIds],
    );
    for (const row of rows) state.setAccount(row.id, { usedTpp: BigInt(row.used_tpp), disarmedMask: row.disarmed_mask });
  }
  for (const dc of need.dataCenters) {
    const [row] = await db.query<{ installed_tpp: string }>(
      'SELECT installed_tpp FROM dc_installed WHERE veu_id = $1 AND data_center_id = $2 AND country = $3',
      [dc.veuId, dc.dataCenterId, dc.country],
    );
    if (row) state.setInstalled(dc.veuId, dc.dataCenterId, dc.country, BigInt(row.installed_tpp));
  }
  const [seen] = await db.query<{ digest: string }>('SELECT digest FROM inbox WHERE publisher = $1 AND event_id = $2', [
    event.publisher,
    event.eventId,
  ]);
  if (seen) state.markSeen(event.publisher, event.eventId, seen.digest);

  const grants = await db.query<{ id: string; kind: VeuGrant['kind']; headquarters: string | null; country: string | null; active: boolean }>(
    'SELECT id, kind, headquarters, country, active FROM veu_grants',
  );
  for (const g of grants) state.setVeu({ id: g.id, kind: g.kind, headquarters: g.headquarters, country: g.country, active: g.active });
  const g2g = await db.query<{ country: string }>('SELECT country FROM g2g_arrangements');
  for (const row of g2g) state.setG2g(row.country);
  return state;
}
