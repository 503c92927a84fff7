// The regulator's trust anchors, from the JSON file configuration names: [{"keyId":"regulator/...","publicKey":"..."}].
import * as fs from 'node:fs';
import { KEY_ID_PATTERN, PUBLIC_KEY_PATTERN } from '@app/contracts/schemas/common.schema';
import { REGULATOR, type Authenticity, type SignatureEnforcement } from './authenticity';
import { publicKeyObject } from './ed25519';

export const TRUST_ANCHORS_MAX = 100;

// key id -> public key; throws an Error naming what is wrong (the callers report it as a usage or settings error).
export function parseTrustAnchors(text: string): Map<string, string> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new Error(`trusted keys: not JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(doc)) throw new Error('trusted keys: expected a JSON array of {"keyId","publicKey"}');
  if (doc.length > TRUST_ANCHORS_MAX) throw new Error(`trusted keys: at most ${TRUST_ANCHORS_MAX} keys`);
  const anchors = new Map<string, string>();
  const keyIdPattern = new RegExp(KEY_ID_PATTERN);
  const publicKeyPattern = new RegExp(PUBLIC_KEY_PATTERN);
  doc.forEach((entry: unknown, i) => {
    const e = entry as Record<string, unknown> | null;
    const keyId = e?.['keyId'];
    const publicKey = e?.['publicKey'];
    if (typeof e !== 'object' || e === null || Array.isArray(e) || Object.keys(e).some((k) => k !== 'keyId' && k !== 'publicKey')) {
      throw new Error(`trusted keys: [${i}] must be an object with exactly "keyId" and "publicKey"`);
    }
    if (typeof keyId !== 'string' || !keyIdPattern.test(keyId) || !keyId.startsWith(`${REGULATOR}/`)) {
      throw new Error(`trusted keys: [${i}].keyId must be "${REGULATOR}/<name>" (name 1-64 of [A-Za-z0-9._-])`);
    }
    if (typeof publicKey !== 'string' || !publicKeyPattern.test(publicKey) || publicKeyObject(publicKey) === null) {
      throw new Error(`trusted keys: [${i}].publicKey must be the 32 raw bytes of an Ed25519 public key in base64url`);
    }
    if (anchors.has(keyId)) throw new Error(`trusted keys: "${keyId}" is listed twice`);
    anchors.set(keyId, publicKey);
  });
  return anchors;
}

// The Authenticity the services judge with, from their settings (SIGNATURES, TRUSTED_KEYS_FILE). Throws an Error
// naming the file and what is wrong: the services refuse to start rather than judge without their anchors. With
// signatures required, a file that lists no key is refused too: no regulator event could ever be recorded.
export function loadAuthenticity(enforcement: SignatureEnforcement, trustedKeysFile: string | null): Authenticity {
  if (trustedKeysFile === null) {
    if (enforcement === 'required') throw new Error('signatures are required but no trusted keys file is configured (TRUSTED_KEYS_FILE)');
    return { enforcement, trustAnchors: new Map() };
  }
  let text: string;
  try {
    text = fs.readFileSync(trustedKeysFile, 'utf8');
  } catch (e) {
    throw new Error(`cannot read the trusted keys ${JSON.stringify(trustedKeysFile)}: ${(e as Error).message}`);
  }
  const trustAnchors = parseTrustAnchors(text);
  if (enforcement === 'required' && trustAnchors.size === 0) {
    throw new Error(`${trustedKeysFile} lists no regulator key, and signatures are required: no policy event could be recorded`);
  }
  return { enforcement, trustAnchors };
}
