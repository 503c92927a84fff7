// The judgement: given the ledger so far and one decoded event, which accounts move by how much and which alerts
// fire. Pure: it reads the state through LedgerReadState and returns an Outcome; applyOutcome() writes it.
// The services, the offline replay and the pre-clearance API all call these functions.
import { hash } from 'node:crypto';
import type {
  AlertKind,
  AlertSeverity,
  ComplianceAlertV1,
  DeploymentV1,
  InputEventV1,
  Item,
  RejectionCode,
  ShipmentV1,
} from '@app/contracts';
import { accountIds, countryCap, isRatioKind, parseAccountId, plainCap, ratioCap, type AccountKind } from './accounts';
import type { DecodedEvent, DecodeResult } from './decode-event';
import type { LedgerReadState, LicenceRecord, Movement, StateEffect } from './ledger-state';
import { applyLicenceEffect, drawOnLicence, judgeLicenceIssued, judgeLicenceRevoked, licenceClaim } from './licences/licence-judge';
import { withLicenceRequirements } from './licences/licence-requirements';
import type { MemoryLedgerState } from './memory-ledger-state';
import { nveuCapAt, tierOf, type PolicyPack, type Threshold } from './policy-pack';
import { exceedsFast, floorOf, fromNumber, ratioAtLeastFast, ratioBelowFast, toFloat, utilizationOf, type Rational } from './rational';

export type Outcome =
  | { status: 'rejected'; code: RejectionCode; message: string; publisher: string | null; eventId: string | null }
  | { status: 'duplicate'; publisher: string; eventId: string }
  | {
      status: 'recorded';
      event: InputEventV1;
      // The payload digest, computed on first call (see DecodedEvent.digest).
      digest(): string;
      occurredAtMs: number;
      movements: Movement[];
      alerts: ComplianceAlertV1[];
      effects: StateEffect[];
      policy: { id: string; version: string };
    };

export type RecordedOutcome = Extract<Outcome, { status: 'recorded' }>;

// A recorded outcome is plain data apart from its digest, which it asks of the decoded event only when needed
// (held in a private field, so two outcomes of the same event still compare equal as data).
class Recorded implements RecordedOutcome {
  readonly status = 'recorded' as const;
  readonly event: InputEventV1;
  readonly occurredAtMs: number;
  readonly movements: Movement[];
  readonly alerts: ComplianceAlertV1[];
  readonly effects: StateEffect[];
  readonly policy: { id: string; version: string };
  readonly #decoded: DecodedEvent;

  constructor(decoded: DecodedEvent, draft: Draft, pack: PolicyPack) {
    this.#decoded = decoded;
    this.event = decoded.event;
    this.occurredAtMs = decoded.occurredAtMs;
    this.movements = draft.movements;
    this.alerts = draft.alerts;
    this.effects = draft.effects;
    this.policy = { id: pack.id, version: pack.version };
  }

  digest(): string {
    return this.#decoded.digest();
  }
}

// ---- TPP ------------------------------------------------------------------------------------------------------

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

// ---- alerts ---------------------------------------------------------------------------------------------------

export function alertId(account: string, kind: AlertKind, threshold: number | null, publisher: string, eventId: string): string {
  const key = `${account}\u0000${kind}\u0000${threshold === null ? '' : String(threshold)}\u0000${publisher}\u0000${eventId}`;
  return hash('sha256', key, 'hex').slice(0, 32);
}

function severityOf(kind: AlertKind, threshold: Threshold | null): AlertSeverity {
  if (kind !== 'THRESHOLD_CROSSED') return 'critical';
  const t = threshold!.value;
  // info below 0.75, warning for [0.75, 1), critical at 1.0 and above.
  if (t.num * 4n < 3n * t.den) return 'info';
  if (t.num < t.den) return 'warning';
  return 'critical';
}

export interface AlertContext {
  pack: PolicyPack;
  event: InputEventV1;
  out: ComplianceAlertV1[];
}

export function raise(
  ctx: AlertContext,
  kind: AlertKind,
  account: string,
  usedTpp: bigint,
  cap: Rational | null,
  threshold: Threshold | null,
  reason: string,
): void {
  const label = threshold === null ? null : threshold.label;
  ctx.out.push({
    type: 'compliance.alert',
    version: 1,
    alertId: alertId(account, kind, label, ctx.event.publisher, ctx.event.eventId),
    kind,
    severity: severityOf(kind, threshold),
    account,
    threshold: label,
    usedTpp,
    capTpp: cap === null ? null : floorOf(cap),
    utilization: cap === null || cap.num === 0n ? null : utilizationOf(usedTpp, cap),
    causedBy: { publisher: ctx.event.publisher, eventId: ctx.event.eventId },
    policy: { id: ctx.pack.id, version: ctx.pack.version },
    at: ctx.event.occurredAt,
    reason,
  });
}

