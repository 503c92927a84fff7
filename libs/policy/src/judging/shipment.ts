import type { ShipmentV1 } from '@app/contracts';
import { accountIds, countryCap } from '../accounts';
import type { LedgerReadState, LicenceRecord } from '../ledger-state';
import { drawOnLicence, licenceClaim } from '../licences/licence-judge';
import { nveuCapAt, tierOf, type PolicyPack, type Tier } from '../policy-pack';
import type { Rational } from '../rational';
import { hasProductCaps, productMovements } from '../timeline/product-cap';
import { asCap, move, prohibited } from './movements';
import type { Draft } from './outcome';
import { evaluateThresholds, raise, type AlertContext } from './thresholds';
import { controlledTpp, isControlled } from './tpp';

// A shipment draws on the account its authorization names (country, LPP, NVEU, UVEU-shipped), or on the country
// account when the authorization does not hold, with an UNAUTHORIZED or PROHIBITED_DESTINATION alert.
export function judgeShipment(pack: PolicyPack, state: LedgerReadState, event: ShipmentV1, atMs: number, ctx: AlertContext, draft: Draft): void {
  const cc = event.consignee.country;
  const { tpp } = controlledTpp(pack, event.items);
  const countryAccount = accountIds.country(cc);
  const capOfCountry = () => countryCap(pack, cc, atMs, state.hasG2g(cc));

  // Tier 3 first: whatever the authorization, the shipment is recorded on the country account (cap 0).
  if (prohibited(pack, cc, atMs, event.items, 'shipment')) {
    const cap = capOfCountry();
    const used = (state.account(countryAccount)?.usedTpp ?? 0n) + tpp;
    // Only controlled chips are prohibited; a shipment of uncontrolled chips alone is recorded without an alert.
    if (tpp > 0n) {
      raise(ctx, 'PROHIBITED_DESTINATION', countryAccount, used, asCap(cap), null, `controlled chips shipped to prohibited destination ${cc}`);
    }
    move(ctx, state, draft, countryAccount, tpp, cap);
    return;
  }

  const auth = event.authorization;
  let { account, unauthorized } = authorizationOf(pack, state, event, tierOf(pack, cc, atMs), atMs);
  // A LICENSE shipment is checked against the licence its ref names (docs/licences.md).
  let licensed: LicenceRecord | null = null;
  if (auth.kind === 'LICENSE' && unauthorized === null) {
    const claim = licenceClaim(pack, state, event, atMs);
    if (claim.kind === 'unauthorized') unauthorized = claim.reason;
    else if (claim.kind === 'licensed') licensed = claim.licence;
  }
  if (unauthorized !== null) account = countryAccount;
  const cap =
    account === countryAccount
      ? capOfCountry()
      : auth.kind === 'LPP'
        ? pack.lppCapTpp
        : auth.kind === 'NVEU'
          ? nveuCapAt(pack, atMs)
          : null;
  // No authorization is needed for uncontrolled chips, so a claim that does not hold matters only when tpp > 0.
  if (unauthorized !== null && tpp > 0n) {
    const used = (state.account(account)?.usedTpp ?? 0n) + tpp;
    raise(ctx, 'UNAUTHORIZED', account, used, asCap(cap), null, unauthorized);
  }
  move(ctx, state, draft, account, tpp, cap);
  // A licence that holds: the shipment is recorded on country:CC and on license:ID.
  if (licensed !== null) drawOnLicence(ctx, state, draft, licensed, tpp);
  if (hasProductCaps(pack)) {
    const alerts = {
      evaluate: (id: string, before: bigint, after: bigint, c: Rational, mask: number) => evaluateThresholds(ctx, id, before, after, c, mask),
      capExceeded: (id: string, used: bigint, c: Rational) => raise(ctx, 'CAP_EXCEEDED', id, used, c, null, `${id} exceeded its cap`),
    };
    productMovements(pack, state, event, (t, die) => isControlled(pack, t, die), alerts, draft.movements);
  }
}

// The account the authorization names, and why it does not hold (null when it does). `tier` is 2, or 3 for a
// shipment under case-by-case review (not denied): a licence is required either way. A scheme the pack lacks (LPP,
// NVEU, UVEU under a regime without them) authorizes nothing.
function authorizationOf(
  pack: PolicyPack,
  state: LedgerReadState,
  event: ShipmentV1,
  tier: Tier,
  atMs: number,
): { account: string; unauthorized: string | null } {
  const cc = event.consignee.country;
  const auth = event.authorization;
  const inPack = auth.kind === 'LPP' ? pack.schemes.lpp : auth.kind === 'NVEU' ? pack.schemes.nveu : auth.kind === 'UVEU' ? pack.schemes.uveu : true;
  const country = accountIds.country(cc);
  const no = (why: string) => ({ account: country, unauthorized: why });
  if (!inPack) return tier === 1 ? { account: country, unauthorized: null } : no(`${auth.kind} is no authorization under pack ${pack.id}: a licence was required for ${cc}`);
  switch (auth.kind) {
    case 'LICENSE':
      return { account: country, unauthorized: null };
    case 'NONE':
      if (tier === 1) return { account: country, unauthorized: null };
      return no(`no authorization for controlled chips to ${tier === 2 ? 'Tier 2 country ' : ''}${cc}: a licence or exception was required`);
    case 'LPP':
      if (tier === 1) return no(`the LPP exception does not apply to Tier 1 country ${cc}`);
      return { account: accountIds.lpp(event.consignee.id, new Date(atMs).getUTCFullYear()), unauthorized: null };
    case 'NVEU': {
      const veu = state.veu(auth.ref!);
      if (veu === undefined || !veu.active) return no(`NVEU "${auth.ref}" is not granted`);
      if (veu.kind !== 'NVEU') return no(`"${auth.ref}" is a ${veu.kind}, not an NVEU`);
      if (veu.country !== cc) return no(`NVEU "${auth.ref}" is authorized in ${veu.country}, not ${cc}`);
      return { account: accountIds.nveu(veu.id), unauthorized: null };
    }
    case 'UVEU': {
      const veu = state.veu(auth.ref!);
      if (veu === undefined || !veu.active) return no(`UVEU "${auth.ref}" is not granted`);
      if (veu.kind !== 'UVEU') return no(`"${auth.ref}" is a ${veu.kind}, not a UVEU`);
      return { account: accountIds.uveuShipped(veu.id), unauthorized: null };
    }
  }
}
