import type { QueryRunner } from 'typeorm';
import type { MemoryLedgerState } from '@app/policy';
import { emptyLicenceChanges, writeLicences } from '../licence-store';
import { writePublisherKeys } from '../publisher-keys.store';
import type { RecordedEffect } from './batch-types';

// The tables of standing facts the batch's effects changed: VEU grants, G2G arrangements, installed bases. Only the
// final value of each key matters to the tables; the state already holds it.
export async function writeEffects(qr: QueryRunner, state: MemoryLedgerState, effects: readonly RecordedEffect[]): Promise<void> {
  if (effects.length === 0) return;
  const veuSeq = new Map<string, bigint>();
  const g2g = new Map<string, string>();
  const installed = new Map<string, { veuId: string; dataCenterId: string; country: string }>();
  const licences = emptyLicenceChanges();
  for (const { effect, recordedSeq, occurredAt } of effects) {
    switch (effect.kind) {
      case 'veu-granted':
        veuSeq.set(effect.grant.id, recordedSeq);
        break;
      case 'veu-revoked':
        veuSeq.set(effect.veuId, recordedSeq);
        break;
      case 'g2g-arranged':
        if (!g2g.has(effect.country)) g2g.set(effect.country, occurredAt);
        break;
      case 'installed-set':
        installed.set(`${effect.veuId}\u0000${effect.dataCenterId}\u0000${effect.country}`, effect);
        break;
      case 'licence-issued':
        licences.issued.set(effect.licence.id, { seq: recordedSeq, occurredAt });
        break;
      case 'licence-revoked':
        if (!licences.revoked.has(effect.licenceId)) licences.revoked.set(effect.licenceId, { seq: recordedSeq, occurredAt });
        break;
    }
  }
  await writeGrants(qr, state, veuSeq);
  if (g2g.size > 0) {
    await qr.query(
      `INSERT INTO g2g_arrangements (country, arranged_at)
       SELECT * FROM unnest($1::text[], $2::timestamptz[]) ON CONFLICT (country) DO NOTHING`,
      [[...g2g.keys()], [...g2g.values()]],
    );
  }
  await writeInstalled(qr, state, [...installed.values()]);
  await writeLicences(qr, state, licences);
  await writePublisherKeys((sql, params) => qr.query(sql, params), effects);
}

// veuSeq: VEU id -> the recorded seq of the last event that granted or revoked it.
async function writeGrants(qr: QueryRunner, state: MemoryLedgerState, veuSeq: ReadonlyMap<string, bigint>): Promise<void> {
  const grants = [...veuSeq].flatMap(([id, s]) => {
    const g = state.veu(id);
    return g === undefined ? [] : [{ g, s }];
  });
  if (grants.length === 0) return;
  await qr.query(
    `INSERT INTO veu_grants (id, kind, headquarters, country, active, updated_seq, reporters)
     SELECT u.id, u.kind, u.headquarters, u.country, u.active, u.updated_seq, ARRAY(SELECT json_array_elements_text(u.reporters))
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bool[], $6::bigint[], $7::json[])
         AS u(id, kind, headquarters, country, active, updated_seq, reporters)
     ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, headquarters = EXCLUDED.headquarters,
       country = EXCLUDED.country, active = EXCLUDED.active, updated_seq = EXCLUDED.updated_seq, reporters = EXCLUDED.reporters`,
    [
      grants.map((x) => x.g.id),
      grants.map((x) => x.g.kind),
      grants.map((x) => x.g.headquarters),
      grants.map((x) => x.g.country),
      grants.map((x) => x.g.active),
      grants.map((x) => x.s.toString()),
      grants.map((x) => JSON.stringify(x.g.reporters)),
    ],
  );
}

async function writeInstalled(
  qr: QueryRunner,
  state: MemoryLedgerState,
  dcs: ReadonlyArray<{ veuId: string; dataCenterId: string; country: string }>,
): Promise<void> {
  if (dcs.length === 0) return;
  await qr.query(
    `INSERT INTO dc_installed (veu_id, data_center_id, country, installed_tpp)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::numeric[])
     ON CONFLICT (veu_id, data_center_id, country) DO UPDATE SET installed_tpp = EXCLUDED.installed_tpp`,
    [
      dcs.map((d) => d.veuId),
      dcs.map((d) => d.dataCenterId),
      dcs.map((d) => d.country),
      dcs.map((d) => state.installed(d.veuId, d.dataCenterId, d.country).toString()),
    ],
  );
}
