// Ed25519 keys from fixed 32-byte seeds (RFC 8032 private keys), so every run of the suite signs with the same keys,
// and the detached signature of CONTRACTS.md "Authenticity": Ed25519 over the UTF-8 of the JCS form of the event
// without its `signature` member, base64url without padding.
import * as crypto from 'node:crypto';
import { canonicalize } from './jcs';

// PKCS#8 wrapping of a raw Ed25519 seed (RFC 8410): SEQUENCE { INTEGER 0, AlgorithmIdentifier id-Ed25519, OCTET
// STRING { OCTET STRING seed } }.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface TestKey {
  keyId: string;
  privateKey: crypto.KeyObject;
  /** base64url (no padding) of the 32 raw public key bytes, as policy.publisher-key-registered carries it. */
  publicKey: string;
}

export function seedBytes(label: string): Buffer {
  return crypto.createHash('sha256').update(`contract-suite/${label}`).digest();
}

export function keyFromSeed(keyId: string, seed: Buffer = seedBytes(keyId)): TestKey {
  if (seed.length !== 32) throw new Error('an Ed25519 seed is 32 bytes');
  const privateKey = crypto.createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const spki = crypto.createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return { keyId, privateKey, publicKey: spki.subarray(spki.length - 32).toString('base64url') };
}

export type Event = Record<string, unknown>;

export function signatureValue(event: Event, key: TestKey): string {
  const { signature: _ignored, ...unsigned } = event;
  return crypto.sign(null, Buffer.from(canonicalize(unsigned), 'utf8'), key.privateKey).toString('base64url');
}

/** The event with a detached signature by `key` (any signature it had is replaced). */
export function signed(event: Event, key: TestKey): Event {
  const { signature: _ignored, ...unsigned } = event;
  return { ...unsigned, signature: { alg: 'Ed25519', keyId: key.keyId, value: signatureValue(unsigned, key) } };
}
