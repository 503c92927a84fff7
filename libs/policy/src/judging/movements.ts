import type { LedgerReadState } from '../ledger-state';
import { tierOf, type PolicyPack } from '../policy-pack';
import type { Rational } from '../rational';
import type { Draft } from './outcome';
import { evaluateThresholds, type AlertContext } from './thresholds';

// What shipments and deployments share: moving a plain account, and whether a destination is prohibited.

export function asCap(cap: bigint | null): Rational | null {
  return cap === null ? null : { num: cap, den: 1n };
}

// Moves one plain (non-ratio) account and evaluates its thresholds.
export function move(ctx: AlertContext, state: LedgerReadState, draft: Draft, account: string, delta: bigint, cap: bigint | null): void {
  const before = state.account(account);
  const usedBefore = before?.usedTpp ?? 0n;
  const usedAfter = usedBefore + delta;
  const disarmedMaskAfter = evaluateThresholds(ctx, account, usedBefore, usedAfter, asCap(cap), before?.disarmedMask ?? 0);
  draft.movements.push({ account, deltaTpp: delta, usedBeforeTpp: usedBefore, usedAfterTpp: usedAfter, capTpp: cap, disarmedMaskAfter });
}

// A destination is prohibited for this shipment when it is Tier 3, or when the pack restricts the country to chips
// below a per-unit TPP and a controlled item is above it.
export function prohibited(pack: PolicyPack, country: string, atMs: number, maxPerUnit: bigint): boolean {
  if (tierOf(pack, country, atMs) === 3) return true;
  const limit = pack.restrictedPerUnitTppMax.get(country);
  return limit !== undefined && maxPerUnit > limit;
}
