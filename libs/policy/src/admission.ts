// The checks judge() makes between the shape and idempotency, in the contract's order: the signature (UNSIGNED,
// UNKNOWN_KEY, BAD_SIGNATURE); the publisher's right to send the event (FORBIDDEN_PUBLISHER: a policy event from
// anyone but the regulator, a deployment from anyone but its VEU or a reporter of its grant in force); then the
// stateless checks decodeEvent deferred (INVALID_COUNTRY, grant eligibility, UNKNOWN_CHIP).
import type { RejectionCode } from '@app/contracts';
import type { DecodedEvent } from './decode-event';
import type { LedgerReadState } from './ledger-state';
import { forbiddenPublisher } from './publisher-rights';
import { checkAuthenticity, type Authenticity } from './signatures/authenticity';

export function admissionRejection(auth: Authenticity, state: LedgerReadState, decoded: DecodedEvent): { code: RejectionCode; message: string } | null {
  const unauthentic = checkAuthenticity(auth, state, decoded);
  if (unauthentic !== null) return unauthentic;
  // A policy event's publisher needs no state, so decodeEvent found it; it is deferred with the rest but comes first.
  if (decoded.deferred !== null && decoded.deferred.code === 'FORBIDDEN_PUBLISHER') return decoded.deferred;
  const forbidden = forbiddenPublisher(state, decoded.event);
  if (forbidden !== null) return { code: 'FORBIDDEN_PUBLISHER', message: forbidden };
  return decoded.deferred;
}
