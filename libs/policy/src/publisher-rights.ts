// The publisher's right to send an event, as far as it depends on the ledger's state: a deployment's publisher must
// be its VEU, or one of the `reporters` of that VEU's grant in force (CONTRACTS.md, "policy.*"). Only the regulator
// may send policy events; that needs no state and decodeEvent checks it.
import type { InputEventV1 } from '@app/contracts';
import type { LedgerReadState } from './ledger-state';

// The reason the publisher may not send the event, or null.
export function forbiddenPublisher(state: LedgerReadState, event: InputEventV1): string | null {
  if (event.type !== 'dc.deployment') return null;
  const veuId = event.veu.id;
  if (event.publisher === veuId) return null;
  const grant = state.veu(veuId);
  if (grant !== undefined && grant.active && grant.reporters.includes(event.publisher)) return null;
  const inForce = grant !== undefined && grant.active;
  return `"${event.publisher}" may not report deployments of VEU "${veuId}": only the VEU itself${inForce ? ' or a reporter named by its grant' : ' (no grant in force names reporters)'}`;
}
