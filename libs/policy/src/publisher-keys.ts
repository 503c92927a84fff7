// The key registry's rules (CONTRACTS.md, "Authenticity"): a key id names one key forever. Registering an id that
// was ever registered (even if revoked since), or revoking one that is not registered now, is MALFORMED, a check
// of the ledger's state made after idempotency. Registering a `regulator/...` key is a shape violation (its keys
// are trust anchors from configuration), checked by decodeEvent.
import type { PublisherKeyRegisteredV1, PublisherKeyRevokedV1 } from '@app/contracts';
import type { LedgerReadState, StateEffect } from './ledger-state';

export function judgePublisherKeyEvent(
  state: LedgerReadState,
  event: PublisherKeyRegisteredV1 | PublisherKeyRevokedV1,
): { rejection: string } | { effect: StateEffect } {
  const keyId = event.key.keyId;
  const record = state.publisherKey(keyId);
  if (event.type === 'policy.publisher-key-registered') {
    if (record !== undefined) {
      return { rejection: `/key/keyId: "${keyId}" was registered before${record.revoked ? ' (and revoked)' : ''}; a key id names one key forever, register the new key under a new id` };
    }
    return { effect: { kind: 'publisher-key-registered', key: { keyId, publicKey: event.key.publicKey, revoked: false } } };
  }
  if (record === undefined) return { rejection: `/key/keyId: "${keyId}" is not registered` };
  if (record.revoked) return { rejection: `/key/keyId: "${keyId}" is not registered (it was revoked before)` };
  return { effect: { kind: 'publisher-key-revoked', keyId } };
}
