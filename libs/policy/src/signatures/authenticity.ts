// Who said it: the signature check of CONTRACTS.md ("Authenticity: signed events and publisher keys"), run by
// judge() after the shape and before the publisher's right to send the event. Pure but for the Ed25519
// verification itself, which a caller may have done ahead, off the judging thread (DecodedEvent.preverify).
import type { LedgerReadState, PublisherKeyRecord } from '../ledger-state';
import type { DecodedEvent } from '../decode-event';

// `required`: every event must be signed; `optional`: unsigned events are judged as before. A present signature
// is verified either way.
export type SignatureEnforcement = 'required' | 'optional';
export const SIGNATURE_ENFORCEMENTS: readonly SignatureEnforcement[] = ['required', 'optional'];

export interface Authenticity {
  enforcement: SignatureEnforcement;
  // The regulator's keys (key id -> raw public key, base64url), given by configuration, never by events.
  trustAnchors: ReadonlyMap<string, string>;
}

// The offline replay's default (and the small specs'): unsigned events are judged, no regulator key is trusted.
export const SIGNATURES_OPTIONAL: Authenticity = Object.freeze({ enforcement: 'optional', trustAnchors: new Map<string, string>() });

export const REGULATOR = 'regulator';

export interface AuthenticityRejection {
  code: 'UNSIGNED' | 'UNKNOWN_KEY' | 'BAD_SIGNATURE';
  message: string;
}

// The public key that verifies `keyId` for an event of `publisher` at this point of the stream, or the reason none
// does: a regulator key is a trust anchor; any other is registered by a policy.publisher-key-registered event and
// verifies until its policy.publisher-key-revoked.
export function keyInForce(auth: Authenticity, state: LedgerReadState, publisher: string, keyId: string): { publicKey: string } | { reason: string } {
  const owner = keyId.slice(0, keyId.indexOf('/'));
  if (owner !== publisher) return { reason: `key "${keyId}" belongs to publisher "${owner}", not to the event's publisher "${publisher}"` };
  if (publisher === REGULATOR) {
    const anchor = auth.trustAnchors.get(keyId);
    return anchor === undefined ? { reason: `key "${keyId}" is not one of the regulator's trust anchors` } : { publicKey: anchor };
  }
  const record: PublisherKeyRecord | undefined = state.publisherKey(keyId);
  if (record === undefined) return { reason: `key "${keyId}" is not registered` };
  if (record.revoked) return { reason: `key "${keyId}" was revoked` };
  return { publicKey: record.publicKey };
}

// The public key a verifier working ahead of the judge should try for this key id: the trust anchor, or the key
// the id was ever registered with (a key id names one key forever, so the judge only has to check it is still in
// force at the event). undefined when the key id is unknown so far.
export function candidateKey(auth: Authenticity, state: LedgerReadState, keyId: string): string | undefined {
  return keyId.startsWith(`${REGULATOR}/`) ? auth.trustAnchors.get(keyId) : state.publisherKey(keyId)?.publicKey;
}

export function checkAuthenticity(auth: Authenticity, state: LedgerReadState, decoded: DecodedEvent): AuthenticityRejection | null {
  const { event } = decoded;
  const signature = event.signature;
  if (signature === undefined) {
    return auth.enforcement === 'required' ? { code: 'UNSIGNED', message: 'signatures are required and the event has no `signature`' } : null;
  }
  const key = keyInForce(auth, state, event.publisher, signature.keyId);
  if ('reason' in key) return { code: 'UNKNOWN_KEY', message: key.reason };
  if (!decoded.signatureVerifies(key.publicKey)) {
    return { code: 'BAD_SIGNATURE', message: `the signature does not verify the event's canonical form (RFC 8785, without \`signature\`) with key "${signature.keyId}"` };
  }
  return null;
}
