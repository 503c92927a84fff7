// Checks an inclusion proof document (GET /proof/entries/{seq}/inclusion) entirely in the browser, with WebCrypto:
// the checkpoint's Ed25519 signature, the entry's content against its hash, and the RFC 9162 path from the entry's
// leaf to the signed root. The same checks as `ledger verify-proof` (libs/persistence/src/merkle/proof-document.ts),
// written again without Node, and imported by nothing but the dashboard (and the spec that holds it to the server's
// documents). No imports: the module runs as it is in a browser and in Node.

const HEX = /^[0-9a-f]{64}$/;
const INTEGER = /^-?(0|[1-9][0-9]*)$/;
const SEQ = /^[1-9][0-9]*$/;
const B64URL = /^[A-Za-z0-9_-]+$/;
const PATH_HASHES_MAX = 64;

class ProofFailure extends Error {}
const fail = (reason) => {
  throw new ProofFailure(reason);
};

export function hexToBytes(hex) {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function bytesToHex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function base64urlToBytes(text) {
  if (!B64URL.test(text)) fail('not base64url: ' + text.slice(0, 20));
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  const bin = atob(b64);
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

async function sha256(subtle, bytes) {
  return new Uint8Array(await subtle.digest('SHA-256', bytes));
}

function sameBytes(a, b) {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

// RFC 8785 for what a checkpoint holds (objects, strings, safe integers): keys sorted by code unit, no spaces.
export function canonicalJson(value) {
  if (value === null || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) fail('a checkpoint holds only integers, got ' + value);
    return String(value);
  }
  if (typeof value !== 'object' || Array.isArray(value)) fail('a checkpoint holds only objects, strings and integers');
  const keys = Object.keys(value).sort();
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalJson(value[k])).join(',') + '}';
}

// The signed bytes: the body's fields only, as checkpointBytes (libs/transparency/src/checkpoint.ts) writes them.
export function checkpointBytes(cp) {
  const { version, origin, treeSize, rootHash, head, time, keyId } = cp;
  return new TextEncoder().encode(canonicalJson({ version, origin, treeSize, rootHash, head: { seq: head.seq, hash: head.hash }, time, keyId }));
}

function checkCheckpointShape(cp) {
  if (typeof cp !== 'object' || cp === null) fail('malformed checkpoint: not an object');
  if (cp.version !== 1) fail('malformed checkpoint: version must be 1');
  if (typeof cp.origin !== 'string' || cp.origin === '') fail('malformed checkpoint: origin must be a string');
  if (!Number.isSafeInteger(cp.treeSize) || cp.treeSize < 0) fail('malformed checkpoint: treeSize must be a non-negative integer');
  if (typeof cp.rootHash !== 'string' || !HEX.test(cp.rootHash)) fail('malformed checkpoint: rootHash must be 64 hex digits');
  const head = cp.head;
  if (typeof head !== 'object' || head === null) fail('malformed checkpoint: head must be an object');
  if (typeof head.seq !== 'string' || !/^(0|[1-9][0-9]{0,18})$/.test(head.seq)) fail('malformed checkpoint: head.seq must be a decimal string');
  if (typeof head.hash !== 'string' || !HEX.test(head.hash)) fail('malformed checkpoint: head.hash must be 64 hex digits');
  if (typeof cp.time !== 'string' || Number.isNaN(Date.parse(cp.time))) fail('malformed checkpoint: time must be an RFC 3339 instant');
  if (typeof cp.keyId !== 'string' || cp.keyId === '') fail('malformed checkpoint: keyId must be a string');
  if (typeof cp.signature !== 'string' || !B64URL.test(cp.signature)) fail('malformed checkpoint: signature must be base64url');
}

// 'checked' when the signature holds; 'unavailable' (with why) when this browser has no Ed25519 in WebCrypto or no
// key was given; throws when the signature does not hold.
async function checkSignature(subtle, cp, publicKey) {
  if (publicKey === null || publicKey === undefined) return { signature: 'unavailable', why: 'the API serves no ledger public key' };
  const raw = base64urlToBytes(publicKey);
  if (raw.length !== 32) fail('the ledger public key is not 32 bytes');
  const signature = base64urlToBytes(cp.signature);
  if (signature.length !== 64) fail('the checkpoint signature is not 64 bytes');
  let key;
  try {
    key = await subtle.importKey('raw', raw, { name: 'Ed25519' }, false, ['verify']);
  } catch (err) {
    return { signature: 'unavailable', why: 'this browser has no Ed25519 in WebCrypto' };
  }
  if (!(await subtle.verify({ name: 'Ed25519' }, key, signature, checkpointBytes(cp)))) {
    fail('the checkpoint signature does not verify with the ledger key');
  }
  return { signature: 'checked' };
}

function integerText(e, field, nullable) {
  const v = e[field];
  if (v === null && nullable) return 'null';
  if (typeof v !== 'string' || !INTEGER.test(v)) fail(`entry is malformed: ${field} must be ${nullable ? 'null or ' : ''}an integer in decimal`);
  return v;
}

function stringField(e, field, nullable) {
  const v = e[field];
  if (v === null && nullable) return 'null';
  if (typeof v !== 'string') fail(`entry is malformed: ${field} must be ${nullable ? 'null or ' : ''}a string`);
  return JSON.stringify(v);
}

// entryCanonicalJson (libs/persistence/src/entry-hash.ts), key for key: amounts and offsets, decimal strings in the
// document, are written as JSON integers.
export function entryCanonicalJson(e) {
  if (typeof e.seq !== 'string' || !SEQ.test(e.seq)) fail('entry is malformed: seq must be a positive integer in decimal');
  const partition = e.sourcePartition;
  if (partition !== null && !Number.isSafeInteger(partition)) fail('entry is malformed: sourcePartition must be null or an integer');
  return (
    `{"accountId":${stringField(e, 'accountId')},"balanceTpp":${integerText(e, 'balanceTpp')},"capTpp":${integerText(e, 'capTpp', true)},` +
    `"deltaTpp":${integerText(e, 'deltaTpp')},"eventId":${stringField(e, 'eventId')},"eventPublisher":${stringField(e, 'eventPublisher')},` +
    `"eventType":${stringField(e, 'eventType')},"occurredAt":${stringField(e, 'occurredAt')},"policyId":${stringField(e, 'policyId')},` +
    `"policyVersion":${stringField(e, 'policyVersion')},"seq":${e.seq},"sourceOffset":${integerText(e, 'sourceOffset', true)},` +
    `"sourcePartition":${partition === null ? 'null' : String(partition)},"sourceTopic":${stringField(e, 'sourceTopic', true)}}`
  );
}

async function checkEntryHash(subtle, e) {
  if (typeof e !== 'object' || e === null || !HEX.test(String(e.prevHash)) || !HEX.test(String(e.hash))) {
    fail('entry must carry its prevHash and hash in hex');
  }
  const json = new TextEncoder().encode(entryCanonicalJson(e));
  const recomputed = bytesToHex(await sha256(subtle, concat(hexToBytes(e.prevHash), json)));
  if (recomputed !== e.hash) fail(`entry ${e.seq}'s content does not hash to its hash: it was changed`);
}

// RFC 9162 section 2.1.3.2, step by step (as libs/transparency/src/merkle-verify.ts).
export async function verifyInclusionPath(subtle, leafIndex, treeSize, leaf, path, root) {
  if (leafIndex >= treeSize) fail(`leaf index ${leafIndex} is not below the tree size ${treeSize}`);
  const node = (left, right) => sha256(subtle, concat(Uint8Array.of(1), left, right));
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) fail('the proof is longer than the tree allows');
    if (fn % 2 === 1 || fn === sn) {
      r = await node(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = await node(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) fail('the proof is shorter than the tree needs');
  if (!sameBytes(r, root)) fail('the proof does not lead to the checkpoint root hash');
}

function pathOf(path) {
  if (!Array.isArray(path) || path.length > PATH_HASHES_MAX || !path.every((h) => typeof h === 'string' && HEX.test(h))) {
    fail(`path must be a list of at most ${PATH_HASHES_MAX} hashes in hex`);
  }
  return path.map(hexToBytes);
}

// The verdict on one inclusion proof document, given the ledger's public key (base64url raw, or null):
//   { ok: true, treeSize, signature: 'checked' }                      everything holds
//   { ok: true, treeSize, signature: 'unavailable', why }             all but the signature holds; `why` says why
//   { ok: false, reason }                                             the exact reason it does not hold
export async function verifyInclusionDocument(doc, publicKey, subtle = globalThis.crypto && globalThis.crypto.subtle) {
  try {
    if (!subtle) fail('this browser has no WebCrypto (it needs a secure context: https or localhost)');
    if (typeof doc !== 'object' || doc === null || doc.kind !== 'inclusion') fail('not an inclusion proof document');
    const cp = doc.checkpoint;
    checkCheckpointShape(cp);
    const path = pathOf(doc.path);
    const sig = await checkSignature(subtle, cp, publicKey);
    const e = doc.entry;
    await checkEntryHash(subtle, e);
    if (!Number.isSafeInteger(doc.leafIndex) || String(doc.leafIndex + 1) !== e.seq) {
      fail(`leafIndex ${doc.leafIndex} is not entry ${e.seq}'s place in the tree (seq - 1)`);
    }
    const leaf = await sha256(subtle, concat(Uint8Array.of(0), hexToBytes(e.hash)));
    await verifyInclusionPath(subtle, doc.leafIndex, cp.treeSize, leaf, path, hexToBytes(cp.rootHash));
    return { ok: true, treeSize: cp.treeSize, keyId: cp.keyId, ...sig };
  } catch (err) {
    if (err instanceof ProofFailure) return { ok: false, reason: err.message };
    return { ok: false, reason: 'the check failed: ' + (err && err.message ? err.message : String(err)) };
  }
}
