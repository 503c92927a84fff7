// Pre-clearance's answer to "may I ship this under licence X?": whether the licence holds for this shipment (or
// which check fails), and its approved, shipped and remaining TPP before and after it. Computed from the same state
// and the same licence check the judge uses, before the outcome is applied.
import type { InputEventV1 } from '@app/contracts';
import { accountIds, licenceClaim, licenceRemaining, licenceShipped, type LicenceCheck, type LedgerReadState, type PolicyPack, type RecordedOutcome } from '@app/policy';
import type { Principal } from '../auth/principal';
import { canReadLicence } from '../auth/access-policy';

export type LicenceClearance =
  // The ref names no issued licence: judged as before (verify-if-known) or UNAUTHORIZED (registered-only).
  | { id: string | null; issued: false; holds: false; check: 'unknown'; setting: PolicyPack['licences'] }
  // Issued, but another exporter's: the caller learns only that it does not hold for them.
  | { id: string; issued: true; holds: false; check: LicenceCheck }
  | {
      id: string;
      issued: true;
      holds: boolean;
      check: LicenceCheck | null;
      reason: string | null;
      validFrom: string;
      validTo: string;
      revoked: boolean;
      approvedTpp: bigint;
      shippedBeforeTpp: bigint;
      shippedAfterTpp: bigint;
      remainingBeforeTpp: bigint;
      remainingAfterTpp: bigint;
      overShippedAfter: boolean;
    };

// null when the event is not a LICENSE shipment. `state` is the state before the outcome is applied.
export function licenceClearance(principal: Principal, pack: PolicyPack, state: LedgerReadState, outcome: RecordedOutcome): LicenceClearance | null {
  const event: InputEventV1 = outcome.event;
  if (event.type !== 'chip.shipment' || event.authorization.kind !== 'LICENSE') return null;
  const ref = event.authorization.ref ?? null;
  const licence = ref === null ? undefined : state.licence(ref);
  if (licence === undefined) return { id: ref, issued: false, holds: false, check: 'unknown', setting: pack.licences };
  const claim = licenceClaim(pack, state, event, outcome.occurredAtMs);
  const check = claim.kind === 'unauthorized' ? claim.check : null;
  if (!canReadLicence(principal, licence.exporter)) return { id: licence.id, issued: true, holds: false, check: check ?? 'other-exporter' };
  const drawn = outcome.movements.find((m) => m.account === accountIds.licence(licence.id))?.deltaTpp ?? 0n;
  const shippedBefore = licenceShipped(state, licence);
  const shippedAfter = shippedBefore + drawn;
  return {
    id: licence.id,
    issued: true,
    holds: claim.kind === 'licensed',
    check,
    reason: claim.kind === 'unauthorized' ? claim.reason : null,
    validFrom: licence.validFrom,
    validTo: licence.validTo,
    revoked: licence.revoked,
    approvedTpp: licence.tpp,
    shippedBeforeTpp: shippedBefore,
    shippedAfterTpp: shippedAfter,
    remainingBeforeTpp: licenceRemaining(state, licence),
    remainingAfterTpp: licence.tpp > shippedAfter ? licence.tpp - shippedAfter : 0n,
    overShippedAfter: shippedAfter > licence.tpp,
  };
}
