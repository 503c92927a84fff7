// Presumption of denial, per event: a destination whose tier is 3 at the event is denied, unless a case-by-case rule
// of the pack covers it and every controlled item of the shipment is below both of the rule's thresholds (TPP per
// unit and total DRAM bandwidth). Such a shipment then needs a licence like any Tier 2 one. A rule covers shipments
// (exports) only: a deployment in the country (a transfer within it, or a reexport) stays denied. An item whose DRAM
// bandwidth is not known (one given by tppPerUnit, not by a catalogue chip) cannot be shown to be below the
// threshold, so it is denied, as an item of unknown die area counts as controlled.
import type { Item } from '@app/contracts';
import { isControlled } from '../judging/tpp';
import { tierOf, type CaseByCaseRule, type PolicyPack } from '../policy-pack';
import { fromNumber } from '../rational';

export function caseByCaseRuleFor(pack: PolicyPack, country: string): CaseByCaseRule | null {
  for (const rule of pack.caseByCase) if (rule.countries.has(country)) return rule;
  return null;
}

export function deniedAt(pack: PolicyPack, country: string, atMs: number, items: readonly Item[], kind: 'shipment' | 'deployment'): boolean {
  if (tierOf(pack, country, atMs) !== 3) return false;
  if (kind === 'deployment' || pack.caseByCase.length === 0) return true;
  const rule = caseByCaseRuleFor(pack, country);
  if (rule === null) return true;
  for (const item of items) {
    let tpp: bigint;
    let bandwidth: bigint | null = null;
    let controlled: boolean;
    if ('chip' in item) {
      const spec = pack.catalogue.get(item.chip)!;
      tpp = spec.tppPerUnit;
      bandwidth = spec.dramBandwidthGbps;
      controlled = isControlled(pack, tpp, spec.dieAreaMm2);
    } else {
      tpp = BigInt(item.tppPerUnit);
      controlled = isControlled(pack, tpp, item.dieAreaMm2 === undefined ? null : fromNumber(item.dieAreaMm2));
    }
    if (!controlled) continue;
    if (tpp >= rule.tppPerUnitBelow || bandwidth === null || bandwidth >= rule.dramBandwidthGbpsBelow) return true;
  }
  return false;
}
