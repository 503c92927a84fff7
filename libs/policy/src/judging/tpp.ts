import type { Item } from '@app/contracts';
import type { PolicyPack } from '../policy-pack';
import { fromNumber, type Rational } from '../rational';

// The TPP of an event's items, and which of them are controlled (ECCN 3A090.a).

export interface ItemTpp {
  tppPerUnit: bigint;
  quantity: bigint;
  totalTpp: bigint;
  controlled: boolean;
}

// ECCN 3A090.a: TPP >= tppMin, or TPP >= densityTppMin with TPP / die area >= densityMin. Without a known die area
// an item at or above densityTppMin counts as controlled (the cautious reading the contract prescribes).
export function isControlled(pack: PolicyPack, tppPerUnit: bigint, dieAreaMm2: Rational | null): boolean {
  const c = pack.controlled;
  if (tppPerUnit >= c.tppMin) return true;
  if (tppPerUnit < c.densityTppMin) return false;
  if (dieAreaMm2 === null) return true;
  // tpp / die >= d  <=>  tpp * die.den * d.den >= d.num * die.num
  return tppPerUnit * dieAreaMm2.den * c.densityMin.den >= c.densityMin.num * dieAreaMm2.num;
}

export function itemTpp(pack: PolicyPack, item: Item): ItemTpp {
  let tppPerUnit: bigint;
  let die: Rational | null;
  if ('chip' in item) {
    const spec = pack.catalogue.get(item.chip);
    if (spec === undefined) throw new Error(`invariant: chip "${item.chip}" passed decodeEvent but is not in the catalogue`);
    tppPerUnit = spec.tppPerUnit;
    die = spec.dieAreaMm2;
  } else {
    tppPerUnit = BigInt(item.tppPerUnit);
    die = item.dieAreaMm2 === undefined ? null : fromNumber(item.dieAreaMm2);
  }
  const quantity = BigInt(item.quantity);
  return { tppPerUnit, quantity, totalTpp: tppPerUnit * quantity, controlled: isControlled(pack, tppPerUnit, die) };
}

// The TPP that draws on accounts: the sum over controlled items of quantity x TPP per unit.
export function controlledTpp(pack: PolicyPack, items: readonly Item[]): { tpp: bigint; maxPerUnit: bigint } {
  let tpp = 0n;
  let maxPerUnit = 0n;
  for (const item of items) {
    const t = itemTpp(pack, item);
    if (!t.controlled) continue;
    tpp += t.totalTpp;
    if (t.tppPerUnit > maxPerUnit) maxPerUnit = t.tppPerUnit;
  }
  return { tpp, maxPerUnit };
}
