// Publisher signing keys on disk, as `ledger keygen` writes them: one JSON file per key,
// {"keyId":"nvidia/2026-1","publicKey":"<base64url>","privateKey":"-----BEGIN PRIVATE KEY-----..."} (mode 0600).
// `ledger sign` and `ledger publish --keys` take one such file, or a directory of them (*.key.json): each event is
// signed with the key of its publisher.
import type { KeyObject } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KEY_ID_PATTERN } from '@app/contracts';
import { privateKeyObject, rawPublicKey, signEvent } from '@app/policy';

export interface SigningKey {
  keyId: string;
  privateKey: KeyObject;
}

export interface KeyFile {
  keyId: string;
  publicKey: string;
  privateKey: string;
}

export const KEY_FILE_SUFFIX = '.key.json';

export function readKeyFile(file: string): SigningKey {
  let doc: Partial<KeyFile>;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<KeyFile>;
  } catch (e) {
    throw new Error(`cannot read the key file ${file}: ${(e as Error).message}`);
  }
  if (typeof doc.keyId !== 'string' || !new RegExp(KEY_ID_PATTERN).test(doc.keyId) || typeof doc.privateKey !== 'string') {
    throw new Error(`${file}: a key file has "keyId" (<publisher>/<name>) and "privateKey" (PKCS#8 PEM)`);
  }
  const privateKey = privateKeyObject(doc.privateKey);
  if (doc.publicKey !== undefined && doc.publicKey !== rawPublicKey(privateKey)) throw new Error(`${file}: "publicKey" is not the private key's`);
  return { keyId: doc.keyId, privateKey };
}

// publisher -> its signing key, from a key file or a directory of them.
export function readSigningKeys(fileOrDir: string): Map<string, SigningKey> {
  const files = fs.statSync(fileOrDir).isDirectory()
    ? fs.readdirSync(fileOrDir).filter((f) => f.endsWith(KEY_FILE_SUFFIX)).sort().map((f) => path.join(fileOrDir, f))
    : [fileOrDir];
  const keys = new Map<string, SigningKey>();
  for (const file of files) {
    const key = readKeyFile(file);
    const publisher = key.keyId.slice(0, key.keyId.indexOf('/'));
    if (keys.has(publisher)) throw new Error(`${fileOrDir}: two keys for publisher "${publisher}"`);
    keys.set(publisher, key);
  }
  if (keys.size === 0) throw new Error(`${fileOrDir}: no key files (*${KEY_FILE_SUFFIX})`);
  return keys;
}

// The line signed with its publisher's key, or null when it is not a JSON object with a publisher that has a key.
export function signLine(text: string, keys: ReadonlyMap<string, SigningKey>): string | null {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return null;
  const publisher = (doc as Record<string, unknown>)['publisher'];
  const key = typeof publisher === 'string' ? keys.get(publisher) : undefined;
  if (key === undefined) return null;
  return JSON.stringify(signEvent(doc as Record<string, unknown>, key.keyId, key.privateKey));
}
