import { accountIds, ratioCap } from '../accounts';
import type { LedgerReadState } from '../ledger-state';
import { tierOf, type PolicyPack } from '../policy-pack';
import { floorOf, toFloat, type Rational } from '../rational';
import type { Draft } from './outcome';
import { evaluateThresholds, type AlertContext } from './thresholds';

// UVEU ratio accounts are shares of the UVEU's worldwide installed TPP (Tier 3 included). They are recomputed
// from its installed:ID:* accounts at each of its deployments, and their thresholds are evaluated against the cap
// from the worldwide total after the event, unless that total is below the pack's evaluation floor.
export function evaluateUveuRatios(
  pack: PolicyPack,
  state: LedgerReadState,
  ctx: AlertContext,
  draft: Draft,
  veuId: string,
  headquarters: string | null,
  changedCountry: string,
  delta: bigint,
  atMs: number,
): void {
  // The installed base after this event, without copying the map: only changedCountry differs. Countries are
  // visited in ascending order (changedCountry at its place if it is new), so that the country movements come in
  // the same order whatever order the state learnt the countries in. Written without closures or growing arrays:
  // this pass runs at each of a UVEU's deployments over all its countries, and was the judge's largest allocator.
  const installed = state.installedByCountry(veuId);
  const countries = state.installedCountries(veuId);
  const isNew = !installed.has(changedCountry);
  const visits = countries.length + (isNew ? 1 : 0);
  // The countries outside Tier 1 after this event, in order, with their installed TPP.
  const nonTier1 = new Array<string>(visits);
  const nonTier1Tpp = new Array<bigint>(visits);
  let nonTier1Count = 0;
  let worldwide = 0n;
  let outsideTier1 = 0n;
  let usTpp = 0n;
  let pendingNew = isNew;
  for (let i = 0, k = 0; i < visits; i++) {
    let cc: string;
    let tpp: bigint;
    if (pendingNew && (k === countries.length || changedCountry < countries[k]!)) {
      cc = changedCountry;
      tpp = delta;
      pendingNew = false;
    } else {
      cc = countries[k++]!;
      const base = installed.get(cc) ?? 0n;
      tpp = cc === changedCountry ? base + delta : base;
    }
    worldwide += tpp;
    if (cc === 'US') usTpp = tpp;
    if (tierOf(pack, cc, atMs) !== 1) {
      outsideTier1 += tpp;
      nonTier1[nonTier1Count] = cc;
      nonTier1Tpp[nonTier1Count] = tpp;
      nonTier1Count++;
    }
  }
  const evaluate = worldwide >= pack.uveu.evaluationFloorTpp;

  const outsideCap = ratioCap(pack, 'uveu-outside-tier1', worldwide);
  evaluateRatio(ctx, state, draft, evaluate, accountIds.uveuOutsideTier1(veuId), outsideTier1, outsideCap, floorOf(outsideCap), toFloat(outsideCap));
  const countryCapRatio = ratioCap(pack, 'uveu-country', worldwide);
  const countryCapTpp = floorOf(countryCapRatio);
  const countryCapFloat = toFloat(countryCapRatio);
  for (let i = 0; i < nonTier1Count; i++) {
    evaluateRatio(ctx, state, draft, evaluate, accountIds.uveuCountry(veuId, nonTier1[i]!), nonTier1Tpp[i]!, countryCapRatio, countryCapTpp, countryCapFloat);
  }
  if (headquarters === 'US') {
    const usCap = ratioCap(pack, 'uveu-outside-us', worldwide);
    evaluateRatio(ctx, state, draft, evaluate, accountIds.uveuOutsideUs(veuId), worldwide - usTpp, usCap, floorOf(usCap), toFloat(usCap));
  }
}

// One UVEU ratio account at the UVEU's new installed base. An evaluation that changes nothing (the account exists,
// its used TPP and alert state stay, no alert) is not a movement: only the cap moved, and the cap follows from the
// installed:ID:* accounts at any point.
function evaluateRatio(
  ctx: AlertContext,
  state: LedgerReadState,
  draft: Draft,
  evaluate: boolean,
  id: string,
  used: bigint,
  cap: Rational,
  capTpp: bigint,
  capFloat: number,
): void {
  const before = state.account(id);
  const usedBefore = before?.usedTpp ?? 0n;
  const mask = before?.disarmedMask ?? 0;
  const alertsBefore = ctx.out.length;
  const disarmedMaskAfter = evaluate ? evaluateThresholds(ctx, id, usedBefore, used, cap, mask, capFloat) : mask;
  if (before !== undefined && used === usedBefore && disarmedMaskAfter === mask && ctx.out.length === alertsBefore) return;
  draft.movements.push({ account: id, deltaTpp: used - usedBefore, usedBeforeTpp: usedBefore, usedAfterTpp: used, capTpp, disarmedMaskAfter });
}
