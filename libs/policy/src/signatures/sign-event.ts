// Signing an event as a publisher does: Ed25519 over the UTF-8 of the RFC 8785 canonical form without `signature`.
import type { KeyObject } from 'node:crypto';
import { canonicalUnsignedJson } from '@app/contracts/canonical-json';
import { signEd25519 } from './ed25519';

// The event with its `signature` member set (any earlier one replaced). The key id's publisher part must be the
// event's publisher; the ledger refuses the event otherwise (UNKNOWN_KEY), so this refuses to make it.
export function signEvent<T extends Record<string, unknown>>(event: T, keyId: string, privateKey: KeyObject): T & { signature: { alg: 'Ed25519'; keyId: string; value: string } } {
  const owner = keyId.slice(0, keyId.indexOf('/'));
  if (event['publisher'] !== owner) throw new Error(`key "${keyId}" cannot sign an event of publisher "${String(event['publisher'])}"`);
  const value = signEd25519(canonicalUnsignedJson(event), privateKey);
  return { ...event, signature: { alg: 'Ed25519', keyId, value } };
}
