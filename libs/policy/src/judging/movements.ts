import type { LedgerReadState } from '../ledger-state';
import type { Item } from '@app/contracts';
import type { PolicyPack } from '../policy-pack';
import { deniedAt } from '../timeline/destinations';
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

// A destination is prohibited for this event when it is Tier 3 (presumption of denial) at the event and no
// case-by-case rule of the pack lets the shipment's chips through (timeline/destinations.ts).
export function prohibited(pack: PolicyPack, country: string, atMs: number, items: readonly Item[], kind: 'shipment' | 'deployment'): boolean {
  return deniedAt(pack, country, atMs, items, kind);
}
