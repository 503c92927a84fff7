import type { InputEventV1 } from '@app/contracts';
import { loadLedgerState, StateNeeds } from '@app/persistence';
import type { MemoryLedgerState, PolicyPack } from '@app/policy';
import type { Queryable } from '../database/read-database';

// Loads, from one read-only snapshot, exactly what the ledger writer loads before judging this event (the same
// loader), so judging it gives what the writer would do if the event arrived now.
export async function loadJudgeState(db: Queryable, pack: PolicyPack, event: InputEventV1): Promise<MemoryLedgerState> {
  const needs = new StateNeeds();
  needs.add(pack, event);
  return loadLedgerState((sql, params) => db.query(sql, params), needs);
}
