import { accountIds } from '../accounts';
import type { LedgerReadState, StateEffect } from '../ledger-state';

// Whose caps an effect moves without moving their balances: a g2g arrangement its country's (doubled); a deployment
// its VEU's ratio accounts (shares of the worldwide total it changed); a grant or a revocation its VEU's ratio
// accounts (in force or out of it). The accounts follow from the subject and the state alone, so the writer refreshes
// them once per subject however many of its effects a batch holds. A publisher key moves no cap (null).
export function capSubjectOf(effect: StateEffect): { kind: 'country' | 'veu' | 'licence'; id: string } | null {
  switch (effect.kind) {
    case 'publisher-key-registered':
    case 'publisher-key-revoked':
      return null;
    // A licence's effects move no cap without a movement (its cap is its approved TPP, fixed when issued).
    case 'licence-issued':
      return { kind: 'licence', id: effect.licence.id };
    case 'licence-revoked':
      return { kind: 'licence', id: effect.licenceId };
    case 'g2g-arranged':
      return { kind: 'country', id: effect.country };
    case 'veu-granted':
      return { kind: 'veu', id: effect.grant.id };
    case 'veu-revoked':
    case 'installed-set':
      return { kind: 'veu', id: effect.veuId };
  }
}

// The accounts, among those the state holds, whose cap the effect moved (see capSubjectOf). The writer refreshes
// their rows, so that they show the cap in force.
export function capsMovedBy(state: LedgerReadState, effect: StateEffect): string[] {
  const subject = capSubjectOf(effect);
  if (subject === null || subject.kind === 'licence') return [];
  if (subject.kind === 'country') {
    // country:CC:licensed has the same cap as country:CC.
    return [accountIds.country(subject.id), accountIds.countryLicensed(subject.id)].filter((id) => state.account(id) !== undefined);
  }
  const v = subject.id;
  const ids = [accountIds.uveuOutsideTier1(v), accountIds.uveuOutsideUs(v)];
  for (const cc of state.installedByCountry(v).keys()) ids.push(accountIds.uveuCountry(v, cc));
  return ids.filter((id) => state.account(id) !== undefined);
}
