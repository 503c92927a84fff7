import type { KeyObject } from 'node:crypto';
import { leafHash, verifyCheckpoint, verifyConsistency, verifyInclusion, type SignedCheckpoint } from '@app/transparency';
import { entryHashHex, type HashedEntry } from '../entry-hash';

// The proofs the API serves and `ledger verify-proof` checks, as self-contained JSON: a regulator keeps them and
// checks them years later with the ledger's public key alone, no database and no network.

// An entry exactly as its hash commits to it (see entry-hash.ts), amounts and offsets as decimal strings.
export interface ProvenEntry {
  seq: string;
  accountId: string;
  deltaTpp: string;
  balanceTpp: string;
  capTpp: string | null;
  eventPublisher: string;
  eventId: string;
  eventType: string;
  occurredAt: string;
  sourceTopic: string | null;
  sourcePartition: number | null;
  sourceOffset: string | null;
  policyId: string;
  policyVersion: string;
  prevHash: string;
  hash: string;
}

export interface InclusionProofDocument {
  kind: 'inclusion';
  checkpoint: SignedCheckpoint;
  leafIndex: number;
  entry: ProvenEntry;
  // RFC 9162 inclusion path, leaf side first, hex.
  path: string[];
}

export interface ConsistencyProofDocument {
  kind: 'consistency';
  from: SignedCheckpoint;
  to: SignedCheckpoint;
  path: string[];
}

export type ProofDocument = InclusionProofDocument | ConsistencyProofDocument;

export type ProofVerdict = { ok: true; says: string } | { ok: false; reason: string };

export function provenEntry(e: HashedEntry, prevHashHex: string, hashHex: string): ProvenEntry {
  const str = (v: bigint | null) => (v === null ? null : v.toString());
  return {
    seq: e.seq.toString(),
    accountId: e.accountId,
    deltaTpp: e.deltaTpp.toString(),
    balanceTpp: e.balanceTpp.toString(),
    capTpp: str(e.capTpp),
    eventPublisher: e.eventPublisher,
    eventId: e.eventId,
    eventType: e.eventType,
    occurredAt: e.occurredAt,
    sourceTopic: e.sourceTopic,
    sourcePartition: e.sourcePartition,
    sourceOffset: str(e.sourceOffset),
    policyId: e.policyId,
    policyVersion: e.policyVersion,
    prevHash: prevHashHex,
    hash: hashHex,
  };
}

const HEX = /^[0-9a-f]{64}$/;
const fail = (reason: string): ProofVerdict => ({ ok: false, reason });

function hashesOf(path: unknown): Buffer[] | null {
  if (!Array.isArray(path) || path.length > 64 || !path.every((h) => typeof h === 'string' && HEX.test(h))) return null;
  return path.map((h: string) => Buffer.from(h, 'hex'));
}

function hashedEntryOf(e: ProvenEntry): HashedEntry {
  const big = (v: string | null) => (v === null ? null : BigInt(v));
  return {
    seq: BigInt(e.seq),
    accountId: e.accountId,
    deltaTpp: BigInt(e.deltaTpp),
    balanceTpp: BigInt(e.balanceTpp),
    capTpp: big(e.capTpp),
    eventPublisher: e.eventPublisher,
    eventId: e.eventId,
    eventType: e.eventType,
    occurredAt: e.occurredAt,
    sourceTopic: e.sourceTopic,
    sourcePartition: e.sourcePartition,
    sourceOffset: big(e.sourceOffset),
    policyId: e.policyId,
    policyVersion: e.policyVersion,
  };
}

function verifyInclusionDocument(doc: InclusionProofDocument, ledgerKey: KeyObject): ProofVerdict {
  const cp = verifyCheckpoint(doc.checkpoint, ledgerKey);
  if (!cp.ok) return cp;
  const path = hashesOf(doc.path);
  if (path === null) return fail('path must be a list of at most 64 hashes in hex');
  const e = doc.entry;
  if (typeof e !== 'object' || e === null || !HEX.test(String(e.prevHash)) || !HEX.test(String(e.hash))) {
    return fail('entry must carry its prevHash and hash in hex');
  }
  let recomputed: string;
  try {
    recomputed = entryHashHex(e.prevHash, hashedEntryOf(e));
  } catch (err) {
    return fail(`entry is malformed: ${(err as Error).message}`);
  }
  if (recomputed !== e.hash) return fail(`entry ${e.seq}'s content does not hash to its hash: it was changed`);
  if (!Number.isSafeInteger(doc.leafIndex) || BigInt(doc.leafIndex) + 1n !== BigInt(e.seq)) {
    return fail(`leafIndex ${doc.leafIndex} is not entry ${e.seq}'s place in the tree (seq - 1)`);
  }
  const verdict = verifyInclusion(doc.leafIndex, doc.checkpoint.treeSize, leafHash(Buffer.from(e.hash, 'hex')), path, Buffer.from(doc.checkpoint.rootHash, 'hex'));
  if (!verdict.ok) return verdict;
  return { ok: true, says: `entry ${e.seq} (${e.accountId}, ${e.deltaTpp} TPP, event ${e.eventPublisher}/${e.eventId}) is in the ledger of checkpoint ${doc.checkpoint.treeSize}` };
}

function verifyConsistencyDocument(doc: ConsistencyProofDocument, ledgerKey: KeyObject): ProofVerdict {
  for (const [name, cp] of [['from', doc.from], ['to', doc.to]] as const) {
    const v = verifyCheckpoint(cp, ledgerKey);
    if (!v.ok) return fail(`${name}: ${v.reason}`);
  }
  if (doc.from.origin !== doc.to.origin) return fail(`the checkpoints are of two ledgers (${doc.from.origin}, ${doc.to.origin})`);
  const path = hashesOf(doc.path);
  if (path === null) return fail('path must be a list of at most 64 hashes in hex');
  const verdict = verifyConsistency(
    doc.from.treeSize,
    doc.to.treeSize,
    Buffer.from(doc.from.rootHash, 'hex'),
    Buffer.from(doc.to.rootHash, 'hex'),
    path,
  );
  if (!verdict.ok) return verdict;
  return { ok: true, says: `the ledger at checkpoint ${doc.to.treeSize} extends the one at ${doc.from.treeSize}: nothing before it was changed` };
}

export function verifyProofDocument(doc: unknown, ledgerKey: KeyObject): ProofVerdict {
  if (typeof doc !== 'object' || doc === null) return fail('a proof document is a JSON object');
  const kind = (doc as { kind?: unknown }).kind;
  if (kind === 'inclusion') return verifyInclusionDocument(doc as InclusionProofDocument, ledgerKey);
  if (kind === 'consistency') return verifyConsistencyDocument(doc as ConsistencyProofDocument, ledgerKey);
  return fail(`unknown proof kind ${JSON.stringify(kind)}: expected "inclusion" or "consistency"`);
}
