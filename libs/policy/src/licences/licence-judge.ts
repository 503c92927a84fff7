// Judging licences (CONTRACTS.md, "Licences"): the regulator's policy.license-issued / policy.license-revoked events,
// and the check of a LICENSE shipment against the licence its ref names. Pure, like the rest of the judge; judge.ts
// calls these from its switch and its shipment rules.
import type { LicenceIssuedV1, LicenceRevokedV1, RejectionCode, ShipmentV1 } from '@app/contracts';
import { accountIds, countryCap } from '../accounts';
import { asCap, move } from '../judging/movements';
import type { Draft } from '../judging/outcome';
import { raise, type AlertContext } from '../judging/thresholds';
import type { LedgerReadState, StateEffect } from '../ledger-state';
import type { MemoryLedgerState } from '../memory-ledger-state';
import { tierOf, type PolicyPack } from '../policy-pack';
import { parseOccurredAt } from '../decode-event';
import type { LicenceRecord } from './licence-record';

// Which check of a licence failed, in the order they are made.
export type LicenceCheck = 'unknown' | 'revoked' | 'not-yet-valid' | 'expired' | 'other-exporter' | 'other-consignee';

export type LicenceClaim =
  // The ref names no issued licence and the setting is verify-if-known: judged as before.
  | { kind: 'unverified' }
  | { kind: 'licensed'; licence: LicenceRecord }
  | { kind: 'unauthorized'; check: LicenceCheck; reason: string };

// A LICENSE shipment against the licence its ref names, in force at the shipment's occurredAt: issued (and not
// revoked) at this point of the stream, validFrom <= occurredAt <= validTo, issued to the shipment's publisher, for
// its consignee (id and country). The first check that fails names the reason.
export function licenceClaim(pack: PolicyPack, state: LedgerReadState, event: ShipmentV1, atMs: number): LicenceClaim {
  const ref = event.authorization.ref;
  const licence = ref === undefined ? undefined : state.licence(ref);
  if (licence === undefined) {
    if (pack.licences !== 'registered-only') return { kind: 'unverified' };
    const reason =
      ref === undefined
        ? 'unknown licence: the LICENSE shipment names no licence, and only registered licences are accepted (licences: registered-only)'
        : `unknown licence "${ref}": no licence with this number was issued, and only registered licences are accepted (licences: registered-only)`;
    return { kind: 'unauthorized', check: 'unknown', reason };
  }
  const fail = (check: LicenceCheck, why: string): LicenceClaim => ({ kind: 'unauthorized', check, reason: `licence "${licence.id}" ${why}` });
  if (licence.revoked) return fail('revoked', 'was revoked');
  if (atMs < licence.validFromMs) return fail('not-yet-valid', `is not yet valid at ${event.occurredAt} (valid from ${licence.validFrom})`);
  if (atMs > licence.validToMs) return fail('expired', `expired at ${licence.validTo} (shipment at ${event.occurredAt})`);
  // The reason goes to the shipment's publisher, who may not learn whose licence it named.
  if (licence.exporter !== event.publisher) return fail('other-exporter', `was issued to other exporter, not "${event.publisher}"`);
  const c = event.consignee;
  if (licence.consigneeId !== c.id || licence.consigneeCountry !== c.country) {
    return fail('other-consignee', `is for other consignee "${licence.consigneeId}" in ${licence.consigneeCountry}, not "${c.id}" in ${c.country}`);
  }
  return { kind: 'licensed', licence };
}

// The shipment drawn against its licence: license:ID moves by the shipment's controlled TPP, capped at the licence's.
export function drawOnLicence(ctx: AlertContext, state: LedgerReadState, draft: Draft, licence: LicenceRecord, tpp: bigint): void {
  move(ctx, state, draft, accountIds.licence(licence.id), tpp, licence.tpp);
}

type StateRejection = { code: RejectionCode; message: string };

// policy.license-issued: a licence id names one licence forever (a second issue is MALFORMED, a state check made
// after idempotency). The approval draws on country:CC:licensed at once; one for a Tier 3 country is recorded and
// raises PROHIBITED_DESTINATION there.
export function judgeLicenceIssued(
  pack: PolicyPack,
  state: LedgerReadState,
  event: LicenceIssuedV1,
  atMs: number,
  ctx: AlertContext,
  draft: Draft,
): StateRejection | null {
  const l = event.license;
  if (state.licence(l.id) !== undefined) {
    return { code: 'MALFORMED', message: `/license/id: licence "${l.id}" was already issued; a licence id names one licence forever` };
  }
  const licence: LicenceRecord = {
    id: l.id,
    exporter: l.exporter,
    consigneeId: l.consignee.id,
    consigneeCountry: l.consignee.country,
    validFrom: l.validFrom,
    validTo: l.validTo,
    validFromMs: parseOccurredAt(l.validFrom),
    validToMs: parseOccurredAt(l.validTo),
    tpp: BigInt(l.tpp),
    revoked: false,
  };
  const cc = licence.consigneeCountry;
  const account = accountIds.countryLicensed(cc);
  const cap = countryCap(pack, cc, atMs, state.hasG2g(cc));
  if (tierOf(pack, cc, atMs) === 3) {
    const used = (state.account(account)?.usedTpp ?? 0n) + licence.tpp;
    raise(ctx, 'PROHIBITED_DESTINATION', account, used, asCap(cap), null, `licence "${licence.id}" approves exports to prohibited destination ${cc}`);
  }
  move(ctx, state, draft, account, licence.tpp, cap);
  draft.effects.push({ kind: 'licence-issued', licence });
  return null;
}

// policy.license-revoked: revoking an id never issued is MALFORMED (after idempotency). The revocation gives back to
// country:CC:licensed what was not yet shipped under the licence, so the account never falls below what was shipped.
// Revoking a revoked licence again is recorded and moves nothing (nothing unshipped is left to give back).
export function judgeLicenceRevoked(
  pack: PolicyPack,
  state: LedgerReadState,
  event: LicenceRevokedV1,
  atMs: number,
  ctx: AlertContext,
  draft: Draft,
): StateRejection | null {
  const licence = state.licence(event.license.id);
  if (licence === undefined) {
    return { code: 'MALFORMED', message: `/license/id: no licence "${event.license.id}" was issued, so it cannot be revoked` };
  }
  if (licence.revoked) return null;
  const unshipped = licenceRemaining(state, licence);
  if (unshipped > 0n) {
    const cc = licence.consigneeCountry;
    move(ctx, state, draft, accountIds.countryLicensed(cc), -unshipped, countryCap(pack, cc, atMs, state.hasG2g(cc)));
  }
  draft.effects.push({ kind: 'licence-revoked', licenceId: licence.id });
  return null;
}

// What was shipped against a licence (its license:ID balance) and what remains of its approved TPP (never below 0).
export function licenceShipped(state: LedgerReadState, licence: LicenceRecord): bigint {
  return state.account(accountIds.licence(licence.id))?.usedTpp ?? 0n;
}

export function licenceRemaining(state: LedgerReadState, licence: LicenceRecord): bigint {
  const left = licence.tpp - licenceShipped(state, licence);
  return left > 0n ? left : 0n;
}

export function applyLicenceEffect(state: MemoryLedgerState, effect: Extract<StateEffect, { kind: 'licence-issued' | 'licence-revoked' }>): void {
  if (effect.kind === 'licence-issued') {
    state.setLicence(effect.licence);
    return;
  }
  const licence = state.licence(effect.licenceId);
  if (licence !== undefined) state.setLicence({ ...licence, revoked: true });
}
