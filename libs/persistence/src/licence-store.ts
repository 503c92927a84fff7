// The licence registry in Postgres (the licences table): loaded into the judging state for the events that name a
// licence, written by the ledger writer from the batch's licence effects, and compared by `ledger rejudge` with the
// registry the events make when judged again.
import type { QueryRunner } from 'typeorm';
import { accountIds, parseOccurredAt, type LicenceRecord, type MemoryLedgerState } from '@app/policy';
import { utcMillisIsoFromMs } from './entry-hash';

type SqlQuery = (sql: string, params?: unknown[]) => Promise<any[]>;

interface LicenceRow {
  id: string;
  exporter: string;
  consignee_id: string;
  consignee_country: string;
  valid_from: string;
  valid_to: string;
  tpp: string;
  revoked: boolean;
}

const LICENCE_COLUMNS = 'id, exporter, consignee_id, consignee_country, valid_from, valid_to, tpp::text AS tpp, revoked';

export function licenceOfRow(row: LicenceRow): LicenceRecord {
  return {
    id: row.id,
    exporter: row.exporter,
    consigneeId: row.consignee_id,
    consigneeCountry: row.consignee_country,
    validFrom: row.valid_from,
    validTo: row.valid_to,
    // The judge compares the instants it reads from the text as issued, so they are read again the same way.
    validFromMs: parseOccurredAt(row.valid_from),
    validToMs: parseOccurredAt(row.valid_to),
    tpp: BigInt(row.tpp),
    revoked: row.revoked,
  };
}

// Loads the licences named into the state, and returns the country:CC:licensed accounts of those found (a revocation
// names only the licence, and moves its country's account): the loader adds them to the accounts it loads.
export async function loadLicences(query: SqlQuery, ids: ReadonlySet<string>, state: MemoryLedgerState): Promise<string[]> {
  if (ids.size === 0) return [];
  const rows = (await query(`SELECT ${LICENCE_COLUMNS} FROM licences WHERE id = ANY($1::text[])`, [[...ids]])) as LicenceRow[];
  const accounts = new Set<string>();
  for (const row of rows) {
    state.setLicence(licenceOfRow(row));
    accounts.add(accountIds.countryLicensed(row.consignee_country));
  }
  return [...accounts];
}

export async function loadAllLicences(query: SqlQuery): Promise<LicenceRecord[]> {
  return ((await query(`SELECT ${LICENCE_COLUMNS} FROM licences ORDER BY id`)) as LicenceRow[]).map(licenceOfRow);
}

// issued / revoked: licence id -> the recorded seq and occurredAt of the event that issued / revoked it in this batch.
export interface LicenceChanges {
  issued: Map<string, { seq: bigint; occurredAt: string }>;
  revoked: Map<string, { seq: bigint; occurredAt: string }>;
}

export function emptyLicenceChanges(): LicenceChanges {
  return { issued: new Map(), revoked: new Map() };
}

export async function writeLicences(qr: QueryRunner, state: MemoryLedgerState, changes: LicenceChanges): Promise<void> {
  const issued = [...changes.issued].map(([id, at]) => ({ l: state.licence(id)!, at, revoked: changes.revoked.get(id) }));
  if (issued.length > 0) {
    await qr.query(
      `INSERT INTO licences (id, exporter, consignee_id, consignee_country, valid_from, valid_to, valid_from_at, valid_to_at, tpp,
                             revoked, issued_seq, issued_at, revoked_seq, revoked_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::timestamptz[],
                            $9::numeric[], $10::bool[], $11::bigint[], $12::timestamptz[], $13::bigint[], $14::timestamptz[])`,
      [
        issued.map((x) => x.l.id),
        issued.map((x) => x.l.exporter),
        issued.map((x) => x.l.consigneeId),
        issued.map((x) => x.l.consigneeCountry),
        issued.map((x) => x.l.validFrom),
        issued.map((x) => x.l.validTo),
        issued.map((x) => utcMillisIsoFromMs(x.l.validFromMs)),
        issued.map((x) => utcMillisIsoFromMs(x.l.validToMs)),
        issued.map((x) => x.l.tpp.toString()),
        issued.map((x) => x.revoked !== undefined),
        issued.map((x) => x.at.seq.toString()),
        issued.map((x) => x.at.occurredAt),
        issued.map((x) => x.revoked?.seq.toString() ?? null),
        issued.map((x) => x.revoked?.occurredAt ?? null),
      ],
    );
  }
  // Licences issued by an earlier batch and revoked in this one. A licence is revoked once: a second revocation is
  // recorded but makes no effect (see judgeLicenceRevoked).
  const revoked = [...changes.revoked].filter(([id]) => !changes.issued.has(id));
  if (revoked.length > 0) {
    await qr.query(
      `UPDATE licences l SET revoked = true, revoked_seq = u.seq, revoked_at = u.at
         FROM unnest($1::text[], $2::bigint[], $3::timestamptz[]) AS u(id, seq, at)
        WHERE l.id = u.id AND NOT l.revoked`,
      [revoked.map(([id]) => id), revoked.map(([, r]) => r.seq.toString()), revoked.map(([, r]) => r.occurredAt)],
    );
  }
}

// The registry `ledger rejudge` compares: the ledger's rows against the licences the events make when judged again.
export async function licenceDifferences(query: SqlQuery, replayed: readonly LicenceRecord[]): Promise<string[]> {
  const describe = (l: LicenceRecord): string =>
    `${l.exporter} -> ${l.consigneeId} in ${l.consigneeCountry}, ${l.validFrom} .. ${l.validTo}, ${l.tpp} TPP, ${l.revoked ? 'revoked' : 'in force'}`;
  const out: string[] = [];
  const byId = new Map(replayed.map((l) => [l.id, l]));
  for (const l of await loadAllLicences(query)) {
    const r = byId.get(l.id);
    if (r === undefined) out.push(`licence ${l.id}: ${describe(l)} in the ledger, not issued when judged again`);
    else if (describe(l) !== describe(r)) out.push(`licence ${l.id}: ${describe(l)} in the ledger, ${describe(r)} judged again`);
    byId.delete(l.id);
  }
  for (const r of byId.values()) out.push(`licence ${r.id}: not in the ledger; judged again it is ${describe(r)}`);
  return out;
}
