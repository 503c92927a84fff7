import { isRatioKind, parseAccountId, plainCap, ratioCap, type AccountKind } from '../accounts';
import type { LedgerReadState } from '../ledger-state';
import { packAt, type PolicyPack } from '../policy-pack';
import { productCapOf } from '../timeline/product-cap';
import { floorOf, utilizationOf, type Rational } from '../rational';
import { asCap } from './movements';

export interface AccountView {
  account: string;
  usedTpp: bigint;
  capTpp: bigint | null;
  utilization: number | null;
}

// An account's balance with the cap in force at `atMs` (for ratio accounts: from the current worldwide total).
// A ratio cap is in force only while its VEU is granted as a UVEU (and the outside-US share only for a
// US-headquartered one): after a revocation the ratio accounts keep the balance they had, and show no cap.
// Under a timeline, the caps are those of the pack in force at `atMs`.
export function accountView(policy: PolicyPack, state: LedgerReadState, accountId: string, atMs: number): AccountView {
  const pack = packAt(policy, atMs);
  const usedTpp = state.account(accountId)?.usedTpp ?? 0n;
  const parsed = parseAccountId(accountId);
  let cap: Rational | null = null;
  if (parsed !== null && parsed.kind === 'product') {
    cap = productCapOf(pack, state, parsed.product!, parsed.market!);
  } else if (parsed !== null && isRatioKind(parsed.kind)) {
    if (pack.schemes.uveu && ratioCapInForce(state, parsed.kind, parsed.veuId!)) {
      let worldwide = 0n;
      for (const tpp of state.installedByCountry(parsed.veuId!).values()) worldwide += tpp;
      cap = ratioCap(pack, parsed.kind, worldwide);
    }
  } else if (parsed !== null && parsed.kind === 'license') {
    cap = asCap(state.licence(parsed.licenceId!)?.tpp ?? null);
  } else if (parsed !== null) {
    cap = asCap(plainCap(pack, parsed, atMs, (c) => state.hasG2g(c)));
  }
  return {
    account: accountId,
    usedTpp,
    capTpp: cap === null ? null : floorOf(cap),
    utilization: cap === null || cap.num === 0n ? null : utilizationOf(usedTpp, cap),
  };
}

function ratioCapInForce(state: LedgerReadState, kind: AccountKind, veuId: string): boolean {
  const grant = state.veu(veuId);
  if (grant === undefined || !grant.active || grant.kind !== 'UVEU') return false;
  return kind !== 'uveu-outside-us' || grant.headquarters === 'US';
}
