import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from '@app/contracts';

// A signed checkpoint (a "signed tree head" in RFC 9162's words): the ledger commits, under its Ed25519 key, to
// the Merkle root of its first `treeSize` entries and to its hash-chain head. A regulator who keeps checkpoints
// can later prove that any entry was in the ledger they saw, and that the ledger only grew since.

export interface CheckpointBody {
  version: 1;
  // The ledger's name, so a checkpoint of one deployment cannot be passed off as another's.
  origin: string;
  treeSize: number;
  // Hex of RFC 9162's MTH over the first treeSize entries.
  rootHash: string;
  // The hash chain's head at treeSize: seq is the last entry's seq, hash its chained hash (hex).
  head: { seq: string; hash: string };
  // When the checkpoint was made (RFC 3339, UTC).
  time: string;
  keyId: string;
}

export interface SignedCheckpoint extends CheckpointBody {
  // Ed25519 over the UTF-8 of the canonical JSON (RFC 8785 key order) of the body, base64url without padding.
  signature: string;
}

const HEX_HASH = /^[0-9a-f]{64}$/;

export function checkpointBytes(body: CheckpointBody): Buffer {
  const { version, origin, treeSize, rootHash, head, time, keyId } = body;
  return Buffer.from(canonicalJson({ version, origin, treeSize, rootHash, head: { seq: head.seq, hash: head.hash }, time, keyId }), 'utf8');
}

export function signCheckpoint(body: CheckpointBody, privateKey: KeyObject): SignedCheckpoint {
  const signature = sign(null, checkpointBytes(body), privateKey).toString('base64url');
  return { ...body, signature };
}

// Raw 32-byte Ed25519 public key (base64url, as the contract writes publisher keys) to a KeyObject.
export function ed25519PublicKey(raw: string): KeyObject {
  const bytes = Buffer.from(raw, 'base64url');
  if (bytes.length !== 32) throw new Error(`an Ed25519 public key is 32 bytes, got ${bytes.length}`);
  const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), bytes]);
  return createPublicKey({ key: spki, format: 'der', type: 'spki' });
}

// The ledger's public key as an operator hands it out: a PEM (SPKI) file, or the base64url of its 32 raw bytes.
export function readLedgerPublicKey(text: string): KeyObject {
  const trimmed = text.trim();
  const key = trimmed.startsWith('-----BEGIN') ? createPublicKey(trimmed) : ed25519PublicKey(trimmed);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`the ledger key must be Ed25519, got ${key.asymmetricKeyType}`);
  return key;
}

export function rawPublicKey(key: KeyObject): string {
  const pub = key.type === 'public' ? key : createPublicKey(key);
  const spki = pub.export({ format: 'der', type: 'spki' });
  return spki.subarray(spki.length - 32).toString('base64url');
}

export function ed25519PrivateKeyFromPem(pem: string): KeyObject {
  const key = createPrivateKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`the checkpoint key must be Ed25519, got ${key.asymmetricKeyType}`);
  return key;
}

export type CheckpointVerdict = { ok: true } | { ok: false; reason: string };

// Shape and signature; `publicKey` is the ledger's key as the verifier holds it, never taken from the checkpoint.
export function verifyCheckpoint(cp: unknown, publicKey: KeyObject): CheckpointVerdict {
  const problem = checkpointShapeProblem(cp);
  if (problem) return { ok: false, reason: `malformed checkpoint: ${problem}` };
  const c = cp as SignedCheckpoint;
  const signature = Buffer.from(c.signature, 'base64url');
  if (signature.length !== 64) return { ok: false, reason: 'the checkpoint signature is not 64 bytes' };
  if (!verify(null, checkpointBytes(c), publicKey, signature)) {
    return { ok: false, reason: 'the checkpoint signature does not verify with the ledger key given' };
  }
  return { ok: true };
}

function checkpointShapeProblem(cp: unknown): string | null {
  if (typeof cp !== 'object' || cp === null) return 'not an object';
  const c = cp as Record<string, unknown>;
  if (c.version !== 1) return 'version must be 1';
  if (typeof c.origin !== 'string' || c.origin.length === 0) return 'origin must be a string';
  if (typeof c.treeSize !== 'number' || !Number.isSafeInteger(c.treeSize) || c.treeSize < 0) return 'treeSize must be a non-negative integer';
  if (typeof c.rootHash !== 'string' || !HEX_HASH.test(c.rootHash)) return 'rootHash must be 64 hex digits';
  const head = c.head as Record<string, unknown> | null;
  if (typeof head !== 'object' || head === null) return 'head must be an object';
  if (typeof head.seq !== 'string' || !/^(0|[1-9][0-9]{0,18})$/.test(head.seq)) return 'head.seq must be a decimal string';
  if (typeof head.hash !== 'string' || !HEX_HASH.test(head.hash)) return 'head.hash must be 64 hex digits';
  if (typeof c.time !== 'string' || Number.isNaN(Date.parse(c.time))) return 'time must be an RFC 3339 instant';
  if (typeof c.keyId !== 'string' || c.keyId.length === 0) return 'keyId must be a string';
  if (typeof c.signature !== 'string' || !/^[A-Za-z0-9_-]+$/.test(c.signature)) return 'signature must be base64url';
  return null;
}
