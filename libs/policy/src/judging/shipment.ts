import type { ShipmentV1 } from '@app/contracts';
import { accountIds, countryCap } from '../accounts';
import type { LedgerReadState, LicenceRecord } from '../ledger-state';
import { drawOnLicence, licenceClaim } from '../licences/licence-judge';
import { nveuCapAt, tierOf, type PolicyPack } from '../policy-pack';
import { asCap, move, prohibited } from './movements';
import type { Draft } from './outcome';
import { raise, type AlertContext } from './thresholds';
import { controlledTpp } from './tpp';

// A shipment draws on the account its authorization names (country, LPP, NVEU, UVEU-shipped), or on the country
// account when the authorization does not hold, with an UNAUTHORIZED or PROHIBITED_DESTINATION alert.
export function judgeShipment(pack: PolicyPack, state: LedgerReadState, event: ShipmentV1, atMs: number, ctx: AlertContext, draft: Draft): void {
  const cc = event.consignee.country;
  const { tpp, maxPerUnit } = controlledTpp(pack, event.items);
  const countryAccount = accountIds.country(cc);
  const capOfCountry = () => countryCap(pack, cc, atMs, state.hasG2g(cc));

  // Tier 3 first: whatever the authorization, the shipment is recorded on the country account (cap 0).
  if (prohibited(pack, cc, atMs, maxPerUnit)) {
    const cap = capOfCountry();
    const used = (state.account(countryAccount)?.usedTpp ?? 0n) + tpp;
    // Only controlled chips are prohibited; a shipment of uncontrolled chips alone is recorded without an alert.
    if (tpp > 0n) {
      raise(ctx, 'PROHIBITED_DESTINATION', countryAccount, used, asCap(cap), null, `controlled chips shipped to prohibited destination ${cc}`);
    }
    move(ctx, state, draft, countryAccount, tpp, cap);
    return;
  }

  const tier = tierOf(pack, cc, atMs);
  const auth = event.authorization;
  let account = countryAccount;
  let unauthorized: string | null = null;
  let licensed: LicenceRecord | null = null;
  switch (auth.kind) {
    case 'LICENSE': {
      const claim = licenceClaim(pack, state, event, atMs);
      if (claim.kind === 'unauthorized') unauthorized = claim.reason;
      else if (claim.kind === 'licensed') licensed = claim.licence;
      break;
    }
    case 'NONE':
      if (tier === 2) unauthorized = `no authorization for controlled chips to Tier 2 country ${cc}: a licence or exception was required`;
      break;
    case 'LPP':
      if (tier === 1) unauthorized = `the LPP exception does not apply to Tier 1 country ${cc}`;
      else account = accountIds.lpp(event.consignee.id, new Date(atMs).getUTCFullYear());
      break;
    case 'NVEU': {
      const veu = state.veu(auth.ref!);
      if (veu === undefined || !veu.active) unauthorized = `NVEU "${auth.ref}" is not granted`;
      else if (veu.kind !== 'NVEU') unauthorized = `"${auth.ref}" is a ${veu.kind}, not an NVEU`;
      else if (veu.country !== cc) unauthorized = `NVEU "${auth.ref}" is authorized in ${veu.country}, not ${cc}`;
      else account = accountIds.nveu(veu.id);
      break;
    }
    case 'UVEU': {
      const veu = state.veu(auth.ref!);
      if (veu === undefined || !veu.active) unauthorized = `UVEU "${auth.ref}" is not granted`;
      else if (veu.kind !== 'UVEU') unauthorized = `"${auth.ref}" is a ${veu.kind}, not a UVEU`;
      else account = accountIds.uveuShipped(veu.id);
      break;
    }
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
}