// Edge-triggered thresholds with hysteresis, then CAP_EXCEEDED, exactly as CONTRACTS.md lists the steps.
// Uncapped and cap-0 accounts raise nothing here. Returns the disarmed mask after the event.
export function evaluateThresholds(
  ctx: AlertContext,
  account: string,
  usedBefore: bigint,
  usedAfter: bigint,
  cap: Rational | null,
  disarmedMask: number,
  // toFloat(cap), when the caller has it (a UVEU's country accounts share one cap).
  capFloat: number = cap === null ? 0 : toFloat(cap),
): number {
  if (cap === null || cap.num === 0n) return disarmedMask;
  let mask = disarmedMask;
  const before = Number(usedBefore) / capFloat;
  const after = Number(usedAfter) / capFloat;
  for (const t of ctx.pack.thresholds) {
    const bit = 1 << t.index;
    let armed = (mask & bit) === 0;
    if (!armed && ratioBelowFast(before, t.armBelowFloat, usedBefore, cap, t.armBelow)) armed = true;
    if (armed && ratioAtLeastFast(after, t.valueFloat, usedAfter, cap, t.value)) {
      raise(ctx, 'THRESHOLD_CROSSED', account, usedAfter, cap, t, `${account} reached ${t.label * 100}% of its cap`);
      armed = false;
    }
    if (!armed && ratioBelowFast(after, t.armBelowFloat, usedAfter, cap, t.armBelow)) armed = true;
    mask = armed ? mask & ~bit : mask | bit;
  }
  if (exceedsFast(after, usedAfter, cap) && !exceedsFast(before, usedBefore, cap)) {
    raise(ctx, 'CAP_EXCEEDED', account, usedAfter, cap, null, `${account} exceeded its cap`);
  }
  return mask;
}

// ---- judging --------------------------------------------------------------------------------------------------

export interface Draft {
  movements: Movement[];
  alerts: ComplianceAlertV1[];
  effects: StateEffect[];
}

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

export function judge(pack: PolicyPack, state: LedgerReadState, decoded: DecodeResult): Outcome {
  if (!decoded.ok) {
    return { status: 'rejected', code: decoded.code, message: decoded.message, publisher: decoded.publisher, eventId: decoded.eventId };
  }
  const { event, occurredAtMs } = decoded;
  const seen = state.seen(event.publisher, event.eventId);
  if (seen !== undefined) {
    if (seen === decoded.digest()) return { status: 'duplicate', publisher: event.publisher, eventId: event.eventId };
    return {
      status: 'rejected',
      code: 'DUPLICATE_CONFLICT',
      message: `(${event.publisher}, ${event.eventId}) was already recorded with a different payload`,
      publisher: event.publisher,
      eventId: event.eventId,
    };
  }

  const draft: Draft = { movements: [], alerts: [], effects: [] };
  const ctx: AlertContext = { pack, event, out: draft.alerts };
  switch (event.type) {
    case 'chip.shipment':
      judgeShipment(pack, state, event, occurredAtMs, ctx, draft);
      break;
    case 'dc.deployment': {
      const rejection = judgeDeployment(pack, state, event, occurredAtMs, ctx, draft);
      if (rejection !== null) return rejection;
      break;
    }
    case 'policy.veu-granted': {
      const v = event.veu;
      draft.effects.push({
        kind: 'veu-granted',
        grant: {
          id: v.id,
          kind: v.kind,
          headquarters: v.headquarters ?? null,
          country: v.kind === 'NVEU' ? v.country : null,
          active: true,
        },
      });
      break;
    }
    case 'policy.veu-revoked':
      draft.effects.push({ kind: 'veu-revoked', veuId: event.veu.id });
      break;
    case 'policy.g2g-arrangement':
      draft.effects.push({ kind: 'g2g-arranged', country: event.country });
      break;
    case 'policy.license-issued':
    case 'policy.license-revoked': {
      const rejection =
        event.type === 'policy.license-issued'
          ? judgeLicenceIssued(pack, state, event, occurredAtMs, ctx, draft)
          : judgeLicenceRevoked(pack, state, event, occurredAtMs, ctx, draft);
      if (rejection !== null) return { status: 'rejected', ...rejection, publisher: event.publisher, eventId: event.eventId };
      break;
    }
  }
  return new Recorded(decoded, draft, pack);
}

