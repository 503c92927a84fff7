import type { MemoryLedgerState } from '../memory-ledger-state';
import { applyLicenceEffect } from '../licences/licence-judge';
import type { Outcome } from './outcome';

// `seenRecord` is what the idempotency record keeps for the event: its digest, or a reference the state can turn
// back into the digest when the key comes again (the offline replay passes the line's place in its file).
export function applyOutcome(state: MemoryLedgerState, outcome: Outcome, seenRecord?: number): void {
  if (outcome.status !== 'recorded') return;
  state.markSeen(outcome.event.publisher, outcome.event.eventId, seenRecord ?? outcome.digest());
  for (const m of outcome.movements) state.setAccount(m.account, { usedTpp: m.usedAfterTpp, disarmedMask: m.disarmedMaskAfter });
  for (const effect of outcome.effects) {
    switch (effect.kind) {
      case 'veu-granted':
        state.setVeu(effect.grant);
        break;
      case 'veu-revoked': {
        const grant = state.veu(effect.veuId);
        if (grant !== undefined) state.setVeu({ ...grant, active: false });
        break;
      }
      case 'g2g-arranged':
        state.setG2g(effect.country);
        break;
      case 'installed-set':
        state.setInstalled(effect.veuId, effect.dataCenterId, effect.country, effect.installedTpp);
        break;
      case 'licence-issued':
      case 'licence-revoked':
        applyLicenceEffect(state, effect);
        break;
      case 'publisher-key-registered':
        state.setPublisherKey(effect.key);
        break;
      case 'publisher-key-revoked': {
        const key = state.publisherKey(effect.keyId);
        if (key !== undefined) state.setPublisherKey({ ...key, revoked: true });
        break;
      }
    }
  }
}
