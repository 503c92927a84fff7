import type { QueryRunner } from 'typeorm';
import { accountView, capsMovedBy, capSubjectOf, type MemoryLedgerState, type PolicyPack } from '@app/policy';
import { accountColumns } from '../account-id';
import type { RecordedEffect, TouchedAccount } from './batch-types';

interface AccountRow {
  used: bigint;
  mask: number;
  lastSeq: bigint | null;
  lastOccurredAt: string | null;
  atMs: number;
}

// Upserts the row of every account the batch moved, and of every account whose cap one of its effects moved.
export async function writeAccounts(
  qr: QueryRunner,
  pack: PolicyPack,
  state: MemoryLedgerState,
  touched: ReadonlyMap<string, TouchedAccount>,
  effects: readonly RecordedEffect[],
): Promise<void> {
  const rows = accountRows(state, touched, effects);
  if (rows.size === 0) return;
  const ids: string[] = [];
  const kinds: string[] = [];
  const countries: Array<string | null> = [];
  const veus: Array<string | null> = [];
  const used: string[] = [];
  const caps: Array<string | null> = [];
  const utils: Array<number | null> = [];
  const masks: number[] = [];
  const lastSeqs: Array<string | null> = [];
  const lastOccurred: Array<string | null> = [];
  for (const [id, row] of rows) {
    const cols = accountColumns(id);
    const view = accountView(pack, state, id, row.atMs);
    ids.push(id);
    kinds.push(cols.kind);
    countries.push(cols.country);
    veus.push(cols.veuId);
    used.push(row.used.toString());
    caps.push(view.capTpp === null ? null : view.capTpp.toString());
    utils.push(view.utilization);
    masks.push(row.mask);
    lastSeqs.push(row.lastSeq === null ? null : row.lastSeq.toString());
    lastOccurred.push(row.lastOccurredAt);
  }
  await qr.query(
    `INSERT INTO accounts (id, kind, country, veu_id, used_tpp, cap_tpp, utilization, disarmed_mask, last_seq, last_occurred_at, updated_at)
     SELECT u.id, u.kind, u.country, u.veu_id, u.used_tpp, u.cap_tpp, u.utilization, u.disarmed_mask, u.last_seq, u.last_occurred_at, now()
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::numeric[], $6::numeric[], $7::float8[], $8::int[],
                   $9::bigint[], $10::timestamptz[])
         AS u(id, kind, country, veu_id, used_tpp, cap_tpp, utilization, disarmed_mask, last_seq, last_occurred_at)
     ON CONFLICT (id) DO UPDATE SET
       used_tpp = EXCLUDED.used_tpp,
       cap_tpp = EXCLUDED.cap_tpp,
       utilization = EXCLUDED.utilization,
       disarmed_mask = EXCLUDED.disarmed_mask,
       last_seq = COALESCE(EXCLUDED.last_seq, accounts.last_seq),
       last_occurred_at = COALESCE(EXCLUDED.last_occurred_at, accounts.last_occurred_at),
       updated_at = now()`,
    [ids, kinds, countries, veus, used, caps, utils, masks, lastSeqs, lastOccurred],
  );
}

function accountRows(
  state: MemoryLedgerState,
  touched: ReadonlyMap<string, TouchedAccount>,
  effects: readonly RecordedEffect[],
): Map<string, AccountRow> {
  const rows = new Map<string, AccountRow>();
  for (const [id, t] of touched) {
    const s = state.account(id);
    rows.set(id, {
      used: s?.usedTpp ?? t.movement.usedAfterTpp,
      mask: s?.disarmedMask ?? t.movement.disarmedMaskAfter,
      lastSeq: t.lastSeq,
      lastOccurredAt: t.lastOccurredAt,
      atMs: t.atMs,
    });
  }
  // Accounts whose cap an effect moved without a movement (capsMovedBy) keep their balance and show the new cap;
  // effects are read from the last, so each row is dated by the latest such event.
  const refreshed = new Set<string>();
  for (let k = effects.length - 1; k >= 0; k--) {
    const { effect, occurredAt } = effects[k]!;
    const subject = capSubjectOf(effect);
    if (subject === null) continue;
    const key = `${subject.kind}\u0000${subject.id}`;
    if (refreshed.has(key)) continue;
    refreshed.add(key);
    for (const id of capsMovedBy(state, effect)) {
      if (rows.has(id)) continue;
      const s = state.account(id)!;
      rows.set(id, { used: s.usedTpp, mask: s.disarmedMask, lastSeq: null, lastOccurredAt: null, atMs: Date.parse(occurredAt) });
    }
  }
  return rows;
}
