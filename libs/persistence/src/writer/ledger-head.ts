import type { QueryRunner } from 'typeorm';
import type { Head } from './batch-types';

// Takes the ledger's head lock (every writer does before it writes, so writers take turns) and reads the head.
export async function lockHead(qr: QueryRunner): Promise<Head> {
  const [head] = (await qr.query(
    `SELECT seq, encode(hash, 'hex') AS hash, event_seq FROM ledger_head WHERE id = 1 FOR UPDATE`,
  )) as Array<{ seq: string; hash: string; event_seq: string }>;
  if (head === undefined) throw new Error('ledger_head has no row: run `cli migrate` first');
  return { seq: BigInt(head.seq), hash: head.hash, eventSeq: BigInt(head.event_seq) };
}

export async function writeHead(qr: QueryRunner, head: Head): Promise<void> {
  await qr.query(`UPDATE ledger_head SET seq = $1, hash = decode($2, 'hex'), event_seq = $3 WHERE id = 1`, [
    head.seq.toString(),
    head.hash,
    head.eventSeq.toString(),
  ]);
}