// A destination is prohibited for this shipment when it is Tier 3, or when the pack restricts the country to chips
// below a per-unit TPP and a controlled item is above it.
function prohibited(pack: PolicyPack, country: string, atMs: number, maxPerUnit: bigint): boolean {
  if (tierOf(pack, country, atMs) === 3) return true;
  const limit = pack.restrictedPerUnitTppMax.get(country);
  return limit !== undefined && maxPerUnit > limit;
}

function judgeShipment(pack: PolicyPack, state: LedgerReadState, event: ShipmentV1, atMs: number, ctx: AlertContext, draft: Draft): void {
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

function judgeDeployment(
  pack: PolicyPack,
  state: LedgerReadState,
  event: DeploymentV1,
  atMs: number,
  ctx: AlertContext,
  draft: Draft,
): Outcome | null {
  const veuId = event.veu.id;
  const dc = event.dataCenter;
  const { tpp, maxPerUnit } = controlledTpp(pack, event.items);
  const installedBefore = state.installed(veuId, dc.id, dc.country);
  const delta = event.action === 'INSTALL' ? tpp : -tpp;
  if (installedBefore + delta < 0n) {
    return {
      status: 'rejected',
      code: 'NEGATIVE_INSTALLED_BASE',
      message: `removing ${tpp} TPP would take data center ${dc.id} of ${veuId} in ${dc.country} below 0 (installed ${installedBefore})`,
      publisher: event.publisher,
      eventId: event.eventId,
    };
  }

  const account = accountIds.installed(veuId, dc.country);
  const usedAfter = (state.account(account)?.usedTpp ?? 0n) + delta;
  const grant = state.veu(veuId);
  // Alerts concern chips going in; a REMOVE only ever reduces what is there.
  if (event.action === 'INSTALL' && tpp > 0n) {
    if (prohibited(pack, dc.country, atMs, maxPerUnit)) {
      raise(ctx, 'PROHIBITED_DESTINATION', account, usedAfter, null, null, `${veuId} installed controlled chips in prohibited destination ${dc.country}`);
    } else {
      let unauthorized: string | null = null;
      if (grant === undefined || !grant.active) unauthorized = `${event.veu.kind} "${veuId}" is not granted`;
      else if (grant.kind !== event.veu.kind) unauthorized = `"${veuId}" is a ${grant.kind}, not a ${event.veu.kind}`;
      else if (grant.kind === 'NVEU' && grant.country !== dc.country) {
        unauthorized = `NVEU "${veuId}" is authorized in ${grant.country}, not ${dc.country}`;
      }
      if (unauthorized !== null) raise(ctx, 'UNAUTHORIZED', account, usedAfter, null, null, unauthorized);
    }
  }
  move(ctx, state, draft, account, delta, null);
  draft.effects.push({ kind: 'installed-set', veuId, dataCenterId: dc.id, country: dc.country, installedTpp: installedBefore + delta });

  if (grant !== undefined && grant.active && grant.kind === 'UVEU') {
    evaluateUveuRatios(pack, state, ctx, draft, grant.id, grant.headquarters, dc.country, delta, atMs);
  }
  return null;
}

// UVEU ratio accounts are shares of the UVEU's worldwide installed TPP (Tier 3 included). They are recomputed
// from its installed:ID:* accounts at each of its deployments, and their thresholds are evaluated against the cap
// from the worldwide total after the event, unless that total is below the pack's evaluation floor.
function evaluateUveuRatios(
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

// ---- applying and viewing -------------------------------------------------------------------------------------

// `seenRecord` is what the idempotency record keeps for the event: its digest, or a reference the state can turn
// back into the digest when the key comes again (the offline replay passes the line's place in its file).
export function applyOutcome(state: MemoryLedgerState, outcome: Outcome, seenRecord?: number): void {
  if (outcome.status !== 'recorded') return;
  state.markSeen(outcome.event.publisher, outcome.event.eventId, seenRecord ?? outcome.digest());
  for (const m of outcome.movements) state.setAccount(m.account, { usedTpp: m.usedAfterTpp, disarmedMask: m.disarmedMaskAfter });
  for (const effect of outcome.effects) {
    switch (effect.kind) {
      case 'veu-granted':
        state.setVeu(effect.grant);
        break;
      case 'veu-revoked': {
        const grant = state.veu(effect.veuId);
        if (grant !== undefined) state.setVeu({ ...grant, active: false });
        break;
      }
      case 'g2g-arranged':
        state.setG2g(effect.country);
        break;
      case 'installed-set':
        state.setInstalled(effect.veuId, effect.dataCenterId, effect.country, effect.installedTpp);
        break;
      case 'licence-issued':
      case 'licence-revoked':
        applyLicenceEffect(state, effect);
        break;
    }
  }
}

export interface AccountView {
  account: string;
  usedTpp: bigint;
  capTpp: bigint | null;
  utilization: number | null;
}

// An account's balance with the cap in force at `atMs` (for ratio accounts: from the current worldwide total).
// A ratio cap is in force only while its VEU is granted as a UVEU (and the outside-US share only for a
// US-headquartered one): after a revocation the ratio accounts keep the balance they had, and show no cap.
export function accountView(pack: PolicyPack, state: LedgerReadState, accountId: string, atMs: number): AccountView {
  const usedTpp = state.account(accountId)?.usedTpp ?? 0n;
  const parsed = parseAccountId(accountId);
  let cap: Rational | null = null;
  if (parsed !== null && isRatioKind(parsed.kind)) {
    if (ratioCapInForce(state, parsed.kind, parsed.veuId!)) {
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

// What a batch must load from the database before judging `event` (see LedgerReadState).
export interface Requirements {
  accounts: string[];
  veuIds: string[];
  dataCenters: Array<{ veuId: string; dataCenterId: string; country: string }>;
  // Licences to load by id; with each licence found, the loader also loads its country:CC:licensed account (a
  // revocation names only the licence id, and moves that account).
  licenceIds?: string[];
}

// atMs: the event's instant as decodeEvent read it (the judge dates the LPP year by the same value).
export function requirementsOf(pack: PolicyPack, event: InputEventV1, atMs: number = Date.parse(event.occurredAt)): Requirements {
  return withLicenceRequirements(event, requirementsWithoutLicences(pack, event, atMs));
}

function requirementsWithoutLicences(pack: PolicyPack, event: InputEventV1, atMs: number): Requirements {
  switch (event.type) {
    case 'chip.shipment': {
      const cc = event.consignee.country;
      const year = new Date(atMs).getUTCFullYear();
      const accounts = [accountIds.country(cc), accountIds.lpp(event.consignee.id, year)];
      const ref = event.authorization.ref;
      const veuIds: string[] = [];
      if (event.authorization.kind === 'NVEU' && ref !== undefined) {
        accounts.push(accountIds.nveu(ref));
        veuIds.push(ref);
      }
      if (event.authorization.kind === 'UVEU' && ref !== undefined) {
        accounts.push(accountIds.uveuShipped(ref));
        veuIds.push(ref);
      }
      return { accounts, veuIds, dataCenters: [] };
    }
    case 'dc.deployment':
      return {
        accounts: [accountIds.installed(event.veu.id, event.dataCenter.country)],
        veuIds: [event.veu.id],
        dataCenters: [{ veuId: event.veu.id, dataCenterId: event.dataCenter.id, country: event.dataCenter.country }],
      };
    case 'policy.g2g-arrangement':
      // The arrangement moves nothing, but it changes the cap that the country account shows from now on.
      return { accounts: [accountIds.country(event.country)], veuIds: [], dataCenters: [] };
    case 'policy.veu-granted':
    case 'policy.veu-revoked':
      // A grant or revocation moves nothing, but it puts the VEU's ratio caps in force or out of it.
      return { accounts: [], veuIds: [event.veu.id], dataCenters: [] };
    default:
      return { accounts: [], veuIds: [], dataCenters: [] };
  }
}

// Whose caps an effect moves without moving their balances: a g2g arrangement its country's (doubled); a deployment
// its VEU's ratio accounts (shares of the worldwide total it changed); a grant or a revocation its VEU's ratio
// accounts (in force or out of it). The accounts follow from the subject and the state alone, so the writer refreshes
// them once per subject however many of its effects a batch holds.
export function capSubjectOf(effect: StateEffect): { kind: 'country' | 'veu' | 'licence'; id: string } {
  switch (effect.kind) {
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
  if (subject.kind === 'licence') return [];
  if (subject.kind === 'country') {
    // country:CC:licensed has the same cap as country:CC.
    return [accountIds.country(subject.id), accountIds.countryLicensed(subject.id)].filter((id) => state.account(id) !== undefined);
  }
  const v = subject.id;
  const ids = [accountIds.uveuOutsideTier1(v), accountIds.uveuOutsideUs(v)];
  for (const cc of state.installedByCountry(v).keys()) ids.push(accountIds.uveuCountry(v, cc));
  return ids.filter((id) => state.account(id) !== undefined);
}
