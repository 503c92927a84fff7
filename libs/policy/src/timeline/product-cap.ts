// The product cap of a case-by-case rule (the January 2026 China/Macau rule): shipments of one product (a catalogue
// chip) to the rule's countries may be at most `share` of that product's shipments to its base countries (US end use).
// Two accounts per product and rule, ids documented in docs/timelines.md:
//   product:CHIP:<baseKey>         (e.g. product:H200-SXM:us)    controlled TPP of CHIP shipped to a base country; no cap
//   product:CHIP:<destinationKey>  (e.g. product:H200-SXM:cn-mo) controlled TPP of CHIP shipped to the rule's countries
//                                  under case-by-case review (not denied); cap = share x product:CHIP:<baseKey>
// Both count shipments whatever their authorization (the record of what was shipped), and only while a pack with the
// rule judges: under a timeline, from the date that pack comes into force. The cap is an exact fraction, shown as its
// floor; a product with nothing shipped to the base has cap 0 and, like every cap-0 account (the contract's account
// rules), raises no threshold or cap alert: its balance over cap 0 is on the record. When the base account moves, the destination
// account is not evaluated (it did not move) but is carried in the outcome with its new cap, so the services' row shows it.
import type { ShipmentV1 } from '@app/contracts';
import type { LedgerReadState, Movement } from '../ledger-state';
import type { CaseByCaseRule, PolicyPack } from '../policy-pack';
import { floorOf, mulInt, type Rational } from '../rational';

export interface ProductAlerts {
  // evaluateThresholds for a capped account: returns the disarmed mask after the event.
  evaluate(account: string, usedBefore: bigint, usedAfter: bigint, cap: Rational, mask: number): number;
  capExceeded(account: string, usedAfter: bigint, cap: Rational): void;
}

export const productAccountId = (chip: string, key: string): string => `product:${chip}:${key}`;

type Capped = CaseByCaseRule & { productCap: NonNullable<CaseByCaseRule['productCap']> };
const hasCap = (rule: CaseByCaseRule): rule is Capped => rule.productCap !== null;

export function hasProductCaps(pack: PolicyPack): boolean {
  return pack.caseByCase.some(hasCap);
}

// Controlled TPP per catalogue chip in the shipment, in the order the chips first appear.
function tppByProduct(pack: PolicyPack, event: ShipmentV1, isControlled: (tpp: bigint, die: Rational | null) => boolean): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const item of event.items) {
    if (!('chip' in item)) continue;
    const spec = pack.catalogue.get(item.chip)!;
    if (!isControlled(spec.tppPerUnit, spec.dieAreaMm2)) continue;
    out.set(item.chip, (out.get(item.chip) ?? 0n) + spec.tppPerUnit * BigInt(item.quantity));
  }
  return out;
}

export function capOfDestination(rule: Capped, state: LedgerReadState, chip: string): Rational {
  return mulInt(rule.productCap.share, state.account(productAccountId(chip, rule.productCap.baseKey))?.usedTpp ?? 0n);
}

// The product movements of a shipment that was not denied (call after its main account moved).
export function productMovements(
  pack: PolicyPack,
  state: LedgerReadState,
  event: ShipmentV1,
  isControlled: (tpp: bigint, die: Rational | null) => boolean,
  alerts: ProductAlerts,
  out: Movement[],
): void {
  const cc = event.consignee.country;
  for (const rule of pack.caseByCase) {
    if (!hasCap(rule)) continue;
    const toDestination = rule.countries.has(cc);
    const toBase = rule.productCap.baseCountries.has(cc);
    if (!toDestination && !toBase) continue;
    for (const [chip, tpp] of tppByProduct(pack, event, isControlled)) {
      if (toBase) moveBase(rule, state, chip, tpp, out);
      if (toDestination) moveDestination(rule, state, chip, tpp, alerts, out);
    }
  }
}

function moveBase(rule: Capped, state: LedgerReadState, chip: string, tpp: bigint, out: Movement[]): void {
  const id = productAccountId(chip, rule.productCap.baseKey);
  const before = state.account(id);
  const usedBefore = before?.usedTpp ?? 0n;
  const usedAfter = usedBefore + tpp;
  out.push({ account: id, deltaTpp: tpp, usedBeforeTpp: usedBefore, usedAfterTpp: usedAfter, capTpp: null, disarmedMaskAfter: before?.disarmedMask ?? 0 });
  const destId = productAccountId(chip, rule.productCap.destinationKey);
  const dest = state.account(destId);
  if (dest === undefined) return;
  // The destination's cap moved with its base: carried with no change of balance or alert state.
  const cap = floorOf(mulInt(rule.productCap.share, usedAfter));
  out.push({ account: destId, deltaTpp: 0n, usedBeforeTpp: dest.usedTpp, usedAfterTpp: dest.usedTpp, capTpp: cap, disarmedMaskAfter: dest.disarmedMask });
}

function moveDestination(rule: Capped, state: LedgerReadState, chip: string, tpp: bigint, alerts: ProductAlerts, out: Movement[]): void {
  const id = productAccountId(chip, rule.productCap.destinationKey);
  const before = state.account(id);
  const usedBefore = before?.usedTpp ?? 0n;
  const usedAfter = usedBefore + tpp;
  const cap = capOfDestination(rule, state, chip);
  let mask = before?.disarmedMask ?? 0;
  // The contract's account rules hold for pack-specific accounts too: a cap-0 account raises no threshold or cap
  // alert (its balance and cap 0 are on the record for the regulator to see).
  if (cap.num !== 0n) mask = alerts.evaluate(id, usedBefore, usedAfter, cap, mask);
  out.push({ account: id, deltaTpp: tpp, usedBeforeTpp: usedBefore, usedAfterTpp: usedAfter, capTpp: floorOf(cap), disarmedMaskAfter: mask });
}

// The cap of a product account under `pack` (null for a base account, or one the pack has no rule for).
export function productCapOf(pack: PolicyPack, state: LedgerReadState, chip: string, key: string): Rational | null {
  for (const rule of pack.caseByCase) {
    if (hasCap(rule) && rule.productCap.destinationKey === key) return capOfDestination(rule, state, chip);
  }
  return null;
}

// The product accounts a shipment may read or move (for the services' state loading).
export function productAccountsOf(pack: PolicyPack, event: ShipmentV1): string[] {
  const out: string[] = [];
  const cc = event.consignee.country;
  for (const rule of pack.caseByCase) {
    if (!hasCap(rule) || (!rule.countries.has(cc) && !rule.productCap.baseCountries.has(cc))) continue;
    for (const item of event.items) {
      if (!('chip' in item)) continue;
      out.push(productAccountId(item.chip, rule.productCap.baseKey), productAccountId(item.chip, rule.productCap.destinationKey));
    }
  }
  return out;
}
