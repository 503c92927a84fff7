// The publisher-key registry in Postgres (table publisher_keys): loaded whole into each batch's state (keys are
// few: one per publisher per rotation), written from the batch's key effects.
import { MemoryLedgerState, type StateEffect } from '@app/policy';

type SqlQuery = (sql: string, params?: unknown[]) => Promise<any[]>;

export async function loadPublisherKeys(query: SqlQuery, state: MemoryLedgerState): Promise<void> {
  const rows = (await query(`SELECT key_id, public_key, revoked_seq IS NOT NULL AS revoked FROM publisher_keys`)) as Array<{
    key_id: string;
    public_key: string;
    revoked: boolean;
  }>;
  for (const r of rows) state.setPublisherKey({ keyId: r.key_id, publicKey: r.public_key, revoked: r.revoked });
}

// Registrations and revocations in the order the batch recorded them (judge() admits a revocation only of a key
// registered before it, and a registration only of a new id).
export async function writePublisherKeys(query: SqlQuery, effects: ReadonlyArray<{ effect: StateEffect; recordedSeq: bigint }>): Promise<void> {
  const registered: Array<{ keyId: string; publicKey: string; seq: bigint }> = [];
  const revoked: Array<{ keyId: string; seq: bigint }> = [];
  for (const { effect, recordedSeq } of effects) {
    if (effect.kind === 'publisher-key-registered') registered.push({ keyId: effect.key.keyId, publicKey: effect.key.publicKey, seq: recordedSeq });
    if (effect.kind === 'publisher-key-revoked') revoked.push({ keyId: effect.keyId, seq: recordedSeq });
  }
  if (registered.length > 0) {
    await query(
      `INSERT INTO publisher_keys (key_id, public_key, registered_seq) SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])`,
      [registered.map((k) => k.keyId), registered.map((k) => k.publicKey), registered.map((k) => k.seq.toString())],
    );
  }
  if (revoked.length > 0) {
    // Wrapped in a SELECT: TypeORM answers a bare UPDATE with [rows, count] instead of the rows.
    const [row] = (await query(
      `WITH done AS (UPDATE publisher_keys p SET revoked_seq = u.seq FROM unnest($1::text[], $2::bigint[]) AS u(key_id, seq)
                      WHERE p.key_id = u.key_id AND p.revoked_seq IS NULL RETURNING p.key_id)
       SELECT count(*)::int AS n FROM done`,
      [revoked.map((k) => k.keyId), revoked.map((k) => k.seq.toString())],
    )) as Array<{ n: number }>;
    if (row?.n !== revoked.length) throw new Error(`invariant: ${revoked.length} key revocations judged, ${row?.n} registered keys found to revoke`);
  }
}

// `ledger rejudge`: the registry the ledger keeps against the one the recorded events make when judged again.
export async function comparePublisherKeys(query: SqlQuery, replayed: MemoryLedgerState, differ: (text: string) => void): Promise<void> {
  const ledger = new MemoryLedgerState();
  await loadPublisherKeys(query, ledger);
  const describe = (k: { publicKey: string; revoked: boolean } | undefined) => (k === undefined ? 'not registered' : `${k.publicKey} ${k.revoked ? 'revoked' : 'in force'}`);
  const ids = new Set([...ledger.publisherKeyRecords(), ...replayed.publisherKeyRecords()].map((k) => k.keyId));
  for (const id of [...ids].sort()) {
    const a = describe(ledger.publisherKey(id));
    const b = describe(replayed.publisherKey(id));
    if (a !== b) differ(`publisher key ${id}: ${a} in the ledger, ${b} judged again`);
  }
}
