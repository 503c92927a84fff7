// Ed25519 with node:crypto, over raw keys written base64url without padding (the contract's spelling).
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

export const PUBLIC_KEY_BYTES = 32;
export const SIGNATURE_BYTES = 64;

// Decoded only when the text is the one spelling of its bytes: Buffer.from(..., 'base64url') ignores characters it
// does not know and the unused bits of the last character, so two texts could decode alike.
export function fromBase64url(text: string, bytes: number): Buffer | null {
  const buf = Buffer.from(text, 'base64url');
  if (buf.length !== bytes || buf.toString('base64url') !== text) return null;
  return buf;
}

// Public keys are few and verify many events: each is imported once.
const PUBLIC_KEYS_CACHED_MAX = 10_000;
const publicKeys = new Map<string, KeyObject | null>();

// The KeyObject of a raw public key, or null when the text is not 32 bytes in base64url or not a key OpenSSL takes.
export function publicKeyObject(publicKey: string): KeyObject | null {
  let key = publicKeys.get(publicKey);
  if (key !== undefined) return key;
  key = null;
  if (fromBase64url(publicKey, PUBLIC_KEY_BYTES) !== null) {
    try {
      key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey }, format: 'jwk' });
    } catch {
      key = null;
    }
  }
  if (publicKeys.size >= PUBLIC_KEYS_CACHED_MAX) publicKeys.clear();
  publicKeys.set(publicKey, key);
  return key;
}

// Whether `signature` (base64url, 64 bytes) is publicKey's Ed25519 signature of `message` (text, signed as UTF-8).
export function verifyEd25519(message: string | Buffer, signature: string, publicKey: string): boolean {
  const key = publicKeyObject(publicKey);
  const sig = fromBase64url(signature, SIGNATURE_BYTES);
  if (key === null || sig === null) return false;
  return verify(null, typeof message === 'string' ? Buffer.from(message, 'utf8') : message, key, sig);
}

export interface Ed25519KeyPair {
  // The 32 raw bytes of the public key, base64url.
  publicKey: string;
  // The private key as PKCS#8 PEM (what `ledger keygen` writes and `ledger sign` reads).
  privateKeyPem: string;
}

export function generateEd25519KeyPair(): Ed25519KeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { publicKey: rawPublicKey(publicKey), privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

// The private key of a PEM text (PKCS#8), or of the 32-byte seed in base64url (the docs' test vectors).
export function privateKeyObject(pemOrSeed: string): KeyObject {
  const text = pemOrSeed.trim();
  if (text.startsWith('-----BEGIN')) {
    const key = createPrivateKey(text);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`not an Ed25519 private key (${key.asymmetricKeyType})`);
    return key;
  }
  const seed = fromBase64url(text, 32);
  if (seed === null) throw new Error('a private key is a PKCS#8 PEM or the 32-byte seed in base64url');
  // PKCS#8 of an Ed25519 seed: a fixed 16-byte prefix (RFC 8410) and the seed.
  const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
}

export function rawPublicKey(key: KeyObject): string {
  const jwk = (key.type === 'private' ? createPublicKey(key) : key).export({ format: 'jwk' });
  if (typeof jwk.x !== 'string') throw new Error('not an Ed25519 key');
  return jwk.x;
}

// The base64url Ed25519 signature of `message` (signed as UTF-8).
export function signEd25519(message: string, privateKey: KeyObject): string {
  return sign(null, Buffer.from(message, 'utf8'), privateKey).toString('base64url');
}
